//! `POST /contacts/filter`: Chatwoot's advanced contact filter.
//!
//! The conditions are validated by the model crate (the same code the SPA runs), then
//! compiled here to one parameterised WHERE clause: every value is a bind, and every
//! column or SQL fragment comes from the match arms below, never from the request. A
//! custom attribute's JSON path is built from its key (known to hold only letters, digits, `_`, `.` and `-`) and bound
//! too.
//!
//! The same answers on both engines, each in its own words where they differ:
//!
//! | | SQLite | PostgreSQL |
//! |---|---|---|
//! | an attribute as text | `json_extract(c.custom_attributes, '$."key"')` | `json_text(c.custom_attributes -> 'key')` (jsonb; migration 0004: true is "1" as on SQLite) |
//! | its JSON type | `json_type` (`integer`, `real`, `text`, `true`) | `jsonb_typeof` (`number`, `string`), `-> 'key' = 'true'::jsonb` |
//! | a number | the JSON number | `(… -> 'key')::float8` |
//! | a day of a date attribute | `substr(…, 1, 10)`, BINARY | `substr(…, 1, 10) COLLATE "C"` |
//! | contains / starts with, folded | `fold_like(x, patterns…)` ([`crate::fold`]) | `fold(x) LIKE fold(?) OR …` (pg_trgm may serve it) |
//! | contains / starts with, exact | `instr(x, ?)` | `x LIKE ?` (`\`, `%`, `_` escaped) |
//! | blocked | `c.blocked = 1` | `c.blocked` |
//!
//! `fold()` is Rust's lower case on SQLite and ICU's (the same mappings) on PostgreSQL
//! (its migration 0001). PostgreSQL text cannot hold a NUL: a value holding one matches
//! nothing there.
//!
//! Meanings the contract leaves open, as chosen here:
//! - Text comparisons of name, email, city, country_code, company and text/link/list
//!   custom attributes ignore case in every script (the `fold()` SQL function of
//!   [`crate::fold`]); the identifier is compared exactly, as it is unique
//!   case-sensitively.
//! - The negations (`not_equal_to`, `does_not_contain`) also match contacts that have no
//!   value at all: a contact without an email "does not contain gmail". `is_present` means
//!   not null and not blank.
//! - A checkbox `equal_to false` also matches contacts on which it was never ticked.
//! - `created_at` and `last_activity_at` compare by the day in the condition's zone
//!   ([`novatalks_model::DayZone`]): an IANA zone's day runs from one local midnight to the
//!   next (23 or 25 hours across a clock change), an offset's is 24 hours.
//! - A custom date attribute is a calendar day: its first ten characters (`YYYY-MM-DD`)
//!   are compared as text, with no time zone; only `days_before` uses the zone, for today.
//! - A phone is compared by its digits, and a value also as the agent means it
//!   ([`phone_forms`]): a whole number equals the same number however it is written or was
//!   stored ("050 123 45 67" read in the account's region equals "+380501234567", and the
//!   reverse); `contains` also looks without leading zeros, as search does; `starts_with`
//!   a national prefix ("050") also looks under the region's calling code ("38050").

use axum::extract::State;
use axum::Json;
use novatalks_model::filter::{
    or_groups, validate, Attribute, AttributeKind, CustomAttributeDef, FilterCondition,
    FilterRequest, FilterValue, Operator, ValidCondition,
};
use novatalks_model::ContactList;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{contact_page, page_query_plan, Paging, Total};
use crate::auth::Scope;
use crate::budget::Work;
use crate::db::Engine;
use crate::http::extract::{ApiJson, QueryPairs};
use crate::{AppError, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(filter))
}

/// The contacts matching the conditions (AND binds tighter than OR), paged and sorted
/// as `GET /contacts`.
#[utoipa::path(post, path = "/contacts/filter", tag = "contacts", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("per_page" = Option<u32>, Query, description = "[ext] Page size, 1 to 100 (default 15)"),
        ("sort" = Option<String>, Query, description = "As for GET /contacts"),
    ),
    request_body = FilterRequest,
    responses((status = 200, body = ContactList), (status = 401), (status = 422, description = "A condition is wrong; the error names it"), (status = 503, description = "[ext] Too broad to answer within the query budget, or no turn free within it; the error says how to narrow it")))]
pub async fn filter(
    State(state): State<AppState>,
    scope: Scope,
    query: QueryPairs,
    ApiJson(request): ApiJson<FilterRequest>,
) -> Result<Json<ContactList>, AppError> {
    let paging = Paging::from_query(&query)?;
    if state.config.stock_chatwoot {
        if let Some(words) = crate::http::compat::chatwoot_refused_operator(&request.payload) {
            return Err(AppError::Unprocessable(words));
        }
    }
    let conditions = match conditions_to_run(&state.db, scope.account_id, &request.payload).await {
        Err(AppError::Unprocessable(ours)) if state.config.stock_chatwoot => {
            let words = stock_filter_words(&state.db, scope.account_id, &request.payload).await?;
            return Err(AppError::Unprocessable(words.unwrap_or(ours)));
        }
        found => found?,
    };
    let now = crate::db::now();
    let engine = state.db.engine();
    let page = contact_page(
        &state,
        Work::Filter,
        &paging,
        Total::OfMatches,
        |qb| push_from(qb, engine, scope.account_id, &conditions, now),
        now,
    )
    .await?;
    Ok(Json(page))
}

