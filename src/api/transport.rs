//! How a request reaches the server. The client only builds requests and reads answers;
//! a `Transport` moves the bytes, so component tests can answer from memory while the
//! app talks to the real server through the browser's `fetch`.

use std::future::Future;
use std::pin::Pin;

use super::ApiError;

/// A boxed future that need not be `Send`: everything here runs on the browser's one thread.
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// The client's `base_url` followed by the path and the encoded query string; with the
    /// same-origin base `""` this is just `/api/v1/...?...`.
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    /// A JSON document, when the endpoint takes one.
    pub body: Option<String>,
    /// A `multipart/form-data` body instead (the import's file upload); the browser
    /// writes its boundary and `Content-Type`.
    pub form: Option<Vec<FormPart>>,
}

/// One field of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    pub value: FormValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    Text(String),
    /// A file: its name and bytes (shared, not copied, up to the import's 50 MB).
    File {
        file_name: String,
        bytes: std::sync::Arc<[u8]>,
    },
}

impl HttpRequest {
    /// The text field `name` of a multipart body.
    pub fn form_text(&self, name: &str) -> Option<&str> {
        self.form
            .as_deref()?
            .iter()
            .find_map(|part| match &part.value {
                FormValue::Text(text) if part.name == name => Some(text.as_str()),
                _ => None,
            })
    }
}

impl HttpRequest {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The path without its query string.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split_once('?')
            .map_or(self.path_and_query.as_str(), |(path, _)| path)
    }
}

/// Whatever status the server answered: mapping statuses to errors is the client's job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
}

pub trait Transport {
    /// Sends the request. `Err` only when no answer arrived (`ApiError::Network`).
    fn send(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, ApiError>>;
}

/// Any `Fn(HttpRequest) -> impl Future` is a transport, which keeps test fakes one closure long.
impl<F, Fut> Transport for F
where
    F: Fn(HttpRequest) -> Fut,
    Fut: Future<Output = Result<HttpResponse, ApiError>> + 'static,
{
    fn send(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, ApiError>> {
        Box::pin(self(request))
    }
}

/// The browser's `fetch`, through gloo-net.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, ApiError>> {
        Box::pin(fetch(request))
    }
}

async fn fetch(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    use gloo_net::http::{Method as GlooMethod, RequestBuilder};

    let method = match request.method {
        Method::Get => GlooMethod::GET,
        Method::Post => GlooMethod::POST,
        Method::Put => GlooMethod::PUT,
        Method::Patch => GlooMethod::PATCH,
        Method::Delete => GlooMethod::DELETE,
    };
    let builder = request.headers.iter().fold(
        RequestBuilder::new(&request.path_and_query).method(method),
        |b, (k, v)| b.header(k, v),
    );
    let network = |e: gloo_net::Error| ApiError::Network(e.to_string());
    let built = match (request.form, request.body) {
        (Some(parts), _) => builder.body(form_data(&parts)?),
        (None, Some(body)) => builder.body(body),
        (None, None) => builder.build(),
    };
    let response = built.map_err(network)?.send().await.map_err(network)?;
    let status = response.status();
    let body = response.text().await.map_err(network)?;
    Ok(HttpResponse { status, body })
}

/// The browser's `FormData` of a multipart body.
fn form_data(parts: &[FormPart]) -> Result<web_sys::FormData, ApiError> {
    let failed = |e: wasm_bindgen::JsValue| ApiError::Network(format!("{e:?}"));
    let form = web_sys::FormData::new().map_err(failed)?;
    for part in parts {
        match &part.value {
            FormValue::Text(text) => form.append_with_str(&part.name, text).map_err(failed)?,
            FormValue::File { file_name, bytes } => {
                let array = js_sys::Uint8Array::from(&bytes[..]);
                let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&array))
                    .map_err(failed)?;
                form.append_with_blob_and_filename(&part.name, &blob, file_name)
                    .map_err(failed)?;
            }
        }
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_by_case_insensitive_name_and_path_drops_the_query() {
        let request = HttpRequest {
            method: Method::Get,
            path_and_query: "/api/v1/accounts/1/contacts?page=2".into(),
            headers: vec![("api_access_token".into(), "t0k".into())],
            body: None,
            form: None,
        };
        assert_eq!(request.header("API_ACCESS_TOKEN"), Some("t0k"));
        assert_eq!(request.header("accept"), None);
        assert_eq!(request.path(), "/api/v1/accounts/1/contacts");
    }
}
