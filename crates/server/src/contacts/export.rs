//! [ext] `POST /contacts/export`: the contacts as a CSV file, streamed.
//!
//! Which contacts: `ids` (each checked to be the account's; one that is not refuses the
//! whole export), or a `query` (as a bulk action's, [`crate::bulk::selection`]), or
//! Chatwoot's `payload` (filter conditions) and `label`; nothing exports every contact.
//!
//! How it reads: one read transaction ([`crate::db::read_tx`]), so the file is one moment
//! of the account however long it takes to send. The ids of a selection are first put in
//! a temporary table (`export_selection`, in the database, not in memory); then the rows
//! are read in keyset pages of [`PAGE_ROWS`] by id and each page is written out as it is
//! read: memory holds one page, whatever the count.
//!
//! The file: UTF-8 with a byte order mark (spreadsheet programs then read Cyrillic
//! right), CRLF lines, RFC 4180 quoting, and every cell that a spreadsheet would read as
//! a formula (starting with `=`, `+`, `-`, `@`, tab or CR) defused by a leading `'` — an
//! E.164 phone number (`+380…`) so stays text too. Columns: [`EXPORT_COLUMNS`], then one
//! per custom attribute definition of the account's contacts, by key, in definition
//! order. Times are ISO 8601 UTC; labels are joined by ", "; `blocked` is whether a block
//! is in force (an expired one is not, and shows no end or reason).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use novatalks_model::bulk::{ContactSelector, ExportRequest, EXPORT_COLUMNS, MAX_BULK_IDS};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::bulk::selection::{distinct_ids, fill, IdTable, Named, Query};
use crate::db::{Conn, JsonText};
use crate::http::extract::OrEmpty;
use crate::{AppError, AppState};

/// The end of the 404 that refuses ids not of the account.
const NOTHING: &str = "nothing was exported";

/// Rows read and written out at a time.
pub const PAGE_ROWS: i64 = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

/// [ext] The contacts as a CSV file (`text/csv; charset=utf-8`, an attachment named
/// `contacts-<account>-<YYYY-MM-DD>.csv`), streamed as it is read.
///
/// Body: `ids`, or `query` (`q`, `labels`, `payload`, as a bulk action), or Chatwoot's
/// `payload` and `label`; an empty body (of any content type, or none, as Chatwoot's
/// dashboard sends it) exports every contact of the account.
#[utoipa::path(post, path = "/contacts/export", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = ExportRequest,
    responses(
        (status = 200, content_type = "text/csv", description = "[ext] The CSV: a BOM, a header row, one row per contact"),
        (status = 401),
        (status = 404, description = "An id is not a contact of the account (nothing exported)"),
        (status = 422, description = "Both ids and a query, too many ids, a wrong search or filter; in words"),
        (status = 503, description = "The database stayed busy; send it again"),
    ))]
