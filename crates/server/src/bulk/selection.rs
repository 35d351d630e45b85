//! Which contacts a bulk action or an export names: `ids`, or [ext] a `query` (search
//! text, labels, filter conditions, all at once), compiled with the very functions list,
//! search and filter use, so "every contact matching" means what those pages show.

use novatalks_model::bulk::ContactSelector;
use novatalks_model::filter::ValidCondition;

use crate::contacts::{
    conditions_to_run, push_conditions, push_label_condition, push_matches, SearchPlan,
};
use axum::http::StatusCode;

use crate::db::{Conn, Engine};
use crate::AppError;

/// A `query` validated and ready to compile: a 422 in words when its search text, labels
/// or conditions are wrong, before anything runs.
#[derive(Debug, Clone)]
pub struct Query {
    plan: Option<SearchPlan>,
    labels: Vec<String>,
    conditions: Vec<ValidCondition>,
}

impl Query {
    /// Checks the selector against the account (its custom attribute definitions, its
    /// region for phone values), as search and filter do.
    pub async fn prepare(
        db: &crate::db::Db,
        account_id: i64,
        selector: &ContactSelector,
    ) -> Result<Query, AppError> {
        let plan = match selector.q.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => Some(SearchPlan::new(q)?),
            _ => None,
        };
        // As `GET /contacts?labels[]=`: trimmed and lower-cased, without blanks.
        let labels = crate::labels::typed_titles(&selector.labels);
        let conditions = if selector.payload.is_empty() {
            Vec::new()
        } else {
            conditions_to_run(db, account_id, &selector.payload).await?
        };
        Ok(Query {
            plan,
            labels,
            conditions,
        })
    }

    /// True when it selects every contact of the account.
    pub fn is_everything(&self) -> bool {
        self.plan.is_none() && self.labels.is_empty() && self.conditions.is_empty()
    }

    /// Appends ` FROM … WHERE …` (contacts as `c`): the account's contacts that match
    /// the search text AND have any of the labels AND meet the conditions at `now`. The
    /// search's index reading drives when there is a search text; otherwise the filter's
    /// indexed candidates (see `contacts::filter::push_from`); otherwise the account.
    pub fn push_from(
        &self,
        qb: &mut crate::db::Builder,
        engine: Engine,
        account_id: i64,
        now: i64,
    ) -> Result<(), AppError> {
        match &self.plan {
            Some(plan) => {
                push_matches(qb, engine, account_id, plan);
                push_label_condition(qb, account_id, &self.labels);
                if !self.conditions.is_empty() {
                    push_conditions(qb, engine, account_id, &self.conditions, now)?;
                }
            }
            None if !self.conditions.is_empty() => {
                crate::contacts::push_filter_from(qb, engine, account_id, &self.conditions, now)?;
                push_label_condition(qb, account_id, &self.labels);
            }
            None => {
                qb.push(" FROM contacts c WHERE c.account_id = ")
                    .push_bind(account_id);
                push_label_condition(qb, account_id, &self.labels);
            }
        }
        Ok(())
    }
}

/// The contacts a request names, as [`fill`] reads them.
pub enum Named<'a> {
    Ids(&'a [i64]),
    Query(&'a Query),
}

/// A temporary table of selected contact ids: the names and columns are fixed here,
/// never taken from input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTable {
    /// `bulk_selection (id, hit)`: `hit` marks the contacts an action changed.
    Bulk,
    /// `export_selection (id)`.
    Export,
}

impl IdTable {
    fn name(self) -> &'static str {
        match self {
            IdTable::Bulk => "bulk_selection",
            IdTable::Export => "export_selection",
        }
    }

    /// SQLite: a temporary table lives as long as the connection (emptied before each
    /// use); PostgreSQL: dropped when the transaction ends, however it ends.
    fn create(self, engine: Engine) -> &'static str {
        match (self, engine) {
            (IdTable::Bulk, Engine::Sqlite) => "CREATE TEMP TABLE IF NOT EXISTS bulk_selection (id INTEGER PRIMARY KEY, hit INTEGER NOT NULL DEFAULT 0)",
            (IdTable::Bulk, Engine::Postgres) => "CREATE TEMP TABLE bulk_selection (id BIGINT PRIMARY KEY, hit BOOLEAN NOT NULL DEFAULT FALSE) ON COMMIT DROP",
            (IdTable::Export, Engine::Sqlite) => "CREATE TEMP TABLE IF NOT EXISTS export_selection (id INTEGER PRIMARY KEY)",
            (IdTable::Export, Engine::Postgres) => "CREATE TEMP TABLE export_selection (id BIGINT PRIMARY KEY) ON COMMIT DROP",
        }
    }
}

