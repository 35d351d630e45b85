//! Account labels (`GET`, `POST /labels`; `GET`, `PATCH`, `DELETE /labels/{id}`) and a
//! contact's labels (`GET`, `POST /contacts/{id}/labels`).
//!
//! As in Chatwoot, contacts are tagged by title: renaming a label renames it on every
//! contact that has it, and deleting a label leaves the contacts tagged with its title
//! (Chatwoot's taggings outlive the label); such a title stays on a contact whose labels
//! are saved again.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use novatalks_model::rules::{self, MAX_DESCRIPTION_CHARS, MAX_LABEL_TITLE_CHARS};
use novatalks_model::{FieldProblem, Label};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::contacts::validate::{optional_text, Problems};
use crate::contacts::wording::words;
use crate::http::body::Field;
use crate::http::extract::{ApiJson, ContactPath, Envelope, Enveloped, PathParams};
use crate::{AppError, AppState};

const DEFAULT_COLOR: &str = "#1f93ff";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index, create))
        .routes(routes!(show, update, replace, destroy))
        .routes(routes!(contact_labels, replace_contact_labels))
}

/// `{"payload": [label], "free_titles": ["title", …]}`
#[derive(serde::Serialize, utoipa::ToSchema)]
struct LabelList {
    payload: Vec<Label>,
    /// [ext] Titles contacts carry that no account label has (a deleted label's, or one
    /// a client tagged a contact with), sorted, at most 1,000. Stock mode leaves it out.
    free_titles: Vec<String>,
}

/// `{"payload": ["title", …]}`
#[derive(serde::Serialize, utoipa::ToSchema)]
struct TitleList {
    payload: Vec<String>,
}

/// The account's labels; [ext] `free_titles`, the titles contacts carry without one.
#[utoipa::path(get, path = "/labels", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    responses((status = 200, body = LabelList), (status = 401)))]
async fn index(State(state): State<AppState>, scope: Scope) -> Result<Json<Value>, AppError> {
    let mut conn = state.db.acquire().await?;
    let rows: Vec<(i64, String, Option<String>, String, bool)> = crate::db::query_as(
        "SELECT id, title, description, color, show_on_sidebar FROM labels WHERE account_id = ? ORDER BY title",
    )
    .bind(scope.account_id)
    .fetch_all(&mut conn)
    .await?;
    let payload: Vec<Label> = rows.into_iter().map(label).collect();
    let free = free_titles(&mut conn, scope.account_id).await?;
    Ok(Json(json!({ "payload": payload, "free_titles": free })))
}

fn label(
    (id, title, description, color, show): (i64, String, Option<String>, String, bool),
) -> Label {
    Label {
        id,
        title,
        description,
        color: Some(color),
        show_on_sidebar: Some(show),
    }
}

/// What is wrong with a label title as sent, if anything ([`rules::label_title_problem`]:
/// 1 to 64 letters that are not upper case, digits, `_` and `-`), in the API's words.
pub fn title_problem(title: &str) -> Option<String> {
    rules::label_title_problem(title).map(|problem| words("Title", title, &problem))
}

/// A new account label, as sent (or wrapped in `label`, as Chatwoot's dashboard sends it).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct NewLabel {
    /// Lower-case letters, digits, `_` and `-`, up to 64; unique in the account.
    #[serde(default)]
    #[schema(required = true)]
    title: Field<String>,
    #[serde(default)]
    description: Field<String>,
    /// `#rrggbb`, default `#1f93ff`.
    #[serde(default)]
    color: Field<String>,
    /// Default true.
    #[serde(default)]
    show_on_sidebar: Field<bool>,
}

impl Envelope for NewLabel {
    const KEY: &'static str = "label";
}

