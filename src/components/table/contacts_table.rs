use leptos::prelude::*;
use novatalks_model::Contact;

use super::{ContactRow, LabelColours};
use crate::i18n::t;

/// The contacts of one page as a table, one row per contact.
#[component]
pub fn ContactsTable(
    #[prop(into)] contacts: Signal<Vec<Contact>>,
    #[prop(into)] label_colours: Signal<LabelColours>,
    /// Unix seconds the "last activity" ages are counted to.
    now: i64,
) -> impl IntoView {
    let strings = t();
    view! {
        <div class="table-scroll">
            <table class="contacts-table" data-testid="contacts-table">
                <caption class="visually-hidden">{strings.contacts_heading}</caption>
                <thead>
                    <tr>
                        <th scope="col">{strings.column_name}</th>
                        <th scope="col">{strings.column_email}</th>
                        <th scope="col">{strings.column_phone}</th>
                        <th scope="col">{strings.column_labels}</th>
                        <th scope="col">{strings.column_last_activity}</th>
                        <th scope="col">{strings.column_created_at}</th>
                        <th scope="col" class="numeric">{strings.column_conversations}</th>
                        <th scope="col">{strings.column_status}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || contacts.get() key=|contact| contact.id let:contact>
                        <ContactRow contact label_colours now />
                    </For>
                </tbody>
            </table>
        </div>
    }
}
