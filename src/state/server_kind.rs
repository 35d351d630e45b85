//! The server's kind for the session ([`ServerKind`]: NovaTalks or a stock Chatwoot), in
//! context, and the probe that learns it from the first contacts the server answers.

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;

use crate::api::{ApiError, HttpRequest, HttpResponse, LocalBoxFuture, Method, Transport};
use crate::logic::server_kind::{answers_with_contacts, labels_path_contact, ServerKind};

/// The server's kind, for the session, and (on a stock server) the labels of contacts
/// fetched one by one, so that a row scrolled away and back does not ask again.
#[derive(Clone, Copy)]
pub struct ServerCapabilities {
    kind: RwSignal<ServerKind>,
    labels: StoredValue<HashMap<i64, Vec<String>>>,
}

impl Default for ServerCapabilities {
    fn default() -> Self {
        ServerCapabilities::new(ServerKind::Unknown)
    }
}

impl ServerCapabilities {
    pub fn new(kind: ServerKind) -> Self {
        ServerCapabilities {
            kind: RwSignal::new(kind),
            labels: StoredValue::new(HashMap::new()),
        }
    }

    /// The kind as known now (not reactive: see [`Self::has_extensions`]).
    pub fn kind(&self) -> ServerKind {
        self.kind.get_untracked()
    }

    /// Whether the [ext] fields are there (or not known to be missing yet). Reactive.
    pub fn has_extensions(&self) -> bool {
        self.kind.get() != ServerKind::StockChatwoot
    }

    /// The same, without subscribing.
    pub fn has_extensions_untracked(&self) -> bool {
        self.kind.get_untracked() != ServerKind::StockChatwoot
    }

    /// Takes in what an answer says; the first answer that says anything decides.
    pub fn observe(&self, kind: ServerKind) {
        if kind != ServerKind::Unknown && !self.is_known() {
            self.kind.try_set(kind);
        }
    }

    fn is_known(&self) -> bool {
        self.kind
            .try_get_untracked()
            .is_none_or(|kind| kind != ServerKind::Unknown)
    }

    /// The labels of contact `id` last read or written, if any were.
    pub fn cached_labels(&self, id: i64) -> Option<Vec<String>> {
        self.labels
            .try_with_value(|labels| labels.get(&id).cloned())
            .flatten()
    }

    pub fn remember_labels(&self, id: i64, titles: Vec<String>) {
        self.labels.try_update_value(|labels| {
            labels.insert(id, titles);
        });
    }

    /// `transport` with this probe in front of it.
    pub fn probe(self, transport: Rc<dyn Transport>) -> Rc<dyn Transport> {
        Rc::new(ProbingTransport {
            inner: transport,
            capabilities: self,
        })
    }
}

/// The capabilities in context; without any (a component mounted alone) a fresh unknown
/// one, which behaves as NovaTalks.
pub fn use_server_capabilities() -> ServerCapabilities {
    use_context::<ServerCapabilities>().unwrap_or_default()
}

/// A transport that tells [`ServerCapabilities`] what the server's contacts look like,
/// and keeps the labels of contacts it sees read or written one by one.
pub struct ProbingTransport {
    inner: Rc<dyn Transport>,
    capabilities: ServerCapabilities,
}

impl Transport for ProbingTransport {
    fn send(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, ApiError>> {
        let capabilities = self.capabilities;
        let path = request.path().to_owned();
        let method = request.method;
        let answer = self.inner.send(request);
        Box::pin(async move {
            let answer = answer.await;
            if let Ok(response) = &answer {
                if (200..300).contains(&response.status) {
                    if !capabilities.is_known() && answers_with_contacts(&path) {
                        capabilities.observe(ServerKind::of_answer(&response.body));
                    }
                    if matches!(method, Method::Get | Method::Post) {
                        if let Some(id) = labels_path_contact(&path) {
                            if let Ok(titles) =
                                serde_json::from_str::<TitlesPayload>(&response.body)
                            {
                                capabilities.remember_labels(id, titles.payload);
                            }
                        }
                    }
                }
            }
            answer
        })
    }
}

#[derive(serde::Deserialize)]
struct TitlesPayload {
    payload: Vec<String>,
}