/// Creates an account label (the body bare, or wrapped in `label`).
#[utoipa::path(post, path = "/labels", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = NewLabel,
    responses((status = 200, body = Label), (status = 401), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    scope: Scope,
    Enveloped(mut body): Enveloped<NewLabel>,
) -> Result<Json<Label>, AppError> {
    let stock = state.config.stock_chatwoot;
    if stock {
        body.title = chatwoot_title(body.title);
        if let Some(refusal) = chatwoot_title_refusal(&body.title, true) {
            return Err(refusal);
        }
    }
    let (title, description, color, show) = parse_label(body)?;
    let inserted: Result<i64, sqlx::Error> = crate::db::query_scalar(
        "INSERT INTO labels (account_id, title, description, color, show_on_sidebar) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(scope.account_id)
    .bind(&title)
    .bind(&description)
    .bind(&color)
    .bind(show)
    .fetch_one(&state.db)
    .await;
    match inserted {
        Ok(id) => Ok(Json(label((id, title, description, color, show)))),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(title_taken(&title, stock)),
        Err(e) => Err(e.into()),
    }
}

/// Stock mode: a label's title as Chatwoot's `Label` takes it, lower-cased before it is
/// checked (`Test_2` is `test_2`). Our own mode refuses upper case saying how to write it.
fn chatwoot_title(title: Field<String>) -> Field<String> {
    match title {
        Field::Value(t) => Field::Value(t.to_lowercase()),
        other => other,
    }
}

/// Chatwoot's words for a title its `Label` refuses as blank (its presence message, then
/// its format one, as its base controller joins a record's full messages).
const CHATWOOT_TITLE_BLANK: &str = "Title must not be blank, Title is invalid";
/// Chatwoot's words for a title not made of letters and digits, then `_` and `-`.
const CHATWOOT_TITLE_INVALID: &str = "Title is invalid";
/// Chatwoot's words for a title another label of the account has.
const CHATWOOT_TITLE_TAKEN: &str = "Title has already been taken";

/// Stock mode: the 422 Chatwoot's `Label` validations answer for `title` (already
/// lower-cased by [`chatwoot_title`]), `None` when it takes it. Chatwoot wants a letter
/// or digit, then at least one more letter, digit, `_` or `-`; a title our own rule
/// refuses (too long to store) is "invalid" too. Absent is checked only on a create.
fn chatwoot_title_refusal(title: &Field<String>, creating: bool) -> Option<AppError> {
    let message = match title {
        Field::Absent if !creating => return None,
        Field::Absent | Field::Null => CHATWOOT_TITLE_BLANK,
        Field::Value(t) if t.trim().is_empty() => CHATWOOT_TITLE_BLANK,
        Field::Value(t) => {
            let mut chars = t.chars();
            let first_ok = chars.next().is_some_and(char::is_alphanumeric);
            let rest: Vec<char> = chars.collect();
            let rest_ok = !rest.is_empty()
                && rest
                    .iter()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
            if first_ok && rest_ok && title_problem(t).is_none() {
                return None;
            }
            CHATWOOT_TITLE_INVALID
        }
        Field::Wrong => CHATWOOT_TITLE_INVALID,
    };
    Some(AppError::invalid("title", message))
}

/// The 422 for a title another label has: Chatwoot's words in stock mode.
fn title_taken(title: &str, stock: bool) -> AppError {
    if stock {
        AppError::invalid("title", CHATWOOT_TITLE_TAKEN)
    } else {
        AppError::invalid("title", format!("Title '{title}' has already been taken"))
    }
}

fn parse_label(body: NewLabel) -> Result<(String, Option<String>, String, bool), AppError> {
    let mut problems = Problems::default();
    // The title is checked as sent, not trimmed: " vip" is refused, not silently changed.
    let title = match body.title {
        Field::Value(t) => {
            if let Some(message) = title_problem(&t) {
                problems.add("title", message);
            }
            t
        }
        Field::Absent | Field::Null => {
            problems.add("title", "Title can't be blank");
            String::new()
        }
        Field::Wrong => {
            problems.add("title", "Title must be text");
            String::new()
        }
    };
    let description = optional_text(
        body.description,
        "description",
        "Description",
        MAX_DESCRIPTION_CHARS,
        &mut problems,
    )
    .flatten();
    let color = optional_text(body.color, "color", "Color", 32, &mut problems)
        .flatten()
        .unwrap_or_else(|| DEFAULT_COLOR.to_owned());
    if !is_hex_colour(&color) && !problems.mentions("color") {
        problems.add(
            "color",
            format!("Color '{color}' must be written #rrggbb, e.g. #1f93ff"),
        );
    }
    let show = match body.show_on_sidebar {
        Field::Absent | Field::Null => true,
        Field::Value(b) => b,
        Field::Wrong => {
            problems.add("show_on_sidebar", "Show on sidebar must be true or false");
            true
        }
    };
    problems.into_result()?;
    Ok((title, description, color.to_ascii_lowercase(), show))
}

/// One of the account's labels as stored, or 404.
async fn stored_label(
    conn: &mut crate::db::Conn,
    account_id: i64,
    id: i64,
) -> Result<Label, AppError> {
    let row: Option<(i64, String, Option<String>, String, bool)> = crate::db::query_as(
        "SELECT id, title, description, color, show_on_sidebar FROM labels WHERE account_id = ? AND id = ?",
    )
    .bind(account_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(label).ok_or(AppError::NotFound)
}

/// One label of the account.
#[utoipa::path(get, path = "/labels/{id}", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Label id")),
    responses((status = 200, body = Label), (status = 401), (status = 404)))]
