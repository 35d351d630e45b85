use std::rc::Rc;

use leptos::ev;
use leptos::leptos_dom::helpers::{document, window_event_listener};
use leptos::prelude::*;
use leptos::task::spawn_local;
use novatalks_model::bulk::BulkActionResult;
use web_sys::KeyboardEvent;

use super::{BulkOpen as Open, BulkProgress, ExportButton, LabelMode};
use crate::api::bulk::{self, BulkAction};
use crate::components::common::{now_secs, Later};
use crate::i18n::t;
use crate::split;
use crate::state::{
    use_api, use_server_capabilities, use_toasts, Api, ListSelection, ToastAction, Toasts,
};

/// The undo after a bulk delete stays at least this long,
pub const UNDO_MIN_MILLIS: u64 = 10_000;
/// and at most this long, however long the server would still take it (ten minutes).
pub const UNDO_MAX_MILLIS: u64 = 30_000;
/// How many names the delete confirmation is given.
const NAMES: usize = 3;

/// Above the table: how many contacts are selected, "select all matching", and what can
/// be done to them: add or remove labels, block, unblock, delete (with an undo), export.
/// Nothing selected, it offers the export of the whole view. Each action runs with a
/// progress indicator while the page stays usable, then says what it did in a toast; on
/// a failure the selection stays and the toast says why. Esc clears the selection.
///
/// Against a stock Chatwoot only labels and delete are offered, on ticked rows, and a
/// note says why the rest is missing.
#[component]
pub fn BulkBar(list: ListSelection) -> impl IntoView {
    let strings = t().bulk;
    let api = use_api();
    let toasts = use_toasts();
    let capabilities = use_server_capabilities();
    let extended = Memo::new(move |_| capabilities.has_extensions());
    let open = RwSignal::new(None::<Open>);
    let busy = RwSignal::new(None::<(u64, bool)>);
    let count = Memo::new(move |_| list.selection.with(|s| s.count()));
    let any = Memo::new(move |_| list.selection.with(|s| !s.is_empty()));

    // Esc clears the selection, unless a dialog is open (Esc closes that).
    let keys = window_event_listener(ev::keydown, move |event: KeyboardEvent| {
        if event.key() != "Escape" || event.default_prevented() {
            return;
        }
        let dialog_open = document().query_selector(".modal").ok().flatten().is_some();
        if !dialog_open && open.get_untracked().is_none() {
            list.selection.try_update(|s| s.clear());
        }
    });
    on_cleanup(move || keys.remove());

    let run = move |action: BulkAction| {
        open.set(None);
        if busy.get_untracked().is_some() {
            return;
        }
        let Some(target) = list.selection.with_untracked(|s| s.target()) else {
            return;
        };
        let count = list.selection.with_untracked(|s| s.count());
        busy.set(Some((count, false)));
        let client = api.client();
        spawn_local(async move {
            let answer = bulk::run(&client, &target, &action).await;
            busy.try_set(None);
            let Some(toasts) = toasts else {
                return;
            };
            match answer {
                Ok(result) => {
                    let affected = result.as_ref().map_or(count, |r| r.affected);
                    if action == BulkAction::Delete {
                        list.selection.try_update(|s| s.clear());
                    }
                    tell_done(&action, affected, result, api, toasts, list);
                    list.changed();
                }
                Err(error) => {
                    toasts.error((strings.failed)(&t().describe_error(&error)));
                }
            }
        });
    };

    let on_labels = Callback::new(move |titles: Vec<String>| {
        let mode = match open.get_untracked() {
            Some(Open::Labels(mode)) => mode,
            _ => LabelMode::Add,
        };
        run(match mode {
            LabelMode::Add => BulkAction::Labels {
                add: titles,
                remove: Vec::new(),
            },
            LabelMode::Remove => BulkAction::Labels {
                add: Vec::new(),
                remove: titles,
            },
        });
    });
    let on_block = Callback::new(move |(until, reason): (Option<i64>, Option<String>)| {
        run(BulkAction::Block { until, reason });
    });
    let on_delete = Callback::new(move |()| run(BulkAction::Delete));
    let on_cancel = Callback::new(move |()| open.set(None));
    let on_unblock = Callback::new(move |()| run(BulkAction::Unblock));
    let on_open = Callback::new(move |which: Open| open.set(Some(which)));
    let is_busy = Signal::derive(move || busy.get().is_some());
    let actions = move || {
        split::bulk_actions(
            list,
            count.into(),
            extended.into(),
            is_busy,
            on_open,
            on_unblock,
        )
    };

    let dialog = move || {
        let count = count.get_untracked();
        open.get().map(|which| match which {
            Open::Labels(mode) => view! {
                <Later load=move || split::bulk_labels_dialog(mode, count, on_labels, on_cancel) />
            }
            .into_any(),
            Open::Block => {
                view! { <Later load=move || split::bulk_block_dialog(count, on_block, on_cancel) /> }
                    .into_any()
            }
            Open::Delete => {
                let names = list.selection.with_untracked(|s| s.first_names(NAMES));
                let undoable = extended.get_untracked();
                let load = move || {
                    split::bulk_delete_dialog(count, names.clone(), undoable, on_delete, on_cancel)
                };
                view! { <Later load /> }.into_any()
            }
        })
    };

    view! {
        <section
            class="bulk-bar"
            class:bulk-bar--active=move || any.get()
            aria-label=strings.bar_label
            data-testid="bulk-bar"
        >
            <div class="bulk-bar__row">
                <Show when=move || any.get()>
                    <Later load=actions />
                </Show>
                <Show when=move || extended.get()>
                    <ExportButton list busy />
                </Show>
                {move || busy.get().map(|(count, exporting)| {
                    let what = exporting.then_some(strings.exporting);
                    view! { <BulkProgress count what /> }
                })}
            </div>
            <Show when=move || any.get()>
                <Later load=move || split::bulk_selection_notes(list) />
            </Show>
            {dialog}
        </section>
    }
}

