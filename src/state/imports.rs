use std::sync::Arc;

use leptos::prelude::*;
use novatalks_model::custom_attribute::CustomAttributeDefinition;
use novatalks_model::import::{ImportReport, OnMatch, Preview, Target};

use super::Api;
use crate::api::imports::{self, ImportRequest};
use crate::i18n::t;
use crate::logic::import_plan;

/// The file chosen on the import page, and its beginning as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenFile {
    pub name: String,
    pub bytes: Arc<[u8]>,
    pub preview: Preview,
}

/// Where a request of the page is.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Step {
    #[default]
    NotSent,
    /// Sent, not answered yet: for a run, how many rows the file has.
    Sending {
        rows: u64,
    },
    Answered(ImportReport),
    /// Why it failed, in words.
    Failed(String),
}

/// The import page's state, kept by the app rather than the page: an agent who leaves the
/// page while a file is checked or imported finds it where it was on coming back. App
/// provides it; [`use_imports`] makes one where it did not (a page mounted alone).
#[derive(Clone, Copy)]
pub struct Imports {
    pub file: RwSignal<Option<ChosenFile>>,
    /// What each column of the file fills.
    pub targets: RwSignal<Vec<Target>>,
    pub on_match: RwSignal<OnMatch>,
    /// The dry run of the file with these targets and this choice.
    pub check: RwSignal<Step>,
    /// The import itself.
    pub run: RwSignal<Step>,
    /// Bumped when an import ran or was undone: the list of earlier imports reloads.
    pub changes: RwSignal<u64>,
}

impl Default for Imports {
    fn default() -> Self {
        Self::new()
    }
}

impl Imports {
    pub fn new() -> Self {
        Imports {
            file: RwSignal::new(None),
            targets: RwSignal::new(Vec::new()),
            on_match: RwSignal::new(OnMatch::Update),
            check: RwSignal::new(Step::NotSent),
            run: RwSignal::new(Step::NotSent),
            changes: RwSignal::new(0),
        }
    }

    /// A file was chosen and read: its columns get their proposed targets.
    pub fn choose(&self, file: ChosenFile, definitions: &[CustomAttributeDefinition]) {
        self.targets
            .set(import_plan::proposed_targets(&file.preview, definitions));
        self.file.set(Some(file));
        self.check.set(Step::NotSent);
        self.run.set(Step::NotSent);
    }

    /// Back to choosing a file.
    pub fn clear(&self) {
        self.file.set(None);
        self.targets.set(Vec::new());
        self.check.set(Step::NotSent);
        self.run.set(Step::NotSent);
    }

    /// Column `index` fills `target` now; an earlier dry run no longer holds.
    pub fn retarget(&self, index: usize, target: Target) {
        self.targets.update(|targets| {
            if let Some(slot) = targets.get_mut(index) {
                *slot = target;
            }
        });
        self.check.set(Step::NotSent);
    }

    pub fn set_on_match(&self, on_match: OnMatch) {
        self.on_match.set(on_match);
        self.check.set(Step::NotSent);
    }

    fn request(&self, dry_run: bool) -> Option<ImportRequest> {
        let file = self.file.get_untracked()?;
        Some(ImportRequest {
            file_name: file.name,
            bytes: file.bytes,
            mapping: import_plan::mapping(&self.targets.get_untracked()),
            on_match: self.on_match.get_untracked(),
            dry_run,
        })
    }

    /// Sends the dry run.
    pub fn send_check(&self, api: Api) {
        let Some(request) = self.request(true) else {
            return;
        };
        let check = self.check;
        check.set(Step::Sending { rows: 0 });
        let client = api.client();
        leptos::task::spawn_local(async move {
            let step = match imports::send(&client, &request).await {
                Ok(report) => Step::Answered(report),
                Err(e) => Step::Failed((t().import.check_failed)(&t().describe_error(&e))),
            };
            // Unless the agent changed the mapping meanwhile (which reset it).
            check.try_update(|now| {
                if matches!(now, Step::Sending { .. }) {
                    *now = step;
                }
            });
        });
    }

    /// Runs the import that the dry run described.
    pub fn send_run(&self, api: Api) {
        let Some(request) = self.request(false) else {
            return;
        };
        let rows = match self.check.get_untracked() {
            Step::Answered(report) => report.rows,
            _ => 0,
        };
        let (run, changes) = (self.run, self.changes);
        run.set(Step::Sending { rows });
        let client = api.client();
        leptos::task::spawn_local(async move {
            let step = match imports::send(&client, &request).await {
                Ok(report) => Step::Answered(report),
                Err(e) => Step::Failed((t().import.failed)(&t().describe_error(&e))),
            };
            run.try_set(step);
            changes.try_update(|n| *n += 1);
        });
    }
}

pub fn use_imports() -> Imports {
    use_context::<Imports>().unwrap_or_else(|| {
        let imports = Imports::new();
        provide_context(imports);
        imports
    })
}