async fn show(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<Label>, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(
        stored_label(&mut conn, scope.account_id, path.id("id")?).await?,
    ))
}

/// Changes to a label: what the body leaves out stays (or wrapped in `label`, as
/// Chatwoot's dashboard sends it).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct LabelChanges {
    /// Lower-case letters, digits, `_` and `-`, up to 64; unique in the account. A new
    /// title is given to every contact tagged with the old one.
    #[serde(default)]
    title: Field<String>,
    /// Null or blank clears it.
    #[serde(default)]
    description: Field<String>,
    /// `#rrggbb`.
    #[serde(default)]
    color: Field<String>,
    #[serde(default)]
    show_on_sidebar: Field<bool>,
}

impl Envelope for LabelChanges {
    const KEY: &'static str = "label";
}

/// The label with `changes` applied, checked by the rules of a new label.
fn changed_label(mut stored: Label, changes: LabelChanges) -> Result<Label, AppError> {
    let mut problems = Problems::default();
    match changes.title {
        Field::Absent => {}
        Field::Value(t) => {
            if let Some(message) = title_problem(&t) {
                problems.add("title", message);
            }
            stored.title = t;
        }
        Field::Null => problems.add("title", "Title can't be blank"),
        Field::Wrong => problems.add("title", "Title must be text"),
    }
    if let Some(description) = optional_text(
        changes.description,
        "description",
        "Description",
        MAX_DESCRIPTION_CHARS,
        &mut problems,
    ) {
        stored.description = description;
    }
    match optional_text(changes.color, "color", "Color", 32, &mut problems) {
        None => {}
        Some(None) => problems.add("color", "Color can't be blank: send #rrggbb, e.g. #1f93ff"),
        Some(Some(color)) => {
            if !is_hex_colour(&color) {
                problems.add(
                    "color",
                    format!("Color '{color}' must be written #rrggbb, e.g. #1f93ff"),
                );
            }
            stored.color = Some(color.to_ascii_lowercase());
        }
    }
    match changes.show_on_sidebar {
        Field::Absent => {}
        Field::Value(b) => stored.show_on_sidebar = Some(b),
        Field::Null | Field::Wrong => {
            problems.add("show_on_sidebar", "Show on sidebar must be true or false")
        }
    }
    problems.into_result()?;
    Ok(stored)
}

fn is_hex_colour(color: &str) -> bool {
    color.len() == 7
        && color.starts_with('#')
        && color.chars().skip(1).all(|c| c.is_ascii_hexdigit())
}

