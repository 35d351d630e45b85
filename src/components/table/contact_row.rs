use leptos::prelude::*;
use novatalks_model::Contact;

use super::{Avatar, BlockState, LabelChip, LabelColours, StatusBadge, TimeStamp};
use crate::i18n::t;

/// One contact in the table. Every value is rendered as text, never as markup.
#[component]
pub fn ContactRow(
    contact: Contact,
    /// Colours of the account's labels; they may arrive after the contacts.
    #[prop(into)]
    label_colours: Signal<LabelColours>,
    /// Unix seconds the ages are counted to.
    now: i64,
) -> impl IntoView {
    let strings = t();
    let or_dash = |value: Option<String>| {
        value
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| strings.missing_value.to_owned())
    };
    let name = contact.display_name();
    let state = BlockState::of(&contact, now);
    let labels = contact.labels;
    let chips = move || {
        label_colours.with(|colours| {
            labels
                .iter()
                .map(|title| view! { <LabelChip title=title.clone() colour=colours.of(title) /> })
                .collect_view()
        })
    };
    let conversations = contact.conversations_count.map(|n| strings.group_digits(n));

    view! {
        <tr class="contact-row" data-testid="contact-row" data-contact-id=contact.id>
            <th scope="row" class="cell cell--name">
                <span class="contact-identity">
                    <Avatar id=contact.id name=name.clone() />
                    <span class="contact-name">{name}</span>
                </span>
            </th>
            <td class="cell cell--email">{or_dash(contact.email)}</td>
            <td class="cell cell--phone">{or_dash(contact.phone_number)}</td>
            <td class="cell cell--labels">
                <ul class="chips">{chips}</ul>
            </td>
            <td class="cell cell--activity">
                <TimeStamp at=contact.last_activity_at relative_to=now />
            </td>
            <td class="cell cell--created">
                <TimeStamp at=contact.created_at />
            </td>
            <td class="cell cell--conversations">{or_dash(conversations)}</td>
            <td class="cell cell--status">
                <StatusBadge state reason=contact.block_reason />
            </td>
        </tr>
    }
}
