use std::rc::Rc;

use leptos::prelude::*;

use super::SessionContext;
use crate::api::{
    ApiClient, ApiError, HttpRequest, HttpResponse, LocalBoxFuture, Transport, TOKEN_HEADER,
};

/// The API client in context, paired with the session: every call sends the current
/// credentials, and a refused token ends the session. That is decided here, once, for
/// every call: the client's transport tells the session of every 401 to a request that
/// carried the token ([`SessionGuard`]), so no caller has to.
#[derive(Clone, Copy)]
pub struct Api {
    // `ApiClient` holds an `Rc` (the transport), so it is stored thread-locally.
    client: StoredValue<ApiClient, LocalStorage>,
    /// The transport as given, without the guard: another session's `Api` builds on it.
    transport: StoredValue<Rc<dyn Transport>, LocalStorage>,
    session: SessionContext,
}

impl Api {
    pub fn new(client: ApiClient, session: SessionContext) -> Self {
        let transport = client.transport.clone();
        let guarded: Rc<dyn Transport> = Rc::new(SessionGuard {
            inner: transport.clone(),
            session,
        });
        Api {
            client: StoredValue::new_local(ApiClient {
                transport: guarded,
                ..client
            }),
            transport: StoredValue::new_local(transport),
            session,
        }
    }

    /// The client with the credentials of this moment. Taken when a request starts, so
    /// that the request's future needs nothing of the component that made it.
    pub fn client(&self) -> ApiClient {
        self.client
            .get_value()
            .with_session(self.session.credentials())
    }

    /// How requests travel, without this session's guard.
    pub fn transport(&self) -> Rc<dyn Transport> {
        self.transport.get_value()
    }
}

pub fn use_api() -> Api {
    expect_context::<Api>()
}

/// A transport that tells the session when the server refuses its token: a 401 to a
/// request that carried one (a 401 to `POST /auth/sign_in`, which carries none, is a
/// wrong password and concerns the sign-in form alone).
struct SessionGuard {
    inner: Rc<dyn Transport>,
    session: SessionContext,
}

impl Transport for SessionGuard {
    fn send(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, ApiError>> {
        let carried_token = request.header(TOKEN_HEADER).is_some();
        let session = self.session;
        let answer = self.inner.send(request);
        Box::pin(async move {
            let answer = answer.await;
            if carried_token && matches!(&answer, Ok(response) if response.status == 401) {
                session.token_refused();
            }
            answer
        })
    }
}