/// Stock mode: Chatwoot's words for the first condition `payload` has wrong
/// ([`crate::http::compat::chatwoot_filter_error`]); `None` when no one condition is
/// (an empty or oversized list keeps our words).
async fn stock_filter_words(
    db: &crate::db::Db,
    account_id: i64,
    payload: &[FilterCondition],
) -> Result<Option<String>, AppError> {
    let definitions = filter_definitions(db, account_id).await?;
    let first = novatalks_model::filter::problems(payload, &definitions)
        .into_iter()
        .next();
    Ok(first
        .filter(|_| payload.len() <= novatalks_model::filter::MAX_CONDITIONS)
        .and_then(|problem| payload.get(problem.index))
        .map(|condition| crate::http::compat::chatwoot_filter_error(condition, &definitions)))
}

/// The account's contact custom attribute definitions, as filters need them. A
/// definition of a type filters do not know is left out (its key is then unknown).
pub async fn filter_definitions(
    db: &crate::db::Db,
    account_id: i64,
) -> Result<Vec<CustomAttributeDef>, AppError> {
    let rows: Vec<(String, String, String)> = crate::db::query_as(
        "SELECT attribute_key, attribute_display_type, attribute_values FROM custom_attribute_definitions
         WHERE account_id = ? AND attribute_model = 'contact_attribute'",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, kind, values)| {
            let list_values: Vec<String> = serde_json::from_str(&values).unwrap_or_default();
            CustomAttributeDef::from_definition(&key, &kind, list_values)
        })
        .collect())
}

/// Validates a filter payload against the account's definitions: a 422 naming the first
/// wrong condition, or the conditions as the model typed them (what a saved segment needs).
pub async fn validate_filter(
    db: &crate::db::Db,
    account_id: i64,
    payload: &[FilterCondition],
) -> Result<Vec<ValidCondition>, AppError> {
    let definitions = filter_definitions(db, account_id).await?;
    validate(payload, &definitions).map_err(|e| AppError::Unprocessable(e.to_string()))
}

/// [`validate_filter`], then each phone value also in the forms a stored number may have
/// ([`phone_forms`], read in the account's country): the conditions ready for
/// [`push_conditions`].
pub async fn conditions_to_run(
    db: &crate::db::Db,
    account_id: i64,
    payload: &[FilterCondition],
) -> Result<Vec<ValidCondition>, AppError> {
    let mut conditions = validate_filter(db, account_id, payload).await?;
    if !conditions
        .iter()
        .any(|c| matches!(c.value, FilterValue::Phones(_)))
    {
        return Ok(conditions);
    }
    let mut conn = db.acquire().await?;
    let region = super::write::account_default_region(&mut conn, account_id).await?;
    for (condition, asked) in conditions.iter_mut().zip(payload) {
        let FilterValue::Phones(digits) = &mut condition.value else {
            continue;
        };
        // The model's digits stay first.
        for value in &asked.values {
            let text = match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            for form in phone_forms(condition.operator, &text, &region) {
                if !digits.contains(&form) {
                    digits.push(form);
                }
            }
        }
    }
    Ok(conditions)
}

/// The digit strings a phone condition's `text` matches stored numbers by, read in the
/// account's `region` (ISO 3166). Its own digits always; for a whole number compared
/// (`equal_to` / `not_equal_to`), its E.164 digits and its national writing with and
/// without the trunk prefix, so that it equals the same number stored before
/// normalisation; for `contains`, search's fragments (leading zeros dropped too); for
/// `starts_with` a national prefix, the same start under the region's calling code.
pub fn phone_forms(op: Operator, text: &str, region: &str) -> Vec<String> {
    use novatalks_model::filter::phone_digits;
    let digits = phone_digits(text);
    let mut forms = vec![digits.clone()];
    let mut add = |form: String| {
        if !form.is_empty() && !forms.contains(&form) {
            forms.push(form);
        }
    };
    match op {
        Operator::EqualTo | Operator::NotEqualTo => {
            let number = super::validate::normalize_phone(text, region)
                .ok()
                .and_then(|e164| phonenumber::parse(None, e164).ok());
            if let Some(number) = number {
                let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
                add(phone_digits(&e164));
                let national = number
                    .format()
                    .mode(phonenumber::Mode::National)
                    .to_string();
                add(phone_digits(&national));
                add(number.national().value().to_string());
            }
        }
        Operator::Contains | Operator::DoesNotContain => {
            for fragment in super::search::phone_fragments(text) {
                add(fragment);
            }
        }
        Operator::StartsWith => {
            let international = text.trim_start().starts_with('+') || digits.starts_with("00");
            let code = region.trim().to_ascii_uppercase();
            let metadata = phonenumber::metadata::DATABASE.by_id(code.as_str());
            if let (false, Some(metadata)) = (international, metadata) {
                if let Some(rest) = metadata
                    .national_prefix()
                    .and_then(|prefix| digits.strip_prefix(prefix))
                    .filter(|rest| !rest.is_empty())
                {
                    add(format!("{}{rest}", metadata.country_code()));
                }
            }
            if let Some(rest) = digits.strip_prefix("00") {
                add(rest.to_owned());
            }
        }
        _ => {}
    }
    forms
}

