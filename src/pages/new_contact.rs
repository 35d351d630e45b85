use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use novatalks_model::Contact;

use crate::components::card::{BackLink, NewContactForm};
use crate::components::AppHeader;
use crate::i18n::t;
use crate::state::use_trail;

/// `/contacts/new`: the create-contact form. The new contact's card takes the form's
/// place in the history, so Back from the card goes where the form was opened from.
#[component]
pub fn NewContactPage() -> impl IntoView {
    let strings = &t().card;
    let navigate = use_navigate();
    let trail = use_trail();
    let on_created = Callback::new(move |contact: Contact| {
        if let Some(trail) = trail {
            trail.expect_replace();
        }
        navigate(
            &format!("/contacts/{}", contact.id),
            NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            },
        );
    });
    view! {
        <div class="page">
            <AppHeader />
            <main class="card-page">
                <BackLink />
                <section class="card card--form" aria-labelledby="new-contact-heading">
                    <h1 class="card-title" id="new-contact-heading">{strings.new_contact_heading}</h1>
                    <NewContactForm on_created />
                </section>
            </main>
        </div>
    }
}
