use leptos::prelude::*;

use super::{EmbedNotice, EmbeddedCard};
use crate::api::ApiClient;
use crate::i18n::t;
use crate::logic::app_context::Posted;
use crate::logic::embed_config::EmbedConfig;
use crate::state::{use_api, Api, Embedded, Session, SessionContext};

/// The embedded app once configured: a session of the configured token (in memory only),
/// an API client for the configured server, and the card of the contact the dashboard
/// names. Until the dashboard has named one, it says it is waiting; a refused token is
/// said so, since there is no sign-in page here to go to. With dashboard origins
/// configured, a context posted by a page of another origin shows nothing of the
/// account: it says which origin was refused.
#[component]
pub fn EmbedSession(
    config: EmbedConfig,
    /// The dashboard's latest context, and where it came from.
    #[prop(into)]
    context: Signal<Option<Posted>>,
) -> impl IntoView {
    let strings = t().embed;
    // The framing page's origin when it is not the configured dashboard's.
    let refused_origin = {
        let config = config.clone();
        Memo::new(move |_| {
            context.with(|posted| {
                posted
                    .as_ref()
                    .filter(|posted| !config.accepts_origin(&posted.origin))
                    .map(|posted| posted.origin.clone())
            })
        })
    };
    let allowed_origins = StoredValue::new(config.dashboard_origins.clone());
    let context = Memo::new(move |_| match refused_origin.get() {
        Some(_) => None,
        None => context.with(|posted| posted.as_ref().map(|posted| posted.context.clone())),
    });
    // The transport of the app's own client (the browser's fetch, or a test's fake),
    // without the app session's guard: a token refused here ends this session only.
    let transport = use_api().transport();
    // No sign-in page here: a refused token ends the session, and that is said.
    let session = SessionContext::in_memory_final(Some(Session {
        token: config.token,
        account_id: config.account_id,
        user_name: String::new(),
        user_id: None,
        email: None,
    }));
    provide_context(session);
    provide_context(Embedded);
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
    let origin_refused = move || {
        let message = refused_origin.get().map(|origin| {
            allowed_origins.with_value(|allowed| (strings.origin_refused)(&origin, allowed))
        });
        view! {
            <EmbedNotice
                title=strings.origin_refused_title
                message=message.unwrap_or_default()
                problem=true
                testid="embed-origin-refused"
            />
        }
    };
    let waiting = move || {
        view! { <EmbedNotice message=strings.waiting_for_context testid="embed-waiting" /> }
    };
    view! {
        <Show when=move || session.is_signed_in() fallback=refused>
            <Show when=move || refused_origin.with(Option::is_none) fallback=origin_refused>
                <Show when=move || contact_id.with(Option::is_some) fallback=waiting>
                    <EmbeddedCard contact_id=Signal::derive(move || {
                        contact_id.get().unwrap_or_default()
                    }) />
                </Show>
            </Show>
        </Show>
    }
}