/// Appends ` AND (…)`: the conditions on the account's contacts, AND-runs grouped in
/// parentheses and OR-ed, as they stand at `now` (block expiry, `days_before`).
pub fn push_conditions(
    qb: &mut crate::db::Builder,
    engine: Engine,
    account_id: i64,
    conditions: &[ValidCondition],
    now: i64,
) -> Result<(), AppError> {
    qb.push(" AND (");
    for (g, group) in or_groups(conditions).into_iter().enumerate() {
        if g > 0 {
            qb.push(" OR ");
        }
        qb.push("(");
        push_group(qb, engine, account_id, group, now)?;
        qb.push(")");
    }
    qb.push(")");
    Ok(())
}

/// Appends `(c1) AND (c2) …`: one AND-group's conditions.
fn push_group(
    qb: &mut crate::db::Builder,
    engine: Engine,
    account_id: i64,
    group: &[ValidCondition],
    now: i64,
) -> Result<(), AppError> {
    for (i, condition) in group.iter().enumerate() {
        if i > 0 {
            qb.push(" AND ");
        }
        qb.push("(");
        push_condition(qb, engine, account_id, condition, now)?;
        qb.push(")");
    }
    Ok(())
}

/// Appends ` FROM … WHERE …`: the account's contacts meeting the conditions.
///
/// SQLite cannot serve an OR of AND-groups (nor a label's EXISTS) from its indexes, so a
/// plain WHERE tests every contact of the account. When every OR-group has a condition an
/// index answers, the candidates are read first, one indexed read per group, UNIONed (a
/// superset of the matches), and only they are tested by the full conditions; CROSS JOIN
/// keeps SQLite from walking the contacts instead.
///
/// PostgreSQL reads each OR-group's matches whole, by the group's own conditions, UNIONed,
/// then the contacts by primary key ([`push_groups_postgres`] says why).
pub fn push_from(
    qb: &mut crate::db::Builder,
    engine: Engine,
    account_id: i64,
    conditions: &[ValidCondition],
    now: i64,
) -> Result<(), AppError> {
    push_from_reading(qb, engine, account_id, conditions, now, Reading::Candidates)
}

/// How [`push_from_reading`] reads the account's contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The indexed candidates when every OR-group has an indexed condition (the API's way).
    Candidates,
    /// Every contact of the account: the reference the candidates are checked and
    /// benchmarked against.
    Scan,
}

fn push_from_reading(
    qb: &mut crate::db::Builder,
    engine: Engine,
    account_id: i64,
    conditions: &[ValidCondition],
    now: i64,
    reading: Reading,
) -> Result<(), AppError> {
    let drivers: Option<Vec<&ValidCondition>> = or_groups(conditions)
        .into_iter()
        .map(|group| {
            group
                .iter()
                .filter_map(|c| driver_rank(c).map(|rank| (rank, c)))
                .min_by_key(|(rank, _)| *rank)
                .map(|(_, c)| c)
        })
        .collect();
    match drivers.filter(|d| !d.is_empty() && reading == Reading::Candidates) {
        Some(_) if engine == Engine::Postgres => {
            return push_groups_postgres(qb, account_id, conditions, now);
        }
        Some(drivers) => {
            qb.push(" FROM (");
            for (i, driver) in drivers.into_iter().enumerate() {
                if i > 0 {
                    qb.push(" UNION ");
                }
                push_driver(qb, engine, account_id, driver, now);
            }
            qb.push(engine.pick(
                ") candidate CROSS JOIN contacts c ON c.id = candidate.id",
                ") candidate JOIN contacts c ON c.id = candidate.id",
            ));
        }
        None => {
            qb.push(" FROM contacts c");
        }
    }
    qb.push(" WHERE c.account_id = ").push_bind(account_id);
    push_conditions(qb, engine, account_id, conditions, now)
}

/// PostgreSQL's candidates: `FROM (SELECT DISTINCT ON (id) * FROM (<group 1's matches>
/// UNION ALL <group 2's> …) u ORDER BY id) c WHERE c.account_id = ?`, each OR-group a
/// `SELECT c.* FROM contacts c WHERE` its own conditions, nothing else.
///
/// One AND-group alone is what PostgreSQL's planner combines well ("vip AND active since
/// 1 Jan": the label index's contacts, each checked by primary key). Fetching every
/// driver's candidate by primary key and testing the whole OR on it, as SQLite does, cost
/// a lookup and a label probe per candidate: at 1,000,000 contacts that filter took
/// 350–450 ms that way. Gathering each group's ids and fetching them again by primary key
/// (`id = ANY(ARRAY(…))`) took about 100 ms; keeping the rows each group read,
/// a contact of two groups once, 60 ms. `DISTINCT ON` keeps the page's ORDER BY … LIMIT
/// outside, so only the matches are sorted. Taken only when every group has an indexed
/// condition (as SQLite's candidates), so no group walks the contacts.
fn push_groups_postgres(
    qb: &mut crate::db::Builder,
    account_id: i64,
    conditions: &[ValidCondition],
    now: i64,
) -> Result<(), AppError> {
    qb.push(" FROM (SELECT DISTINCT ON (id) * FROM (");
    for (g, group) in or_groups(conditions).into_iter().enumerate() {
        if g > 0 {
            qb.push(" UNION ALL ");
        }
        qb.push("SELECT c.* FROM contacts c WHERE c.account_id = ")
            .push_bind(account_id)
            .push(" AND ");
        push_group(qb, Engine::Postgres, account_id, group, now)?;
    }
    qb.push(") u ORDER BY id) c WHERE c.account_id = ")
        .push_bind(account_id);
    Ok(())
}

