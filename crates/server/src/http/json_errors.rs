//! Every error of the API answered in the contract's JSON shape, including those no
//! handler writes: a method the route does not take (405, empty by default; 401 without
//! a token, as Chatwoot), a body over the limit (413, plain text from the body-limit
//! layer), an address too long (414).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppError;

/// Longest request target (path and query) the API reads: 8 KiB, as common proxies allow.
/// Long inputs (filters) go in the body.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Whether `path` is the API's (JSON) rather than the SPA's (HTML).
pub fn is_api_path(path: &str) -> bool {
    ["/api/", "/auth/", "/public/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
        || path == "/api"
}

/// Middleware: refuses an over-long address with a JSON 414, and gives every error answer
/// of an API path that is not JSON yet a JSON body saying what went wrong.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let api = is_api_path(request.uri().path());
    if !api {
        return next.run(request).await;
    }
    let target_len = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().len())
        .unwrap_or(0);
    if target_len > MAX_URI_BYTES {
        return AppError::BadRequest(
            StatusCode::URI_TOO_LONG,
            format!(
                "The address is longer than {MAX_URI_BYTES} bytes; send long inputs in the request body"
            ),
        )
        .into_response();
    }
    let method = request.method().clone();
    // Chatwoot authenticates before it routes: a method an account route does not take,
    // sent without a token, is a 401 there, not a 405.
    let anonymous_account_call = request.uri().path().starts_with("/api/v1/")
        && !crate::auth::has_credentials(request.headers());
    let response = next.run(request).await;
    let status = response.status();
    if status == StatusCode::METHOD_NOT_ALLOWED && anonymous_account_call {
        return crate::auth::unauthenticated().into_response();
    }
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let message = words_for(status, &method, &response);
    let (mut parts, _) = response.into_parts();
    let mut fresh = AppError::BadRequest(status, message).into_response();
    // Keep what the original answer told the client (Allow, Retry-After, CORS).
    for (name, value) in parts.headers.drain().filter_map(|(n, v)| n.map(|n| (n, v))) {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name, value);
        }
    }
    *fresh.status_mut() = status;
    fresh
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn words_for(status: StatusCode, method: &Method, response: &Response<Body>) -> String {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = response
                .headers()
                .get(header::ALLOW)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .filter(|v| !v.is_empty());
            match allowed {
                Some(allowed) => {
                    format!("This address does not take {method} requests; it takes {allowed}")
                }
                None => format!("This address does not take {method} requests"),
            }
        }
        StatusCode::PAYLOAD_TOO_LARGE => crate::http::extract::too_large().to_string(),
        StatusCode::URI_TOO_LONG => format!(
            "The address is longer than {MAX_URI_BYTES} bytes; send long inputs in the request body"
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => crate::http::extract::UNSUPPORTED_WORDS.to_owned(),
        StatusCode::REQUEST_TIMEOUT => "The request took too long to arrive".to_owned(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            "The request's headers are too large".to_owned()
        }
        StatusCode::NOT_FOUND => "Resource could not be found".to_owned(),
        s if s.is_server_error() => "Something went wrong on our side; please try again".to_owned(),
        s => format!(
            "The request was refused: {}",
            s.canonical_reason().unwrap_or("client error")
        ),
    }
}
