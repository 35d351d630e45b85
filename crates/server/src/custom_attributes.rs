//! Custom attribute definitions: `GET` and `POST /custom_attribute_definitions`, `GET`,
//! `PATCH` and `DELETE /custom_attribute_definitions/{id}`, and the loader other modules
//! use to type contact attributes.
//!
//! An update changes what agents see and may enter (display name, description, the
//! choices of a list, the pattern and its cue) and, as in Chatwoot, the key (contacts'
//! values stay under the old key, as after a delete); the model and the display type
//! stay, since contacts' values are typed by them. A delete, as in Chatwoot, leaves the
//! values contacts have under the key.
//!
//! Answers are Chatwoot's view of a definition: its keys (`default_value`, always null:
//! Chatwoot's API does not set it), ISO 8601 `created_at` and `updated_at`. Chatwoot's
//! enums may come as names or as their numbers (`attribute_display_type: 6`,
//! `attribute_model: 1`), as the swagger's example sends them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use novatalks_model::custom_attribute::{CONTACT_ATTRIBUTE, DISPLAY_TYPES};
use novatalks_model::rules::{
    self, MAX_CHOICES, MAX_DEFINITION_KEY_CHARS, MAX_DESCRIPTION_CHARS, MAX_PATTERN_CHARS,
    MAX_TEXT_CHARS,
};
use novatalks_model::{CustomAttributeDefinition, FieldProblem};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::contacts::validate::{compile_pattern, optional_text, Problems};
use crate::contacts::wording::words;
use crate::http::body::Field;
use crate::http::extract::{Envelope, Enveloped, PathParams, QueryPairs};
use crate::{AppError, AppState};

/// Chatwoot's attribute models, by name and by its enum number.
const MODELS: [(&str, &str); 3] = [
    ("conversation_attribute", "0"),
    (CONTACT_ATTRIBUTE, "1"),
    ("company_attribute", "2"),
];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index, create))
        .routes(routes!(show, update, replace, destroy))
}

#[derive(sqlx::FromRow)]
struct DefinitionRow {
    id: i64,
    attribute_key: String,
    attribute_display_name: String,
    attribute_display_type: String,
    attribute_values: String,
    attribute_model: String,
    regex_pattern: Option<String>,
    regex_cue: Option<String>,
    attribute_description: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl From<DefinitionRow> for CustomAttributeDefinition {
    fn from(r: DefinitionRow) -> Self {
        CustomAttributeDefinition {
            id: r.id,
            attribute_key: r.attribute_key,
            attribute_display_name: r.attribute_display_name,
            attribute_display_type: r.attribute_display_type,
            attribute_values: serde_json::from_str(&r.attribute_values).unwrap_or_default(),
            attribute_model: r.attribute_model,
            regex_pattern: r.regex_pattern,
            regex_cue: r.regex_cue,
            attribute_description: r.attribute_description,
            created_at: Some(r.created_at),
        }
    }
}

/// A definition as Chatwoot's view renders it (and [ext] `regex_cue`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DefinitionView {
    id: i64,
    attribute_key: String,
    attribute_display_name: String,
    /// One of text, number, currency, percent, link, date, list, checkbox.
    attribute_display_type: String,
    /// The choices of a `list` attribute; empty for the other types.
    attribute_values: Vec<String>,
    attribute_model: String,
    regex_pattern: Option<String>,
    regex_cue: Option<String>,
    attribute_description: Option<String>,
    /// Always null: Chatwoot's API takes no default value either.
    #[schema(value_type = Option<String>)]
    default_value: Option<Value>,
    /// ISO 8601 in UTC, as Rails renders a time.
    created_at: String,
    updated_at: String,
}

impl From<DefinitionRow> for DefinitionView {
    fn from(r: DefinitionRow) -> Self {
        DefinitionView {
            id: r.id,
            attribute_key: r.attribute_key,
            attribute_display_name: r.attribute_display_name,
            attribute_display_type: r.attribute_display_type,
            attribute_values: serde_json::from_str(&r.attribute_values).unwrap_or_default(),
            attribute_model: r.attribute_model,
            regex_pattern: r.regex_pattern,
            regex_cue: r.regex_cue,
            attribute_description: r.attribute_description,
            default_value: None,
            created_at: crate::custom_filters::rails_time(r.created_at),
            updated_at: crate::custom_filters::rails_time(r.updated_at),
        }
    }
}

