use leptos::prelude::*;

use super::{AppContext, EmbedConfig, EmbedNotice, EmbeddedCard};
use crate::api::ApiClient;
use crate::i18n::t;
use crate::state::{use_api, Api, Session, SessionContext};

/// The embedded app once configured: a session of the configured token (in memory only),
/// an API client for the configured server, and the card of the contact the dashboard
/// names. Until the dashboard has named one, it says it is waiting; a refused token is
/// said so, since there is no sign-in page here to go to.
#[component]
pub fn EmbedSession(
    config: EmbedConfig,
    /// The dashboard's latest context.
    #[prop(into)]
    context: Signal<Option<AppContext>>,
) -> impl IntoView {
    let strings = t().embed;
    // The transport of the app's own client (the browser's fetch, or a test's fake).
    let transport = use_api().client().transport;
    let session = SessionContext::in_memory(Some(Session {
        token: config.token,
        account_id: config.account_id,
        user_name: String::new(),
        user_id: None,
    }));
    provide_context(session);
    provide_context(Api::new(
        ApiClient::new(config.api_base, transport),
        session,
    ));

    // The agent at the dashboard is the one writing notes here.
    Effect::new(move |_| {
        let Some(agent) = context.with(|c| c.as_ref().and_then(|c| c.agent.clone())) else {
            return;
        };
        if let Some(current) = session.get_untracked() {
            if current.user_id != Some(agent.id) || current.user_name != agent.name {
                session.sign_in(Session {
                    user_id: Some(agent.id),
                    user_name: agent.name,
                    ..current
                });
            }
        }
    });

    let contact_id = Memo::new(move |_| context.with(|c| c.as_ref().map(|c| c.contact_id)));
    let refused = move || {
        view! {
            <EmbedNotice
                title=strings.token_refused_title
                message=strings.token_refused
                problem=true
                testid="embed-token-refused"
            />
        }
    };
    let waiting = move || {
        view! { <EmbedNotice message=strings.waiting_for_context testid="embed-waiting" /> }
    };
    view! {
        <Show when=move || session.is_signed_in() fallback=refused>
            <Show when=move || contact_id.with(Option::is_some) fallback=waiting>
                <EmbeddedCard contact_id=Signal::derive(move || {
                    contact_id.get().unwrap_or_default()
                }) />
            </Show>
        </Show>
    }
}
