use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::bulk::{self, BulkTarget};
use crate::i18n::t;
use crate::state::{use_api, use_toasts, ListSelection};

/// Export: of the selection when there is one, else of the whole view (its search,
/// labels and filter). The server writes the CSV; the browser saves it under a name with
/// the account and the day.
#[component]
pub fn ExportButton(
    list: ListSelection,
    /// Set while the export runs (with the count it names), for the bar's progress.
    busy: RwSignal<Option<(u64, bool)>>,
) -> impl IntoView {
    let strings = t().bulk;
    let api = use_api();
    let toasts = use_toasts();
    let label = move || {
        if list.selection.with(|s| s.is_empty()) {
            strings.export_view
        } else {
            strings.export
        }
    };
    let export = move |_| {
        if busy.get_untracked().is_some() {
            return;
        }
        let (target, count) = list.selection.with_untracked(|s| match s.target() {
            Some(target) => (target, s.count()),
            None => (
                BulkTarget::Query(s.scope().clone()),
                list.total.get_untracked(),
            ),
        });
        let client = api.client();
        let account = client.session.as_ref().map_or(0, |s| s.account_id);
        let body = bulk::export_body(&target);
        busy.set(Some((count, true)));
        spawn_local(async move {
            let answer = bulk::export(&client, &body).await;
            busy.try_set(None);
            let today = chrono::Local::now().format("%Y-%m-%d").to_string();
            let name = bulk::export_file_name(account, &today);
            let outcome = answer
                .map_err(|e| t().describe_error(&e))
                .and_then(|csv| bulk::save_csv(&name, &csv));
            if let Some(toasts) = toasts {
                match outcome {
                    Ok(()) => {
                        toasts.show((strings.exported)(&name), None);
                    }
                    Err(why) => {
                        toasts.error((strings.export_failed)(&why));
                    }
                }
            }
        });
    };
    view! {
        <button
            type="button"
            class="button button--small"
            data-testid="bulk-export"
            aria-disabled=move || busy.get().is_some().then_some("true")
            on:click=export
        >
            {label}
        </button>
    }
}
