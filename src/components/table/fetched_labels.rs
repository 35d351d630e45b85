use leptos::prelude::*;

use super::RowLabels;
use crate::api::labels;
use crate::i18n::t;
use crate::logic::label_colour::LabelColours;
use crate::state::{use_api, use_server_capabilities};

/// A row's labels on a stock Chatwoot server, whose contact JSON has none: read with
/// `GET /contacts/{id}/labels` once the row is in view, and kept for the session (a row
/// scrolled away and back, or a card that changed them, asks nothing again).
#[component]
pub fn FetchedLabels(
    contact_id: i64,
    /// Colours of the account's labels; they may arrive after the contacts.
    #[prop(into)]
    label_colours: Signal<LabelColours>,
) -> impl IntoView {
    let strings = t();
    let api = use_api();
    let capabilities = use_server_capabilities();
    let fetched = LocalResource::new(move || {
        let cached = capabilities.cached_labels(contact_id);
        let client = api.client();
        async move {
            match cached {
                Some(titles) => Ok(titles),
                None => labels::of_contact(&client, contact_id).await,
            }
        }
    });
    move || match fetched.get() {
        None => view! {
            <ul class="chips" aria-busy="true" data-testid="labels-loading">
                <li class="visually-hidden">{strings.stock.labels_loading}</li>
            </ul>
        }
        .into_any(),
        Some(Ok(titles)) => view! { <RowLabels titles label_colours /> }.into_any(),
        Some(Err(_)) => view! {
            <span
                class="muted"
                title=strings.stock.labels_unavailable
                aria-label=strings.stock.labels_unavailable
                data-testid="labels-unavailable"
            >
                {strings.missing_value}
            </span>
        }
        .into_any(),
    }
}
