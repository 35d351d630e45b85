use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{ApiError, FetchTransport, HttpRequest, Method, Transport};

/// The header Chatwoot reads the access token from.
pub const TOKEN_HEADER: &str = "api_access_token";

/// What an authenticated call needs: the agent's token and the account it works in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub token: String,
    pub account_id: i64,
}

/// A handle on the API: where it is, who is asking, and how requests travel.
/// Cheap to clone; the endpoint functions in `api::auth`, `api::contacts`, `api::labels`
/// take it by reference.
#[derive(Clone)]
pub struct ApiClient {
    /// Prefix of every request path; `""` is the page's own origin (how the app is served).
    pub base_url: String,
    pub session: Option<Credentials>,
    pub transport: Rc<dyn Transport>,
}

impl ApiClient {
    pub fn new(base_url: impl Into<String>, transport: Rc<dyn Transport>) -> Self {
        ApiClient {
            base_url: base_url.into(),
            session: None,
            transport,
        }
    }

    /// The browser's `fetch` to the page's own origin.
    pub fn same_origin() -> Self {
        ApiClient::new("", Rc::new(FetchTransport))
    }

    pub fn with_session(self, session: Option<Credentials>) -> Self {
        ApiClient { session, ..self }
    }

    /// `/api/v1/accounts/{account_id}{rest}` and the credentials to send with it; without
    /// a session there is nothing to ask, which is the same as a refused token.
    pub(crate) fn account_path(&self, rest: &str) -> Result<String, ApiError> {
        let session = self.session.as_ref().ok_or(ApiError::Unauthorized)?;
        Ok(format!("/api/v1/accounts/{}{rest}", session.account_id))
    }

    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> Result<T, ApiError> {
        let body = self.send(Method::Get, path_and_query, None).await?;
        decode(&body)
    }

    pub(crate) async fn post<B, T>(&self, path_and_query: &str, body: &B) -> Result<T, ApiError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        let body = self.send(Method::Post, path_and_query, Some(json)).await?;
        decode(&body)
    }

    pub(crate) async fn put<B, T>(&self, path_and_query: &str, body: &B) -> Result<T, ApiError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        let body = self.send(Method::Put, path_and_query, Some(json)).await?;
        decode(&body)
    }

    /// A `DELETE`; the body of its answer (empty, as Chatwoot sends) is not read.
    pub(crate) async fn delete(&self, path_and_query: &str) -> Result<(), ApiError> {
        self.send(Method::Delete, path_and_query, None)
            .await
            .map(drop)
    }

    /// Sends one request (with a JSON body, if given) and returns the answer whatever its
    /// status, so that the caller can read the body of a refusal (a 422's fields, a 404's
    /// `merged_into`). Only a refused token is an error here.
    pub(crate) async fn exchange<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&B>,
    ) -> Result<super::HttpResponse, ApiError> {
        let json = body
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        let response = self.answer(method, path_and_query, json).await?;
        if response.status == 401 && self.session.is_some() {
            return Err(ApiError::Unauthorized);
        }
        Ok(response)
    }

    /// `POST`s a `multipart/form-data` body; the decoded answer of a 2xx.
    pub(crate) async fn post_form<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        form: Vec<super::FormPart>,
    ) -> Result<T, ApiError> {
        let mut request = self.request(Method::Post, path_and_query, None);
        request.form = Some(form);
        let response = self.transport.send(request).await?;
        decode(&self.success(response)?)
    }

    /// A `GET` whose answer is text (a CSV), not JSON: the body of a 2xx.
    pub(crate) async fn get_text(&self, path_and_query: &str) -> Result<String, ApiError> {
        self.send(Method::Get, path_and_query, None).await
    }

    /// A `DELETE` that answers JSON: the decoded answer of a 2xx.
    pub(crate) async fn delete_for<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> Result<T, ApiError> {
        decode(&self.send(Method::Delete, path_and_query, None).await?)
    }

    /// Sends one request and returns the body of a 2xx answer.
    async fn send(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<String>,
    ) -> Result<String, ApiError> {
        let response = self.answer(method, path_and_query, body).await?;
        self.success(response)
    }

    /// The body of a 2xx answer, else the error it means.
    fn success(&self, response: super::HttpResponse) -> Result<String, ApiError> {
        if (200..300).contains(&response.status) {
            Ok(response.body)
        } else {
            Err(ApiError::from_response(
                response.status,
                &response.body,
                self.session.is_some(),
            ))
        }
    }

    /// Sends one request with the session's headers; any answer is `Ok`.
    async fn answer(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<String>,
    ) -> Result<super::HttpResponse, ApiError> {
        let request = self.request(method, path_and_query, body);
        self.transport.send(request).await
    }

    /// A request with the session's headers.
    fn request(&self, method: Method, path_and_query: &str, body: Option<String>) -> HttpRequest {
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        if let Some(session) = &self.session {
            headers.push((TOKEN_HEADER.to_owned(), session.token.clone()));
        }
        HttpRequest {
            method,
            path_and_query: format!("{}{path_and_query}", self.base_url),
            headers,
            body,
            form: None,
        }
    }
}

fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))
}
