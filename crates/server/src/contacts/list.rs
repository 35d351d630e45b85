//! `GET /contacts`: the paged, sorted list, optionally narrowed to labels.

use axum::extract::State;
use axum::Json;
use novatalks_model::ContactList;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{contact_page, Paging, Total};
use crate::auth::Scope;
use crate::budget::Work;
use crate::http::extract::QueryPairs;
use crate::{AppError, AppState};

/// Appends `AND c.id IN (contacts having any of these labels)` when labels are given.
pub fn push_label_condition(qb: &mut crate::db::Builder, account_id: i64, labels: &[String]) {
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
    OpenApiRouter::new()
        .routes(routes!(index))
        .routes(routes!(active))
}

/// Chatwoot's contacts online now (its dashboard asks for them). We keep no presence
/// (Chatwoot's `OnlineStatusTracker` of live widget sessions): nobody is known to be
/// online, so the answer is always an empty page, in the list's shape, after the same
/// checks of `page`, `per_page` and `sort` as the list. Never invented from activity.
#[utoipa::path(get, path = "/contacts/active", tag = "contacts", security(("api_access_token" = [])),
    params(
        ("account_id" = i64, Path, description = "Account id"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("sort" = Option<String>, Query, description = "As for GET /contacts"),
    ),
    responses((status = 200, body = ContactList, description = "Always empty: no presence is kept"), (status = 401), (status = 422)))]
pub async fn active(_scope: Scope, query: QueryPairs) -> Result<Json<ContactList>, AppError> {
    let paging = Paging::from_query(&query)?;
    Ok(Json(ContactList {
        meta: novatalks_model::ListMeta {
            count: 0,
            current_page: i64::from(paging.page),
        },
        payload: Vec::new(),
    }))
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
    let account_id = scope.account_id;

    let total = if labels.is_empty() {
        let mut count = crate::db::Builder::new(
            "SELECT coalesce((SELECT contacts FROM account_contact_counts WHERE account_id = ",
        );
        count.push_bind(account_id).push("), 0)");
        count
    } else {
        // Counted on the label index alone: label rows belong to the account's contacts
        // (deleted with them), so there is no need to visit the contacts.
        // One label: each contact has it at most once, so no DISTINCT is needed.
        let counted = if labels.len() == 1 {
            "count(*)"
        } else {
            "count(DISTINCT contact_id)"
        };
        let mut count = crate::db::Builder::new(format!(
            "SELECT {counted} FROM contact_labels WHERE account_id = "
        ));
        count.push_bind(account_id).push(" AND title IN (");
        let mut titles = count.separated(", ");
        for label in &labels {
            titles.push_bind(label.clone());
        }
        count.push(")");
        count
    };
    let page = contact_page(
        &state,
        Work::List,
        &paging,
        Total::Query(total),
        |qb| {
            qb.push(" FROM contacts c WHERE c.account_id = ")
                .push_bind(account_id);
            push_label_condition(qb, account_id, &labels);
            Ok(())
        },
        crate::db::now(),
    )
    .await?;
    Ok(Json(page))
}