/// The ids of the account's contacts matching `payload` at `now`, ascending, read as
/// `reading` says: for the test that proves both readings agree, and the benchmark.
pub async fn filter_ids(
    db: &crate::db::Db,
    account_id: i64,
    payload: &[FilterCondition],
    now: i64,
    reading: Reading,
) -> Result<Vec<i64>, AppError> {
    let conditions = conditions_to_run(db, account_id, payload).await?;
    let mut qb = crate::db::Builder::new("SELECT c.id");
    push_from_reading(&mut qb, db.engine(), account_id, &conditions, now, reading)?;
    qb.push(" ORDER BY c.id");
    Ok(qb.build_query_scalar().fetch_all(db).await?)
}

/// The query plan of a filter's page (SQLite's EXPLAIN QUERY PLAN `detail` lines,
/// PostgreSQL's EXPLAIN lines), for the test that proves an OR of indexed conditions
/// never walks the account's contacts.
pub async fn filter_query_plan(
    db: &crate::db::Db,
    account_id: i64,
    payload: &[FilterCondition],
) -> Result<Vec<String>, AppError> {
    let conditions = conditions_to_run(db, account_id, payload).await?;
    page_query_plan(db, |qb| {
        push_from(qb, db.engine(), account_id, &conditions, crate::db::now())
    })
    .await
}

/// How narrow an indexed read of this condition is likely to be (lower first); `None`
/// when no index serves it.
fn driver_rank(c: &ValidCondition) -> Option<u8> {
    use Operator::*;
    match (&c.attribute, c.operator, &c.value) {
        (Attribute::Id, EqualTo, FilterValue::Integers(_)) => Some(0),
        (Attribute::Blocked, EqualTo, FilterValue::Bool(true))
        | (Attribute::Blocked, NotEqualTo, FilterValue::Bool(false)) => Some(1),
        (Attribute::Labels, EqualTo, FilterValue::Labels(_)) => Some(2),
        (Attribute::CreatedAt | Attribute::LastActivityAt, EqualTo, FilterValue::Day { .. }) => {
            Some(3)
        }
        (
            Attribute::CreatedAt | Attribute::LastActivityAt,
            IsGreaterThan | IsLessThan | DaysBefore,
            _,
        ) => Some(4),
        _ => None,
    }
}

/// The ids of the account's contacts meeting `c` (or more), from an index; `c` is one
/// [`driver_rank`] ranks.
fn push_driver(
    qb: &mut crate::db::Builder,
    engine: Engine,
    account_id: i64,
    c: &ValidCondition,
    now: i64,
) {
    match (&c.attribute, &c.value) {
        (Attribute::Labels, FilterValue::Labels(titles)) => {
            qb.push("SELECT DISTINCT contact_id AS id FROM contact_labels WHERE account_id = ")
                .push_bind(account_id)
                .push(" AND title IN (");
            let mut list = qb.separated(", ");
            for title in titles {
                list.push_bind(title.clone());
            }
            qb.push(")");
        }
        (Attribute::Id, FilterValue::Integers(ids)) => {
            qb.push("SELECT id FROM contacts WHERE account_id = ")
                .push_bind(account_id)
                .push(" AND id IN (");
            let mut list = qb.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            qb.push(")");
        }
        (Attribute::Blocked, _) => {
            // Served by the partial index of blocked contacts; expiry is left to the
            // full condition.
            qb.push("SELECT id FROM contacts WHERE account_id = ")
                .push_bind(account_id)
                .push(engine.pick(" AND blocked = 1", " AND blocked"));
        }
        (Attribute::LastActivityAt, value) => {
            // SQLite's sort index leads with `last_activity_at IS NULL`; PostgreSQL's
            // puts nulls last, and a range leaves them out anyway.
            qb.push("SELECT id FROM contacts WHERE account_id = ")
                .push_bind(account_id)
                .push(engine.pick(" AND (last_activity_at IS NULL) = 0 AND ", " AND "));
            if push_instant(qb, "last_activity_at", c.operator, value, now).is_none() {
                qb.push("TRUE");
            }
        }
        (Attribute::CreatedAt, value) => {
            qb.push("SELECT id FROM contacts WHERE account_id = ")
                .push_bind(account_id)
                .push(" AND ");
            if push_instant(qb, "created_at", c.operator, value, now).is_none() {
                qb.push("TRUE");
            }
        }
        // Not ranked as a driver: every contact of the account is a candidate.
        _ => {
            qb.push("SELECT id FROM contacts WHERE account_id = ")
                .push_bind(account_id);
        }
    }
}