/// Fills `table` with the account's contacts `named` names, within the transaction
/// `tx`; their count. Ids that are not the account's contacts refuse the whole request:
/// a 404 naming up to five of them, then `outcome` ("nothing was changed").
pub async fn fill(
    tx: &mut Conn,
    table: IdTable,
    account_id: i64,
    named: Named<'_>,
    now: i64,
    outcome: &str,
) -> Result<u64, AppError> {
    let engine = tx.engine();
    crate::db::query(table.create(engine))
        .execute(&mut *tx)
        .await?;
    if engine == Engine::Sqlite {
        crate::db::query(format!("DELETE FROM {}", table.name()))
            .execute(&mut *tx)
            .await?;
    }
    let mut qb = crate::db::Builder::new(format!("INSERT INTO {} (id) SELECT c.id", table.name()));
    match named {
        Named::Ids(ids) => {
            qb.push(" FROM contacts c WHERE c.account_id = ")
                .push_bind(account_id)
                .push(" AND c.id IN (");
            push_id_set(&mut qb, engine, ids);
            qb.push(")");
        }
        Named::Query(query) => query.push_from(&mut qb, engine, account_id, now)?,
    }
    let found = qb.build().execute(&mut *tx).await?.rows_affected();
    if engine == Engine::Postgres {
        // A fresh temporary table has no statistics: without them the planner guesses
        // its size, and joins the contacts to it badly when it holds thousands.
        crate::db::query(format!("ANALYZE {}", table.name()))
            .execute(&mut *tx)
            .await?;
    }
    if let Named::Ids(ids) = named {
        if found < ids.len() as u64 {
            let mut missing = crate::db::Builder::new("SELECT x.id FROM (");
            push_id_set(&mut missing, engine, ids);
            missing.push(format!(
                ") x WHERE x.id NOT IN (SELECT id FROM {}) ORDER BY x.id LIMIT 5",
                table.name()
            ));
            let missing: Vec<i64> = missing.build_query_scalar().fetch_all(&mut *tx).await?;
            let unknown = ids.len() as u64 - found;
            let shown: Vec<String> = missing.iter().map(i64::to_string).collect();
            let noun = if unknown == 1 { "id is" } else { "ids are" };
            return Err(AppError::BadRequest(
                StatusCode::NOT_FOUND,
                format!(
                    "{unknown} of the {} {noun} not contacts of this account ({}{}): {outcome}",
                    ids.len(),
                    shown.join(", "),
                    if unknown > shown.len() as u64 {
                        ", …"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    Ok(found)
}

/// The ids of a request, without repeats (kept in their order), or a 422 when there are
/// more than `max` (send a query instead) or none.
pub fn distinct_ids(ids: &[i64], max: usize) -> Result<Vec<i64>, AppError> {
    if ids.len() > max {
        return Err(AppError::invalid(
            "ids",
            format!(
                "Ids can name at most {max} contacts at once ({} were sent); to act on more, send a \"query\" that matches them instead",
                ids.len()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    let ids: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    if ids.is_empty() {
        return Err(AppError::invalid(
            "ids",
            "Ids is empty: name at least one contact, or send a \"query\"",
        ));
    }
    Ok(ids)
}

/// `ids` as one bound JSON array and the SQL that reads it as a set of ids (SQLite's
/// `json_each`, PostgreSQL's `jsonb_array_elements_text`): one bind whatever the count.
pub fn push_id_set(qb: &mut crate::db::Builder, engine: Engine, ids: &[i64]) {
    let array = crate::db::JsonText(serde_json::Value::from(ids.to_vec()).to_string());
    match engine {
        Engine::Sqlite => {
            qb.push("SELECT value AS id FROM json_each(")
                .push_bind(array)
                .push(")");
        }
        Engine::Postgres => {
            qb.push("SELECT jsonb_array_elements_text(")
                .push_bind(array)
                .push(")::bigint AS id");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_lose_repeats_and_are_bounded() {
        assert_eq!(distinct_ids(&[3, 1, 3, 2], 10).unwrap(), vec![3, 1, 2]);
        assert!(matches!(
            distinct_ids(&[1, 2, 3], 2),
            Err(AppError::Invalid { message, .. }) if message.contains("send a \"query\"")
        ));
        assert!(distinct_ids(&[], 2).is_err());
    }
}
