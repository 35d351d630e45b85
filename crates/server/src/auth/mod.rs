//! Sign-in, sessions, personal access tokens, and the account scope every API call runs in.
//!
//! - `POST /auth/sign_in` checks the password (off the async workers, one hash at a time
//!   per spare core, the same argon2 work for an unknown email as for a known one),
//!   throttled per email and per client address ([`throttle`]), and makes a new
//!   **session**: a random token whose SHA-256 digest is stored with a fixed expiry
//!   (`--session-ttl-hours` after sign-in). `DELETE /auth/sign_out` deletes it.
//! - The **personal access token** (Chatwoot's profile `access_token`, for integrations and
//!   the Dashboard App) does not expire; only its digest is stored, so it is shown once,
//!   by `POST /api/v1/profile/reset_access_token`, which also revokes the old one.
//! - Every call sends one or the other as the `api_access_token` header, or a session's
//!   devise_token_auth headers as Chatwoot's own dashboard does ([`devise`]); `GET
//!   /auth/validate_token` checks them as Chatwoot's does.

pub mod devise;
pub mod throttle;

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use novatalks_model::{AccountMembership, Profile, SignInRequest, SignInResponse, SignedInUser};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::throttle::SignInThrottle;
use crate::http::extract::ApiJson;
use crate::{AppError, AppState};

const INVALID_LOGIN: &str = "Invalid login credentials";
const INVALID_TOKEN: &str = "Invalid Access Token";
const NOT_A_MEMBER: &str = "You are not authorized to access this account";
const NOT_A_SESSION: &str = "This is a personal access token, not a session: it stays valid \
     until it is renewed (POST /api/v1/profile/reset_access_token)";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in))
        .routes(routes!(sign_out))
        .routes(routes!(validate_token))
        .routes(routes!(profile))
        .routes(routes!(reset_access_token))
}

/// What sign-in keeps for one server: the throttle (its state in memory on SQLite, in the
/// database shared by every server on PostgreSQL), and how many passwords it has
/// checked (the same for an unknown email as for a known one; tests read it).
#[derive(Debug, Default)]
pub struct AuthState {
    pub throttle: SignInThrottle,
    password_checks: AtomicU64,
}

impl AuthState {
    /// Argon2 verifications run so far, whether the email was known or not.
    pub fn password_checks(&self) -> u64 {
        self.password_checks.load(Ordering::Relaxed)
    }
}

/// The agent a token belongs to, whatever the account.
#[derive(Debug, Clone)]
pub struct Agent {
    pub user_id: i64,
    pub user_name: String,
    /// The session the token opened, or None for a personal access token.
    pub session_id: Option<i64>,
}

impl FromRequestParts<AppState> for Agent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let credential = Credential::from_headers(&parts.headers)
            .ok_or(AppError::Unauthorized(INVALID_TOKEN))?;
        authenticate(&state.db, &credential).await
    }
}

/// What a call signs with: `api_access_token` (a session's token or a personal access
/// token), or else a session's devise_token_auth headers.
#[derive(Debug, Clone)]
enum Credential {
    Token(String),
    Devise(devise::DeviseHeaders),
}

impl Credential {
    fn from_headers(headers: &HeaderMap) -> Option<Self> {
        header_token(headers)
            .map(|t| Credential::Token(t.to_owned()))
            .or_else(|| devise::DeviseHeaders::from_headers(headers).map(Credential::Devise))
    }
}

/// Whether a request carries any credential (a token, or devise's headers), valid or not.
pub fn has_credentials(headers: &HeaderMap) -> bool {
    Credential::from_headers(headers).is_some()
}

/// The 401 of a request without a valid credential.
pub fn unauthenticated() -> AppError {
    AppError::Unauthorized(INVALID_TOKEN)
}

