use leptos::prelude::*;
use novatalks_model::import::ImportReport;

use super::{RefusedDownload, UndoImport};
use crate::i18n::{format_epoch, t};
use crate::state::Imports;

/// What a dry run would do, or what the import did: the counts, the refused rows by line
/// and column and why, the labels and attributes it creates, and for a run its refused
/// rows file and its undo.
#[component]
pub fn ImportReportView(report: ImportReport, imports: Imports) -> impl IntoView {
    let strings = t().import;
    let dry = report.dry_run;
    let counts = if dry {
        vec![
            ("import-created", (strings.would_create)(report.created)),
            ("import-updated", (strings.would_update)(report.updated)),
            ("import-skipped", (strings.would_skip)(report.skipped)),
            ("import-failed", (strings.refused)(report.failed)),
        ]
    } else {
        vec![
            ("import-created", (strings.created)(report.created)),
            ("import-updated", (strings.updated)(report.updated)),
            ("import-skipped", (strings.skipped)(report.skipped)),
            ("import-failed", (strings.refused)(report.failed)),
        ]
    };
    let listed = report.problems.len() as u64;
    let unlisted = report.failed.saturating_sub(listed);
    let problems = report
        .problems
        .iter()
        .map(|p| view! { <li data-testid="import-problem">{p.message.clone()}</li> })
        .collect_view();
    let created_things = [
        (!report.new_labels.is_empty()).then(|| (strings.new_labels)(&report.new_labels)),
        (!report.new_attributes.is_empty())
            .then(|| (strings.new_attributes)(&report.new_attributes)),
    ]
    .into_iter()
    .flatten()
    .map(|line| view! { <p class="import-report__new">{line}</p> })
    .collect_view();
    let undo_until = report
        .undo_until
        .and_then(|until| format_epoch(until, t().date_time_format))
        .map(|when| view! { <p class="import-report__until">{(strings.undo_until)(&when)}</p> });
    let after = report.id.filter(|_| !dry).map(|id| {
        let refused = (report.failed > 0).then(|| view! { <RefusedDownload id /> });
        view! {
            <div class="import-report__actions">
                {refused}
                <UndoImport id on_undone=Callback::new(move |()| imports.changes.update(|n| *n += 1)) />
            </div>
        }
    });
    view! {
        <section class="import-report" data-testid=if dry { "import-checked" } else { "import-done" }>
            <h2 class="import-report__heading">
                {if dry { strings.check_heading } else { strings.done_heading }}
            </h2>
            <p class="import-report__rows">{(strings.rows)(report.rows)}</p>
            <ul class="import-report__counts">
                {counts
                    .into_iter()
                    .map(|(testid, words)| view! { <li data-testid=testid>{words}</li> })
                    .collect_view()}
            </ul>
            {created_things}
            {(listed > 0)
                .then(|| {
                    view! {
                        <h3 class="import-report__problems-heading">{strings.problems_heading}</h3>
                        <ul class="import-report__problems">
                            {problems}
                            {(unlisted > 0).then(|| view! { <li>{(strings.more_problems)(unlisted)}</li> })}
                        </ul>
                    }
                })}
            {undo_until}
            {after}
        </section>
    }
}
