use leptos::prelude::*;

use crate::i18n::t;

/// Against a stock Chatwoot: the bar says what it does not offer there, and why.
#[component]
pub fn BulkStockNote() -> impl IntoView {
    view! { <p class="bulk-note" data-testid="bulk-stock-note">{t().bulk.stock_note}</p> }
}