fn header_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("api_access_token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// A live session's token or a personal access token, or a live session's devise headers
/// whose client and email agree with it: its agent, or 401.
async fn authenticate(db: &crate::db::Db, credential: &Credential) -> Result<Agent, AppError> {
    let row: Option<(i64, String, Option<i64>)> = match credential {
        Credential::Token(token) => {
            crate::db::query_as(
                "SELECT u.id, u.name, s.id FROM sessions s JOIN users u ON u.id = s.user_id
                  WHERE s.token_digest = ?1 AND s.expires_at > ?2
                 UNION ALL
                 SELECT id, name, NULL FROM users WHERE access_token_digest = ?1 AND access_token_hashed = TRUE
                 LIMIT 1",
            )
            .bind(token_digest(token))
            .bind(crate::db::now())
            .fetch_optional(db)
            .await?
        }
        Credential::Devise(headers) if headers.client_matches() => {
            crate::db::query_as(format!(
                "SELECT u.id, u.name, s.id FROM sessions s JOIN users u ON u.id = s.user_id
                  WHERE s.token_digest = ? AND s.expires_at > ? AND {}",
                db.engine().email_is()
            ))
            .bind(token_digest(&headers.token))
            .bind(crate::db::now())
            .bind(&headers.uid)
            .fetch_optional(db)
            .await?
        }
        Credential::Devise(_) => None,
    };
    let (user_id, user_name, session_id) = row.ok_or(AppError::Unauthorized(INVALID_TOKEN))?;
    Ok(Agent {
        user_id,
        user_name,
        session_id,
    })
}

/// The authenticated agent and the account a request is scoped to. A handler that takes
/// a `Scope` cannot run unless the token (a live session's or a personal access token)
/// is valid and its user belongs to the account in the path; every query it makes
/// filters by `scope.account_id`.
#[derive(Debug, Clone)]
pub struct Scope {
    pub account_id: i64,
    pub user_id: i64,
    pub user_name: String,
}

impl FromRequestParts<AppState> for Scope {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let credential = Credential::from_headers(&parts.headers)
            .ok_or(AppError::Unauthorized(INVALID_TOKEN))?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let account_id = params
            .iter()
            .find(|(k, _)| *k == "account_id")
            .and_then(|(_, v)| v.parse::<i64>().ok());
        let agent = authenticate(&state.db, &credential).await?;
        let account_id = account_id.ok_or(AppError::Unauthorized(NOT_A_MEMBER))?;
        let member: Option<i64> = crate::db::query_scalar(
            "SELECT account_id FROM account_users WHERE account_id = ? AND user_id = ?",
        )
        .bind(account_id)
        .bind(agent.user_id)
        .fetch_optional(&state.db)
        .await?;
        member.ok_or(AppError::Unauthorized(NOT_A_MEMBER))?;
        Ok(Scope {
            account_id,
            user_id: agent.user_id,
            user_name: agent.user_name,
        })
    }
}

/// The client's address for throttling: the connection's peer, or with `--behind-proxy`
/// the last `X-Forwarded-For` entry (the one our proxy added; earlier ones are the
/// client's to forge). None when neither is known (a router driven in-process).
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let forwarded = state
            .config
            .behind_proxy
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|ip| ip.trim().parse::<IpAddr>().ok())
            })
            .flatten();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(forwarded.or(peer)))
    }
}

/// Signs an agent in: a new session token (it expires `--session-ttl-hours` after sign-in;
/// `DELETE /auth/sign_out` revokes it) and their accounts. After 5 wrong passwords for an
/// email (or 20 from one address) further attempts are refused for a while, longer after
/// each further failure: 429 with `Retry-After`.
#[utoipa::path(post, path = "/auth/sign_in", tag = "auth", request_body = SignInRequest,
    responses((status = 200, body = SignInResponse), (status = 401, description = "Invalid login credentials"),
        (status = 429, description = "Too many sign-in attempts; try again in N seconds (Retry-After)")))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<(HeaderMap, Json<SignInResponse>), AppError> {
    let attempt = state
        .auth
        .throttle
        .begin_on(&state.db, &req.email, address)
        .await?
        .map_err(|wait| AppError::too_many("Too many sign-in attempts", wait.0))?;
    let row: Option<(i64, String, String, String)> = crate::db::query_as(format!(
        "SELECT id, name, email, password_hash FROM users WHERE {}",
        state.db.engine().email_is()
    ))
    .bind(req.email.trim())
    .fetch_optional(&state.db)
    .await?;
    // An unknown email is checked against a dummy hash: the same work, the same time.
    let hash = row
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_owned(), |r| r.3.clone());
    state.auth.password_checks.fetch_add(1, Ordering::Relaxed);
    let verified = verify_password_off_workers(req.password, hash).await?;
    let (id, name, email) = match row {
        Some((id, name, email, _)) if verified => (id, name, email),
        _ => {
            attempt.failed().await?;
            return Err(AppError::Unauthorized(INVALID_LOGIN));
        }
    };
    attempt.succeeded().await?;
    let accounts = memberships(&state.db, id).await?;
    let account_id = accounts
        .first()
        .map(|a| a.id)
        .ok_or(AppError::Unauthorized(INVALID_LOGIN))?;
    let session = create_session(&state.db, id, state.config.session_ttl_hours).await?;
    let headers = devise::sign_in_headers(&session.token, session.expires_at, &email);
    let body = SignInResponse {
        data: SignedInUser {
            id,
            name,
            email,
            access_token: session.token,
            account_id,
            accounts,
        },
    };
    Ok((headers, Json(body)))
}

