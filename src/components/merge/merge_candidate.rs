use leptos::prelude::*;
use novatalks_model::merge::DuplicateReason;
use novatalks_model::Contact;

use super::{labelled, reason_text};
use crate::components::common::Avatar;
use crate::i18n::t;

/// One contact to merge with, as a button: who (name, id, email, phone) and, for a likely
/// duplicate, why it is proposed.
#[component]
pub fn MergeCandidate(
    candidate: Contact,
    #[prop(optional)] reason: Option<DuplicateReason>,
    on_pick: Callback<Contact>,
) -> impl IntoView {
    let strings = t();
    let id = candidate.id;
    let name = candidate.display_name();
    let label = labelled(strings, &candidate);
    let details: Vec<String> = [&candidate.email, &candidate.phone_number]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect();
    let reason = reason.map(|r| reason_text(strings, r));
    view! {
        <li class="merge-candidate">
            <button
                type="button"
                class="merge-candidate__button"
                data-testid="merge-candidate"
                data-contact-id=id
                on:click=move |_| on_pick.run(candidate.clone())
            >
                <Avatar id name />
                <span class="merge-candidate__who">
                    <span class="merge-candidate__name">{label}</span>
                    <span class="merge-candidate__details">{details.join(" · ")}</span>
                </span>
                {reason.map(|reason| view! {
                    <span class="merge-candidate__reason" data-testid="merge-reason">{reason}</span>
                })}
            </button>
        </li>
    }
}
