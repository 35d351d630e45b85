use leptos::prelude::*;

use super::RowLabels;
use crate::api::{labels, ApiError};
use crate::i18n::t;
use crate::logic::label_colour::LabelColours;
use crate::state::{use_api, AccountLabels};

/// A row's labels on a stock Chatwoot server, whose contact JSON has none: read with
/// `GET /contacts/{id}/labels` once the row is in view, and kept with the
/// [`AccountLabels`] of the session, when there are some (a row scrolled away and back,
/// or a card that changed them, asks nothing again).
#[component]
pub fn FetchedLabels(
    contact_id: i64,
    /// Colours of the account's labels; they may arrive after the contacts.
    #[prop(into)]
    label_colours: Signal<LabelColours>,
) -> impl IntoView {
    let strings = t();
    let api = use_api();
    let shared = use_context::<AccountLabels>();
    let fetched = LocalResource::new(move || {
        let known = shared.and_then(|shared| shared.of_contact(contact_id));
        let client = api.client();
        async move {
            if let Some(titles) = known {
                return Ok::<_, ApiError>(titles);
            }
            let titles = labels::of_contact(&client, contact_id).await?;
            if let Some(shared) = shared {
                shared.remember(contact_id, titles.clone());
            }
            Ok(titles)
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
