use axum::http::StatusCode;
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
}

impl AppError {
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
            | AppError::Internal(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for AppError {}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
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
            AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, json!({ "error": m })),
            AppError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "error": "Something went wrong on our side; please try again" }),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// Unknown paths under `/api`: a JSON 404 rather than the SPA's index.html.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}