/// The columns of a [`DefinitionRow`]. A definition made before its `updated_at` was
/// kept (migrations sqlite/0020, postgres/0009), or by an import, was last changed when
/// it was made.
const DEFINITION_COLUMNS: &str =
    "id, attribute_key, attribute_display_name, attribute_display_type,
    attribute_values, attribute_model, regex_pattern, regex_cue, attribute_description, created_at,
    coalesce(updated_at, created_at) AS updated_at";

/// Chatwoot's enum numbers of the display types, in order (text 0 … checkbox 7).
const DISPLAY_TYPE_NUMBERS: [&str; 8] = DISPLAY_TYPES;
/// Chatwoot's enum numbers of the models, in order.
const MODEL_NUMBERS: [&str; 3] = [MODELS[0].0, MODELS[1].0, MODELS[2].0];

/// One of Chatwoot's enums, sent as its name or as its number (`names[n]`); a number out
/// of range reads as its digits, which the caller refuses as an unknown name.
fn enum_name(field: Field<Value>, names: &[&str]) -> Field<String> {
    match field {
        Field::Absent => Field::Absent,
        Field::Null => Field::Null,
        Field::Value(Value::String(text)) => Field::Value(text),
        Field::Value(Value::Number(n)) => Field::Value(
            n.as_u64()
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| names.get(i))
                .map_or_else(|| n.to_string(), |name| (*name).to_owned()),
        ),
        Field::Value(_) | Field::Wrong => Field::Wrong,
    }
}

/// The account's contact attribute definitions, by key. Works on the pool or inside a
/// transaction (`&mut *tx`). Filters take `(attribute_key, attribute_display_type,
/// attribute_values)` of each.
pub async fn contact_attribute_definitions<'e>(
    db: impl Into<crate::db::Target<'e>>,
    account_id: i64,
) -> Result<Vec<CustomAttributeDefinition>, AppError> {
    definitions(db, account_id, Some(CONTACT_ATTRIBUTE)).await
}

/// The account's definitions of one attribute model, or of every model.
pub async fn definitions<'e>(
    db: impl Into<crate::db::Target<'e>>,
    account_id: i64,
    model: Option<&str>,
) -> Result<Vec<CustomAttributeDefinition>, AppError> {
    let rows: Vec<DefinitionRow> = crate::db::query_as(format!(
        "SELECT {DEFINITION_COLUMNS} FROM custom_attribute_definitions
         WHERE account_id = ? AND (? IS NULL OR attribute_model = ?) ORDER BY attribute_key"
    ))
    .bind(account_id)
    .bind(model)
    .bind(model)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// `contact_attribute` and Chatwoot's enum number `1` alike; blank is `None` (every model).
fn attribute_model(raw: Option<&str>) -> Result<Option<&'static str>, String> {
    let raw = raw.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Ok(None);
    }
    MODELS
        .iter()
        .find(|(name, number)| *name == raw || *number == raw)
        .map(|(name, _)| Some(*name))
        .ok_or_else(|| {
            format!("attribute_model '{raw}' is not one of contact_attribute, conversation_attribute, company_attribute")
        })
}

/// The account's custom attribute definitions (all models unless `attribute_model` is
/// given), a bare array as in Chatwoot.
#[utoipa::path(get, path = "/custom_attribute_definitions", tag = "custom attributes", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("attribute_model" = Option<String>, Query, description = "contact_attribute, conversation_attribute or company_attribute"),
    ),
    responses((status = 200, body = Vec<DefinitionView>), (status = 401), (status = 422)))]
