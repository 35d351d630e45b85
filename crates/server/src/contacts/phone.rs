//! [ext] `GET /phone_numbers/normalize`: a phone number as a contact would store it, so a
//! form can show the normalised number while the agent types.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::validate::{normalize_phone, phone_exists};
use super::write::account_default_region;
use crate::auth::Scope;
use crate::http::extract::QueryPairs;
use crate::{AppError, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(normalize))
}

/// A phone number in E.164.
#[derive(Debug, Serialize, ToSchema)]
pub struct NormalizedPhone {
    /// E.164, e.g. `+380677654321`.
    pub phone_number: String,
    /// [ext] Whether a country has this number. A number written in E.164 that none has
    /// (`+1 555 042 7098`) is still stored as written, as Chatwoot stores it; a form
    /// warns about it.
    pub exists: bool,
}

/// [ext] The E.164 form a contact's phone `number` would be stored in: any common national
/// or international writing, a national number read in the account's country; a number
/// written in E.164 that no country has comes back as written with `exists: false`. What
/// is no number is a 422 saying so, as creating the contact would.
#[utoipa::path(get, path = "/phone_numbers/normalize", tag = "contacts", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("number" = String, Query, description = "A phone number as typed: \"067 765 43 21\", \"+380 67 765 43 21\""),
    ),
    responses((status = 200, body = NormalizedPhone), (status = 401),
        (status = 422, description = "Not a valid phone number; the message says how to write one")))]
pub async fn normalize(
    State(state): State<AppState>,
    scope: Scope,
    query: QueryPairs,
) -> Result<Json<NormalizedPhone>, AppError> {
    let number = query.get("number").unwrap_or("");
    let mut conn = state.db.acquire().await?;
    let region = account_default_region(&mut conn, scope.account_id).await?;
    normalize_phone(number, &region)
        .map(|phone_number| {
            let exists = phone_exists(&phone_number);
            Json(NormalizedPhone {
                phone_number,
                exists,
            })
        })
        .map_err(|message| AppError::invalid("phone_number", message))
}
