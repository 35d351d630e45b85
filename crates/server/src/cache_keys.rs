//! `GET /cache_keys`: Chatwoot's account cache keys. Its dashboard keeps the account's
//! labels, inboxes and teams in the browser and reads them again only when their key has
//! changed since, so a key that did not move with a change would leave a stale list.
//!
//! Each key is a text, as in Chatwoot: for labels and inboxes the Unix milliseconds of the
//! latest create, change or delete of one of the account's rows (kept by the triggers of
//! migrations sqlite/0019 and postgres/0008, so every writer moves it, and never twice the
//! same value); Chatwoot's `"0000000000"` while nothing has changed yet. This server has
//! no teams: their key stays `"0000000000"`.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::{AppError, AppState};

/// Chatwoot's key of a list that never changed (the zero epoch).
pub const UNCHANGED: &str = "0000000000";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(cache_keys))
}

/// The keys, each a text that changes whenever its list does.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CacheKeys {
    pub label: String,
    pub inbox: String,
    /// Always `"0000000000"`: this server keeps no teams.
    pub team: String,
}

/// `{"cache_keys": {"label", "inbox", "team"}}`
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CacheKeysAnswer {
    pub cache_keys: CacheKeys,
}

/// The account's cache keys: `label` and `inbox` change whenever one of the account's
/// labels or inboxes is created, changed or deleted.
#[utoipa::path(get, path = "/cache_keys", tag = "accounts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    responses((status = 200, body = CacheKeysAnswer), (status = 401), (status = 404)))]
async fn cache_keys(State(state): State<AppState>, scope: Scope) -> Result<Response, AppError> {
    let rows: Vec<(String, i64)> =
        crate::db::query_as("SELECT kind, value FROM account_cache_keys WHERE account_id = ?")
            .bind(scope.account_id)
            .fetch_all(&state.db)
            .await?;
    let key = |kind: &str| {
        rows.iter()
            .find(|(k, _)| k == kind)
            .map_or_else(|| UNCHANGED.to_owned(), |(_, v)| v.to_string())
    };
    let answer = CacheKeysAnswer {
        cache_keys: CacheKeys {
            label: key("label"),
            inbox: key("inbox"),
            team: UNCHANGED.to_owned(),
        },
    };
    let mut response = Json(answer).into_response();
    // Chatwoot lets browsers keep the answer ten seconds; here it is one indexed read, so
    // a change is seen at once.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}