/// Updates a label's title, description, color or sidebar flag (the body bare or wrapped
/// in `label`); the rest stays. A new title is checked as a new label's and renames the
/// label on every contact tagged with it, as Chatwoot does.
#[utoipa::path(patch, path = "/labels/{id}", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Label id")),
    request_body = LabelChanges,
    responses((status = 200, body = Label), (status = 401), (status = 404), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
    Enveloped(mut changes): Enveloped<LabelChanges>,
) -> Result<Json<Label>, AppError> {
    let stock = state.config.stock_chatwoot;
    if stock {
        changes.title = chatwoot_title(changes.title);
    }
    let id = path.id("id")?;
    let mut tx = crate::db::write_tx(&state.db).await?;
    let stored = stored_label(&mut tx, scope.account_id, id).await?;
    if stock {
        if let Some(refusal) = chatwoot_title_refusal(&changes.title, false) {
            return Err(refusal);
        }
    }
    let old_title = stored.title.clone();
    let new = changed_label(stored, changes)?;
    let taken: Option<i64> = crate::db::query_scalar(
        "SELECT id FROM labels WHERE account_id = ? AND title = ? AND id <> ?",
    )
    .bind(scope.account_id)
    .bind(&new.title)
    .bind(id)
    .fetch_optional(&mut tx)
    .await?;
    if taken.is_some() {
        return Err(title_taken(&new.title, stock));
    }
    crate::db::query(
        "UPDATE labels SET title = ?, description = ?, color = ?, show_on_sidebar = ? WHERE account_id = ? AND id = ?",
    )
    .bind(&new.title)
    .bind(&new.description)
    .bind(new.color.as_deref().unwrap_or(DEFAULT_COLOR))
    .bind(new.show_on_sidebar.unwrap_or(true))
    .bind(scope.account_id)
    .bind(id)
    .execute(&mut tx)
    .await?;
    if new.title != old_title {
        rename_on_contacts(&mut tx, scope.account_id, &old_title, &new.title).await?;
    }
    tx.commit().await?;
    Ok(Json(new))
}

/// Gives every contact of the account tagged `old` the tag `new` instead (once: a
/// contact that has both keeps one), and marks those contacts changed.
async fn rename_on_contacts(
    tx: &mut crate::db::Conn,
    account_id: i64,
    old: &str,
    new: &str,
) -> Result<(), AppError> {
    crate::db::query(
        "UPDATE contacts SET updated_at = ? WHERE account_id = ? AND id IN
           (SELECT contact_id FROM contact_labels WHERE account_id = ? AND title = ?)",
    )
    .bind(crate::db::now())
    .bind(account_id)
    .bind(account_id)
    .bind(old)
    .execute(&mut *tx)
    .await?;
    crate::db::query(
        "DELETE FROM contact_labels WHERE account_id = ? AND title = ? AND contact_id IN
           (SELECT contact_id FROM contact_labels WHERE account_id = ? AND title = ?)",
    )
    .bind(account_id)
    .bind(old)
    .bind(account_id)
    .bind(new)
    .execute(&mut *tx)
    .await?;
    crate::db::query("UPDATE contact_labels SET title = ? WHERE account_id = ? AND title = ?")
        .bind(new)
        .bind(account_id)
        .bind(old)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// `PUT` does what `PATCH` does, as Rails routes both to `update`.
#[utoipa::path(put, path = "/labels/{id}", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Label id")),
    request_body = LabelChanges,
    responses((status = 200, body = Label), (status = 401), (status = 404), (status = 422)))]
async fn replace(
    state: State<AppState>,
    scope: Scope,
    path: PathParams,
    body: Enveloped<LabelChanges>,
) -> Result<Json<Label>, AppError> {
    update(state, scope, path, body).await
}

/// Deletes a label: 200 with an empty body. As in Chatwoot, contacts tagged with its
/// title keep the tag.
#[utoipa::path(delete, path = "/labels/{id}", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Label id")),
    responses((status = 200, description = "Deleted; empty body"), (status = 401), (status = 404)))]
