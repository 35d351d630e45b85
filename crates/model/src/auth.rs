use serde::{Deserialize, Serialize};

/// Body of `POST /auth/sign_in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

/// Answer of `POST /auth/sign_in`: `{"data": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInResponse {
    pub data: SignedInUser,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedInUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// A new session token, sent as the `api_access_token` header. It expires (the
    /// server's `--session-ttl-hours` after sign-in) and `DELETE /auth/sign_out` revokes
    /// it; then calls answer 401 `Invalid Access Token`.
    pub access_token: String,
    pub account_id: i64,
    #[serde(default)]
    pub accounts: Vec<AccountMembership>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountMembership {
    pub id: i64,
    pub name: String,
    pub role: String,
}

/// Answer of `GET /api/v1/profile` and `POST /api/v1/profile/reset_access_token`: the
/// signed-in agent (Chatwoot's profile, the fields this server keeps).
///
/// `access_token` is the agent's personal access token (long-lived, for integrations and
/// the Dashboard App; sent as the `api_access_token` header). The server keeps only its
/// SHA-256 digest, so the token is shown once: in the answer of `reset_access_token`,
/// which makes a new one and revokes the old. `GET /api/v1/profile` answers it as `null`
/// (stock Chatwoot shows it there; this server cannot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub access_token: Option<String>,
    pub account_id: i64,
    #[serde(default)]
    pub accounts: Vec<AccountMembership>,
}
