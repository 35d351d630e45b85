use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::custom_attributes;
use crate::components::card::BackLink;
use crate::components::import::{
    read_bytes, FileDrop, ImportProgress, ImportReportView, MappingStep, PastImports,
};
use crate::components::AppHeader;
use crate::i18n::t;
use crate::logic::import_plan::{self, FileProblem};
use crate::state::{use_api, use_imports, ChosenFile, Step};

fn file_problem_words(problem: FileProblem) -> String {
    let strings = t().import;
    match problem {
        FileProblem::TooLarge => strings.too_large.to_owned(),
        FileProblem::Workbook => strings.workbook.to_owned(),
        FileProblem::NoHeader => strings.no_header.to_owned(),
        FileProblem::Unclosed(line) => (strings.unclosed)(line),
    }
}

/// `/contacts/import`: contacts from a spreadsheet. The file is read here far enough to
/// show its columns and propose what each fills; a dry run on the server says what would
/// be created, updated, skipped and refused; then the import, its refused rows and its
/// undo. The state is the app's ([`Imports`]): leaving the page loses nothing.
#[component]
pub fn ImportContactsPage() -> impl IntoView {
    let strings = t().import;
    let api = use_api();
    let imports = use_imports();
    let fetched = LocalResource::new(move || {
        let client = api.client();
        async move { custom_attributes::definitions(&client).await }
    });
    let definitions =
        Signal::derive(move || fetched.get().and_then(Result::ok).unwrap_or_default());
    let reading = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let on_file = Callback::new(move |file: web_sys::File| {
        reading.set(true);
        problem.set(None);
        let name = file.name();
        spawn_local(async move {
            let read = read_bytes(&file).await;
            reading.try_set(false);
            let outcome = read
                .map_err(|why| (strings.unreadable)(&why))
                .and_then(|bytes| {
                    import_plan::read_file(&bytes)
                        .map(|preview| (bytes, preview))
                        .map_err(file_problem_words)
                });
            match outcome {
                Ok((bytes, preview)) => {
                    let file = ChosenFile {
                        name,
                        bytes: Arc::from(bytes),
                        preview,
                    };
                    imports.choose(file, &definitions.get_untracked());
                }
                Err(why) => {
                    problem.try_set(Some(why));
                }
            }
        });
    });
    let chooser = move || {
        view! {
            <FileDrop on_file />
            {move || reading.get().then(|| view! { <p class="muted" role="status">{strings.reading}</p> })}
            {move || {
                problem
                    .get()
                    .map(|p| view! { <p class="form-error" role="alert" data-testid="import-file-problem">{p}</p> })
            }}
        }
    };
    let body = move || {
        let Some(file) = imports.file.get() else {
            return chooser().into_any();
        };
        match imports.run.get() {
            Step::Sending { rows } => view! { <ImportProgress rows file_name=file.name.clone() /> }.into_any(),
            Step::Answered(report) => {
                view! {
                    <ImportReportView report imports />
                    <div class="import-actions">
                        <button type="button" class="button" data-testid="import-another" on:click=move |_| imports.clear()>
                            {strings.another}
                        </button>
                    </div>
                }
                    .into_any()
            }
            failed => {
                let failed = match failed {
                    Step::Failed(why) => Some(view! { <p class="form-error" role="alert" data-testid="import-run-failed">{why}</p> }),
                    _ => None,
                };
                view! {
                    {failed}
                    <MappingStep file imports definitions />
                }
                    .into_any()
            }
        }
    };
    view! {
        <div class="page">
            <AppHeader />
            <main class="card-page import-page">
                <BackLink />
                <section class="card import-card" aria-labelledby="import-heading">
                    <h1 class="card-title" id="import-heading">{strings.heading}</h1>
                    <p class="import-intro">{strings.intro}</p>
                    {body}
                </section>
                <PastImports imports />
            </main>
        </div>
    }
}
