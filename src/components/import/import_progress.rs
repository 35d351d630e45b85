use leptos::prelude::*;

use crate::i18n::t;

/// While the import runs. The server applies the whole file in one transaction and says
/// nothing until it is done, so the bar moves without claiming a share it cannot know.
#[component]
pub fn ImportProgress(rows: u64, file_name: String) -> impl IntoView {
    let strings = t().import;
    view! {
        <div class="import-progress" role="status" data-testid="import-progress">
            <p class="import-progress__what">{(strings.running)(rows, &file_name)}</p>
            <progress class="import-progress__bar" aria-label=(strings.running)(rows, &file_name)></progress>
            <p class="import-progress__note">{strings.running_note}</p>
        </div>
    }
}
