//! `GET /contacts`: the paged, sorted list, optionally narrowed to labels.

use axum::extract::State;
use axum::Json;
use novatalks_model::{
    ContactList, ListMeta, SortDirection, SortField, SortKey, DEFAULT_PER_PAGE, MAX_PER_PAGE,
};
use sqlx::{QueryBuilder, Sqlite};

use super::row::{contact_columns, ContactRow};
use crate::auth::Scope;
use crate::budget::{Reads, Work};
use crate::extract::QueryPairs;
use crate::{AppError, AppState};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Page, size and order of a list request, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
    pub sort: SortKey,
}

impl Paging {
    pub fn from_query(q: &QueryPairs) -> Result<Self, AppError> {
        let page = match q.get("page").map(str::trim).filter(|s| !s.is_empty()) {
            None => 1,
            Some(p) => p
                .parse::<u32>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| {
                    AppError::Unprocessable(format!(
                        "page must be a whole number from 1, not '{p}'"
                    ))
                })?,
        };
        let per_page = match q.get("per_page").map(str::trim).filter(|s| !s.is_empty()) {
            None => DEFAULT_PER_PAGE,
            Some(p) => p
                .parse::<u32>()
                .ok()
                .filter(|p| (1..=MAX_PER_PAGE).contains(p))
                .ok_or_else(|| {
                    AppError::Unprocessable(format!(
                        "per_page must be a whole number from 1 to {MAX_PER_PAGE}, not '{p}'"
                    ))
                })?,
        };
        let sort = match q.get("sort").map(str::trim).filter(|s| !s.is_empty()) {
            None => SortKey::default(),
            Some(s) => s
                .parse()
                .map_err(|e: novatalks_model::list::UnknownSortKey| {
                    AppError::Unprocessable(e.to_string())
                })?,
        };
        Ok(Paging {
            page,
            per_page,
            sort,
        })
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// `ORDER BY …` matching the sort indexes of the migration: nulls last either way,
    /// the id as tie-breaker so pages never overlap.
    pub fn order_by(&self) -> String {
        let dir = match self.sort.direction {
            SortDirection::Asc => "ASC",
            SortDirection::Desc => "DESC",
        };
        let column = match self.sort.field {
            SortField::CreatedAt => return format!(" ORDER BY c.created_at {dir}, c.id {dir}"),
            SortField::Name => "c.name COLLATE NOCASE",
            SortField::Email => "c.email COLLATE NOCASE",
            SortField::PhoneNumber => "c.phone_number",
            SortField::LastActivityAt => "c.last_activity_at",
            SortField::Company => "json_extract(c.additional_attributes, '$.company_name')",
            SortField::City => "json_extract(c.additional_attributes, '$.city')",
            SortField::Country => "json_extract(c.additional_attributes, '$.country_code')",
        };
        let raw = column.trim_end_matches(" COLLATE NOCASE");
        format!(" ORDER BY {raw} IS NULL, {column} {dir}, c.id {dir}")
    }
}

/// Starts a page query. The page is read in two steps: first the ids of the page, in
/// order (an index walk, or a sort of bare ids), then the full rows of just those ids, so
/// labels and conversation counts are computed for one page rather than for every match.
/// The caller pushes ` FROM … WHERE …` of the inner id query (alias `c`), then calls
/// [`finish_page`].
pub fn begin_page<'a>() -> QueryBuilder<'a, Sqlite> {
    QueryBuilder::new(concat!(
        "SELECT ",
        contact_columns!(),
        " FROM (SELECT c.id AS page_id"
    ))
}

/// Orders, limits and offsets the id query, then fetches those contacts in that order.
/// CROSS JOIN keeps SQLite from reordering: page ids first, then contacts by primary key.
pub fn finish_page(qb: &mut QueryBuilder<'_, Sqlite>, paging: &Paging) {
    qb.push(paging.order_by());
    qb.push(" LIMIT ").push_bind(i64::from(paging.per_page));
    qb.push(" OFFSET ").push_bind(paging.offset());
    qb.push(") page CROSS JOIN contacts c ON c.id = page.page_id");
    qb.push(paging.order_by());
}