/// The toast of an action done: what it did to how many; for a delete, with an Undo that
/// lasts while the server's undo does, between [`UNDO_MIN_MILLIS`] and [`UNDO_MAX_MILLIS`].
fn tell_done(
    action: &BulkAction,
    affected: u64,
    result: Option<BulkActionResult>,
    api: Api,
    toasts: Toasts,
    list: ListSelection,
) {
    let strings = t();
    let message = match action {
        BulkAction::Labels { add, remove } if remove.is_empty() => {
            (strings.bulk.labelled)(affected, &add.join(", "))
        }
        BulkAction::Labels { remove, .. } => {
            (strings.bulk.unlabelled)(affected, &remove.join(", "))
        }
        BulkAction::Block {
            until: Some(until), ..
        } => (strings.bulk.blocked_until)(
            affected,
            &strings.format_block_preview(*until, now_secs()),
        ),
        BulkAction::Block { until: None, .. } => (strings.bulk.blocked_forever)(affected),
        BulkAction::Unblock => (strings.bulk.unblocked)(affected),
        BulkAction::Delete => (strings.bulk.deleted)(affected),
    };
    let undo = result.and_then(|r| Some((r.undo_token?, r.undo_until)));
    match undo {
        Some((token, until)) if *action == BulkAction::Delete => {
            let left = until.map_or(0, |u| (u - now_secs() - 1).max(0) as u64 * 1_000);
            let millis = left.clamp(UNDO_MIN_MILLIS, UNDO_MAX_MILLIS);
            let run = move || {
                let client = api.client();
                let token = token.clone();
                spawn_local(async move {
                    match bulk::restore(&client, &token).await {
                        Ok(result) => {
                            let n = result.map_or(affected, |r| r.affected);
                            toasts.show((t().bulk.restored)(n), None);
                            list.changed();
                        }
                        Err(error) => {
                            toasts.error((t().bulk.restore_failed)(&t().describe_error(&error)));
                        }
                    }
                });
            };
            toasts.show_for(
                message,
                ToastAction {
                    label: strings.undo,
                    run: Rc::new(run),
                },
                millis,
            );
        }
        _ => {
            toasts.show(message, None);
        }
    }
}
