use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::state::use_trail;

/// Notes every page the app shows in the [`NavigationTrail`](crate::state::NavigationTrail)
/// in context. Renders nothing; it must sit inside the `<Router>`.
#[component]
pub fn TrailRecorder() -> impl IntoView {
    let location = use_location();
    if let Some(trail) = use_trail() {
        Effect::new(move |_| {
            let (path, search) = (location.pathname.get(), location.search.get());
            let url = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            trail.visit(&url);
        });
    }
}