/// Appends `AND c.id IN (contacts having any of these labels)` when labels are given.
pub fn push_label_condition(qb: &mut QueryBuilder<'_, Sqlite>, account_id: i64, labels: &[String]) {
    if labels.is_empty() {
        return;
    }
    qb.push(" AND c.id IN (SELECT contact_id FROM contact_labels WHERE account_id = ")
        .push_bind(account_id)
        .push(" AND title IN (");
    let mut sep = qb.separated(", ");
    for label in labels {
        sep.push_bind(label.clone());
    }
    qb.push("))");
}

/// The `labels[]` values (also accepts `labels=`), trimmed and lower-cased as titles are
/// typed, without blanks.
pub fn label_params(q: &QueryPairs) -> Vec<String> {
    let mut labels: Vec<String> = q
        .all("labels[]")
        .into_iter()
        .chain(q.all("labels"))
        .map(novatalks_model::rules::typed_label_title)
        .filter(|l| !l.is_empty())
        .collect();
    labels.sort();
    labels.dedup();
    labels
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(index))
}

/// Contacts of the account, a page at a time, sorted, optionally only those having any
/// of `labels[]`.
#[utoipa::path(get, path = "/contacts", tag = "contacts", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("per_page" = Option<u32>, Query, description = "[ext] Page size, 1 to 100 (default 15)"),
        ("sort" = Option<String>, Query, description = "name, email, phone_number, last_activity_at, created_at, company, city, country; '-' prefix for descending"),
        ("labels[]" = Option<Vec<String>>, Query, description = "Only contacts having any of these labels"),
    ),
    responses((status = 200, body = ContactList), (status = 401), (status = 422), (status = 503, description = "[ext] Not read within the query budget")))]
pub async fn index(
    State(state): State<AppState>,
    scope: Scope,
    query: QueryPairs,
) -> Result<Json<ContactList>, AppError> {
    let paging = Paging::from_query(&query)?;
    let labels = label_params(&query);

    let mut reads = Reads::begin(&state, Work::List).await?;
    let total: i64 = if labels.is_empty() {
        let counted =
            sqlx::query_scalar("SELECT contacts FROM account_contact_counts WHERE account_id = ?")
                .bind(scope.account_id)
                .fetch_optional(reads.conn()?)
                .await;
        reads.check(counted)?.unwrap_or(0)
    } else {
        // Counted on the label index alone: label rows belong to the account's contacts
        // (deleted with them), so there is no need to visit the contacts.
        // One label: each contact has it at most once, so no DISTINCT is needed.
        let counted = if labels.len() == 1 {
            "count(*)"
        } else {
            "count(DISTINCT contact_id)"
        };
        let mut count = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {counted} FROM contact_labels WHERE account_id = "
        ));
        count.push_bind(scope.account_id).push(" AND title IN (");
        let mut titles = count.separated(", ");
        for label in &labels {
            titles.push_bind(label.clone());
        }
        count.push(")");
        let counted = count.build_query_scalar().fetch_one(reads.conn()?).await;
        reads.check(counted)?
    };

    let mut rows = begin_page();
    rows.push(" FROM contacts c WHERE c.account_id = ")
        .push_bind(scope.account_id);
    push_label_condition(&mut rows, scope.account_id, &labels);
    finish_page(&mut rows, &paging);
    let found = rows.build_query_as().fetch_all(reads.conn()?).await;
    let found: Vec<ContactRow> = reads.check(found)?;
    reads.finish().await;

    let now = crate::db::now();
    Ok(Json(ContactList {
        meta: ListMeta {
            count: total,
            current_page: i64::from(paging.page),
        },
        payload: found.into_iter().map(|r| r.into_contact(now)).collect(),
    }))
}
