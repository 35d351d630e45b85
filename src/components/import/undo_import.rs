use leptos::prelude::*;
use novatalks_model::import::UndoReport;

use crate::api::imports;
use crate::i18n::t;
use crate::state::use_api;

#[derive(Clone, PartialEq)]
enum UndoStep {
    Offered,
    Undoing,
    Done(UndoReport),
    Failed(String),
}

/// Undoes import `id`: the contacts it created are deleted, those it updated get their
/// values back, and those changed since are named and left alone.
#[component]
pub fn UndoImport(id: i64, on_undone: Callback<()>) -> impl IntoView {
    let strings = t().import;
    let api = use_api();
    let step = RwSignal::new(UndoStep::Offered);
    let undo = move |_| {
        if step.get_untracked() == UndoStep::Undoing {
            return;
        }
        step.set(UndoStep::Undoing);
        let client = api.client();
        leptos::task::spawn_local(async move {
            let next = match imports::undo(&client, id).await {
                Ok(report) => UndoStep::Done(report),
                Err(e) => UndoStep::Failed((strings.undo_failed)(&t().describe_error(&e))),
            };
            let done = matches!(next, UndoStep::Done(_));
            step.try_set(next);
            if done {
                on_undone.run(());
            }
        });
    };
    view! {
        {move || match step.get() {
            UndoStep::Done(report) => {
                let left = (report.left_count > 0)
                    .then(|| view! { <p data-testid="import-undo-left">{(strings.left)(&report)}</p> });
                view! {
                    <div class="import-undone" role="status" data-testid="import-undone">
                        <p>{(strings.undone)(&report)}</p>
                        {left}
                    </div>
                }
                    .into_any()
            }
            other => {
                let busy = other == UndoStep::Undoing;
                let failed = match other {
                    UndoStep::Failed(why) => Some(view! { <p class="form-error" role="alert">{why}</p> }),
                    _ => None,
                };
                view! {
                    <button
                        type="button"
                        class="button button--small"
                        data-testid="import-undo"
                        aria-disabled=busy.then_some("true")
                        on:click=undo
                    >
                        {if busy { strings.undoing } else { strings.undo }}
                    </button>
                    {failed}
                }
                    .into_any()
            }
        }}
    }
}