/// A value expression of the contacts row `c`.
enum Expr {
    /// Fixed SQL text from this file.
    Sql(&'static str),
    /// A custom attribute's value as text, the key bound: SQLite's
    /// `json_extract(c.custom_attributes, '$."key"')`, PostgreSQL's
    /// `json_text(c.custom_attributes -> 'key')` (migration 0004: the same text).
    Custom(String),
}

impl Expr {
    fn push(&self, qb: &mut crate::db::Builder, engine: Engine) {
        match self {
            Expr::Sql(sql) => {
                qb.push(*sql);
            }
            Expr::Custom(key) => match engine {
                Engine::Sqlite => {
                    qb.push("json_extract(c.custom_attributes, ")
                        .push_bind(json_path(key))
                        .push(")");
                }
                Engine::Postgres => {
                    qb.push("json_text(c.custom_attributes -> ")
                        .push_bind(key.clone())
                        .push(")");
                }
            },
        }
    }
}

/// `$."key"` for a key that [`Attribute::parse`] let through: letters, digits, `_`, `.`
/// and `-` only (`is_custom_key`), so the quoted label needs no escaping; bound, never
/// pasted into the statement.
fn json_path(key: &str) -> String {
    format!("$.\"{key}\"")
}

/// A key of `c.additional_attributes` as text, on each engine.
fn additional(engine: Engine, key: &'static str) -> Expr {
    Expr::Sql(match (engine, key) {
        (Engine::Sqlite, "city") => "json_extract(c.additional_attributes, '$.city')",
        (Engine::Sqlite, "country_code") => {
            "json_extract(c.additional_attributes, '$.country_code')"
        }
        (Engine::Sqlite, _) => "json_extract(c.additional_attributes, '$.company_name')",
        (Engine::Postgres, "city") => "json_text(c.additional_attributes -> 'city')",
        (Engine::Postgres, "country_code") => {
            "json_text(c.additional_attributes -> 'country_code')"
        }
        (Engine::Postgres, _) => "json_text(c.additional_attributes -> 'company_name')",
    })
}

fn push_condition(
    qb: &mut crate::db::Builder,
    engine: Engine,
    account_id: i64,
    c: &ValidCondition,
    now: i64,
) -> Result<(), AppError> {
    use Operator::*;
    let op = c.operator;
    let text = |qb: &mut crate::db::Builder, e: &Expr, fold: bool, values: &[String]| {
        push_text(qb, engine, e, fold, op, values)
    };
    match (&c.attribute, &c.value) {
        (Attribute::Name, v) => text(qb, &Expr::Sql("c.name"), true, texts(v)?),
        (Attribute::Email, v) => text(qb, &Expr::Sql("c.email"), true, texts(v)?),
        (Attribute::Identifier, v) => text(qb, &Expr::Sql("c.identifier"), false, texts(v)?),
        (Attribute::City, v) => text(qb, &additional(engine, "city"), true, texts(v)?),
        (Attribute::CountryCode, v) => {
            text(qb, &additional(engine, "country_code"), true, texts(v)?)
        }
        (Attribute::Company, v) => text(qb, &additional(engine, "company_name"), true, texts(v)?),
        (Attribute::PhoneNumber, FilterValue::Phones(digits)) => {
            text(qb, &Expr::Sql("c.phone_digits"), false, digits)
        }
        (Attribute::PhoneNumber, FilterValue::None) => {
            text(qb, &Expr::Sql("c.phone_digits"), false, &[])
        }
        (Attribute::Id, FilterValue::Integers(ids)) => {
            match op {
                EqualTo | NotEqualTo => {
                    qb.push(if op == EqualTo {
                        "c.id IN ("
                    } else {
                        "c.id NOT IN ("
                    });
                    let mut list = qb.separated(", ");
                    for id in ids {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                }
                IsGreaterThan | IsLessThan => {
                    let id = ids.first().copied().ok_or_else(|| mismatch(c))?;
                    qb.push(if op == IsGreaterThan {
                        "c.id > "
                    } else {
                        "c.id < "
                    })
                    .push_bind(id);
                }
                _ => return Err(mismatch(c)),
            }
            Ok(())
        }
        (Attribute::CreatedAt, v) => {
            push_instant(qb, "c.created_at", op, v, now).ok_or_else(|| mismatch(c))
        }
        (Attribute::LastActivityAt, v) => {
            push_instant(qb, "c.last_activity_at", op, v, now).ok_or_else(|| mismatch(c))
        }
        (Attribute::Labels, v) => {
            // SQLite tests each contact through the primary key (contact_id, title).
            // PostgreSQL, under an OR, hashes the subquery's contacts once: the account
            // named, that read is a range of contact_labels_by_title.
            let has = |qb: &mut crate::db::Builder| {
                qb.push("EXISTS (SELECT 1 FROM contact_labels l WHERE l.contact_id = c.id");
                if engine == Engine::Postgres {
                    qb.push(" AND l.account_id = ").push_bind(account_id);
                }
            };
            match (op, v) {
                (EqualTo | NotEqualTo, FilterValue::Labels(titles)) => {
                    qb.push(if op == EqualTo { "" } else { "NOT " });
                    has(qb);
                    qb.push(" AND l.title IN (");
                    let mut list = qb.separated(", ");
                    for title in titles {
                        list.push_bind(title.clone());
                    }
                    qb.push("))");
                }
                (IsPresent, _) => {
                    has(qb);
                    qb.push(")");
                }
                (IsNotPresent, _) => {
                    qb.push("NOT ");
                    has(qb);
                    qb.push(")");
                }
                _ => return Err(mismatch(c)),
            }
            Ok(())
        }
        (Attribute::Blocked, FilterValue::Bool(wanted)) => {
            // The effective state: a block whose time has passed is over.
            if *wanted != (op == EqualTo) {
                qb.push("NOT ");
            }
            qb.push(engine.pick("(c.blocked = 1", "(c.blocked"))
                .push(" AND (c.blocked_until IS NULL OR c.blocked_until > ")
                .push_bind(now)
                .push("))");
            Ok(())
        }
        (Attribute::Custom { key, kind }, v) => match kind {
            AttributeKind::Text | AttributeKind::Link | AttributeKind::List => {
                text(qb, &Expr::Custom(key.clone()), true, texts(v)?)
            }
            AttributeKind::Number | AttributeKind::Currency | AttributeKind::Percent => {
                push_custom_number(qb, engine, key, op, v).ok_or_else(|| mismatch(c))
            }
            AttributeKind::Date => {
                push_custom_day(qb, engine, key, op, v, now).ok_or_else(|| mismatch(c))
            }
            AttributeKind::Checkbox => match (engine, v) {
                (Engine::Sqlite, FilterValue::Bool(true)) => {
                    qb.push("json_type(c.custom_attributes, ")
                        .push_bind(json_path(key))
                        .push(") = 'true'");
                    Ok(())
                }
                (Engine::Sqlite, FilterValue::Bool(false)) => {
                    qb.push("coalesce(json_type(c.custom_attributes, ")
                        .push_bind(json_path(key))
                        .push("), 'null') IN ('false', 'null')");
                    Ok(())
                }
                (Engine::Postgres, FilterValue::Bool(true)) => {
                    qb.push("(c.custom_attributes -> ")
                        .push_bind(key.clone())
                        .push(") = 'true'::jsonb");
                    Ok(())
                }
                (Engine::Postgres, FilterValue::Bool(false)) => {
                    qb.push("coalesce(c.custom_attributes -> ")
                        .push_bind(key.clone())
                        .push(", 'null'::jsonb) IN ('false'::jsonb, 'null'::jsonb)");
                    Ok(())
                }
                _ => Err(mismatch(c)),
            },
        },
        _ => Err(mismatch(c)),
    }
}

/// A validated condition whose value does not fit its attribute: a bug, not bad input.
fn mismatch(c: &ValidCondition) -> AppError {
    AppError::internal(format!(
        "filter condition the compiler does not cover: {c:?}"
    ))
}

/// The texts of a text condition (none for the presence operators).
fn texts(value: &FilterValue) -> Result<&[String], AppError> {
    match value {
        FilterValue::Texts(texts) => Ok(texts),
        FilterValue::None => Ok(&[]),
        other => Err(AppError::internal(format!("text condition with {other:?}"))),
    }
}

/// Text comparisons; `fold` compares case-insensitively. A negation is the positive
/// form with a missing value counted as "not matching", so it includes those contacts.
///
/// Contains and starts with are LIKE patterns on PostgreSQL (`fold(x) LIKE fold(?)`, ORed,
/// so that the trigram indexes of migration 0001 may serve them), `fold_like` and
/// `instr` on SQLite. PostgreSQL text cannot hold a NUL, so a value holding one matches
/// nothing there.
fn push_text(
    qb: &mut crate::db::Builder,
    engine: Engine,
    e: &Expr,
    fold: bool,
    op: Operator,
    values: &[String],
) -> Result<(), AppError> {
    use Operator::*;
    let push_folded = |qb: &mut crate::db::Builder| {
        if fold {
            qb.push("fold(");
            e.push(qb, engine);
            qb.push(")");
        } else {
            e.push(qb, engine);
        }
    };
    let open_value = if fold { "fold(" } else { "(" };
    match op {
        IsPresent | IsNotPresent => {
            qb.push("trim(coalesce(");
            e.push(qb, engine);
            qb.push(", '')) ")
                .push(if op == IsPresent { "<> ''" } else { "= ''" });
            return Ok(());
        }
        EqualTo | Contains | StartsWith => {}
        NotEqualTo | DoesNotContain => {
            qb.push("NOT coalesce(");
        }
        IsGreaterThan | IsLessThan | DaysBefore => {
            return Err(AppError::internal(format!("text condition with {op}")));
        }
    }
    let values: Vec<&String> = match engine {
        Engine::Sqlite => values.iter().collect(),
        Engine::Postgres => values.iter().filter(|v| !v.contains('\0')).collect(),
    };
    match op {
        _ if values.is_empty() => {
            qb.push("FALSE");
        }
        EqualTo | NotEqualTo => {
            push_folded(qb);
            qb.push(" IN (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    qb.push(", ");
                }
                qb.push(open_value).push_bind((*v).clone()).push(")");
            }
            qb.push(")");
        }
        _ if engine == Engine::Postgres => {
            qb.push("(");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    qb.push(" OR ");
                }
                push_folded(qb);
                qb.push(" LIKE ")
                    .push(open_value)
                    .push_bind(like_escaped(v, op == StartsWith))
                    .push(")");
            }
            qb.push(")");
        }
        _ if fold => {
            // `fold_like` folds the contact's text once for many values and matches them
            // in C, rather than `instr(fold(…), fold(?))` folding it once per value.
            let starts_with = op == StartsWith;
            let patterns: Option<Vec<String>> = values
                .iter()
                .map(|v| crate::fold::like_pattern(v, starts_with))
                .collect();
            match patterns {
                Some(patterns) => {
                    qb.push("(");
                    for (i, chunk) in patterns.chunks(crate::fold::MAX_LIKE_PATTERNS).enumerate() {
                        if i > 0 {
                            qb.push(" OR ");
                        }
                        qb.push("fold_like(");
                        e.push(qb, engine);
                        for pattern in chunk {
                            qb.push(", ").push_bind(pattern.clone());
                        }
                        qb.push(")");
                    }
                    qb.push(")");
                }
                None => push_instr_any(qb, &push_folded, open_value, op, &values),
            }
        }
        _ => push_instr_any(qb, &push_folded, open_value, op, &values),
    }
    if matches!(op, NotEqualTo | DoesNotContain) {
        qb.push(", FALSE)");
    }
    Ok(())
}

