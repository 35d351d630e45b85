//! `GET /contacts/search`: name word prefixes, email, identifier and company substrings,
//! phone digits in any formatting — every branch served by an index, never a table scan.
//!
//! The same rows on both engines, from each one's own indexes:
//!
//! | branch | SQLite | PostgreSQL |
//! |---|---|---|
//! | name: every word a prefix, any order, case and accents folded | `contacts_name_fts` (FTS5 unicode61, diacritics removed, prefix indexes) | `name_prefixes(name) @@ name_prefixes_query(q)`, GIN `contacts_name_prefixes` of each word's prefixes |
//! | email, identifier: holds `q` (three characters or more), case and accents folded | `contacts_contact_fts` (FTS5 trigram) | `unaccent_fold(x) LIKE search_fragment(q)`, pg_trgm GIN `contacts_*_unaccent_trgm` |
//! | company (`additional_attributes.company_name`, as Chatwoot's search): the same | `contacts_company_fts` (FTS5 trigram, migrations/sqlite 0021) | the same, GIN `contacts_company_unaccent_trgm` (migrations/postgres 0010) |
//! | phone digits: holds a fragment of [`phone_fragments`] | `contacts_contact_fts` | `phone_digits LIKE '%digits%'`, pg_trgm GIN `contacts_phone_trgm` |
//! | identifier exactly, whatever its length | unique index | unique index |
//! | the contact id, when `q` is only digits (as Chatwoot's search) | primary key | primary key |
//!
//! So "ole kov", "Kovalenko Olena" and "olena kovalenko" all find Olena Kovalenko. On
//! PostgreSQL each branch is its own indexed read, UNIONed (migrations/postgres 0001, 0002
//! and 0004 define the functions and indexes; [`push_matches_postgres`] says why not one
//! OR); on both, the matches are read first and only they are sorted for the page.

use axum::extract::State;
use axum::Json;
use novatalks_model::ContactList;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::list::{label_params, push_label_condition};
use super::page::{contact_page, page_query_plan, Paging, Total};
use crate::auth::Scope;
use crate::budget::Work;
use crate::db::Engine;
use crate::http::extract::QueryPairs;
use crate::{AppError, AppState};

const BLANK_QUERY: &str = "Specify search string with parameter q";
/// Longer queries are refused rather than cut: nobody types 200 characters to find a person.
pub const MAX_QUERY_CHARS: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(omnisearch_contacts))
}

/// What a search string asks for: SQLite's full-text queries, and the parts
/// PostgreSQL's indexes are asked with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPlan {
    /// FTS5 query over names: every word a prefix (`"ole"* AND "kov"*`).
    pub name_match: Option<String>,
    /// FTS5 query over email, identifier and phone digits (trigram substrings).
    pub contact_match: Option<String>,
    /// The query, trimmed: an exact identifier, the name words (PostgreSQL splits them
    /// itself, as `name_match` does) and the email or identifier fragment.
    pub identifier: String,
    /// Whether email and identifier are searched for the query as a fragment (three
    /// characters or more, as SQLite's trigrams need).
    pub fragment: bool,
    /// Phone digits fragments ([`phone_fragments`]).
    pub phone_digits: Vec<String>,
    /// FTS5 query over the company (`additional_attributes.company_name`): it holds the
    /// query (three characters or more, as for email).
    pub company_match: Option<String>,
    /// The contact id the query is, when it is only digits: Chatwoot's search also finds
    /// `contacts.id = q` then.
    pub id: Option<i64>,
}

