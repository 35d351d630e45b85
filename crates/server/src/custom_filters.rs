//! Saved segments (Chatwoot's custom filters): a named contact filter, private to the
//! agent who saved it. Another agent's segment, or another account's, is a 404.
//!
//! As in Chatwoot, the body may come wrapped (`{"custom_filter":{…}}`) or bare (Rails
//! wraps JSON parameters itself), and a list without `filter_type` is of conversation
//! filters. Those (Chatwoot's dashboard saves its conversation folders here) are kept
//! too, as Chatwoot keeps them: their query must be a JSON object and is otherwise not
//! read (this server runs no conversation filter), and they count towards the same
//! per-agent cap; they never show among contact segments. A contact segment's query
//! is validated exactly like a `POST /contacts/filter` body, and kept exactly as sent: Chatwoot's dashboard rebuilds
//! its editor from keys the filter does not read (`attribute_model`,
//! `custom_attribute_type`…), so they read back as they came. Times are ISO 8601, as
//! Chatwoot's view renders them.
//!
//! No `count` key: one version of Chatwoot's `_custom_filter` view writes
//! `count: resource.records_count`, a figure kept in Redis by background jobs (its
//! sidebar-count work, chatwoot/chatwoot#7164), which the released model does not define.
//! Here it would mean running every segment's filter on each list call; it is left out
//! rather than answered wrong or slowly.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use novatalks_model::filter::{segment_name, FilterRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::contacts::validate_filter;
use crate::http::extract::PathParams;
use crate::http::extract::{Envelope, Enveloped, QueryPairs};
use crate::{AppError, AppState};

/// The filter type whose query this server checks and runs.
const CONTACT: &str = "contact";
/// Chatwoot's other filter type this server keeps (as it comes, unchecked).
const CONVERSATION: &str = "conversation";
/// The types a segment may be saved with.
const KEPT_TYPES: [&str; 2] = [CONVERSATION, CONTACT];
/// Chatwoot's filter types, in its enum order; a list of `report` is empty here.
const FILTER_TYPES: [&str; 3] = ["conversation", "contact", "report"];
/// Chatwoot's default when a list request names no type.
const DEFAULT_FILTER_TYPE: &str = "conversation";
/// Segments one agent may keep in one account, as Chatwoot
/// (`Limits::MAX_CUSTOM_FILTERS_PER_USER`).
pub const MAX_SEGMENTS_PER_AGENT: i64 = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index, create))
        .routes(routes!(show, update, replace, destroy))
}

#[derive(Debug, sqlx::FromRow)]
struct SegmentRow {
    id: i64,
    name: String,
    filter_type: String,
    query: String,
    created_at: i64,
    updated_at: i64,
}

/// A saved segment as Chatwoot's view renders it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct CustomFilter {
    id: i64,
    name: String,
    /// `contact` or `conversation` (Chatwoot also has `report`).
    filter_type: String,
    /// As saved, every key of it.
    #[schema(value_type = FilterRequest)]
    query: Value,
    /// ISO 8601 in UTC, with milliseconds, as Rails renders a time.
    created_at: String,
    updated_at: String,
}

impl From<SegmentRow> for CustomFilter {
    fn from(row: SegmentRow) -> Self {
        CustomFilter {
            id: row.id,
            name: row.name,
            filter_type: row.filter_type,
            // Written by this module from a validated request, so it parses.
            query: serde_json::from_str(&row.query).unwrap_or_default(),
            created_at: rails_time(row.created_at),
            updated_at: rails_time(row.updated_at),
        }
    }
}

/// Unix seconds as Rails renders a time in JSON: `2026-12-04T01:02:03.000Z`.
pub fn rails_time(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// What a segment is saved with; on `PATCH`, what is left out stays as it was.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct CustomFilterInput {
    #[serde(default)]
    name: Option<String>,
    /// `contact` or `conversation`, or Chatwoot's enum number of it (`1`, `0`, as
    /// Chatwoot's dashboard sends it). Left out on create: `conversation`, Chatwoot's
    /// default.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    filter_type: Option<Value>,
    /// `{"payload": [conditions]}`, checked like a filter (a contact segment's) and kept
    /// as sent.
    #[serde(default)]
    #[schema(value_type = Option<FilterRequest>)]
    query: Option<Value>,
}