/// Signs the session that calls it out: its token is refused from now on (401
/// `Invalid Access Token`). Answers `{"success": true}`. A personal access token is not a
/// session (422); renew it to revoke it.
#[utoipa::path(delete, path = "/auth/sign_out", tag = "auth", security(("api_access_token" = [])),
    responses((status = 200, description = "{\"success\": true}"), (status = 401, description = "Invalid Access Token"),
        (status = 422, description = "A personal access token is not a session")))]
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let credential =
        Credential::from_headers(&headers).ok_or(AppError::Unauthorized(INVALID_TOKEN))?;
    let digest = match &credential {
        Credential::Token(token) => token_digest(token),
        // Devise headers name a session only when their client and email agree.
        Credential::Devise(devise) => {
            authenticate(&state.db, &credential).await?;
            token_digest(&devise.token)
        }
    };
    let deleted = crate::db::query("DELETE FROM sessions WHERE token_digest = ?")
        .bind(&digest)
        .execute(&state.db)
        .await?
        .rows_affected();
    if deleted > 0 {
        return Ok(Json(json!({ "success": true })).into_response());
    }
    match authenticate(&state.db, &credential).await {
        Ok(_) => Err(AppError::Unprocessable(NOT_A_SESSION.to_owned())),
        Err(e) => Err(e),
    }
}

/// devise_token_auth's check of a signed-in client, as Chatwoot's dashboard calls it on
/// load: `{"payload": {"success": true, "data": {…the agent…}}}` with the agent's id,
/// `uid` (the email), name, email, first account and role, and every account; else 401
/// `{"success": false, "errors": ["Invalid login credentials"]}`. Takes the devise headers
/// or `api_access_token`.
#[utoipa::path(get, path = "/auth/validate_token", tag = "auth",
    responses((status = 200, description = "{\"payload\": {\"success\": true, \"data\": {...}}}"),
        (status = 401, description = "{\"success\": false, \"errors\": [\"Invalid login credentials\"]}")))]
async fn validate_token(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let invalid = || {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            Json(json!({ "success": false, "errors": [INVALID_LOGIN] })),
        )
            .into_response()
    };
    let Some(credential) = Credential::from_headers(&headers) else {
        return invalid();
    };
    let profile = match authenticate(&state.db, &credential).await {
        Ok(agent) => load_profile(&state.db, agent.user_id, None).await,
        Err(e) => Err(e),
    };
    match profile {
        Ok(p) => {
            let role = p.accounts.first().map(|a| a.role.clone());
            Json(json!({ "payload": { "success": true, "data": {
                "id": p.id,
                "provider": "email",
                "uid": p.email,
                "name": p.name,
                "email": p.email,
                "account_id": p.account_id,
                "role": role,
                "confirmed": true,
                "accounts": p.accounts,
            }}}))
            .into_response()
        }
        Err(AppError::Unauthorized(_)) => invalid(),
        Err(e) => e.into_response(),
    }
}

/// The signed-in agent's profile. `access_token` is `null`: the server keeps only a digest
/// of the personal access token, which is shown once, by `reset_access_token`.
#[utoipa::path(get, path = "/api/v1/profile", tag = "auth", security(("api_access_token" = [])),
    responses((status = 200, body = Profile), (status = 401, description = "Invalid Access Token")))]
