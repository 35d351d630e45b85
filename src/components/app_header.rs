use leptos::prelude::*;

use crate::api::auth;
use crate::i18n::t;
use crate::state::{use_api, use_server_capabilities, use_session};

/// The bar on top of signed-in pages: the app (a link to the list), "New contact",
/// "Import" (a NovaTalks server's: a stock Chatwoot has no dry run, mapping or undo), who
/// is signed in, and the way out.
#[component]
pub fn AppHeader() -> impl IntoView {
    let strings = t();
    let session = use_session();
    let api = use_api();
    // The server revokes the session's token, then the app forgets it (whatever the
    // answer: offline, or the session had already ended).
    let sign_out = move |_| {
        let client = api.client();
        leptos::task::spawn_local(async move {
            let _ = auth::sign_out(&client).await;
            session.sign_out();
        });
    };
    let capabilities = use_server_capabilities();
    let agent = move || session.get().map(|s| s.user_name).unwrap_or_default();
    view! {
        <header class="app-header" data-testid="app-header">
            <a class="app-header__brand" href="/contacts">{strings.app_name}</a>
            // A link (the form is a page of its own), dressed as the header's one action.
            <a class="button button--primary button--small app-header__new" href="/contacts/new" data-testid="new-contact-button">
                <span aria-hidden="true">"+ "</span>
                {strings.card.new_contact}
            </a>
            {move || {
                capabilities.has_extensions().then(|| {
                    view! {
                        <a class="button button--small app-header__import" href="/contacts/import" data-testid="import-link">
                            {strings.import.link}
                        </a>
                    }
                })
            }}
            <div class="app-header__account">
                <span class="app-header__agent">
                    <span class="app-header__agent-label">{strings.signed_in_as}</span>
                    " "
                    <span data-testid="signed-in-agent">{agent}</span>
                </span>
                <button
                    type="button"
                    class="button button--quiet"
                    data-testid="sign-out"
                    on:click=sign_out
                >
                    {strings.sign_out}
                </button>
            </div>
        </header>
    }
}
