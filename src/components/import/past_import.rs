use leptos::prelude::*;
use novatalks_model::import::ImportSummary;

use super::{RefusedDownload, UndoImport};
use crate::i18n::{format_epoch, t};
use crate::state::Imports;

/// One earlier import: when, which file, by whom, what it did, and its undo while it lasts.
#[component]
pub fn PastImport(summary: ImportSummary, imports: Imports) -> impl IntoView {
    let strings = t().import;
    let when = |epoch: i64| format_epoch(epoch, t().date_time_format).unwrap_or_default();
    let file = summary
        .file_name
        .clone()
        .unwrap_or_else(|| strings.unnamed_file.to_owned());
    let by = summary.user.name.as_deref().map(strings.past_by);
    let counts = [
        (strings.created)(summary.created),
        (strings.updated)(summary.updated),
        (strings.skipped)(summary.skipped),
        (strings.refused)(summary.failed),
    ]
    .join(", ");
    let state = match summary.undone_at {
        Some(at) => Some((strings.past_undone)(&when(at))),
        None if !summary.can_undo => Some(strings.past_expired.to_owned()),
        None => None,
    };
    let id = summary.id;
    let refused = (summary.failed > 0).then(|| view! { <RefusedDownload id /> });
    let undo = summary.can_undo.then(|| {
        view! { <UndoImport id on_undone=Callback::new(move |()| imports.changes.update(|n| *n += 1)) /> }
    });
    view! {
        <li class="past-import" data-testid="past-import">
            <p class="past-import__what">
                <strong>{file}</strong>
                " · "
                {when(summary.created_at)}
                {by.map(|by| view! { " " {by} })}
            </p>
            <p class="past-import__counts">{counts}</p>
            {state.map(|s| view! { <p class="past-import__state">{s}</p> })}
            <div class="past-import__actions">{refused} {undo}</div>
        </li>
    }
}
