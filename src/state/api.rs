use std::future::Future;

use leptos::prelude::*;

use super::SessionContext;
use crate::api::{ApiClient, ApiError};

/// The API client in context, paired with the session: every call sends the current
/// credentials, and a refused token ends the session.
#[derive(Clone, Copy)]
pub struct Api {
    // `ApiClient` holds an `Rc` (the transport), so it is stored thread-locally.
    client: StoredValue<ApiClient, LocalStorage>,
    session: SessionContext,
}

impl Api {
    pub fn new(client: ApiClient, session: SessionContext) -> Self {
        Api {
            client: StoredValue::new_local(client),
            session,
        }
    }

    /// The client with the credentials of this moment.
    pub fn client(&self) -> ApiClient {
        self.client
            .get_value()
            .with_session(self.session.credentials())
    }

    /// Runs one API call; a 401 on it signs the agent out (the route guard then shows the
    /// sign-in page). The client is taken now, so the future outlives the component safely.
    pub fn call<T, F, Fut>(&self, request: F) -> impl Future<Output = Result<T, ApiError>>
    where
        F: FnOnce(ApiClient) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let session = self.session;
        let pending = request(self.client());
        async move { session.check(pending.await) }
    }
}

pub fn use_api() -> Api {
    expect_context::<Api>()
}
