use leptos::prelude::*;

use crate::api::contact::{self, Lookup};
use crate::i18n::t;
use crate::state::{is_embedded, use_api};

/// "Already used by Olena Kovalenko (#123)": the contact that already has a unique value
/// (email, phone number, identifier), with a link that opens it. Its name is fetched; until
/// it arrives (or if it cannot be) the contact is named by its id. In the Dashboard App the
/// link opens a new tab: the panel stays on the dashboard's contact.
#[component]
pub fn ConflictNotice(contact_id: i64) -> impl IntoView {
    let strings = &t().card;
    let api = use_api();
    let other = LocalResource::new(move || {
        let client = api.client();
        async move { contact::get(&client, contact_id).await }
    });
    let link_text = move || match other.get() {
        Some(Ok(Lookup::Found(found))) => {
            (strings.conflict_named)(&found.display_name(), contact_id)
        }
        _ => (strings.conflict_contact)(contact_id),
    };
    let embedded = is_embedded();
    view! {
        <p class="conflict-notice" data-testid="conflict-notice">
            {strings.conflict_prefix}
            " "
            <a
                href=format!("/contacts/{contact_id}")
                target=embedded.then_some("_blank")
                rel=embedded.then_some("noopener")
                data-testid="conflict-link"
            >
                {link_text}
            </a>
        </p>
    }
}
