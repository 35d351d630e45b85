//! Cross-origin calls: allowed from the configured dashboard origins only (the app
//! embedded in a NovaTalks dashboard on another origin); without any, no CORS headers.

use axum::http::{header, HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The CORS layer for `origins` (`scheme://host[:port]`; blanks and a trailing `/` are
/// ignored, what is not a header value is left out).
pub fn layer(origins: &[String]) -> CorsLayer {
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
        .allow_headers(
            [
                header::CONTENT_TYPE,
                HeaderName::from_static("api_access_token"),
            ]
            .into_iter()
            .chain(devise_headers())
            .collect::<Vec<_>>(),
        )
        // Chatwoot's dashboard reads the sign-in answer's devise headers.
        .expose_headers(devise_headers().collect::<Vec<_>>())
        .max_age(std::time::Duration::from_secs(600))
}

fn devise_headers() -> impl Iterator<Item = HeaderName> {
    crate::auth::devise::HEADERS
        .into_iter()
        .map(HeaderName::from_static)
}
