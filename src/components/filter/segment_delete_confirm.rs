use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;

use crate::api::custom_filters;
use crate::i18n::t;
use crate::state::use_api;

/// "Delete segment …?" in place of a saved segment, its Delete button focused; Escape or
/// Cancel keeps it. Shown by [`super::SegmentItem`] through a split point.
#[component]
pub fn SegmentDeleteConfirm(
    id: i64,
    title: String,
    /// Where the item says what failed.
    error: RwSignal<Option<String>>,
    /// Deleted on the server.
    on_deleted: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let api = use_api();
    let confirm: NodeRef<html::Button> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(button) = confirm.get() {
            let _ = button.focus();
        }
    });
    let delete = Action::new_local(move |(): &()| {
        let client = api.client();
        async move { custom_filters::delete(&client, id).await }
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => on_deleted.run(()),
        Some(Err(why)) => error.set(Some((strings.segment_delete_failed)(
            &t().describe_error(&why),
        ))),
        None => {}
    });
    let busy = delete.pending();
    view! {
        <div
            class="segment__confirm"
            role="alertdialog"
            aria-label=(strings.delete_segment)(&title)
            on:keydown=move |ev: KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    on_cancel.run(());
                }
            }
        >
            <p>{(strings.delete_segment_question)(&title)}</p>
            <button
                type="button"
                class="button button--danger"
                data-testid="segment-delete-confirm"
                node_ref=confirm
                disabled=move || busy.get()
                on:click=move |_| {
                    delete.dispatch(());
                }
            >
                {strings.delete}
            </button>
            <button type="button" class="button button--quiet" on:click=move |_| on_cancel.run(())>
                {strings.cancel}
            </button>
        </div>
    }
}