/// The columns of [`SEGMENT_SELECT`], for `RETURNING`.
const SEGMENT_COLUMNS: &str = "id, name, filter_type, query, created_at, updated_at";
const SEGMENT_SELECT: &str =
    "SELECT id, name, filter_type, query, created_at, updated_at FROM custom_filters";

/// The calling agent's own segment in this account, or 404.
async fn own_segment(db: &crate::db::Db, scope: &Scope, id: i64) -> Result<SegmentRow, AppError> {
    crate::db::query_as(format!(
        "{SEGMENT_SELECT} WHERE id = ? AND account_id = ? AND user_id = ?"
    ))
    .bind(id)
    .bind(scope.account_id)
    .bind(scope.user_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

/// A segment's fields come wrapped in `custom_filter`, as Chatwoot's dashboard sends them,
/// or bare.
impl Envelope for CustomFilterInput {
    const KEY: &'static str = "custom_filter";
}

/// A segment's name and type as sent (`None` when left out of a `PATCH`), or their
/// problems as a record validation error.
fn check_fields(
    input: &CustomFilterInput,
    creating: bool,
) -> Result<(Option<String>, Option<&'static str>), AppError> {
    let mut messages = Vec::new();
    let mut attributes = Vec::new();
    let name = match (&input.name, creating) {
        (None, false) => None,
        (name, _) => match segment_name(name.as_deref().unwrap_or("")) {
            Ok(name) => Some(name),
            Err(message) => {
                messages.push(message);
                attributes.push("name".to_owned());
                None
            }
        },
    };
    let mut kind = None;
    if let Some(sent) = &input.filter_type {
        let text = match sent {
            Value::String(text) => Some(text.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match text.as_deref().map(filter_type_name) {
            Some(name) => match KEPT_TYPES.iter().find(|t| **t == name) {
                Some(kept) => kind = Some(*kept),
                None => {
                    messages.push(format!(
                        "Filter type must be contact or conversation (this server keeps no \
                         report filters), not '{name}'"
                    ));
                    attributes.push("filter_type".to_owned());
                }
            },
            None => {
                messages.push(
                    "Filter type must be contact or conversation (or their numbers, 1 and 0)"
                        .to_owned(),
                );
                attributes.push("filter_type".to_owned());
            }
        }
    }
    if !messages.is_empty() {
        return Err(AppError::Invalid {
            message: messages.join(", "),
            attributes,
        });
    }
    Ok((name, kind))
}

/// A filter type by name, or by Chatwoot's enum number (`0` conversation, `1` contact,
/// `2` report), trimmed.
fn filter_type_name(text: &str) -> &str {
    let text = text.trim();
    text.parse::<usize>()
        .ok()
        .and_then(|n| FILTER_TYPES.get(n).copied())
        .unwrap_or(text)
}

/// A query checked for its type, as the text to store: what was sent, every key of it.
/// A contact segment's is checked like a filter; a conversation segment's only has to be
/// a JSON object, as Chatwoot's permitted `query: {}` (this server does not run it).
async fn checked_query(
    db: &crate::db::Db,
    scope: &Scope,
    kind: &str,
    query: &Value,
) -> Result<String, AppError> {
    if kind != CONTACT {
        if !query.is_object() {
            return Err(AppError::Unprocessable(
                "'query' must be an object (a conversation filter's conditions, \
                 {\"payload\": [...]})"
                    .to_owned(),
            ));
        }
        return serde_json::to_string(query)
            .map_err(|e| AppError::internal(format!("saving a filter query: {e}")));
    }
    let conditions: FilterRequest = match query {
        Value::Object(_) => serde_json::from_value(query.clone()).ok(),
        _ => None,
    }
    .ok_or_else(|| {
        AppError::Unprocessable(
            "'query' must be an object with a payload: a list of filter conditions \
             ({\"payload\": [{\"attribute_key\", \"filter_operator\", \"values\", \"query_operator\"}]})"
                .to_owned(),
        )
    })?;
    validate_filter(db, scope.account_id, &conditions.payload).await?;
    serde_json::to_string(query)
        .map_err(|e| AppError::internal(format!("saving a filter query: {e}")))
}

/// The refusal of a segment past [`MAX_SEGMENTS_PER_AGENT`], in Chatwoot's words.
fn over_the_limit() -> AppError {
    AppError::invalid(
        "account_id",
        format!(
            "Account Limit reached. The maximum number of allowed custom filters for a user \
             per account is {MAX_SEGMENTS_PER_AGENT}. Delete a saved segment first."
        ),
    )
}

/// The calling agent's segments of one type, oldest first.
#[utoipa::path(get, path = "/custom_filters", tag = "custom_filters", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("filter_type" = Option<String>, Query, description = "conversation (0, Chatwoot's default), contact (1) or report (2, none here)"),
    ),
    responses((status = 200, body = Vec<CustomFilter>), (status = 401), (status = 422, description = "Unknown filter_type")))]
async fn index(
    State(state): State<AppState>,
    scope: Scope,
    query: QueryPairs,
) -> Result<Json<Vec<CustomFilter>>, AppError> {
    let filter_type = query
        .get("filter_type")
        .map(filter_type_name)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_FILTER_TYPE);
    if !FILTER_TYPES.contains(&filter_type) {
        return Err(AppError::Unprocessable(format!(
            "filter_type must be one of {}, not '{filter_type}'",
            FILTER_TYPES.join(", ")
        )));
    }
    let rows: Vec<SegmentRow> = crate::db::query_as(format!(
        "{SEGMENT_SELECT} WHERE account_id = ? AND user_id = ? AND filter_type = ? ORDER BY id"
    ))
    .bind(scope.account_id)
    .bind(scope.user_id)
    .bind(filter_type)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.into_iter().map(CustomFilter::from).collect()))
}

