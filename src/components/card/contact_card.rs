use leptos::prelude::*;
use novatalks_model::Contact;

use super::{
    AttributesPanel, CardHeader, ConversationsList, DetailsEditor, LabelPicker, NotesPanel,
    SystemAttributes,
};
use crate::state::{use_api, CardStore};

/// The card of one contact: who it is and its details (editable in place), its block
/// state, its attributes and labels, its conversations in every channel, and notes.
/// Its parts share the contact through a [`CardStore`].
#[component]
pub fn ContactCard(
    contact: Contact,
    /// The contact was deleted.
    on_deleted: Callback<()>,
) -> impl IntoView {
    let id = contact.id;
    let store = CardStore::new(contact, use_api());
    provide_context(store);
    view! {
        <article class="card" data-testid="contact-card" data-contact-id=id>
            <CardHeader on_deleted />
            <div class="card__columns">
                <div class="card__column">
                    <DetailsEditor />
                    <SystemAttributes />
                    <LabelPicker contact_id=id />
                    <AttributesPanel />
                </div>
                <div class="card__column">
                    <ConversationsList contact_id=id />
                    <NotesPanel contact_id=id />
                </div>
            </div>
        </article>
    }
}
