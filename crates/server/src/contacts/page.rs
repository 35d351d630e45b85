//! One page of contacts, the way list, search and filter answer it: the total of the
//! matches, then the page itself, both read within one query budget, as a
//! [`ContactList`].
//!
//! A page is read in two steps: first the ids of the page, in order (an index walk, or a
//! sort of bare ids), then the full rows of just those ids, so labels and conversation
//! counts are computed for one page rather than for every match.
//!
//! A search's or a filter's total comes with its page, from the same read of the matches
//! (`count(*) OVER ()` beside each page id): the matches are found once, not once to count
//! them and again to page them. Only a page past the last match, which has no row to carry
//! the total, counts them on their own.

use novatalks_model::{
    ContactList, ListMeta, SortDirection, SortField, SortKey, DEFAULT_PER_PAGE, MAX_PER_PAGE,
};

use super::row::{contact_columns, ContactRow};
use crate::budget::{Reads, Work};
use crate::db::Engine;
use crate::http::extract::QueryPairs;
use crate::{AppError, AppState};

/// The last page a list request may ask for.
pub const MAX_PAGE: u32 = 1_000_000;

/// Ruby's `String#to_i`: leading blanks, an optional sign, then the digits up to the
/// first other character (single `_` between digits allowed); none is 0. Saturates
/// instead of growing past `i64`.
pub fn ruby_to_i(text: &str) -> i64 {
    let text = text.trim_start();
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut value: i64 = 0;
    let mut last_was_digit = false;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(d) = c.to_digit(10) {
            value = value.saturating_mul(10).saturating_add(i64::from(d));
            last_was_digit = true;
        } else if c == '_' && last_was_digit && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            last_was_digit = false;
        } else {
            break;
        }
    }
    if negative {
        -value
    } else {
        value
    }
}

/// Page, size and order of a list request, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
    pub sort: SortKey,
    /// Whether each contact carries its `contact_inboxes`: Chatwoot's
    /// `include_contact_inboxes`, true unless it is sent as anything but `true`.
    pub contact_inboxes: bool,
}

