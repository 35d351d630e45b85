use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use super::messages::{ask_for_app_context, listen_for_app_context};
use super::{EmbedNotice, EmbedSession};
use crate::api::{dashboard_config, ApiClient};
use crate::i18n::t;
use crate::logic::embed_config::{ConfigProblem, EmbedConfig, PartialConfig, TOKEN_PARAM};
use crate::state::use_api;

/// `/dashboard-app`: the app as a Dashboard App in the NovaTalks dashboard's conversation
/// panel. No sign-in: the API address, account and token come from the URL's query or
/// from `novatalks-config.json`; the contact comes from the dashboard's `appContext`
/// messages, asked for on start.
#[component]
pub fn DashboardAppPage() -> impl IntoView {
    let strings = t().embed;
    let location = use_location();
    let query = location.query.get_untracked();
    let from_query = PartialConfig::read(|key| query.get(key));

    // The token is read once; it leaves the address so that it is neither kept in the
    // history nor copied with the URL.
    if query.get_str(TOKEN_PARAM).is_some() {
        let mut rest = query.clone();
        rest.remove(TOKEN_PARAM);
        let url = format!(
            "{}{}{}",
            location.pathname.get_untracked(),
            rest.to_query_string(),
            location.hash.get_untracked()
        );
        let navigate = use_navigate();
        Effect::new(move |_| {
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        });
    }

    // Listening starts before the configuration is read, so that no context is missed.
    let context = RwSignal::new(None);
    listen_for_app_context(move |posted| context.set(Some(posted)));
    ask_for_app_context();

    // The file is read from the app's own origin, without anyone's token.
    let own_origin = use_api().client().with_session(None);
    let config = LocalResource::new(move || {
        let from_query = from_query.clone();
        let client = own_origin.clone();
        async move { load_config(from_query, client).await }
    });
    let page = move || {
        Suspend::new(async move {
            match config.await {
                Ok(config) => view! { <EmbedSession config context /> }.into_any(),
                Err(problem) => view! {
                    <EmbedNotice
                        title=strings.not_configured_title
                        message=strings.config_problem(&problem)
                        hint=strings.how_to_configure
                        problem=true
                        testid="embed-not-configured"
                    />
                }
                .into_any(),
            }
        })
    };
    let reading = move || {
        view! { <EmbedNotice message=strings.reading_config testid="embed-reading-config" /> }
    };
    view! {
        <main class="embed" aria-label=strings.region data-testid="dashboard-app">
            <Suspense fallback=reading>{page}</Suspense>
        </main>
    }
}

/// The query's values, completed from the config file when they are not enough alone.
async fn load_config(
    from_query: PartialConfig,
    client: ApiClient,
) -> Result<EmbedConfig, ConfigProblem> {
    if from_query.is_complete() {
        return from_query.resolve();
    }
    let file = dashboard_config::get(&client)
        .await
        .map_err(|e| ConfigProblem::Unreadable(t().describe_error(&e)))?;
    let from_file = file.map_or_else(PartialConfig::default, PartialConfig::from);
    from_query.or(from_file).resolve()
}
