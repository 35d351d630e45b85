//! The browser side of the Dashboard App protocol: listening to the parent window's
//! messages and asking it for the context.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::logic::app_context::{AppContext, Posted, FETCH_INFO};

/// Calls `on_context` with every `appContext` the parent window posts, and the origin it
/// came from, for as long as the current owner (the component calling this) lives.
/// Messages from other windows, and messages that are not an `appContext` naming a
/// contact, are ignored. Whether the origin is the dashboard's is the caller's to judge
/// (the configuration may not be read yet).
pub fn listen_for_app_context(on_context: impl Fn(Posted) + 'static) {
    let handle = window_event_listener(ev::message, move |event| {
        if !from_parent(&event) {
            return;
        }
        if let Some(context) = event
            .data()
            .as_string()
            .as_deref()
            .and_then(AppContext::parse)
        {
            on_context(Posted {
                context,
                origin: event.origin(),
            });
        }
    });
    on_cleanup(move || handle.remove());
}

/// Asks the parent window (the dashboard) to post the context again. Not framed, the
/// window is its own parent, and the request is ignored by [`listen_for_app_context`].
pub fn ask_for_app_context() {
    if let Some(parent) = parent_window() {
        // The request carries nothing private, so any origin may read it.
        let _ = parent.post_message(&JsValue::from_str(FETCH_INFO), "*");
    }
}

fn parent_window() -> Option<web_sys::Window> {
    window().parent().ok().flatten()
}

/// Whether the message came from the window the app is framed in.
fn from_parent(event: &web_sys::MessageEvent) -> bool {
    match (event.source(), parent_window()) {
        (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
        _ => false,
    }
}
