use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Every failure a request can end in, each answered with Chatwoot's JSON shape.
#[derive(Debug)]
pub enum AppError {
    /// 401 `{"error": ...}`
    Unauthorized(&'static str),
    /// 404 `{"error":"Resource could not be found"}`
    NotFound,
    /// 422 `{"message": "A, B", "attributes": ["a","b"]}`: record validation.
    Invalid {
        message: String,
        attributes: Vec<String>,
    },
    /// 422 like `Invalid`, plus [ext] `conflict_contact_id`: the contact that already has
    /// the email, phone number or identifier that was sent.
    Taken {
        message: String,
        attributes: Vec<String>,
        conflict_contact_id: i64,
    },
    /// 422 `{"error": ...}`: bad filter or search input.
    Unprocessable(String),
    /// 4xx `{"error": ...}` for malformed requests (bad JSON, wrong types, too large).
    BadRequest(StatusCode, String),
    /// 403 `{"error": ...}`
    Forbidden(String),
    /// 503 `{"error": ...}`: the request could not be answered in time (a filter or search
    /// too broad for the query budget, or no turn free within it).
    Unavailable(String),
    /// 500: the details go to the log, never to the client.
    Internal(String),
    /// 429 `{"error": ...}` with `Retry-After`: too many sign-in attempts or public calls;
    /// the client may try again after `retry_after_secs`.
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// 503 `{"error": ...}` with `Retry-After`: the database stayed busy with other
    /// writers past the wait (see [`crate::db::BUSY_TIMEOUT`]); the same request can simply
    /// be sent again.
    Busy(String),
}

impl AppError {
    /// 429 "… try again in N seconds" with `Retry-After: N` (whole seconds, at least one).
    pub fn too_many(prefix: &str, wait: std::time::Duration) -> Self {
        let secs = retry_after_secs(wait);
        let unit = if secs == 1 { "second" } else { "seconds" };
        AppError::TooManyRequests {
            message: format!("{prefix}; try again in {secs} {unit}"),
            retry_after_secs: secs,
        }
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        AppError::Internal(detail.into())
    }

    pub fn invalid(attribute: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            message: message.into(),
            attributes: vec![attribute.to_owned()],
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Unauthorized(m) => f.write_str(m),
            AppError::NotFound => f.write_str("Resource could not be found"),
            AppError::Invalid { message, .. } | AppError::Taken { message, .. } => {
                f.write_str(message)
            }
            AppError::Unprocessable(m)
            | AppError::BadRequest(_, m)
            | AppError::Forbidden(m)
            | AppError::Unavailable(m)
            | AppError::Internal(m)
            | AppError::Busy(m)
            | AppError::TooManyRequests { message: m, .. } => f.write_str(m),
        }
    }
}

impl std::error::Error for AppError {}

/// What a 503 for a busy database tells the client.
const BUSY_MESSAGE: &str =
    "Many changes are being saved at this moment and yours could not wait longer; please try again";
/// A wait as the whole seconds of `Retry-After`: rounded up, at least one.
pub fn retry_after_secs(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// Seconds a client is asked to wait before sending a request that ended in [`AppError::Busy`].
pub const BUSY_RETRY_AFTER_SECS: u64 = 1;

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            // A query that must find its row did not: not the client's missing resource
            // (lookups ask with fetch_optional and answer NotFound themselves) but a bug.
            sqlx::Error::RowNotFound => {
                AppError::Internal("database: a row that must exist was not found".to_owned())
            }
            // No free connection in time: the server is saturated, not broken.
            sqlx::Error::PoolTimedOut => AppError::Busy(BUSY_MESSAGE.to_owned()),
            sqlx::Error::Database(db) => {
                let is_postgres = db
                    .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                    .is_some();
                // SQLite's primary result code is the low byte of the extended one.
                let primary = db
                    .code()
                    .filter(|_| !is_postgres)
                    .and_then(|c| c.parse::<i32>().ok())
                    .map(|c| c & 0xff);
                // PostgreSQL's SQLSTATE: a lock not had within lock_timeout, a
                // serialization failure or deadlock (the transaction was rolled back), too
                // many connections, a server starting or stopping.
                let pg_busy = is_postgres
                    && matches!(
                        db.code().as_deref(),
                        Some("55P03" | "40001" | "40P01" | "53300" | "57P03")
                    );
                match primary {
                    _ if pg_busy => {
                        tracing::warn!("database busy: {db}");
                        AppError::Busy(BUSY_MESSAGE.to_owned())
                    }
                    // SQLITE_BUSY, SQLITE_LOCKED: other writers held the lock past the
                    // busy timeout.
                    Some(5 | 6) => {
                        tracing::warn!("database busy: {db}");
                        AppError::Busy(BUSY_MESSAGE.to_owned())
                    }
                    // A row the write refers to went away under it (a contact deleted or
                    // merged by someone else at the same moment): for this request the
                    // resource is gone.
                    _ if db.is_foreign_key_violation() => {
                        tracing::info!("foreign key violation answered 404: {db}");
                        AppError::NotFound
                    }
                    // A value another request saved at the same moment; handlers that
                    // can name the field catch this before it gets here.
                    _ if db.is_unique_violation() => AppError::Unprocessable(
                        "Someone else saved the same value at the same moment; reload to see it"
                            .to_owned(),
                    ),
                    _ => AppError::Internal(format!("database: {db}")),
                }
            }
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            AppError::Busy(_) => Some(BUSY_RETRY_AFTER_SECS),
            AppError::TooManyRequests {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        };
        let (status, body) = match self {
            AppError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, json!({ "error": m })),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                json!({ "error": "Resource could not be found" }),
            ),
            AppError::Invalid {
                message,
                attributes,
            } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "message": message, "attributes": attributes }),
            ),
            AppError::Taken {
                message,
                attributes,
                conflict_contact_id,
            } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "message": message, "attributes": attributes, "conflict_contact_id": conflict_contact_id }),
            ),
            AppError::Unprocessable(m) => (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": m })),
            AppError::BadRequest(status, m) => (status, json!({ "error": m })),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, json!({ "error": m })),
            AppError::Busy(m) => (StatusCode::SERVICE_UNAVAILABLE, json!({ "error": m })),
            AppError::TooManyRequests { message, .. } => {
                (StatusCode::TOO_MANY_REQUESTS, json!({ "error": message }))
            }
            AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, json!({ "error": m })),
            AppError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "error": "Something went wrong on our side; please try again" }),
                )
            }
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Unknown paths under `/api`: a JSON 404 rather than the SPA's index.html.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_a_query_had_to_find_is_an_internal_error_not_a_404() {
        let error = AppError::from(sqlx::Error::RowNotFound);
        assert!(matches!(error, AppError::Internal(_)), "{error:?}");
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