impl Paging {
    pub fn from_query(q: &QueryPairs) -> Result<Self, AppError> {
        // Chatwoot reads `page` with Ruby's `to_i` and Kaminari: 0, below, blank or not a
        // number is page 1; past the last page is an empty page.
        let page = match q.get("page").map(ruby_to_i) {
            None => 1,
            Some(p) if p < 1 => 1,
            Some(p) => u32::try_from(p)
                .ok()
                .filter(|p| *p <= MAX_PAGE)
                .ok_or_else(|| {
                    AppError::Unprocessable(format!(
                        "page must be a whole number up to {MAX_PAGE}, not {p}"
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
        let contact_inboxes = q
            .get("include_contact_inboxes")
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .is_none_or(|v| v == "true");
        Ok(Paging {
            page,
            per_page,
            sort,
            contact_inboxes,
        })
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// `ORDER BY …` matching the sort indexes of the engine's migration: nulls last either
    /// way, the id as tie-breaker so pages never overlap. SQLite sorts names and emails
    /// `NOCASE` and puts nulls last with `x IS NULL` first; PostgreSQL sorts them by
    /// `fold()` and says `NULLS LAST`.
    pub fn order_by(&self, engine: Engine) -> String {
        let dir = match self.sort.direction {
            SortDirection::Asc => "ASC",
            SortDirection::Desc => "DESC",
        };
        let sqlite = engine == Engine::Sqlite;
        let column = match self.sort.field {
            SortField::CreatedAt => return format!(" ORDER BY c.created_at {dir}, c.id {dir}"),
            SortField::Name if sqlite => "c.name COLLATE NOCASE",
            SortField::Name => "fold(c.name)",
            SortField::Email if sqlite => "c.email COLLATE NOCASE",
            SortField::Email => "fold(c.email)",
            SortField::PhoneNumber => "c.phone_number",
            SortField::LastActivityAt => "c.last_activity_at",
            SortField::Company if sqlite => {
                "json_extract(c.additional_attributes, '$.company_name')"
            }
            SortField::Company => "(c.additional_attributes->>'company_name')",
            SortField::City if sqlite => "json_extract(c.additional_attributes, '$.city')",
            SortField::City => "(c.additional_attributes->>'city')",
            SortField::Country if sqlite => {
                "json_extract(c.additional_attributes, '$.country_code')"
            }
            SortField::Country => "(c.additional_attributes->>'country_code')",
        };
        if sqlite {
            let raw = column.trim_end_matches(" COLLATE NOCASE");
            format!(" ORDER BY {raw} IS NULL, {column} {dir}, c.id {dir}")
        } else {
            format!(" ORDER BY {column} {dir} NULLS LAST, c.id {dir}")
        }
    }
}

impl Default for Paging {
    /// The first page of the default size and order.
    fn default() -> Self {
        Paging {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            sort: SortKey::default(),
            contact_inboxes: true,
        }
    }
}

/// How the total a page belongs to is counted.
pub enum Total {
    /// Counted with the page, by the query that finds its matches (`count(*) OVER ()`);
    /// a `SELECT count(*)` over the same ` FROM … WHERE …` for a page past the end.
    OfMatches,
    /// A query of one integer that counts the same matches faster (a kept count, an
    /// index alone).
    Query(crate::db::Builder),
}

/// Appends the SQL of one page to `qb`. `push_from` appends the ` FROM … WHERE …` of the
/// inner id query (alias `c`); the ids are ordered, limited and offset, then those
/// contacts fetched in that order. CROSS JOIN keeps SQLite from reordering: page ids
/// first, then contacts by primary key.
pub fn push_page(
    qb: &mut crate::db::Builder,
    engine: Engine,
    paging: &Paging,
    push_from: impl FnOnce(&mut crate::db::Builder) -> Result<(), AppError>,
) -> Result<(), AppError> {
    push_page_counted(qb, engine, paging, false, push_from)
}

/// [`push_page`], with `counted` a `total` column beside every row: the number of matches
/// `push_from` selects, counted by the same read that finds the page's ids.
fn push_page_counted(
    qb: &mut crate::db::Builder,
    engine: Engine,
    paging: &Paging,
    counted: bool,
    push_from: impl FnOnce(&mut crate::db::Builder) -> Result<(), AppError>,
) -> Result<(), AppError> {
    qb.push(concat!("SELECT ", contact_columns!()));
    if counted {
        qb.push(", page.total");
    }
    qb.push(" FROM (SELECT c.id AS page_id");
    if counted {
        qb.push(", count(*) OVER () AS total");
    }
    push_from(qb)?;
    qb.push(paging.order_by(engine));
    qb.push(" LIMIT ").push_bind(i64::from(paging.per_page));
    qb.push(" OFFSET ").push_bind(paging.offset());
    qb.push(engine.pick(
        ") page CROSS JOIN contacts c ON c.id = page.page_id",
        ") page JOIN contacts c ON c.id = page.page_id",
    ));
    qb.push(paging.order_by(engine));
    Ok(())
}

/// The page `paging` asks for of the contacts `push_from` selects (see [`push_page`]),
/// with their total, read within one budget of `work` (one turn, for heavy work) and
/// shown as they are at `now`.
pub async fn contact_page(
    state: &AppState,
    work: Work,
    paging: &Paging,
    total: Total,
    push_from: impl Fn(&mut crate::db::Builder) -> Result<(), AppError>,
    now: i64,
) -> Result<ContactList, AppError> {
    let engine = state.db.engine();
    let mut reads = Reads::begin(state, work).await?;
    let (total, found) = match total {
        Total::OfMatches => {
            let mut rows = crate::db::Builder::new("");
            push_page_counted(&mut rows, engine, paging, true, &push_from)?;
            let found = rows.build_query_as().fetch_all(reads.conn()?).await;
            let found: Vec<CountedRow> = reads.check(found)?;
            let total = match found.first() {
                Some(row) => row.total,
                // No row to carry the total: none match, or the page is past the end.
                None if paging.page == 1 => 0,
                None => {
                    let mut count = crate::db::Builder::new("SELECT count(*)");
                    push_from(&mut count)?;
                    let total = count.build_query_scalar().fetch_one(reads.conn()?).await;
                    reads.check(total)?
                }
            };
            (total, found.into_iter().map(|r| r.row).collect())
        }
        Total::Query(count) => {
            let mut rows = crate::db::Builder::new("");
            push_page(&mut rows, engine, paging, &push_from)?;
            let total = count.build_query_scalar().fetch_one(reads.conn()?).await;
            let total: i64 = reads.check(total)?;
            let found = rows.build_query_as().fetch_all(reads.conn()?).await;
            let found: Vec<ContactRow> = reads.check(found)?;
            (total, found)
        }
    };
    let mut payload: Vec<_> = found.into_iter().map(|r| r.into_contact(now)).collect();
    if paging.contact_inboxes {
        let attached = super::row::attach_contact_inboxes(reads.conn()?, &mut payload).await;
        reads.check(attached)?;
    }
    reads.finish().await;

    Ok(ContactList {
        meta: ListMeta {
            count: total,
            current_page: i64::from(paging.page),
        },
        payload,
    })
}

/// A page's row with the total of the matches beside it.
#[derive(sqlx::FromRow)]
struct CountedRow {
    #[sqlx(flatten)]
    row: ContactRow,
    total: i64,
}

/// The query plan of a first page, for the tests that prove a search or filter never
/// walks the account's contacts: SQLite's EXPLAIN QUERY PLAN `detail` lines, or
/// PostgreSQL's EXPLAIN lines.
pub async fn page_query_plan(
    db: &crate::db::Db,
    push_from: impl FnOnce(&mut crate::db::Builder) -> Result<(), AppError>,
) -> Result<Vec<String>, AppError> {
    let engine = db.engine();
    let mut qb = crate::db::Builder::new(engine.pick("EXPLAIN QUERY PLAN ", "EXPLAIN "));
    push_page(&mut qb, engine, &Paging::default(), push_from)?;
    Ok(match engine {
        Engine::Sqlite => {
            let rows: Vec<(i64, i64, i64, String)> = qb.build_query_as().fetch_all(db).await?;
            rows.into_iter().map(|r| r.3).collect()
        }
        Engine::Postgres => qb.build_query_scalar::<String>().fetch_all(db).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::ruby_to_i;

    #[test]
    fn page_numbers_are_read_as_rubys_to_i_reads_them() {
        for (text, value) in [
            ("3", 3),
            ("  7", 7),
            ("+2", 2),
            ("-2", -2),
            ("0", 0),
            ("", 0),
            ("abc", 0),
            ("2abc", 2),
            ("1_000", 1000),
            ("1__0", 1),
            ("_1", 0),
            ("4.9", 4),
            ("99999999999999999999999", i64::MAX),
        ] {
            assert_eq!(ruby_to_i(text), value, "{text:?}");
        }
    }
}