/// Saves a contact (or conversation) segment for the calling agent.
#[utoipa::path(post, path = "/custom_filters", tag = "custom_filters", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body(content = CustomFilterInput, description = "Wrapped in `custom_filter` (`{\"custom_filter\": {…}}`, as Chatwoot's dashboard sends it) or bare"),
    responses((status = 200, body = CustomFilter), (status = 401),
        (status = 422, description = "Name blank or over 100 characters, a type other than contact or conversation, a wrong condition, or 1,000 segments already")))]
async fn create(
    State(state): State<AppState>,
    scope: Scope,
    Enveloped(input): Enveloped<CustomFilterInput>,
) -> Result<Json<CustomFilter>, AppError> {
    let (name, kind) = check_fields(&input, true)?;
    let name = name.unwrap_or_default();
    let kind = kind.unwrap_or(DEFAULT_FILTER_TYPE);
    let query = match input.query {
        Some(query) => query,
        // Chatwoot cannot store a filter without its (NOT NULL) query either.
        None if kind != CONTACT => {
            return Err(AppError::Unprocessable(
                "'query' is required: the conversation filter's conditions, as an object"
                    .to_owned(),
            ))
        }
        // A contact segment without one is refused by the filter check, in its words.
        None => serde_json::json!({"payload": []}),
    };
    let query = checked_query(&state.db, &scope, kind, &query).await?;
    let now = crate::db::now();
    // The cap is checked by the insert itself, so two saves at once cannot pass it.
    let id: Option<i64> = crate::db::query_scalar(
        "INSERT INTO custom_filters (account_id, user_id, name, filter_type, query, created_at, updated_at)
         SELECT ?, ?, ?, ?, ?, ?, ?
         WHERE (SELECT count(*) FROM custom_filters WHERE account_id = ? AND user_id = ?) < ?
         RETURNING id",
    )
    .bind(scope.account_id)
    .bind(scope.user_id)
    .bind(&name)
    .bind(kind)
    .bind(&query)
    .bind(now)
    .bind(now)
    .bind(scope.account_id)
    .bind(scope.user_id)
    .bind(MAX_SEGMENTS_PER_AGENT)
    .fetch_optional(&state.db)
    .await?;
    let id = id.ok_or_else(over_the_limit)?;
    Ok(Json(own_segment(&state.db, &scope, id).await?.into()))
}

