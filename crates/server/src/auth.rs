//! Sign-in, access tokens, and the account scope every API call runs in.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::Json;
use novatalks_model::{AccountMembership, SignInRequest, SignInResponse, SignedInUser};
use sqlx::SqlitePool;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::ApiJson;
use crate::{AppError, AppState};

const INVALID_LOGIN: &str = "Invalid login credentials";
const INVALID_TOKEN: &str = "Invalid Access Token";
const NOT_A_MEMBER: &str = "You are not authorized to access this account";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in))
}

/// The authenticated agent and the account a request is scoped to. A handler that takes
/// a `Scope` cannot run unless the token is valid and its user belongs to the account in
/// the path; every query it makes filters by `scope.account_id`.
#[derive(Debug, Clone)]
pub struct Scope {
    pub account_id: i64,
    pub user_id: i64,
    pub user_name: String,
}

impl FromRequestParts<AppState> for Scope {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get("api_access_token")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthorized(INVALID_TOKEN))?
            .to_owned();
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let account_id = params
            .iter()
            .find(|(k, _)| *k == "account_id")
            .and_then(|(_, v)| v.parse::<i64>().ok());
        let user: Option<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM users WHERE access_token = ?")
                .bind(&token)
                .fetch_optional(&state.db)
                .await?;
        let (user_id, user_name) = user.ok_or(AppError::Unauthorized(INVALID_TOKEN))?;
        let account_id = account_id.ok_or(AppError::Unauthorized(NOT_A_MEMBER))?;
        let member: Option<i64> = sqlx::query_scalar(
            "SELECT account_id FROM account_users WHERE account_id = ? AND user_id = ?",
        )
        .bind(account_id)
        .bind(user_id)
        .fetch_optional(&state.db)
        .await?;
        member.ok_or(AppError::Unauthorized(NOT_A_MEMBER))?;
        Ok(Scope {
            account_id,
            user_id,
            user_name,
        })
    }
}

/// Signs an agent in: their access token and accounts.
#[utoipa::path(post, path = "/auth/sign_in", tag = "auth", request_body = SignInRequest,
    responses((status = 200, body = SignInResponse), (status = 401, description = "Invalid login credentials")))]
async fn sign_in(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<Json<SignInResponse>, AppError> {
    let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, email, password_hash, access_token FROM users WHERE email = ?",
    )
    .bind(req.email.trim())
    .fetch_optional(&state.db)
    .await?;
    let (id, name, email, hash, access_token) = row.ok_or(AppError::Unauthorized(INVALID_LOGIN))?;
    if !verify_password(&req.password, &hash) {
        return Err(AppError::Unauthorized(INVALID_LOGIN));
    }
    let accounts: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT a.id, a.name, au.role FROM account_users au JOIN accounts a ON a.id = au.account_id
         WHERE au.user_id = ? ORDER BY a.id",
    )
    .bind(id)
    .fetch_all(&state.db)
    .await?;
    let account_id = accounts
        .first()
        .map(|a| a.0)
        .ok_or(AppError::Unauthorized(INVALID_LOGIN))?;
    Ok(Json(SignInResponse {
        data: SignedInUser {
            id,
            name,
            email,
            access_token,
            account_id,
            accounts: accounts
                .into_iter()
                .map(|(id, name, role)| AccountMembership { id, name, role })
                .collect(),
        },
    }))
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
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

/// A fresh random access token (24 bytes, hex).
pub fn new_access_token() -> Result<String, AppError> {
    Ok(random_bytes::<24>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

/// Creates a user with a hashed password and a token, member of `account_id`.
pub async fn create_user(
    db: &SqlitePool,
    account_id: i64,
    name: &str,
    email: &str,
    password: &str,
) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (name, email, password_hash, access_token, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(email)
    .bind(hash_password(password)?)
    .bind(new_access_token()?)
    .bind(crate::db::now())
    .fetch_one(db)
    .await?;
    sqlx::query(
        "INSERT INTO account_users (account_id, user_id, role) VALUES (?, ?, 'administrator')",
    )
    .bind(account_id)
    .bind(id)
    .execute(db)
    .await?;
    Ok(id)
}
