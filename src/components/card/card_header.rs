use leptos::prelude::*;
use novatalks_model::Contact;

use super::{BlockControl, DeleteContact, InlineField};
use crate::components::common::Avatar;
use crate::components::merge::MergeButton;
use crate::components::new_conversation::NewConversationButton;
use crate::logic::contact_edit::ContactField;
use crate::state::use_card_store;

/// The top of the card: who (avatar, name editable in place), whether blocked, and delete.
#[component]
pub fn CardHeader(
    on_deleted: Callback<()>,
    /// A merge left this contact (its id) as the remaining one.
    on_merged: Callback<i64>,
) -> impl IntoView {
    let store = use_card_store();
    let id = store.id();
    let avatar = move || {
        let name = store.contact().with(Contact::display_name);
        view! { <Avatar id name /> }
    };
    view! {
        <header class="card-header">
            <span class="card-header__avatar">{avatar}</span>
            <div class="card-header__name">
                <InlineField field=ContactField::Name heading=true />
            </div>
            <div class="card-header__actions">
                <BlockControl />
                <NewConversationButton />
                <MergeButton on_merged />
                <DeleteContact on_deleted />
            </div>
        </header>
    }
}