async fn profile(State(state): State<AppState>, agent: Agent) -> Result<Json<Profile>, AppError> {
    Ok(Json(load_profile(&state.db, agent.user_id, None).await?))
}

/// Makes a new personal access token for the calling agent and revokes the old one (calls
/// with it answer 401 from now on). The answer is the profile with the new
/// `access_token`, the only time it is shown. Sessions stay signed in.
#[utoipa::path(post, path = "/api/v1/profile/reset_access_token", tag = "auth", security(("api_access_token" = [])),
    responses((status = 200, body = Profile), (status = 401, description = "Invalid Access Token")))]
async fn reset_access_token(
    State(state): State<AppState>,
    agent: Agent,
) -> Result<Json<Profile>, AppError> {
    let token = renew_access_token(&state.db, agent.user_id).await?;
    Ok(Json(
        load_profile(&state.db, agent.user_id, Some(token)).await?,
    ))
}

async fn load_profile(
    db: &crate::db::Db,
    user_id: i64,
    access_token: Option<String>,
) -> Result<Profile, AppError> {
    let (id, name, email): (i64, String, String) =
        crate::db::query_as("SELECT id, name, email FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_optional(db)
            .await?
            .ok_or(AppError::Unauthorized(INVALID_TOKEN))?;
    let accounts = memberships(db, id).await?;
    Ok(Profile {
        id,
        name,
        email,
        access_token,
        account_id: accounts.first().map_or(0, |a| a.id),
        accounts,
    })
}

async fn memberships(db: &crate::db::Db, user_id: i64) -> Result<Vec<AccountMembership>, AppError> {
    let rows: Vec<(i64, String, String)> = crate::db::query_as(
        "SELECT a.id, a.name, au.role FROM account_users au JOIN accounts a ON a.id = au.account_id
         WHERE au.user_id = ? ORDER BY a.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, role)| AccountMembership { id, name, role })
        .collect())
}

/// A session just made: its token (the database keeps only its digest) and when it
/// expires (Unix seconds).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub expires_at: i64,
}

/// A new session for `user_id`, valid `ttl_hours` from now. The user's expired sessions
/// are deleted on the way.
pub async fn create_session(
    db: &crate::db::Db,
    user_id: i64,
    ttl_hours: u64,
) -> Result<NewSession, AppError> {
    let now = crate::db::now();
    let ttl = i64::try_from(ttl_hours.saturating_mul(3600)).unwrap_or(i64::MAX / 2);
    let expires_at = now.saturating_add(ttl);
    crate::db::query("DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?")
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    let token = new_token()?;
    crate::db::query(
        "INSERT INTO sessions (user_id, token_digest, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(token_digest(&token))
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(NewSession { token, expires_at })
}

/// Gives `user_id` a new personal access token, revoking the old one; returns it (the
/// database keeps its digest).
pub async fn renew_access_token(db: &crate::db::Db, user_id: i64) -> Result<String, AppError> {
    let token = new_token()?;
    let updated = crate::db::query(
        "UPDATE users SET access_token_digest = ?, access_token_hashed = TRUE WHERE id = ?",
    )
    .bind(token_digest(&token))
    .bind(user_id)
    .execute(db)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::Unauthorized(INVALID_TOKEN));
    }
    Ok(token)
}

/// Hashes the personal access tokens still stored in clear (those from before migration
/// 0014). Runs after migrating, so none is left once the server has started.
pub async fn hash_clear_tokens(db: &crate::db::Db) -> Result<u64, AppError> {
    let clear: Vec<(i64, String)> = crate::db::query_as(
        "SELECT id, access_token_digest FROM users WHERE access_token_hashed = FALSE",
    )
    .fetch_all(db)
    .await?;
    let mut hashed = 0;
    for (id, token) in clear {
        hashed += crate::db::query(
            "UPDATE users SET access_token_digest = ?, access_token_hashed = TRUE
              WHERE id = ? AND access_token_hashed = FALSE",
        )
        .bind(token_digest(&token))
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
    }
    Ok(hashed)
}