/// An FTS5 string literal: double quotes doubled, so input can never be query syntax.
fn fts_literal(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

impl SearchPlan {
    pub fn new(q: &str) -> Result<SearchPlan, AppError> {
        let q = q.trim();
        if q.is_empty() {
            return Err(AppError::Unprocessable(BLANK_QUERY.to_owned()));
        }
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::Unprocessable(format!(
                "The search text is too long: at most {MAX_QUERY_CHARS} characters"
            )));
        }
        let words: Vec<String> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("{}*", fts_literal(w)))
            .collect();
        let name_match = (!words.is_empty()).then(|| words.join(" AND "));

        let fragment = q.chars().count() >= 3;
        let phone_digits = phone_fragments(q);
        let mut branches = Vec::new();
        if fragment {
            branches.push(format!("{{email identifier}} : {}", fts_literal(q)));
        }
        for digits in &phone_digits {
            branches.push(format!("phone_digits : {}", fts_literal(digits)));
        }
        let contact_match = (!branches.is_empty()).then(|| branches.join(" OR "));
        let company_match = fragment.then(|| fts_literal(q));
        let id = q
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| q.parse::<i64>().ok())
            .flatten();
        Ok(SearchPlan {
            company_match,
            id,
            name_match,
            contact_match,
            identifier: q.to_owned(),
            fragment,
            phone_digits,
        })
    }
}

/// The digit strings to look for when `q` looks like (part of) a phone number: its digits
/// as typed, and without an international `00` or a national trunk `0`, since stored
/// numbers are E.164 ("050-123-4567" finds +380501234567, "07911 123456" finds
/// +447911123456). Empty when `q` has letters or fewer than three digits.
pub fn phone_fragments(q: &str) -> Vec<String> {
    let phone_like = q
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c));
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    if !phone_like || digits.len() < 3 {
        return Vec::new();
    }
    let mut out = vec![digits.clone()];
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() >= 3 && trimmed != digits {
        out.push(trimmed.to_owned());
    }
    // A whole international number also finds the same number stored in national form
    // before numbers were normalised ("+380 67 765 43 21" finds "(067) 765-43-21").
    if let Some(national) = national_digits(&digits) {
        if !out.contains(&national) {
            out.push(national);
        }
    }
    out
}

/// The national significant number of `digits` read as a whole international number
/// (after `+` or `00`), when it is a valid one.
fn national_digits(digits: &str) -> Option<String> {
    let international = digits.strip_prefix("00").unwrap_or(digits);
    let number = phonenumber::parse(None, format!("+{international}")).ok()?;
    phonenumber::is_valid(&number).then(|| number.national().value().to_string())
}

/// Appends ` FROM … WHERE …`: the account's contacts the search finds, from the
/// engine's indexes (see the module's table).
pub fn push_matches(
    qb: &mut crate::db::Builder,
    engine: Engine,
    account_id: i64,
    plan: &SearchPlan,
) {
    match engine {
        Engine::Sqlite => push_matches_sqlite(qb, account_id, plan),
        Engine::Postgres => push_matches_postgres(qb, account_id, plan),
    }
}

/// `(SELECT id … UNION …) m CROSS JOIN contacts c ON c.id = m.id WHERE c.account_id = ?`.
/// CROSS JOIN fixes the join order: SQLite walks the index matches and fetches each
/// contact by primary key, instead of scanning contacts in sort order.
fn push_matches_sqlite(qb: &mut crate::db::Builder, account_id: i64, plan: &SearchPlan) {
    qb.push(" FROM (SELECT c2.id AS id FROM contacts c2 WHERE c2.account_id = ")
        .push_bind(account_id)
        .push(" AND c2.identifier = ")
        .push_bind(plan.identifier.clone());
    if let Some(id) = plan.id {
        qb.push(" UNION SELECT ").push_bind(id);
    }
    if let Some(m) = &plan.name_match {
        qb.push(" UNION SELECT rowid FROM contacts_name_fts WHERE contacts_name_fts MATCH ")
            .push_bind(m.clone());
    }
    if let Some(m) = &plan.contact_match {
        qb.push(" UNION SELECT rowid FROM contacts_contact_fts WHERE contacts_contact_fts MATCH ")
            .push_bind(m.clone());
    }
    if let Some(m) = &plan.company_match {
        qb.push(" UNION SELECT rowid FROM contacts_company_fts WHERE contacts_company_fts MATCH ")
            .push_bind(m.clone());
    }
    qb.push(") m CROSS JOIN contacts c ON c.id = m.id WHERE c.account_id = ")
        .push_bind(account_id);
}

