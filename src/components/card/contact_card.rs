use leptos::prelude::*;
use novatalks_model::Contact;

use super::{
    AttributesPanel, CardHeader, ConversationsList, ConversationsRefresh, DetailsEditor,
    LabelPicker, NotesPanel, SystemAttributes,
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
    /// Two contacts were merged: the id of the one that remains.
    #[prop(optional)]
    on_merged: Option<Callback<i64>>,
) -> impl IntoView {
    let on_merged = on_merged.unwrap_or_else(|| Callback::new(|_: i64| {}));
    let id = contact.id;
    let store = CardStore::new(contact, use_api());
    provide_context(store);
    provide_context(ConversationsRefresh::default());
    view! {
        <article class="card" data-testid="contact-card" data-contact-id=id>
            <CardHeader on_deleted on_merged />
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