/// The LIKE pattern of "contains `value`" (`%value%`) or "starts with" (`value%`), as
/// typed: `\`, `%` and `_` escaped with `\` (LIKE's default escape on PostgreSQL). Folded
/// in SQL, when the comparison folds, by the same `fold()` as the text: nothing folds to
/// or from those three characters.
fn like_escaped(value: &str, starts_with: bool) -> String {
    let mut pattern = String::with_capacity(value.len() + 4);
    if !starts_with {
        pattern.push('%');
    }
    for ch in value.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

/// `(instr(e, v1) > 0 OR …)` (`= 1` for starts with), `e` and each value folded when
/// `open_value` is `fold(`. SQLite's.
fn push_instr_any(
    qb: &mut crate::db::Builder,
    push_e: &dyn Fn(&mut crate::db::Builder),
    open_value: &str,
    op: Operator,
    values: &[&String],
) {
    qb.push("(");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            qb.push(" OR ");
        }
        qb.push("instr(");
        push_e(qb);
        qb.push(", ")
            .push(open_value)
            .push_bind((*v).clone())
            .push(")");
        qb.push(if op == Operator::StartsWith {
            ") = 1"
        } else {
            ") > 0"
        });
    }
    qb.push(")");
}

/// `created_at` / `last_activity_at`, by the day in the agent's zone. `None` when the
/// value does not fit the operator.
fn push_instant(
    qb: &mut crate::db::Builder,
    column: &'static str,
    op: Operator,
    value: &FilterValue,
    now: i64,
) -> Option<()> {
    use Operator::*;
    match (op, value) {
        (EqualTo, FilterValue::Day { date, zone }) => {
            let (start, end) = zone.day_range(*date);
            qb.push(column).push(" >= ").push_bind(start);
            qb.push(" AND ").push(column).push(" < ").push_bind(end);
        }
        (IsGreaterThan, FilterValue::Day { date, zone }) => {
            let (_, end) = zone.day_range(*date);
            qb.push(column).push(" >= ").push_bind(end);
        }
        (IsLessThan, FilterValue::Day { date, zone }) => {
            let (start, _) = zone.day_range(*date);
            qb.push(column).push(" < ").push_bind(start);
        }
        (DaysBefore, FilterValue::DaysAgo { days, zone }) => {
            let (start, _) = zone.day_range(zone.days_before_cutoff(now, *days));
            qb.push(column).push(" < ").push_bind(start);
        }
        _ => return None,
    }
    Some(())
}