async fn destroy(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<StatusCode, AppError> {
    let id = path.id("id")?;
    let mut tx = crate::db::write_tx(&state.db).await?;
    let deleted = crate::db::query("DELETE FROM labels WHERE account_id = ? AND id = ?")
        .bind(scope.account_id)
        .bind(id)
        .execute(&mut tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(StatusCode::OK)
}

/// Fails with 404 unless the contact is the account's.
async fn ensure_contact(
    conn: &mut crate::db::Conn,
    account_id: i64,
    contact_id: i64,
) -> Result<(), AppError> {
    crate::db::query_scalar::<i64>("SELECT id FROM contacts WHERE account_id = ? AND id = ?")
        .bind(account_id)
        .bind(contact_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

/// A contact's label titles, sorted.
pub async fn titles_of(
    conn: &mut crate::db::Conn,
    account_id: i64,
    contact_id: i64,
) -> Result<Vec<String>, AppError> {
    Ok(crate::db::query_scalar(
        "SELECT title FROM contact_labels WHERE account_id = ? AND contact_id = ? ORDER BY title",
    )
    .bind(account_id)
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A contact's labels.
#[utoipa::path(get, path = "/contacts/{id}/labels", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    responses((status = 200, body = TitleList), (status = 401), (status = 404)))]
async fn contact_labels(
    State(state): State<AppState>,
    scope: Scope,
    ContactPath(id): ContactPath,
) -> Result<Json<TitleList>, AppError> {
    let mut conn = state.db.acquire().await?;
    ensure_contact(&mut conn, scope.account_id, id).await?;
    Ok(Json(TitleList {
        payload: titles_of(&mut conn, scope.account_id, id).await?,
    }))
}

/// Titles as agents type them, made into the titles they mean (trimmed, lower-cased),
/// without blanks or repeats, sorted.
pub fn typed_titles(sent: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    let mut titles: Vec<String> = sent
        .into_iter()
        .map(|t| rules::typed_label_title(t.as_ref()))
        .filter(|t| !t.is_empty())
        .collect();
    titles.sort();
    titles.dedup();
    titles
}

/// The titles a client sends for contacts, made into the titles stored and checked by
/// the model's one rule for them ([`rules::contact_label_titles`],
/// [`rules::contact_labels_problem`]): any title is a tag, as in Chatwoot, whether the
/// account defines a label of it or not. A 422 on `field` for what no contact can carry
/// (over 255 characters, a NUL, more than 100 labels). The rule of a contact's labels,
/// of bulk label changes and of the import's labels column.
pub fn contact_titles(
    field: &str,
    sent: impl IntoIterator<Item = impl AsRef<str>>,
) -> Result<Vec<String>, AppError> {
    let titles = rules::contact_label_titles(sent);
    match rules::contact_labels_problem(&titles) {
        None => Ok(titles),
        Some((title, problem)) => Err(AppError::invalid(
            field,
            contact_label_words(&title, &problem),
        )),
    }
}

/// The API's words for a problem of [`rules::contact_label_problem`] or
/// [`rules::label_count_problem`]; `title` as sent (quoted, shortened to 64 characters).
pub fn contact_label_words(title: &str, problem: &FieldProblem) -> String {
    let mut shown: String = title.chars().take(MAX_LABEL_TITLE_CHARS).collect();
    if title.chars().count() > MAX_LABEL_TITLE_CHARS {
        shown.push('…');
    }
    match problem {
        FieldProblem::LabelChars { .. } => format!(
            "Label '{}' holds a NUL character, which cannot be stored: remove it",
            shown.replace('\0', "")
        ),
        FieldProblem::TooLong { max } => {
            format!("Label '{shown}' is too long (maximum is {max} characters)")
        }
        other => words("Labels", &shown, other),
    }
}

/// [ext] The titles contacts of the account carry that no account label has (a label
/// deleted since, or a title a client tagged a contact with), sorted, at most
/// [`MAX_FREE_TITLES`]. Read from the `contact_labels_by_title` index one title at a
/// time (a loose index scan: a seek per distinct title), never a pass over the
/// account's contacts or taggings.
pub async fn free_titles(
    conn: &mut crate::db::Conn,
    account_id: i64,
) -> Result<Vec<String>, AppError> {
    Ok(crate::db::query_scalar(FREE_TITLES_SQL)
        .bind(account_id)
        .bind(account_id)
        .bind(account_id)
        .bind(MAX_FREE_TITLES as i64)
        .fetch_all(&mut *conn)
        .await?)
}

/// [`free_titles`]' statement (binds: the account thrice, the limit), public for the test
/// that reads its plan. The recursive step seeks the next title after the last one.
pub const FREE_TITLES_SQL: &str = "WITH RECURSIVE titles(title) AS (
       SELECT min(title) FROM contact_labels WHERE account_id = ?
       UNION ALL
       SELECT (SELECT min(c.title) FROM contact_labels c
               WHERE c.account_id = ? AND c.title > titles.title)
       FROM titles WHERE titles.title IS NOT NULL
     )
     SELECT title FROM titles
     WHERE title IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.account_id = ? AND l.title = titles.title)
     ORDER BY title
     LIMIT ?";

/// The most free titles `GET /labels` lists.
pub const MAX_FREE_TITLES: usize = 1000;

/// `{"labels": ["vip", …]}`
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct NewContactLabels {
    #[serde(default)]
    #[schema(required = true)]
    labels: Field<Vec<Field<String>>>,
}

/// Replaces a contact's labels with the ones sent (each split on `,`, trimmed and
/// lower-cased, blanks dropped; `[]` removes all). As in Chatwoot, any title is a tag:
/// one the account has no label of is stored too, without a colour of its own (it is
/// listed in `GET /labels`'s [ext] `free_titles`). A title over 255 characters or with
/// a NUL is a 422 naming it.
#[utoipa::path(post, path = "/contacts/{id}/labels", tag = "labels", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Contact id")),
    request_body = NewContactLabels,
    responses((status = 200, body = TitleList), (status = 401), (status = 404), (status = 422)))]
async fn replace_contact_labels(
    State(state): State<AppState>,
    scope: Scope,
    ContactPath(id): ContactPath,
    ApiJson(body): ApiJson<NewContactLabels>,
) -> Result<Json<TitleList>, AppError> {
    let sent = match body.labels {
        Field::Value(items) => {
            if let Some(problem) = rules::label_count_problem(items.len()) {
                return Err(AppError::invalid("labels", words("Labels", "", &problem)));
            }
            items
                .into_iter()
                .map(|item| match item {
                    Field::Value(title) => Some(title),
                    _ => None,
                })
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| {
                    AppError::invalid("labels", "Labels must be a list of label titles")
                })?
        }
        _ => {
            return Err(AppError::invalid(
                "labels",
                "Send the labels as {\"labels\": [\"title\", …]}",
            ))
        }
    };
    let titles = contact_titles("labels", sent)?;

    let mut tx = crate::db::write_tx(&state.db).await?;
    ensure_contact(&mut tx, scope.account_id, id).await?;
    crate::db::query("DELETE FROM contact_labels WHERE account_id = ? AND contact_id = ?")
        .bind(scope.account_id)
        .bind(id)
        .execute(&mut tx)
        .await?;
    for title in &titles {
        crate::db::query(
            "INSERT INTO contact_labels (contact_id, account_id, title) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(scope.account_id)
        .bind(title)
        .execute(&mut tx)
        .await?;
    }
    crate::db::query("UPDATE contacts SET updated_at = ? WHERE account_id = ? AND id = ?")
        .bind(crate::db::now())
        .bind(scope.account_id)
        .bind(id)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Json(TitleList { payload: titles }))
}

#[cfg(test)]
mod tests {
    use super::title_problem;

    #[test]
    fn titles_are_lower_case_words_with_digits_dashes_and_underscores() {
        for ok in ["vip", "churn-risk", "tier_2", "клієнт"] {
            assert_eq!(title_problem(ok), None, "{ok}");
        }
        assert_eq!(
            title_problem("VIP").as_deref(),
            Some("Title 'VIP' must be lower-case: use 'vip'")
        );
        assert_eq!(
            title_problem("big deal!").as_deref(),
            Some("Title 'big deal!' may only contain lower-case letters, digits, '_' and '-' (not ' ', '!')")
        );
        assert!(title_problem("").is_some());
        assert!(title_problem(&"a".repeat(65)).is_some());
        assert!(title_problem(&"a".repeat(64)).is_none());
    }
}
