//! Extractors whose rejections are JSON in the API's error shape: bodies (JSON or forms),
//! query pairs, path parameters.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body::{control_char_words, forbidden_char, BodyError, Parsed};
use crate::AppError;

/// A request body read strictly (see [`super::body`]): JSON, or a form
/// (`application/x-www-form-urlencoded`, or the text fields of `multipart/form-data`)
/// nested as Rails nests it ([`super::form`]) and read by the same rules. An object, no
/// control characters in any text, and every rejection (not JSON, a wrong field, a file
/// part, another content type, a body over the limit) a JSON 4xx saying in words what is
/// wrong.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = read_body(req, state, false).await?;
        super::body::from_parsed(body)
            .map(ApiJson)
            .map_err(unprocessable)
    }
}

/// [`ApiJson`], where an empty body (with any content type, or none) is an empty object,
/// as Rails reads it: the public API's contact create, which needs no field.
pub struct OrEmpty<T>(pub T);

impl<S, T> FromRequest<S> for OrEmpty<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = read_body(req, state, true).await?;
        super::body::from_parsed(body)
            .map(OrEmpty)
            .map_err(unprocessable)
    }
}

/// A body Chatwoot's dashboard sends in an envelope (`{"label": {…}}`, or the form
/// `label[title]=vip`: Rails' wrapped parameters) and other clients send bare: its
/// [`Envelope::KEY`]. Read like [`ApiJson`].
pub struct Enveloped<T>(pub T);

/// The key a body comes wrapped in, when it does.
pub trait Envelope {
    const KEY: &'static str;
}

impl<S, T> FromRequest<S> for Enveloped<T>
where
    T: DeserializeOwned + Envelope,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = read_body(req, state, false).await?;
        super::body::from_parsed_enveloped(body, T::KEY)
            .map(Enveloped)
            .map_err(unprocessable)
    }
}

/// What a body's content type says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    UrlEncoded,
    Multipart,
    /// Another content type, or none.
    Other,
}

/// The words of every 415 a body gets (and of axum's own, see [`super::json_errors`]).
pub const UNSUPPORTED_WORDS: &str = "Send the request body as JSON with Content-Type: \
     application/json, or as a form (application/x-www-form-urlencoded or multipart/form-data)";

fn unsupported() -> AppError {
    AppError::BadRequest(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        UNSUPPORTED_WORDS.to_owned(),
    )
}

/// The body parsed to a `Value`: a 415 for another content type, a 413 over the limit, a
/// 400 when it is not JSON or not a form. `empty_ok`: an empty body is an empty object.
async fn read_body<S: Send + Sync>(
    req: Request,
    state: &S,
    empty_ok: bool,
) -> Result<Parsed, AppError> {
    let kind = kind(&req);
    if kind == Kind::Other && !empty_ok {
        return Err(unsupported());
    }
    let (parts, body) = req.into_parts();
    let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                AppError::BadRequest(
                    StatusCode::BAD_REQUEST,
                    "The request body could not be read completely".to_owned(),
                )
            }
        })?;
    if empty_ok && bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Parsed::json(Value::Object(serde_json::Map::new())));
    }
    match kind {
        Kind::Json => json(&bytes).map(Parsed::json),
        Kind::UrlEncoded => super::form::parse_urlencoded(&bytes)
            .map(Parsed::form)
            .map_err(form_refused),
        Kind::Multipart => {
            let request = Request::from_parts(parts, axum::body::Body::from(bytes));
            multipart(request, state).await.map(Parsed::form)
        }
        Kind::Other => Err(unsupported()),
    }
}

fn json(bytes: &[u8]) -> Result<Value, AppError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let message = if e.is_eof() && bytes.iter().all(u8::is_ascii_whitespace) {
            "The request body is empty; send a JSON object".to_owned()
        } else {
            format!(
                "The request body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            )
        };
        AppError::BadRequest(StatusCode::BAD_REQUEST, message)
    })
}

fn form_refused(e: super::form::FormError) -> AppError {
    AppError::BadRequest(StatusCode::BAD_REQUEST, e.0)
}

/// The text fields of a multipart body, nested. A file part (one with a file name) is
/// refused: no route read here takes files (the contacts import reads its own upload).
async fn multipart<S: Send + Sync>(request: Request, state: &S) -> Result<Value, AppError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::BadRequest(
                StatusCode::BAD_REQUEST,
                format!("The request body could not be read as multipart/form-data ({e})"),
            )
        }
    };
    let mut form = Multipart::from_request(request, state).await.map_err(|e| {
        AppError::BadRequest(
            StatusCode::BAD_REQUEST,
            format!("The request body could not be read as multipart/form-data ({e})"),
        )
    })?;
    let mut pairs = Vec::new();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name() {
            // A file input left empty: sent as a part with no name and no data, skipped.
            Some("") => continue,
            Some(file) => {
                let shown = |t: &str| {
                    t.chars()
                        .filter(|c| !c.is_control())
                        .take(80)
                        .collect::<String>()
                };
                return Err(AppError::Unprocessable(format!(
                    "The field '{}' is a file ({}); this address takes only text fields",
                    shown(&name),
                    shown(file)
                )));
            }
            None => {}
        }
        let text = field.text().await.map_err(unreadable)?;
        pairs.push((name, text));
    }
    super::form::nest(pairs).map_err(form_refused)
}

/// A body that is JSON but not what the route reads: 422 in words.
fn unprocessable(e: BodyError) -> AppError {
    AppError::BadRequest(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
}

fn kind(req: &Request) -> Kind {
    let Some(content_type) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return Kind::Other;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Kind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Kind::UrlEncoded
    } else if essence == "multipart/form-data" {
        Kind::Multipart
    } else {
        Kind::Other
    }
}

/// 413 in words.
pub fn too_large() -> AppError {
    AppError::BadRequest(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "The request body is larger than the limit of {} bytes (1 MiB)",
            crate::MAX_BODY_BYTES
        ),
    )
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
    type Rejection = AppError;

    /// The query string's pairs; a key or value with a control character (`q=a%00b`) is a
    /// 422 naming the parameter: nothing with one could be stored or matched.
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let pairs = QueryPairs::parse(parts.uri.query());
        for (key, value) in &pairs.0 {
            if let Some(c) = forbidden_char(key).or_else(|| forbidden_char(value)) {
                return Err(AppError::Unprocessable(format!(
                    "The parameter '{}' {}",
                    key.chars().filter(|c| !c.is_control()).collect::<String>(),
                    control_char_words(c)
                )));
            }
        }
        Ok(pairs)
    }
}

/// The path's parameters by name. Unlike `axum::extract::Path`, whose rejections are plain
/// text, a missing or malformed id here is the API's JSON 404: no resource has that id.
pub struct PathParams(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for PathParams {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok(PathParams(
            raw.iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        ))
    }
}

impl PathParams {
    /// The text of `key`, or 404.
    pub fn text(&self, key: &str) -> Result<&str, AppError> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .ok_or(AppError::NotFound)
    }

    /// `key` as a numeric id, or 404.
    pub fn id(&self, key: &str) -> Result<i64, AppError> {
        self.text(key)?
            .parse::<i64>()
            .map_err(|_| AppError::NotFound)
    }
}

/// The `{id}` of a `/contacts/{id}…` path: a positive integer, else 404 (as for a contact
/// that does not exist).
#[derive(Debug, Clone, Copy)]
pub struct ContactPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ContactPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        params
            .iter()
            .find(|(k, _)| *k == "id")
            .and_then(|(_, v)| v.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(ContactPath)
            .ok_or(AppError::NotFound)
    }
}