async fn export(
    State(state): State<AppState>,
    scope: Scope,
    OrEmpty(body): OrEmpty<ExportRequest>,
) -> Result<Response, AppError> {
    let now = crate::db::now();
    let account_id = scope.account_id;
    let source = read_source(&state.db, account_id, body).await?;

    let mut tx = crate::db::read_tx(&state.db).await?;
    let keys: Vec<String> = crate::db::query_scalar(
        "SELECT attribute_key FROM custom_attribute_definitions
         WHERE account_id = ? AND attribute_model = 'contact_attribute' ORDER BY created_at, id",
    )
    .bind(account_id)
    .fetch_all(&mut tx)
    .await?;
    let selected = match source {
        Source::Everything => false,
        Source::Ids(ids) => {
            fill(
                &mut tx,
                IdTable::Export,
                account_id,
                Named::Ids(&ids),
                now,
                NOTHING,
            )
            .await?;
            true
        }
        Source::Query(query) => {
            fill(
                &mut tx,
                IdTable::Export,
                account_id,
                Named::Query(&query),
                now,
                NOTHING,
            )
            .await?;
            true
        }
    };

    let pager = Pager {
        tx: Some(tx),
        account_id,
        selected,
        keys,
        after: 0,
        header_sent: false,
        now,
    };
    let stream = futures_util::stream::unfold(pager, |mut pager| async move {
        match pager.next_chunk().await {
            Ok(Some(bytes)) => Some((Ok::<Bytes, std::io::Error>(bytes), pager)),
            Ok(None) => None,
            Err(e) => {
                // The head is sent: all that is left is to cut the body short, so the
                // client sees an incomplete download rather than a shorter file.
                tracing::error!(
                    "contact export of account {} failed midway: {e}",
                    pager.account_id
                );
                pager.tx = None;
                Some((Err(std::io::Error::other(e.to_string())), pager))
            }
        }
    });

    let date = chrono::DateTime::from_timestamp(now, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d");
    let disposition = format!("attachment; filename=\"contacts-{account_id}-{date}.csv\"");
    let mut response = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition)
            .map_err(|e| AppError::internal(format!("export file name: {e}")))?,
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

enum Source {
    Everything,
    Ids(Vec<i64>),
    Query(Box<Query>),
}

/// Which contacts the body names, checked before anything is read.
async fn read_source(
    db: &crate::db::Db,
    account_id: i64,
    body: ExportRequest,
) -> Result<Source, AppError> {
    let chatwoots = body.payload.is_some() || body.label.is_some();
    match (body.ids, body.query) {
        (Some(_), Some(_)) => Err(AppError::invalid(
            "ids",
            "Send either ids or a query, not both",
        )),
        (Some(_), None) if chatwoots => Err(AppError::invalid(
            "ids",
            "Send either ids or a payload and label, not both",
        )),
        (None, Some(_)) if chatwoots => Err(AppError::invalid(
            "query",
            "Send either a query or Chatwoot's payload and label, not both",
        )),
        (Some(ids), None) => Ok(Source::Ids(distinct_ids(&ids, MAX_BULK_IDS)?)),
        (None, query) => {
            let selector = query.unwrap_or_else(|| ContactSelector {
                q: None,
                labels: body.label.into_iter().collect(),
                payload: body.payload.unwrap_or_default(),
            });
            if selector.is_everything() {
                return Ok(Source::Everything);
            }
            Ok(Source::Query(Box::new(
                Query::prepare(db, account_id, &selector).await?,
            )))
        }
    }
}

#[derive(sqlx::FromRow)]
struct ExportRow {
    id: i64,
    name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    identifier: Option<String>,
    labels: Option<String>,
    blocked: bool,
    blocked_until: Option<i64>,
    block_reason: Option<String>,
    created_at: i64,
    last_activity_at: Option<i64>,
    additional_attributes: JsonText,
    custom_attributes: JsonText,
}

const ROW_COLUMNS: &str = "c.id, c.name, c.email, c.phone_number, c.identifier,
    (SELECT string_agg(title, ', ' ORDER BY title) FROM contact_labels WHERE contact_id = c.id) AS labels,
    c.blocked, c.blocked_until, c.block_reason, c.created_at, c.last_activity_at,
    c.additional_attributes, c.custom_attributes";

/// The export as it is sent: the open read transaction and where the last page ended.
struct Pager {
    /// `None` once the last page is out (the transaction is over).
    tx: Option<Conn>,
    account_id: i64,
    /// Whether the rows come from `export_selection` (else: the account's contacts).
    selected: bool,
    keys: Vec<String>,
    after: i64,
    header_sent: bool,
    now: i64,
}

impl Pager {
    /// The next piece of the file: the BOM and header, then a page of rows; `None` at
    /// the end.
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, AppError> {
        if !self.header_sent {
            self.header_sent = true;
            let mut out = String::from("\u{feff}");
            let header: Vec<&str> = EXPORT_COLUMNS
                .iter()
                .copied()
                .chain(self.keys.iter().map(String::as_str))
                .collect();
            write_record(
                &mut out,
                header.iter().map(|h| std::borrow::Cow::Borrowed(*h)),
            );
            return Ok(Some(Bytes::from(out)));
        }
        let Some(tx) = self.tx.as_mut() else {
            return Ok(None);
        };
        let sql = if self.selected {
            let join = tx.engine().pick("CROSS JOIN", "JOIN");
            format!(
                "SELECT {ROW_COLUMNS} FROM export_selection s {join} contacts c ON c.id = s.id
                 WHERE s.id > ? AND c.account_id = ? ORDER BY s.id LIMIT ?"
            )
        } else {
            // `+c.account_id`: no index on the account may serve the page. Read through
            // one (account_id, …, id), the page would walk the whole account and sort it,
            // every page: a million contacts cost a thousand walks of a million. The
            // key's range from `after` reads just the page, then the account is checked.
            format!(
                "SELECT {ROW_COLUMNS} FROM contacts c
                 WHERE c.id > ? AND +c.account_id = ? ORDER BY c.id LIMIT ?"
            )
        };
        let rows: Vec<ExportRow> = crate::db::query_as(sql)
            .bind(self.after)
            .bind(self.account_id)
            .bind(PAGE_ROWS)
            .fetch_all(&mut *tx)
            .await?;
        let Some(last) = rows.last() else {
            self.finish().await?;
            return Ok(None);
        };
        self.after = last.id;
        let mut out = String::with_capacity(rows.len() * 160);
        for row in rows {
            write_record(&mut out, cells(row, &self.keys, self.now).into_iter());
        }
        Ok(Some(Bytes::from(out)))
    }

    /// Ends the read transaction. Rolled back: it wrote nothing but the temporary
    /// selection (SQLite's temporary table stays, empty, with the connection).
    async fn finish(&mut self) -> Result<(), AppError> {
        if let Some(tx) = self.tx.take() {
            tx.rollback().await?;
        }
        Ok(())
    }
}

/// Unix seconds as ISO 8601 UTC (`2026-12-03T06:12:36Z`).
fn iso(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// A JSON value as a cell: text as it is, numbers and booleans as written, null empty,
/// lists and objects as JSON.
fn json_cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn cells(row: ExportRow, keys: &[String], now: i64) -> Vec<std::borrow::Cow<'static, str>> {
    use std::borrow::Cow;
    let in_force = crate::contacts::block_in_force(row.blocked, row.blocked_until, now);
    let additional: Map<String, Value> =
        serde_json::from_str(&row.additional_attributes).unwrap_or_default();
    let custom: Map<String, Value> =
        serde_json::from_str(&row.custom_attributes).unwrap_or_default();
    let first = |keys: &[&str]| {
        keys.iter()
            .map(|k| json_cell(additional.get(*k)))
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    };
    let mut cells: Vec<Cow<'static, str>> = vec![
        Cow::Owned(row.id.to_string()),
        Cow::Owned(row.name.unwrap_or_default()),
        Cow::Owned(row.email.unwrap_or_default()),
        Cow::Owned(row.phone_number.unwrap_or_default()),
        Cow::Owned(row.identifier.unwrap_or_default()),
        Cow::Owned(row.labels.unwrap_or_default()),
        Cow::Borrowed(if in_force { "true" } else { "false" }),
        Cow::Owned(
            row.blocked_until
                .filter(|_| in_force)
                .map(iso)
                .unwrap_or_default(),
        ),
        Cow::Owned(row.block_reason.filter(|_| in_force).unwrap_or_default()),
        Cow::Owned(iso(row.created_at)),
        Cow::Owned(row.last_activity_at.map(iso).unwrap_or_default()),
        Cow::Owned(first(&["city"])),
        Cow::Owned(first(&["country_code", "country"])),
        Cow::Owned(first(&["company_name", "company"])),
        Cow::Owned(first(&["language"])),
    ];
    cells.extend(keys.iter().map(|k| Cow::Owned(json_cell(custom.get(k)))));
    cells
}

/// Appends one CSV record and its CRLF.
fn write_record<'a>(out: &mut String, cells: impl Iterator<Item = std::borrow::Cow<'a, str>>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_cell(out, &cell);
    }
    out.push_str("\r\n");
}

/// One cell: defused when a spreadsheet would take it for a formula, then quoted (RFC
/// 4180) when it holds a comma, a quote, CR or LF, its quotes doubled.
pub fn write_cell(out: &mut String, cell: &str) {
    let defuse = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = cell.contains([',', '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if defuse {
        out.push('\'');
    }
    if quote {
        for ch in cell.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

#[cfg(test)]
mod tests {
    use super::write_cell;

    fn cell(s: &str) -> String {
        let mut out = String::new();
        write_cell(&mut out, s);
        out
    }

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("+380501234567"), "'+380501234567");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@cmd"), "'@cmd");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("=1,2"), "\"'=1,2\"");
        assert_eq!(cell("Олена"), "Олена");
    }
}
