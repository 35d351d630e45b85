//! The sign-in headers of devise_token_auth, which Chatwoot's own dashboard and mobile app
//! send instead of `api_access_token`.
//!
//! `POST /auth/sign_in` answers them (`access-token`, `token-type`, `client`, `expiry`,
//! `uid`); the dashboard keeps them in a cookie and sends them back on every call.
//! Chatwoot keeps them fixed for a session (`change_headers_on_each_request` is off), so
//! here `access-token` is the session's token, `client` is derived from that token (one
//! sign-in is one device, as devise_token_auth's clients are) and `uid` is the agent's
//! email. A call is the session's only when all three agree; `token-type` and `expiry`
//! are the client's to keep and are not checked.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

pub const ACCESS_TOKEN: &str = "access-token";
pub const TOKEN_TYPE: &str = "token-type";
pub const CLIENT: &str = "client";
pub const EXPIRY: &str = "expiry";
pub const UID: &str = "uid";

/// Every header of the scheme: allowed on cross-origin calls and exposed on their answers.
pub const HEADERS: [&str; 5] = [ACCESS_TOKEN, TOKEN_TYPE, CLIENT, EXPIRY, UID];

/// The three headers that name a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviseHeaders {
    pub token: String,
    pub client: String,
    pub uid: String,
}

impl DeviseHeaders {
    /// The headers of a call, when it sends all three (trimmed, none empty).
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Some(DeviseHeaders {
            token: get(ACCESS_TOKEN)?,
            client: get(CLIENT)?,
            uid: get(UID)?,
        })
    }

    /// Whether `client` is the one this token was given at sign-in.
    pub fn client_matches(&self) -> bool {
        client_of(&self.token) == self.client
    }
}

/// The `client` of a session: a digest of its token, so that it needs no column of its own.
/// It reveals nothing of the token (SHA-256, 32 random bytes behind it).
pub fn client_of(token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"novatalks devise client\0")
        .chain_update(token.as_bytes())
        .finalize();
    crate::random::hex(&digest[..16])
}

/// The headers `POST /auth/sign_in` answers besides its body: the session's token, its
/// client, its expiry (Unix seconds) and the agent's email. An email that is no valid
/// header value (not visible ASCII) leaves `uid` out; such an agent signs in with
/// `api_access_token` only.
pub fn sign_in_headers(token: &str, expires_at: i64, email: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let values = [
        (ACCESS_TOKEN, token.to_owned()),
        (TOKEN_TYPE, "Bearer".to_owned()),
        (CLIENT, client_of(token)),
        (EXPIRY, expires_at.to_string()),
        (UID, email.to_owned()),
    ];
    for (name, value) in values {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(token: &str, client: &str, uid: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCESS_TOKEN, HeaderValue::from_str(token).unwrap());
        h.insert(CLIENT, HeaderValue::from_str(client).unwrap());
        h.insert(UID, HeaderValue::from_str(uid).unwrap());
        h
    }

    #[test]
    fn the_headers_sign_in_gives_name_the_session_on_a_later_call() {
        let given = sign_in_headers("abc123", 1_900_000_000, "agent@demo.test");
        assert_eq!(given[TOKEN_TYPE], "Bearer");
        assert_eq!(given[EXPIRY], "1900000000");
        let back = DeviseHeaders::from_headers(&given).unwrap();
        assert_eq!(back.token, "abc123");
        assert_eq!(back.uid, "agent@demo.test");
        assert!(back.client_matches());
    }

    #[test]
    fn another_client_or_a_missing_header_is_not_the_session() {
        let other = call("abc123", &client_of("other"), "agent@demo.test");
        assert!(!DeviseHeaders::from_headers(&other)
            .unwrap()
            .client_matches());
        let mut partial = call("abc123", &client_of("abc123"), "agent@demo.test");
        partial.remove(UID);
        assert_eq!(DeviseHeaders::from_headers(&partial), None);
        let blank = call("abc123", " ", "agent@demo.test");
        assert_eq!(DeviseHeaders::from_headers(&blank), None);
    }

    #[test]
    fn clients_differ_by_token_and_do_not_show_it() {
        assert_ne!(client_of("a"), client_of("b"));
        assert_eq!(client_of("a").len(), 32);
        assert!(!client_of("abc123").contains("abc123"));
    }
}
