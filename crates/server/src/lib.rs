//! The NovaTalks Contacts API server: Chatwoot's Application API for contacts, extended,
//! on an embedded SQLite database, serving the SPA from the same origin.
//!
//! [`app`] builds the router (tests drive it with `tower::ServiceExt::oneshot`);
//! [`start`] binds a listener and runs it in the background (the binary and the e2e
//! suite use it).
//!
//! Where things are:
//! - [`http`]: the plumbing every route shares and no route owns: the error type and its
//!   JSON answers, extractors, strict JSON bodies, JSON errors for what no handler
//!   answers, SPA serving, the OpenAPI frame, stock-Chatwoot mode, CORS, the serve loop.
//! - The resources, each a module with its `router()`: [`auth`] (sign-in, sessions,
//!   tokens, the account scope), [`contacts`], [`labels`], [`notes`], [`conversations`],
//!   [`inboxes`], [`merge`], [`bulk`] (bulk actions and their undo), [`import`]
//!   (contacts from CSV files, and their undo),
//!   [`custom_attributes`], [`custom_filters`], [`cache_keys`] (Chatwoot's account cache
//!   keys), and the channels' [`public_api`].
//! - Underneath them: [`db`] (pool, migrations, write transactions), [`budget`] (the time
//!   budget of heavy reads), [`fold`] (the `fold()` SQL function), [`rate_limit`],
//!   [`random`], [`config`], and [`seed`] (demo, test and benchmark data).

pub mod auth;
pub mod budget;
pub mod bulk;
pub mod cache_keys;
pub mod config;
pub mod contacts;
pub mod conversations;
pub mod custom_attributes;
pub mod custom_filters;
pub mod db;
pub mod fold;
pub mod http;
pub mod import;
pub mod inboxes;
pub mod labels;
pub mod merge;
pub mod notes;
pub mod public_api;
pub mod random;
pub mod rate_limit;
pub mod seed;

use std::sync::Arc;

use axum::Router;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use config::ServerConfig;
pub use http::error::AppError;
pub use http::serve::{start, RunningServer};

/// Request bodies above this are refused with a JSON 413 (every route but the import).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The contacts import's multipart body: its file of up to
/// [`novatalks_model::import::MAX_IMPORT_BYTES`] and the other fields.
pub const MAX_IMPORT_BODY_BYTES: usize = novatalks_model::import::MAX_IMPORT_BYTES + 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub config: Arc<ServerConfig>,
    /// Sign-in's throttle and counters (per server, so each test app has its own).
    pub auth: Arc<auth::AuthState>,
}

impl AppState {
    pub fn new(db: db::Db, config: Arc<ServerConfig>) -> Self {
        AppState {
            db,
            config,
            auth: Arc::default(),
        }
    }
}

/// Every API route with its OpenAPI description: routes and document come from the same
/// `#[utoipa::path]` annotations, so they cannot drift apart.
pub fn api_router() -> OpenApiRouter<AppState> {
    let account = OpenApiRouter::new()
        .merge(contacts::router())
        .merge(labels::router())
        .merge(notes::router())
        .merge(conversations::router())
        .merge(custom_attributes::router())
        .merge(custom_filters::router())
        .merge(inboxes::router())
        .merge(merge::router())
        .merge(bulk::router())
        .merge(import::router())
        .merge(cache_keys::router());
    OpenApiRouter::with_openapi(http::openapi::ApiDoc::openapi())
        .merge(auth::router())
        .nest("/api/v1/accounts/{account_id}", account)
        .merge(public_api::router())
}

/// The whole HTTP surface: the API under `/api/v1`, `/auth` and `/public`, and the SPA
/// for the rest.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api_router().split_for_parts();
    let doc = Arc::new(http::openapi::finish(doc));
    api.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || {
            let doc = Arc::clone(&doc);
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    )
    .route(
        "/api/{*rest}",
        axum::routing::any(http::error::api_not_found),
    )
    // The rest of the API's prefixes: a JSON 404 for what is not served, never the
    // SPA's page.
    .route(
        "/public/{*rest}",
        axum::routing::any(http::error::api_not_found),
    )
    .route(
        "/auth/{*rest}",
        axum::routing::any(http::error::api_not_found),
    )
    .fallback_service(http::spa::service(&state.config.dist_dir))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        http::compat::stock_chatwoot,
    ))
    .layer(http::cors::layer(&state.config.dashboard_origins))
    .layer(axum::middleware::from_fn(http::body_limit::limit))
    .layer(axum::middleware::from_fn(http::json_errors::json_errors))
    .layer(TraceLayer::new_for_http())
    .with_state(state)
}