/// The hex SHA-256 of a token: what the database keeps. Tokens are 32 random bytes, so a
/// fast hash is enough (nothing to guess); passwords get argon2.
pub fn token_digest(token: &str) -> String {
    crate::random::hex(&Sha256::digest(token.as_bytes()))
}

/// A fresh random token (32 bytes, hex): sessions and personal access tokens.
pub fn new_token() -> Result<String, AppError> {
    crate::random::hex_token::<32>()
}

/// What an unknown email's password is checked against: an argon2 hash with the default
/// parameters, of a random password nobody knows (its salt and digest are fixed here;
/// `the_dummy_hash_costs_what_a_real_one_does` checks its parameters are the default).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2lnbi1pbi1kdW1teS1zYWx0$SbB1XrjUHCJ4Us0sbB3NlZEVs0dWnMAFPwNXeiYV8V8";

/// Argon2 runs on the blocking pool, and at most this many at once: every core but one,
/// so sign-ins (or a flood of them) never take all the cores from the rest of the API.
static HASHING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Arc::new(Semaphore::new(cores.saturating_sub(1).max(1)))
});

/// Runs `work` off the async workers once a hashing slot is free. The slot stays taken
/// until the work ends, even if the request is abandoned meanwhile.
async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = Arc::clone(&HASHING)
        .acquire_owned()
        .await
        .map_err(|e| AppError::internal(format!("hashing pool closed: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let out = work();
        drop(permit);
        out
    })
    .await
    .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

async fn verify_password_off_workers(password: String, hash: String) -> Result<bool, AppError> {
    off_workers(move || verify_password(&password, &hash)).await
}

/// An argon2 hash of `password`, computed off the async workers.
pub async fn hash_password_off_workers(password: String) -> Result<String, AppError> {
    off_workers(move || hash_password(&password)).await?
}

/// An argon2 hash of `password` (CPU-heavy: in async code use
/// [`hash_password_off_workers`]).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&crate::random::bytes::<16>()?)
        .map_err(|e| AppError::internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Creates a user with a hashed password, member of `account_id`; returns its id. Its
/// personal access token is random and never shown: [`create_user_with_token`] returns
/// one.
pub async fn create_user(
    db: &crate::db::Db,
    account_id: i64,
    name: &str,
    email: &str,
    password: &str,
) -> Result<i64, AppError> {
    Ok(
        create_user_with_token(db, account_id, name, email, password)
            .await?
            .0,
    )
}

/// Creates a user like [`create_user`]: (its id, its personal access token in clear, the
/// only time it is known; the database keeps its digest).
pub async fn create_user_with_token(
    db: &crate::db::Db,
    account_id: i64,
    name: &str,
    email: &str,
    password: &str,
) -> Result<(i64, String), AppError> {
    let token = new_token()?;
    let password_hash = hash_password_off_workers(password.to_owned()).await?;
    // The user and its membership together: no user without its account.
    let mut tx = crate::db::write_tx(db).await?;
    let id: i64 = crate::db::query_scalar(
        "INSERT INTO users (name, email, password_hash, access_token_digest, access_token_hashed, created_at)
         VALUES (?, ?, ?, ?, TRUE, ?) RETURNING id",
    )
    .bind(name)
    .bind(email)
    .bind(password_hash)
    .bind(token_digest(&token))
    .bind(crate::db::now())
    .fetch_one(&mut tx)
    .await?;
    crate::db::query(
        "INSERT INTO account_users (account_id, user_id, role) VALUES (?, ?, 'administrator')",
    )
    .bind(account_id)
    .bind(id)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok((id, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(DUMMY_HASH).expect("a PHC string");
        let real_hash = hash_password("x").expect("hash");
        let real = PasswordHash::new(&real_hash).expect("a PHC string");
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(
            dummy.hash.map(|h| h.len()),
            real.hash.map(|h| h.len()),
            "same output length"
        );
        assert!(!verify_password("", DUMMY_HASH));
    }

    #[test]
    fn a_token_digest_is_sha256_hex() {
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let token = new_token().unwrap();
        assert_eq!(token.len(), 64, "32 random bytes");
        assert_ne!(token, new_token().unwrap());
    }
}