/// A custom attribute's value if it is a JSON number, else NULL: SQLite's
/// `json_extract` when `json_type` is integer or real, PostgreSQL's jsonb as float8 when
/// `jsonb_typeof` is number. So text in the attribute never compares as "greater" than
/// every number.
fn push_json_number(qb: &mut crate::db::Builder, engine: Engine, key: &str) {
    match engine {
        Engine::Sqlite => {
            qb.push("(CASE WHEN json_type(c.custom_attributes, ")
                .push_bind(json_path(key))
                .push(") IN ('integer', 'real') THEN json_extract(c.custom_attributes, ")
                .push_bind(json_path(key))
                .push(") END)");
        }
        Engine::Postgres => {
            qb.push("(CASE WHEN jsonb_typeof(c.custom_attributes -> ")
                .push_bind(key.to_owned())
                .push(") = 'number' THEN (c.custom_attributes -> ")
                .push_bind(key.to_owned())
                .push(")::float8 END)");
        }
    }
}

/// A number/currency/percent custom attribute: only JSON numbers take part.
fn push_custom_number(
    qb: &mut crate::db::Builder,
    engine: Engine,
    key: &str,
    op: Operator,
    value: &FilterValue,
) -> Option<()> {
    use Operator::*;
    let FilterValue::Numbers(numbers) = value else {
        return None;
    };
    match op {
        EqualTo | NotEqualTo => {
            if op == NotEqualTo {
                qb.push("NOT coalesce(");
            }
            if numbers.is_empty() {
                qb.push("FALSE");
            } else {
                push_json_number(qb, engine, key);
                qb.push(" IN (");
                let mut list = qb.separated(", ");
                for n in numbers {
                    list.push_bind(*n);
                }
                qb.push(")");
            }
            if op == NotEqualTo {
                qb.push(", FALSE)");
            }
        }
        IsGreaterThan | IsLessThan => {
            let n = *numbers.first()?;
            push_json_number(qb, engine, key);
            qb.push(if op == IsGreaterThan { " > " } else { " < " })
                .push_bind(n);
        }
        _ => return None,
    }
    Some(())
}

