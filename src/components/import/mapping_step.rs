use leptos::prelude::*;
use novatalks_model::custom_attribute::CustomAttributeDefinition;

use super::{ImportReportView, MappingTable, MatchChoice};
use crate::i18n::t;
use crate::logic::import_plan;
use crate::state::{use_api, ChosenFile, Imports, Step};

/// The chosen file's columns, the choice for matching contacts, the dry run and the
/// button that runs the import it described.
#[component]
pub fn MappingStep(
    file: ChosenFile,
    imports: Imports,
    definitions: Signal<Vec<CustomAttributeDefinition>>,
) -> impl IntoView {
    let strings = t().import;
    let api = use_api();
    let headers = file.preview.headers.clone();
    let mapping_problem = Memo::new(move |_| {
        imports
            .targets
            .with(|targets| import_plan::mapping_problem(&headers, targets))
    });
    let check = move |_| {
        if mapping_problem.get_untracked().is_none()
            && !matches!(imports.check.get_untracked(), Step::Sending { .. })
        {
            imports.send_check(api);
        }
    };
    let run = move |_| imports.send_run(api);
    view! {
        <p class="import-file" data-testid="import-file-read">
            {(strings.file_read)(&file.name, file.preview.encoding, file.preview.delimiter)}
            " "
            <button type="button" class="button button--quiet button--small" data-testid="import-other-file" on:click=move |_| imports.clear()>
                {strings.other_file}
            </button>
        </p>
        <h2 class="import-step">{strings.mapping_heading}</h2>
        <p class="muted">{strings.mapping_intro}</p>
        <MappingTable imports definitions />
        {move || {
            mapping_problem
                .get()
                .map(|p| view! { <p class="form-error" role="alert" data-testid="import-mapping-problem">{(strings.mapping_problem)(&p)}</p> })
        }}
        <MatchChoice imports />
        {move || match imports.check.get() {
            Step::Answered(report) => {
                let count = report.created + report.updated;
                let action = if count > 0 {
                    view! {
                        <button type="button" class="button button--primary" data-testid="import-run" on:click=run>
                            {(strings.run)(count)}
                        </button>
                    }
                        .into_any()
                } else {
                    view! { <p class="muted" data-testid="import-nothing">{strings.nothing_to_import}</p> }.into_any()
                };
                view! {
                    <ImportReportView report imports />
                    <div class="import-actions">{action}</div>
                }
                    .into_any()
            }
            step => {
                let sending = matches!(step, Step::Sending { .. });
                let failed = match step {
                    Step::Failed(why) => Some(view! { <p class="form-error" role="alert" data-testid="import-check-failed">{why}</p> }),
                    _ => None,
                };
                view! {
                    {failed}
                    <div class="import-actions">
                        <button
                            type="button"
                            class="button button--primary"
                            data-testid="import-check"
                            aria-disabled=move || (sending || mapping_problem.get().is_some()).then_some("true")
                            on:click=check
                        >
                            {if sending { strings.checking } else { strings.check }}
                        </button>
                    </div>
                }
                    .into_any()
            }
        }}
    }
}
