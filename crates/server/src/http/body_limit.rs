//! The request body limit: [`crate::MAX_BODY_BYTES`] (1 MB) on every route but the
//! contacts import, which takes a file of up to 50 MB ([`crate::MAX_IMPORT_BODY_BYTES`]
//! for the whole multipart body). Over the limit a request is answered 413 (made JSON by
//! [`super::json_errors`]) before a handler reads it: by its Content-Length, or when a
//! body sent without one grows past it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::{ServiceBuilder, ServiceExt};
use tower_http::limit::RequestBodyLimitLayer;

/// Whether the request is the import's upload (`POST /api/v1/accounts/{id}/contacts/import`).
pub fn is_import_upload(method: &Method, path: &str) -> bool {
    *method == Method::POST
        && path
            .strip_prefix("/api/v1/accounts/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(account, rest)| {
                !account.is_empty()
                    && account.bytes().all(|b| b.is_ascii_digit())
                    && rest.trim_end_matches('/') == "contacts/import"
            })
}

/// Middleware: the body limit of the route asked for.
pub async fn limit(request: Request, next: Next) -> Response {
    let limit = if is_import_upload(request.method(), request.uri().path()) {
        crate::MAX_IMPORT_BODY_BYTES
    } else {
        crate::MAX_BODY_BYTES
    };
    let service = ServiceBuilder::new()
        .layer(RequestBodyLimitLayer::new(limit))
        .map_request(|request: axum::http::Request<_>| request.map(Body::new))
        .service(next);
    match service.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_import_upload_takes_large_bodies() {
        assert!(is_import_upload(
            &Method::POST,
            "/api/v1/accounts/12/contacts/import"
        ));
        assert!(!is_import_upload(
            &Method::GET,
            "/api/v1/accounts/12/contacts/import"
        ));
        for path in [
            "/api/v1/accounts/12/contacts",
            "/api/v1/accounts/12/contacts/import/x",
            "/api/v1/accounts/x/contacts/import",
            "/api/v1/accounts//contacts/import",
            "/api/v1/accounts/12/contacts/imports",
        ] {
            assert!(!is_import_upload(&Method::POST, path), "{path}");
        }
    }
}
