use std::fmt;

use serde::Deserialize;

/// Why an API call failed. `Clone` so it can live in signals and resources.
///
/// Its `Display` is for logs; the words an agent reads come from `i18n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server refused the session's token (a 401 on a call that carried one), or there
    /// is no session at all: the agent has to sign in again.
    Unauthorized,
    /// Any other answer that is not a success, with the message of its JSON body
    /// (`error`, as Chatwoot sends, or `message` for validation failures); empty when the
    /// body had neither.
    Http { status: u16, message: String },
    /// No answer arrived (offline, server down, request refused by the browser).
    Network(String),
    /// An answer arrived but was not the JSON the endpoint promises.
    Decode(String),
}

impl ApiError {
    /// The error for a non-success answer. `authenticated` tells whether the request carried
    /// a token: a 401 then means the session is over, while on `POST /auth/sign_in` it means
    /// wrong credentials, which the sign-in form shows like any other message.
    pub fn from_response(status: u16, body: &str, authenticated: bool) -> Self {
        if status == 401 && authenticated {
            return ApiError::Unauthorized;
        }
        ApiError::Http {
            status,
            message: body_message(body).unwrap_or_default(),
        }
    }
}

/// The human-readable message of an error body: `{"error": …}` or `{"message": …}`.
pub fn body_message(body: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: Option<String>,
        message: Option<String>,
    }
    let parsed: ErrorBody = serde_json::from_str(body).ok()?;
    [parsed.error, parsed.message]
        .into_iter()
        .flatten()
        .map(|m| m.trim().to_owned())
        .find(|m| !m.is_empty())
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unauthorized => f.write_str("unauthorized"),
            ApiError::Http { status, message } => write!(f, "HTTP {status}: {message}"),
            ApiError::Network(detail) => write!(f, "network error: {detail}"),
            ApiError::Decode(detail) => write!(f, "unexpected answer: {detail}"),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_comes_from_error_or_message_field() {
        assert_eq!(
            body_message(r#"{"error":"Invalid login credentials"}"#).as_deref(),
            Some("Invalid login credentials")
        );
        assert_eq!(
            body_message(r#"{"message":"Email has already been taken","attributes":["email"]}"#)
                .as_deref(),
            Some("Email has already been taken")
        );
        assert_eq!(
            body_message(r#"{"error":"  ","message":"m"}"#).as_deref(),
            Some("m")
        );
        assert_eq!(body_message("<html>502 Bad Gateway</html>"), None);
        assert_eq!(body_message(r#"{"error":42}"#), None);
    }

    #[test]
    fn a_401_ends_the_session_only_when_a_token_was_sent() {
        let body = r#"{"error":"Invalid Access Token"}"#;
        assert_eq!(
            ApiError::from_response(401, body, true),
            ApiError::Unauthorized
        );
        assert_eq!(
            ApiError::from_response(401, r#"{"error":"Invalid login credentials"}"#, false),
            ApiError::Http {
                status: 401,
                message: "Invalid login credentials".into()
            }
        );
        assert_eq!(
            ApiError::from_response(502, "Bad Gateway", true),
            ApiError::Http {
                status: 502,
                message: String::new()
            }
        );
    }
}
