use leptos::prelude::*;

use super::InlineField;
use crate::components::common::{now_secs, TimeStamp};
use crate::i18n::t;
use crate::logic::contact_edit::ContactField;
use crate::state::use_card_store;

/// The contact's main details, each editable in place (the name is the card's title),
/// and when the contact was created and last active.
#[component]
pub fn DetailsEditor() -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let store = use_card_store();
    let created = move || store.contact().with(|c| c.created_at);
    let last_active = move || store.contact().with(|c| c.last_activity_at);
    view! {
        <section class="card-section" aria-labelledby="card-details-heading">
            <h2 class="card-section__title" id="card-details-heading">{card.details_heading}</h2>
            <InlineField field=ContactField::Email />
            <InlineField field=ContactField::Phone />
            <InlineField field=ContactField::Identifier />
            <dl class="facts">
                <div class="facts__row">
                    <dt>{card.created_at}</dt>
                    <dd data-testid="card-created-at">
                        {move || view! { <TimeStamp at=created() /> }}
                    </dd>
                </div>
                <div class="facts__row">
                    <dt>{card.last_activity}</dt>
                    <dd data-testid="card-last-activity">
                        {move || view! { <TimeStamp at=last_active() relative_to=now_secs() /> }}
                    </dd>
                </div>
            </dl>
        </section>
    }
}
