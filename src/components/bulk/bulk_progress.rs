use leptos::prelude::*;

use crate::i18n::t;

/// While a bulk action runs: an indeterminate bar and how many contacts it works on. The
/// page stays usable meanwhile.
#[component]
pub fn BulkProgress(
    /// How many contacts the running action names.
    count: u64,
    /// What runs, when it says more than the count ("Exporting…").
    what: Option<&'static str>,
) -> impl IntoView {
    let strings = t().bulk;
    let text = what.map_or_else(|| (strings.working)(count), str::to_owned);
    view! {
        <div class="bulk-progress" role="status" data-testid="bulk-progress">
            <progress class="bulk-progress__bar" aria-label=text.clone()></progress>
            <span class="bulk-progress__text">{text.clone()}</span>
        </div>
    }
}