/// One of the calling agent's segments.
#[utoipa::path(get, path = "/custom_filters/{id}", tag = "custom_filters", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Segment id")),
    responses((status = 200, body = CustomFilter), (status = 401), (status = 404)))]
async fn show(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<CustomFilter>, AppError> {
    Ok(Json(
        own_segment(&state.db, &scope, path.id("id")?).await?.into(),
    ))
}

/// Renames a segment, replaces its query or changes its type; what the body leaves out
/// stays. A segment turned into a contact segment has its (new or kept) query checked.
#[utoipa::path(patch, path = "/custom_filters/{id}", tag = "custom_filters", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Segment id")),
    request_body(content = CustomFilterInput, description = "Wrapped in `custom_filter` or bare"),
    responses((status = 200, body = CustomFilter), (status = 401), (status = 404), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
    Enveloped(input): Enveloped<CustomFilterInput>,
) -> Result<Json<CustomFilter>, AppError> {
    let id = path.id("id")?;
    let stored = own_segment(&state.db, &scope, id).await?;
    let (name, kind) = check_fields(&input, false)?;
    let becomes = kind.unwrap_or(if stored.filter_type == CONTACT {
        CONTACT
    } else {
        CONVERSATION
    });
    let query = match &input.query {
        Some(q) => Some(checked_query(&state.db, &scope, becomes, q).await?),
        None if becomes == CONTACT && stored.filter_type != CONTACT => {
            let kept: Value = serde_json::from_str(&stored.query).unwrap_or_default();
            Some(checked_query(&state.db, &scope, becomes, &kept).await?)
        }
        None => None,
    };
    // Written and read back in one statement: the answer is this update, and a delete
    // of the segment since the check above is a 404.
    let row: SegmentRow = crate::db::query_as(format!(
        "UPDATE custom_filters SET name = coalesce(?, name), filter_type = coalesce(?, filter_type),
                query = coalesce(?, query), updated_at = ?
         WHERE id = ? AND account_id = ? AND user_id = ?
         RETURNING {SEGMENT_COLUMNS}"
    ))
    .bind(name)
    .bind(kind)
    .bind(query)
    .bind(crate::db::now())
    .bind(id)
    .bind(scope.account_id)
    .bind(scope.user_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Json(row.into()))
}

/// `PUT` does what `PATCH` does, as Rails routes both to `update`.
#[utoipa::path(put, path = "/custom_filters/{id}", tag = "custom_filters", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Segment id")),
    request_body(content = CustomFilterInput, description = "Wrapped in `custom_filter` or bare"),
    responses((status = 200, body = CustomFilter), (status = 401), (status = 404), (status = 422)))]
async fn replace(
    state: State<AppState>,
    scope: Scope,
    path: PathParams,
    body: Enveloped<CustomFilterInput>,
) -> Result<Json<CustomFilter>, AppError> {
    update(state, scope, path, body).await
}

/// Deletes one of the calling agent's segments: 204, no body, as Chatwoot.
#[utoipa::path(delete, path = "/custom_filters/{id}", tag = "custom_filters", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Segment id")),
    responses((status = 204, description = "Deleted; no body"), (status = 401), (status = 404)))]
async fn destroy(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<StatusCode, AppError> {
    let deleted = crate::db::query(
        "DELETE FROM custom_filters WHERE id = ? AND account_id = ? AND user_id = ?",
    )
    .bind(path.id("id")?)
    .bind(scope.account_id)
    .bind(scope.user_id)
    .execute(&state.db)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