async fn index(
    State(state): State<AppState>,
    scope: Scope,
    query: QueryPairs,
) -> Result<Json<Vec<DefinitionView>>, AppError> {
    let model = attribute_model(query.get("attribute_model")).map_err(AppError::Unprocessable)?;
    let rows: Vec<DefinitionRow> = crate::db::query_as(format!(
        "SELECT {DEFINITION_COLUMNS} FROM custom_attribute_definitions
         WHERE account_id = ? AND (? IS NULL OR attribute_model = ?) ORDER BY attribute_key"
    ))
    .bind(scope.account_id)
    .bind(model)
    .bind(model)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A new definition, as sent (or wrapped in `custom_attribute_definition`, as Chatwoot's
/// dashboard sends it).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct NewDefinition {
    #[serde(default)]
    #[schema(required = true)]
    attribute_key: Field<String>,
    #[serde(default)]
    #[schema(required = true)]
    attribute_display_name: Field<String>,
    /// text, number, currency, percent, link, date, list, checkbox (default text), or
    /// Chatwoot's number of one (0 … 7)
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    attribute_display_type: Field<Value>,
    /// Required (at least one) for a list.
    #[serde(default)]
    attribute_values: Field<Vec<Field<String>>>,
    /// Default contact_attribute; or Chatwoot's number of a model (0 conversation, 1
    /// contact, 2 company).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    attribute_model: Field<Value>,
    #[serde(default)]
    regex_pattern: Field<String>,
    #[serde(default)]
    regex_cue: Field<String>,
    #[serde(default)]
    attribute_description: Field<String>,
}

impl Envelope for NewDefinition {
    const KEY: &'static str = "custom_attribute_definition";
}

/// Creates a custom attribute definition: the key is letters, digits, `_`, `.` and `-` (as
/// Chatwoot's model has it), up to 64 characters,
/// unique per account and model, and not a standard contact field. The body comes bare
/// or wrapped in `custom_attribute_definition`.
#[utoipa::path(post, path = "/custom_attribute_definitions", tag = "custom attributes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = NewDefinition,
    responses((status = 200, body = DefinitionView), (status = 401), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    scope: Scope,
    Enveloped(body): Enveloped<NewDefinition>,
) -> Result<Json<DefinitionView>, AppError> {
    let new = parse_definition(body)?;
    let now = crate::db::now();
    // Written and read back in one statement: the answer is the row as stored.
    let inserted: Result<DefinitionRow, sqlx::Error> = crate::db::query_as(format!(
        "INSERT INTO custom_attribute_definitions (account_id, attribute_key, attribute_display_name,
           attribute_display_type, attribute_description, attribute_values, attribute_model,
           regex_pattern, regex_cue, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {DEFINITION_COLUMNS}"
    ))
    .bind(scope.account_id)
    .bind(&new.attribute_key)
    .bind(&new.attribute_display_name)
    .bind(&new.attribute_display_type)
    .bind(&new.attribute_description)
    .bind(serde_json::to_string(&new.attribute_values).map_err(|e| AppError::internal(e.to_string()))?)
    .bind(&new.attribute_model)
    .bind(&new.regex_pattern)
    .bind(&new.regex_cue)
    .bind(now)
    .bind(now)
    .fetch_one(&state.db)
    .await;
    match inserted {
        Ok(row) => Ok(Json(row.into())),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AppError::invalid(
            "attribute_key",
            "Attribute key has already been taken",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Checks a new definition, every problem at once.
fn parse_definition(body: NewDefinition) -> Result<CustomAttributeDefinition, AppError> {
    let mut problems = Problems::default();
    let key = optional_text(
        body.attribute_key,
        "attribute_key",
        "Attribute key",
        MAX_DEFINITION_KEY_CHARS,
        &mut problems,
    )
    .flatten();
    if !problems.mentions("attribute_key") {
        let k = key.as_deref().unwrap_or_default();
        if let Some(problem) = rules::definition_key_problem(k) {
            problems.add("attribute_key", words("Attribute key", k, &problem));
        }
    }
    let name = optional_text(
        body.attribute_display_name,
        "attribute_display_name",
        "Attribute display name",
        MAX_TEXT_CHARS,
        &mut problems,
    )
    .flatten();
    if !problems.mentions("attribute_display_name") {
        let n = name.as_deref().unwrap_or_default();
        if let Some(problem) = rules::definition_name_problem(n) {
            problems.add(
                "attribute_display_name",
                words("Attribute display name", n, &problem),
            );
        }
    }
    let kind = optional_text(
        enum_name(body.attribute_display_type, &DISPLAY_TYPE_NUMBERS),
        "attribute_display_type",
        "Attribute display type",
        32,
        &mut problems,
    )
    .flatten()
    .unwrap_or_else(|| "text".to_owned());
    if !DISPLAY_TYPES.contains(&kind.as_str()) {
        problems.add(
            "attribute_display_type",
            format!(
                "Attribute display type '{kind}' is not one of {}",
                DISPLAY_TYPES.join(", ")
            ),
        );
    }
    let model_text = optional_text(
        enum_name(body.attribute_model, &MODEL_NUMBERS),
        "attribute_model",
        "Attribute model",
        64,
        &mut problems,
    )
    .flatten();
    let model = match attribute_model(model_text.as_deref()) {
        Ok(model) => model.unwrap_or(CONTACT_ATTRIBUTE),
        Err(message) => {
            problems.add("attribute_model", message);
            CONTACT_ATTRIBUTE
        }
    };
    let values = list_values(body.attribute_values, &mut problems);
    if !problems.mentions("attribute_values") {
        if let Some(problem) = rules::choices_problem(&kind, &values) {
            problems.add("attribute_values", words("Attribute values", "", &problem));
        }
    }
    let pattern = optional_text(
        body.regex_pattern,
        "regex_pattern",
        "Regex pattern",
        MAX_PATTERN_CHARS,
        &mut problems,
    )
    .flatten();
    if let Some(p) = &pattern {
        if let Err(message) = compile_pattern(p) {
            problems.add("regex_pattern", message);
        }
    }
    let cue = optional_text(
        body.regex_cue,
        "regex_cue",
        "Regex cue",
        MAX_TEXT_CHARS,
        &mut problems,
    )
    .flatten();
    let description = optional_text(
        body.attribute_description,
        "attribute_description",
        "Attribute description",
        MAX_DESCRIPTION_CHARS,
        &mut problems,
    )
    .flatten();
    problems.into_result()?;
    Ok(CustomAttributeDefinition {
        id: 0,
        attribute_key: key.unwrap_or_default(),
        attribute_display_name: name.unwrap_or_default(),
        attribute_values: if kind == "list" { values } else { Vec::new() },
        attribute_display_type: kind,
        attribute_model: model.to_owned(),
        regex_pattern: pattern,
        regex_cue: cue,
        attribute_description: description,
        created_at: None,
    })
}

/// `attribute_values`: the choices of a list ([`rules::choices`]).
fn list_values(field: Field<Vec<Field<String>>>, problems: &mut Problems) -> Vec<String> {
    let items = match field {
        Field::Absent | Field::Null => return Vec::new(),
        Field::Value(items) => items,
        Field::Wrong => {
            problems.add(
                "attribute_values",
                "Attribute values must be a list of texts",
            );
            return Vec::new();
        }
    };
    let texts: Option<Vec<&str>> = items
        .iter()
        .map(|item| match item {
            Field::Value(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let choices = match texts {
        Some(texts) => rules::choices(&texts),
        None if items.len() > MAX_CHOICES => Err(FieldProblem::TooManyChoices { max: MAX_CHOICES }),
        // A choice that is not text is refused as a blank one is.
        None => Err(FieldProblem::ChoiceLength {
            max: MAX_TEXT_CHARS,
        }),
    };
    choices.unwrap_or_else(|problem| {
        problems.add("attribute_values", words("Attribute values", "", &problem));
        Vec::new()
    })
}

/// One definition of the account, or 404.
async fn stored_definition(
    conn: &mut crate::db::Conn,
    account_id: i64,
    id: i64,
) -> Result<DefinitionRow, AppError> {
    crate::db::query_as(format!(
        "SELECT {DEFINITION_COLUMNS} FROM custom_attribute_definitions WHERE account_id = ? AND id = ?"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// One custom attribute definition of the account.
#[utoipa::path(get, path = "/custom_attribute_definitions/{id}", tag = "custom attributes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Definition id")),
    responses((status = 200, body = DefinitionView), (status = 401), (status = 404)))]
async fn show(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<DefinitionView>, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(
        stored_definition(&mut conn, scope.account_id, path.id("id")?)
            .await?
            .into(),
    ))
}

/// Changes to a definition (bare, or wrapped in `custom_attribute_definition` as
/// Chatwoot's dashboard sends them): what the body leaves out stays.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct DefinitionChanges {
    #[serde(default)]
    attribute_display_name: Field<String>,
    /// Null or blank clears it.
    #[serde(default)]
    attribute_description: Field<String>,
    /// The choices of a list (at least one); ignored by the other types.
    #[serde(default)]
    attribute_values: Field<Vec<Field<String>>>,
    /// Null or blank removes the pattern.
    #[serde(default)]
    regex_pattern: Field<String>,
    #[serde(default)]
    regex_cue: Field<String>,
    /// A new key, checked as a new definition's (contacts' values stay under the old
    /// one, as in Chatwoot).
    #[serde(default)]
    attribute_key: Field<String>,
    /// Cannot change: accepted only as stored (name or Chatwoot's number).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    attribute_model: Field<Value>,
    /// Cannot change: accepted only as stored (contacts' values are of this type; name or
    /// Chatwoot's number).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    attribute_display_type: Field<Value>,
}

impl Envelope for DefinitionChanges {
    const KEY: &'static str = "custom_attribute_definition";
}

/// A field that cannot change: sent as stored (or not sent) is fine.
fn unchanged(
    field: Field<String>,
    key: &str,
    label: &str,
    stored: &str,
    same: impl Fn(&str) -> bool,
    problems: &mut Problems,
) {
    match field {
        Field::Absent => {}
        Field::Value(sent) if same(sent.trim()) => {}
        Field::Value(sent) => problems.add(
            key,
            format!(
                "{label} cannot be changed (it is '{stored}', not '{}'): create a new attribute instead",
                sent.trim()
            ),
        ),
        Field::Null | Field::Wrong => problems.add(
            key,
            format!("{label} cannot be changed: leave it out or send '{stored}'"),
        ),
    }
}

/// The stored definition with `changes` applied, every problem at once.
fn changed_definition(
    stored: DefinitionRow,
    changes: DefinitionChanges,
) -> Result<CustomAttributeDefinition, AppError> {
    let mut problems = Problems::default();
    let mut new: CustomAttributeDefinition = stored.into();
    if let Some(key) = optional_text(
        changes.attribute_key,
        "attribute_key",
        "Attribute key",
        MAX_DEFINITION_KEY_CHARS,
        &mut problems,
    ) {
        let key = key.unwrap_or_default();
        match rules::definition_key_problem(&key) {
            Some(problem) => problems.add("attribute_key", words("Attribute key", &key, &problem)),
            None => new.attribute_key = key,
        }
    }
    let model = new.attribute_model.clone();
    unchanged(
        enum_name(changes.attribute_model, &MODEL_NUMBERS),
        "attribute_model",
        "Attribute model",
        &model,
        |m| attribute_model(Some(m)).ok().flatten() == Some(model.as_str()),
        &mut problems,
    );
    let kind = new.attribute_display_type.clone();
    unchanged(
        enum_name(changes.attribute_display_type, &DISPLAY_TYPE_NUMBERS),
        "attribute_display_type",
        "Attribute display type",
        &kind,
        |t| t == kind,
        &mut problems,
    );
    match optional_text(
        changes.attribute_display_name,
        "attribute_display_name",
        "Attribute display name",
        MAX_TEXT_CHARS,
        &mut problems,
    ) {
        None => {}
        Some(None) => problems.add(
            "attribute_display_name",
            "Attribute display name can't be blank",
        ),
        Some(Some(name)) => {
            if let Some(problem) = rules::definition_name_problem(&name) {
                problems.add(
                    "attribute_display_name",
                    words("Attribute display name", &name, &problem),
                );
            }
            new.attribute_display_name = name;
        }
    }
    if let Some(description) = optional_text(
        changes.attribute_description,
        "attribute_description",
        "Attribute description",
        MAX_DESCRIPTION_CHARS,
        &mut problems,
    ) {
        new.attribute_description = description;
    }
    if !matches!(changes.attribute_values, Field::Absent) {
        let values = list_values(changes.attribute_values, &mut problems);
        if !problems.mentions("attribute_values") {
            if let Some(problem) = rules::choices_problem(&kind, &values) {
                problems.add("attribute_values", words("Attribute values", "", &problem));
            }
        }
        if kind == "list" {
            new.attribute_values = values;
        }
    }
    if let Some(pattern) = optional_text(
        changes.regex_pattern,
        "regex_pattern",
        "Regex pattern",
        MAX_PATTERN_CHARS,
        &mut problems,
    ) {
        if let Some(p) = &pattern {
            if let Err(message) = compile_pattern(p) {
                problems.add("regex_pattern", message);
            }
        }
        new.regex_pattern = pattern;
    }
    if let Some(cue) = optional_text(
        changes.regex_cue,
        "regex_cue",
        "Regex cue",
        MAX_TEXT_CHARS,
        &mut problems,
    ) {
        new.regex_cue = cue;
    }
    problems.into_result()?;
    Ok(new)
}

/// Updates a definition's key, display name, description, list choices, pattern or cue;
/// the rest stays. Its model and display type cannot change (a 422 says so): contacts'
/// values are typed by them. A new key must be free in the model (422).
#[utoipa::path(patch, path = "/custom_attribute_definitions/{id}", tag = "custom attributes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Definition id")),
    request_body = DefinitionChanges,
    responses((status = 200, body = DefinitionView), (status = 401), (status = 404), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
    Enveloped(changes): Enveloped<DefinitionChanges>,
) -> Result<Json<DefinitionView>, AppError> {
    let id = path.id("id")?;
    let mut tx = crate::db::write_tx(&state.db).await?;
    let stored = stored_definition(&mut tx, scope.account_id, id).await?;
    let new = changed_definition(stored, changes)?;
    let updated: Result<Option<DefinitionRow>, sqlx::Error> = crate::db::query_as(format!(
        "UPDATE custom_attribute_definitions SET attribute_key = ?, attribute_display_name = ?,
           attribute_description = ?, attribute_values = ?, regex_pattern = ?, regex_cue = ?,
           updated_at = ?
         WHERE account_id = ? AND id = ? RETURNING {DEFINITION_COLUMNS}"
    ))
    .bind(&new.attribute_key)
    .bind(&new.attribute_display_name)
    .bind(&new.attribute_description)
    .bind(
        serde_json::to_string(&new.attribute_values)
            .map_err(|e| AppError::internal(e.to_string()))?,
    )
    .bind(&new.regex_pattern)
    .bind(&new.regex_cue)
    .bind(crate::db::now())
    .bind(scope.account_id)
    .bind(id)
    .fetch_optional(&mut tx)
    .await;
    let row = match updated {
        Ok(row) => row.ok_or(AppError::NotFound)?,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::invalid(
                "attribute_key",
                "Attribute key has already been taken",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(Json(row.into()))
}

/// `PUT` does what `PATCH` does, as Rails routes both to `update`.
#[utoipa::path(put, path = "/custom_attribute_definitions/{id}", tag = "custom attributes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Definition id")),
    request_body = DefinitionChanges,
    responses((status = 200, body = DefinitionView), (status = 401), (status = 404), (status = 422)))]
async fn replace(
    state: State<AppState>,
    scope: Scope,
    path: PathParams,
    body: Enveloped<DefinitionChanges>,
) -> Result<Json<DefinitionView>, AppError> {
    update(state, scope, path, body).await
}

/// Deletes a definition: 204, no body, as Chatwoot. Contacts keep the values they have
/// under its key (shown as plain attributes), as in Chatwoot.
#[utoipa::path(delete, path = "/custom_attribute_definitions/{id}", tag = "custom attributes", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Definition id")),
    responses((status = 204, description = "Deleted; no body"), (status = 401), (status = 404)))]
async fn destroy(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<StatusCode, AppError> {
    let id = path.id("id")?;
    let mut tx = crate::db::write_tx(&state.db).await?;
    let deleted = crate::db::query(
        "DELETE FROM custom_attribute_definitions WHERE account_id = ? AND id = ?",
    )
    .bind(scope.account_id)
    .bind(id)
    .execute(&mut tx)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