/// `(SELECT DISTINCT ON (id) * FROM (<branch> UNION ALL <branch> …) u ORDER BY id) c
/// WHERE c.account_id = ?`: each branch reads its own index and rechecks only its own
/// condition; the rows it found are kept, a contact found by two branches once.
///
/// Why not one `WHERE identifier = ? OR <name> OR <fragments>`: PostgreSQL reads that as a
/// BitmapOr of the same indexes, but then rechecks the whole OR on every row found, which
/// computes `name_prefixes(name)` and `unaccent_fold()` of email and identifier for each
/// email match: at 1,000,000 contacts an email fragment took 150–200 ms that way against
/// under 10 ms this way. The branches' rows are kept whole, not gathered as ids and
/// fetched again by primary key (`id = ANY(ARRAY(…))`: at 1,000,000 contacts
/// an email fragment matching 1,500 contacts took 26 ms that way, 18 ms this way).
/// `DISTINCT ON` keeps the subquery whole (not flattened, the page's ORDER BY … LIMIT not
/// pushed into it): only the matches are sorted, as SQLite's CROSS JOIN does.
fn push_matches_postgres(qb: &mut crate::db::Builder, account_id: i64, plan: &SearchPlan) {
    qb.push(" FROM (SELECT DISTINCT ON (id) * FROM (");
    let branch = |qb: &mut crate::db::Builder, first: bool| {
        if !first {
            qb.push(" UNION ALL ");
        }
        qb.push("SELECT * FROM contacts WHERE account_id = ")
            .push_bind(account_id)
            .push(" AND ");
    };
    branch(qb, true);
    qb.push("identifier = ").push_bind(plan.identifier.clone());
    if let Some(id) = plan.id {
        branch(qb, false);
        qb.push("id = ").push_bind(id);
    }
    if plan.name_match.is_some() {
        branch(qb, false);
        qb.push("name_prefixes(name) @@ name_prefixes_query(")
            .push_bind(plan.identifier.clone())
            .push(")");
    }
    if plan.fragment {
        for column in [
            "email",
            "identifier",
            "(additional_attributes ->> 'company_name')",
        ] {
            branch(qb, false);
            qb.push("unaccent_fold(")
                .push(column)
                .push(") LIKE search_fragment(")
                .push_bind(plan.identifier.clone())
                .push(")");
        }
    }
    for digits in &plan.phone_digits {
        branch(qb, false);
        // Digits only: nothing in them is LIKE syntax.
        qb.push("phone_digits LIKE ")
            .push_bind(format!("%{digits}%"));
    }
    qb.push(") u ORDER BY id) c WHERE c.account_id = ")
        .push_bind(account_id);
}

/// Searches the account's contacts by name, email, phone, identifier and company.
#[utoipa::path(get, path = "/contacts/search", tag = "contacts", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("q" = String, Query, description = "Name word prefixes, email, identifier or company fragment, phone digits in any format"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("per_page" = Option<u32>, Query, description = "[ext] Page size, 1 to 100"),
        ("sort" = Option<String>, Query, description = "As for GET /contacts"),
        ("labels[]" = Option<Vec<String>>, Query, description = "Only contacts having any of these labels"),
    ),
    responses((status = 200, body = ContactList), (status = 401), (status = 422, description = "Blank or too long q"), (status = 503, description = "[ext] Too broad to answer within the query budget")))]
pub async fn search(
    State(state): State<AppState>,
    scope: Scope,
    query: QueryPairs,
) -> Result<Json<ContactList>, AppError> {
    let plan = SearchPlan::new(query.get("q").unwrap_or(""))?;
    let paging = Paging::from_query(&query)?;
    let labels = label_params(&query);
    let engine = state.db.engine();
    let page = contact_page(
        &state,
        Work::Search,
        &paging,
        Total::OfMatches,
        |qb| {
            push_matches(qb, engine, scope.account_id, &plan);
            push_label_condition(qb, scope.account_id, &labels);
            Ok(())
        },
        crate::db::now(),
    )
    .await?;
    Ok(Json(page))
}