/// A date custom attribute, stored as `YYYY-MM-DD` (a longer ISO date-time is cut to its
/// day), compared as text byte by byte (SQLite's BINARY, PostgreSQL's `COLLATE "C"`,
/// whatever the database's locale).
fn push_custom_day(
    qb: &mut crate::db::Builder,
    engine: Engine,
    key: &str,
    op: Operator,
    value: &FilterValue,
    now: i64,
) -> Option<()> {
    use Operator::*;
    let (comparison, day) = match (op, value) {
        (EqualTo, FilterValue::Day { date, .. }) => (" = ", *date),
        (IsGreaterThan, FilterValue::Day { date, .. }) => (" > ", *date),
        (IsLessThan, FilterValue::Day { date, .. }) => (" < ", *date),
        (DaysBefore, FilterValue::DaysAgo { days, zone }) => {
            (" < ", zone.days_before_cutoff(now, *days))
        }
        _ => return None,
    };
    match engine {
        Engine::Sqlite => {
            qb.push("(CASE WHEN json_type(c.custom_attributes, ")
                .push_bind(json_path(key))
                .push(") = 'text' THEN substr(json_extract(c.custom_attributes, ")
                .push_bind(json_path(key))
                .push("), 1, 10) END)");
        }
        Engine::Postgres => {
            qb.push("(CASE WHEN jsonb_typeof(c.custom_attributes -> ")
                .push_bind(key.to_owned())
                .push(") = 'string' THEN substr(c.custom_attributes ->> ")
                .push_bind(key.to_owned())
                .push(", 1, 10) END) COLLATE \"C\"");
        }
    }
    qb.push(comparison)
        .push_bind(day.format("%Y-%m-%d").to_string());
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_phone_value_is_matched_in_the_forms_it_may_be_stored_in() {
        use Operator::*;
        assert_eq!(
            phone_forms(EqualTo, "050 123 45 67", "UA"),
            ["0501234567", "380501234567", "501234567"]
        );
        assert_eq!(
            phone_forms(NotEqualTo, "+380 50 123 45 67", "ua"),
            ["380501234567", "0501234567", "501234567"]
        );
        assert_eq!(
            phone_forms(EqualTo, "+44 7911 123456", "UA"),
            ["447911123456", "07911123456", "7911123456"]
        );
        assert_eq!(
            phone_forms(EqualTo, "123", "UA"),
            ["123"],
            "no number: its digits only"
        );
        assert_eq!(
            phone_forms(Contains, "(050) 123", "UA"),
            ["050123", "50123"]
        );
        assert_eq!(phone_forms(StartsWith, "050", "UA"), ["050", "38050"]);
        assert_eq!(phone_forms(StartsWith, "07911", "GB"), ["07911", "447911"]);
        assert_eq!(
            phone_forms(StartsWith, "+0", "UA"),
            ["0"],
            "international: as written"
        );
        assert_eq!(phone_forms(StartsWith, "00380", "UA"), ["00380", "380"]);
        assert_eq!(phone_forms(StartsWith, "501", "UA"), ["501"]);
        assert_eq!(
            phone_forms(StartsWith, "050", "XX"),
            ["050"],
            "an unknown region"
        );
    }

    fn sql_of(payload: serde_json::Value) -> String {
        sql_on(Engine::Sqlite, payload)
    }

    fn sql_on(engine: Engine, payload: serde_json::Value) -> String {
        let request: FilterRequest = serde_json::from_value(json!({ "payload": payload })).unwrap();
        let defs = [CustomAttributeDef::from_definition("plan", "list", vec![]).unwrap()];
        let conditions = validate(&request.payload, &defs).unwrap();
        let mut qb = crate::db::Builder::new("SELECT 1 FROM contacts c WHERE c.account_id = 1");
        push_conditions(&mut qb, engine, 1, &conditions, 0).unwrap();
        qb.sql().to_owned()
    }

    #[test]
    fn and_runs_are_grouped_and_ored() {
        let sql = sql_of(json!([
            {"attribute_key":"name","filter_operator":"is_present","values":[],"query_operator":"and"},
            {"attribute_key":"email","filter_operator":"is_present","values":[],"query_operator":"or"},
            {"attribute_key":"labels","filter_operator":"is_present","values":[],"query_operator":null}
        ]));
        assert!(sql.contains(" AND (((trim(coalesce(c.name, '')) <> '') AND (trim(coalesce(c.email, '')) <> '')) OR ((EXISTS"), "{sql}");
    }

    #[test]
    fn values_and_custom_keys_are_bound_never_pasted() {
        let sql = sql_of(json!([
            {"attribute_key":"name","filter_operator":"contains","values":["'); DROP TABLE contacts;--", "100%_"],"query_operator":"and"},
            {"attribute_key":"plan","filter_operator":"equal_to","values":["gold"],"query_operator":null}
        ]));
        assert!(
            !sql.contains("DROP")
                && !sql.contains("100%")
                && !sql.contains("plan")
                && !sql.contains("gold"),
            "{sql}"
        );
        assert!(
            sql.contains("json_extract(c.custom_attributes, ?)"),
            "{sql}"
        );
        assert_eq!(json_path("plan"), "$.\"plan\"");
    }

    #[test]
    fn postgresql_binds_the_same_way_and_speaks_jsonb() {
        let payload = json!([
            {"attribute_key":"name","filter_operator":"contains","values":["'); DROP TABLE contacts;--", "100%_"],"query_operator":"and"},
            {"attribute_key":"plan","filter_operator":"equal_to","values":["gold"],"query_operator":"or"},
            {"attribute_key":"blocked","filter_operator":"equal_to","values":[true],"query_operator":null}
        ]);
        let sql = sql_on(Engine::Postgres, payload);
        assert!(
            !sql.contains("DROP")
                && !sql.contains("100%")
                && !sql.contains("plan")
                && !sql.contains("gold"),
            "{sql}"
        );
        assert!(
            sql.contains("(fold(c.name) LIKE fold(?) OR fold(c.name) LIKE fold(?))")
                && sql.contains("fold(json_text(c.custom_attributes -> ?)) IN (fold(?))")
                && sql.contains("(c.blocked AND (c.blocked_until IS NULL")
                && !sql.contains("json_extract")
                && !sql.contains("fold_like"),
            "{sql}"
        );
        assert_eq!(like_escaped("50%_a\\b", false), "%50\\%\\_a\\\\b%");
        assert_eq!(like_escaped("Ab", true), "Ab%");
    }
}
