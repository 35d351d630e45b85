use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use novatalks_model::filter::segment_name;

use crate::api::custom_filters;
use crate::i18n::t;
use crate::state::use_api;

/// A saved segment's name, edited in place: Enter renames (a blank or too long name is
/// refused before sending, with the model's rule), Escape or Cancel gives up. Shown by
/// [`super::SegmentItem`] through a split point.
#[component]
pub fn SegmentRename(
    id: i64,
    /// The name it starts with.
    current: String,
    /// Where the item says what failed.
    error: RwSignal<Option<String>>,
    /// Renamed on the server.
    on_renamed: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let api = use_api();
    let name = RwSignal::new(current);
    let input: NodeRef<html::Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
            input.select();
        }
    });
    let rename = Action::new_local(move |name: &String| {
        let name = name.clone();
        let client = api.client();
        async move { custom_filters::rename(&client, id, &name).await }
    });
    Effect::new(move |_| match rename.value().get() {
        Some(Ok(_)) => on_renamed.run(()),
        Some(Err(why)) => error.set(Some((strings.segment_rename_failed)(
            &t().describe_error(&why),
        ))),
        None => {}
    });
    let busy = rename.pending();
    let submit = move || match segment_name(&name.get_untracked()) {
        Ok(valid) => {
            error.set(None);
            rename.dispatch(valid);
        }
        Err(message) => error.set(Some(message)),
    };
    view! {
        <form
            class="segment__rename"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
            on:keydown=move |ev: KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    on_cancel.run(());
                }
            }
        >
            <input
                class="input"
                type="text"
                maxlength="100"
                data-testid="segment-name"
                aria-label=strings.segment_name
                node_ref=input
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <button
                type="submit"
                class="button button--primary"
                data-testid="segment-rename-submit"
                disabled=move || busy.get()
            >
                {strings.rename}
            </button>
            <button type="button" class="button button--quiet" on:click=move |_| on_cancel.run(())>
                {strings.cancel}
            </button>
        </form>
    }
}
