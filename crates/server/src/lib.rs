//! The NovaTalks Contacts API server: Chatwoot's Application API for contacts, extended,
//! on an embedded SQLite database, serving the SPA from the same origin.
//!
//! [`app`] builds the router (tests drive it with `tower::ServiceExt::oneshot`);
//! [`start`] binds a listener and runs it in the background (the binary and the e2e
//! suite use it).

pub mod auth;
pub mod body;
pub mod budget;
pub mod compat;
pub mod config;
pub mod contacts;
pub mod conversations;
pub mod custom_attributes;
pub mod custom_filters;
pub mod db;
pub mod error;
pub mod extract;
pub mod fold;
pub mod inboxes;
pub mod json_errors;
pub mod labels;
pub mod merge;
pub mod notes;
pub mod openapi;
pub mod public_api;
pub mod random;
pub mod rate_limit;
pub mod seed;
pub mod serve;
mod spa;
pub mod throttle;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::Router;
use sqlx::SqlitePool;
use tokio::sync::oneshot;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use config::ServerConfig;
pub use error::AppError;

/// Request bodies above this are refused with a JSON 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub config: Arc<ServerConfig>,
    /// Sign-in's throttle and counters (per server, so each test app has its own).
    pub auth: Arc<auth::AuthState>,
}

impl AppState {
    pub fn new(db: SqlitePool, config: Arc<ServerConfig>) -> Self {
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
        .merge(merge::router());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(auth::router())
        .nest("/api/v1/accounts/{account_id}", account)
        .merge(public_api::router())
}

/// The whole HTTP surface: the API under `/api/v1`, `/auth` and `/public`, and the SPA
/// for the rest.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api_router().split_for_parts();
    let doc = Arc::new(doc);
    api.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || {
            let doc = Arc::clone(&doc);
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    )
    .route("/api/{*rest}", axum::routing::any(error::api_not_found))
    .fallback_service(spa::service(&state.config.dist_dir))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        compat::stock_chatwoot,
    ))
    .layer(cors(&state.config.dashboard_origins))
    .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
    .layer(axum::middleware::from_fn(json_errors::json_errors))
    .layer(TraceLayer::new_for_http())
    .with_state(state)
}

/// Cross-origin calls are allowed from the configured dashboard origins only (the app
/// embedded in a NovaTalks dashboard on another origin); without any, no CORS headers.
fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("api_access_token"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// A server running in the background; dropped or [`RunningServer::stop`]ped, it shuts down.
pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests, and waits for the server to end.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await.unwrap_or(Ok(()))
    }

    /// Runs until the server ends by itself or the future completes, then stops it.
    pub async fn run_until(
        self,
        signal: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        signal.await;
        self.stop().await
    }
}

/// Opens (creating and migrating) the database in `config.data_dir`, seeds the demo data
/// on first start, binds `config.host:config.port` (port 0 picks a free one) and serves.
pub async fn start(config: ServerConfig) -> Result<RunningServer, AppError> {
    let db = db::open(&config.data_dir).await?;
    if seed::is_empty(&db).await? {
        seed::demo(&db).await?;
        tracing::info!("seeded the demo accounts");
    }
    if let Some(n) = config.synthetic_contacts {
        let report = seed::synthetic(&db, n).await?;
        tracing::info!("{report}");
    }
    let listener = tokio::net::TcpListener::bind((config.host, config.port))
        .await
        .map_err(|e| {
            AppError::internal(format!(
                "cannot listen on {}:{}: {e}",
                config.host, config.port
            ))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| AppError::internal(e.to_string()))?;
    let state = AppState::new(db, Arc::new(config));
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve::serve(listener, app(state), async {
        let _ = rx.await;
    }));
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        task,
    })
}