/// Chatwoot's omnisearch answer for contacts: `{"payload": {"contacts": [...]}}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OmnisearchContacts {
    pub payload: OmnisearchPayload,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OmnisearchPayload {
    pub contacts: Vec<novatalks_model::Contact>,
}

/// Chatwoot's omnisearch of contacts (`GET /search/contacts`, what its dashboard's search
/// page calls): the same search as `GET /contacts/search`, answered in the omnisearch's
/// shape, 15 to a page.
#[utoipa::path(get, path = "/search/contacts", tag = "contacts", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("q" = String, Query, description = "Name word prefixes, email, identifier or company fragment, phone digits in any format"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
    ),
    responses((status = 200, body = OmnisearchContacts), (status = 401), (status = 422, description = "Blank or too long q"), (status = 503, description = "[ext] Too broad to answer within the query budget")))]
pub async fn omnisearch_contacts(
    state: State<AppState>,
    scope: Scope,
    query: QueryPairs,
) -> Result<Json<OmnisearchContacts>, AppError> {
    let Json(list) = search(state, scope, query).await?;
    Ok(Json(OmnisearchContacts {
        payload: OmnisearchPayload {
            contacts: list.payload,
        },
    }))
}

/// The query plan of a search's page (SQLite's EXPLAIN QUERY PLAN lines, PostgreSQL's
/// EXPLAIN lines), for the test that proves the search never scans the contacts table.
pub async fn search_query_plan(
    db: &crate::db::Db,
    account_id: i64,
    q: &str,
) -> Result<Vec<String>, AppError> {
    let plan = SearchPlan::new(q)?;
    page_query_plan(db, |qb| {
        push_matches(qb, db.engine(), account_id, &plan);
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_fragments_ignore_formatting_and_trunk_prefixes() {
        assert_eq!(
            phone_fragments("+380 50 123 45 67"),
            vec!["380501234567", "501234567"]
        );
        assert_eq!(
            phone_fragments("050-123-4567"),
            vec!["0501234567", "501234567"]
        );
        assert_eq!(
            phone_fragments("00380501234567"),
            vec!["00380501234567", "380501234567", "501234567"]
        );
        assert_eq!(
            phone_fragments("+44 7911 123456"),
            vec!["447911123456", "7911123456"]
        );
        assert_eq!(
            phone_fragments("+380 50 123"),
            vec!["38050123"],
            "a fragment is not a whole number: no national form"
        );
        assert_eq!(phone_fragments("(050) 123"), vec!["050123", "50123"]);
        assert!(
            phone_fragments("12").is_empty(),
            "too short to be a fragment"
        );
        assert!(phone_fragments("olena 123").is_empty(), "not a phone");
    }

    #[test]
    fn search_words_become_quoted_prefix_terms() {
        let plan = SearchPlan::new("  ole  Kov ").unwrap();
        assert_eq!(plan.name_match.as_deref(), Some(r#""ole"* AND "Kov"*"#));
        let plan = SearchPlan::new(r#"x" OR "*"#).unwrap();
        assert_eq!(plan.name_match.as_deref(), Some(r#""x"* AND "OR"*"#));
        assert_eq!(
            plan.contact_match.as_deref(),
            Some(r#"{email identifier} : "x"" OR ""*""#),
            "quotes are doubled: input is never FTS syntax"
        );
    }

    #[test]
    fn blank_and_overlong_queries_are_refused() {
        assert!(
            matches!(SearchPlan::new("   "), Err(AppError::Unprocessable(m)) if m == BLANK_QUERY)
        );
        assert!(SearchPlan::new(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }
}
