//! The server's kind for the session ([`ServerKind`]: NovaTalks or a stock Chatwoot), in
//! context. It is decided once, here: when an agent is signed in, one contact of the
//! account is asked for ([`contacts::sample`]) and its keys say which server answered.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Api, SessionContext};
use crate::api::contacts;
use crate::logic::server_kind::ServerKind;

/// Whether the server has the NovaTalks extensions, for the session.
#[derive(Clone, Copy)]
pub struct ServerCapabilities {
    kind: RwSignal<ServerKind>,
}

impl Default for ServerCapabilities {
    fn default() -> Self {
        ServerCapabilities::new(ServerKind::Unknown)
    }
}

impl ServerCapabilities {
    /// A kind known already (a test, a component shown alone).
    pub fn new(kind: ServerKind) -> Self {
        ServerCapabilities {
            kind: RwSignal::new(kind),
        }
    }

    /// Learns the kind of `api`'s server: as soon as `session` has an agent, and again at
    /// the next sign-in while no contact has told it (an account without any).
    pub fn probe(api: Api, session: SessionContext) -> Self {
        let capabilities = ServerCapabilities::default();
        let asking = StoredValue::new(false);
        Effect::new(move |_| {
            if !session.is_signed_in() || capabilities.is_known() || asking.get_value() {
                return;
            }
            asking.set_value(true);
            let client = api.client();
            spawn_local(async move {
                // A failed probe decides nothing: the app behaves as with NovaTalks.
                if let Ok(sample) = contacts::sample(&client).await {
                    capabilities.observe(ServerKind::of_answer(&sample));
                }
                asking.try_set_value(false);
            });
        });
        capabilities
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
}

/// The capabilities in context; without any (a component mounted alone) a fresh unknown
/// one, which behaves as NovaTalks.
pub fn use_server_capabilities() -> ServerCapabilities {
    use_context::<ServerCapabilities>().unwrap_or_default()
}
