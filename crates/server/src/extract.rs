//! Extractors whose rejections are JSON in the API's error shape.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::AppError;

/// `Json<T>` whose every rejection (bad JSON, wrong types, missing content type, a body
/// over the limit) is a JSON 4xx saying what is wrong.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    let status = rejection.status();
    let message = match &rejection {
        JsonRejection::JsonDataError(e) => {
            format!("The request body has a wrong field: {}", e.body_text())
        }
        JsonRejection::JsonSyntaxError(_) => "The request body is not valid JSON".to_owned(),
        JsonRejection::MissingJsonContentType(_) => {
            "Send the request body as JSON with Content-Type: application/json".to_owned()
        }
        JsonRejection::BytesRejection(_) if status == StatusCode::PAYLOAD_TOO_LARGE => {
            format!(
                "The request body is larger than {} bytes",
                crate::MAX_BODY_BYTES
            )
        }
        other => other.body_text(),
    };
    AppError::BadRequest(status, message)
}

/// The query string as ordered key/value pairs, so repeated keys (`labels[]=a&labels[]=b`)
/// keep every value.
pub struct QueryPairs(pub Vec<(String, String)>);

impl QueryPairs {
    pub fn parse(query: Option<&str>) -> Self {
        QueryPairs(
            form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The last value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for QueryPairs {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(QueryPairs::parse(parts.uri.query()))
    }
}
