//! Account labels: `GET /labels`.

use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use novatalks_model::Label;
use serde_json::{json, Value};

use crate::auth::Scope;
use crate::{AppError, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(index))
}

/// The account's labels.
#[utoipa::path(get, path = "/labels", tag = "labels", security(("api_access_token" = [])),
    responses((status = 200, description = "`{\"payload\": [label]}`")))]
async fn index(State(state): State<AppState>, scope: Scope) -> Result<Json<Value>, AppError> {
    let rows: Vec<(i64, String, Option<String>, String, bool)> = sqlx::query_as(
        "SELECT id, title, description, color, show_on_sidebar FROM labels WHERE account_id = ? ORDER BY title",
    )
    .bind(scope.account_id)
    .fetch_all(&state.db)
    .await?;
    let payload: Vec<Label> = rows
        .into_iter()
        .map(|(id, title, description, color, show)| Label {
            id,
            title,
            description,
            color: Some(color),
            show_on_sidebar: Some(show),
        })
        .collect();
    Ok(Json(json!({ "payload": payload })))
}
