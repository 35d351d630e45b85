use leptos::prelude::*;
use novatalks_model::SignedInUser;
use serde::{Deserialize, Serialize};

use crate::api::Credentials;

/// Where the session survives a reload.
pub const STORAGE_KEY: &str = "novatalks.session";

/// The signed-in agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub account_id: i64,
    pub user_name: String,
    /// The agent's user id: whose notes are theirs. Absent in sessions saved before it was
    /// kept (their notes are then recognised by the author's name).
    #[serde(default)]
    pub user_id: Option<i64>,
    /// The email the agent signed in with: the "sign in again" dialog starts with it.
    /// Absent in sessions saved before it was kept, and in the embedded app.
    #[serde(default)]
    pub email: Option<String>,
}

impl Session {
    pub fn credentials(&self) -> Credentials {
        Credentials {
            token: self.token.clone(),
            account_id: self.account_id,
        }
    }
}

impl From<SignedInUser> for Session {
    fn from(user: SignedInUser) -> Self {
        Session {
            token: user.access_token,
            account_id: user.account_id,
            user_name: user.name,
            user_id: Some(user.id),
            email: Some(user.email),
        }
    }
}

/// The session, shared through context. Route guards watch it: signing out sends the
/// agent to the sign-in page.
///
/// A token the server refuses (the session expired or was revoked) does not end it: the
/// session is marked [ended](SessionContext::has_ended), the page stays as it is with
/// what the agent typed, and the "sign in again" dialog asks for the password; signing in
/// there continues on the same page. Without a way to sign in again (the embedded app,
/// [`SessionContext::in_memory_final`]) a refused token ends the session.
#[derive(Debug, Clone, Copy)]
pub struct SessionContext {
    current: RwSignal<Option<Session>>,
    ended: RwSignal<bool>,
    persistent: bool,
    renewable: bool,
}

impl SessionContext {
    /// The session saved in localStorage, if any; changes are saved back.
    pub fn restore() -> Self {
        SessionContext {
            current: RwSignal::new(storage::load()),
            ended: RwSignal::new(false),
            persistent: true,
            renewable: true,
        }
    }

    /// A session that lives in memory only (component tests), renewed like the app's.
    pub fn in_memory(session: Option<Session>) -> Self {
        SessionContext {
            current: RwSignal::new(session),
            ended: RwSignal::new(false),
            persistent: false,
            renewable: true,
        }
    }

    /// A session in memory that a refused token ends for good: nowhere to sign in again
    /// (the embedded app's configured token).
    pub fn in_memory_final(session: Option<Session>) -> Self {
        SessionContext {
            renewable: false,
            ..SessionContext::in_memory(session)
        }
    }

    /// The server refused the session's token and the agent has not signed in again yet
    /// (tracked).
    pub fn has_ended(&self) -> bool {
        self.ended.get()
    }

    /// The current session (tracked).
    pub fn get(&self) -> Option<Session> {
        self.current.get()
    }

    pub fn get_untracked(&self) -> Option<Session> {
        self.current.try_get_untracked().flatten()
    }

    /// Whether an agent is signed in (tracked).
    pub fn is_signed_in(&self) -> bool {
        self.current.with(Option::is_some)
    }

    /// What the API client should send now (untracked: a request is a snapshot).
    pub fn credentials(&self) -> Option<Credentials> {
        self.current
            .try_with_untracked(|s| s.as_ref().map(Session::credentials))
            .flatten()
    }

    pub fn sign_in(&self, session: Session) {
        if self.persistent {
            storage::save(&session);
        }
        self.current.set(Some(session));
        self.ended.set(false);
    }

    pub fn sign_out(&self) {
        if self.persistent {
            storage::clear();
        }
        self.ended.try_set(false);
        self.current.try_set(None);
    }

    /// The server refused the session's token: marks the session ended (or ends it, when
    /// it cannot be renewed). The API's transport calls it (`state::Api`).
    pub fn token_refused(&self) {
        let signed_in = self
            .current
            .try_with_untracked(Option::is_some)
            .unwrap_or(false);
        if self.renewable && signed_in {
            self.ended.try_set(true);
        } else {
            self.sign_out();
        }
    }
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// localStorage access. Failures (storage disabled, quota, a value from an older version)
/// simply mean "not signed in": the agent signs in again.
mod storage {
    use super::{Session, STORAGE_KEY};

    fn local_storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    pub fn load() -> Option<Session> {
        let raw = local_storage()?.get_item(STORAGE_KEY).ok()??;
        serde_json::from_str(&raw).ok()
    }

    pub fn save(session: &Session) {
        if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(session)) {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
    }

    pub fn clear() {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}
