//! `POST /bulk_actions`: one action on many contacts, all of them or none.
//!
//! Chatwoot's body (`{"type": "Contact", "ids": [...], "labels": {"add", "remove"}}` or
//! `"action_name": "delete"`), with [ext] actions `block`, `unblock` and `restore` (the
//! undo of a delete, [`undo`]) and [ext] a `query` in place of `ids` ([`selection`]).
//!
//! How it runs: one write transaction ([`crate::db::write_tx`]). The contacts named are
//! put first into a temporary table of ids (`bulk_selection`): the ids sent, each checked
//! to be the account's (one unknown id refuses the whole request), or every contact the
//! query matches at that moment. Each action is then a few set-based statements joined to
//! that table (`INSERT … SELECT`, `UPDATE … WHERE id IN`), never a statement per contact:
//! 100,000 contacts take about as many statements as one. A failure anywhere rolls the
//! whole transaction back.
//!
//! What `affected` counts: labels, the contacts that gained or lost a label; block, those
//! whose block changed; unblock, those that had a block; delete and restore, the contacts
//! deleted or brought back.

pub mod selection;
pub mod undo;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use novatalks_model::bulk::{BulkActionRequest, BulkActionResult, LabelChange, MAX_BULK_IDS};
use novatalks_model::rules;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::db::{Conn, Engine};
use crate::http::body::Field;
use crate::http::extract::ApiJson;
use crate::{AppError, AppState};
use selection::{distinct_ids, IdTable, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(bulk_actions))
}

/// What the request asks for, read and checked before the transaction opens.
#[derive(Debug)]
enum Action {
    Labels {
        add: Vec<String>,
        remove: Vec<String>,
    },
    Delete,
    Block {
        until: Option<i64>,
        reason: Option<String>,
    },
    Unblock,
    Restore {
        token: String,
    },
}

impl Action {
    fn name(&self) -> &'static str {
        match self {
            Action::Labels { .. } => "labels",
            Action::Delete => "delete",
            Action::Block { .. } => "block",
            Action::Unblock => "unblock",
            Action::Restore { .. } => "restore",
        }
    }

    /// Chatwoot's own actions (a stock server has only these).
    fn is_chatwoots(&self) -> bool {
        matches!(self, Action::Labels { .. } | Action::Delete)
    }
}

/// The contacts a request names.
enum Named {
    Ids(Vec<i64>),
    Query(Box<Query>),
}

const ACTIONS: &str =
    "'delete', 'block', 'unblock' or 'restore' (or no action_name with \"labels\")";

fn read_action(body: &BulkActionRequest, now: i64) -> Result<Action, AppError> {
    match body.action_name.as_deref().map(str::trim) {
        None | Some("") => match &body.labels {
            Some(change) => label_action(change),
            None => Err(AppError::invalid(
                "action_name",
                format!("Say what to do: action_name {ACTIONS}"),
            )),
        },
        Some("delete") => Ok(Action::Delete),
        Some("unblock") => Ok(Action::Unblock),
        Some("block") => {
            let mut problems = crate::contacts::validate::Problems::default();
            if let Some(problem) = body
                .blocked_until
                .and_then(|t| crate::contacts::blocked_until_problem(t, now))
            {
                problems.add("blocked_until", problem);
            }
            let reason = crate::contacts::block_reason(
                body.block_reason
                    .clone()
                    .map_or(Field::Absent, Field::Value),
                &mut problems,
            )
            .flatten();
            problems.into_result()?;
            Ok(Action::Block {
                until: body.blocked_until,
                reason,
            })
        }
        Some("restore") => match body.undo_token.as_deref().map(str::trim) {
            Some(token) if !token.is_empty() => Ok(Action::Restore {
                token: token.to_owned(),
            }),
            _ => Err(AppError::invalid(
                "undo_token",
                "Restore needs the undo_token that the delete answered",
            )),
        },
        Some("labels") => match &body.labels {
            Some(change) => label_action(change),
            None => Err(AppError::invalid(
                "labels",
                "Send the labels as {\"labels\": {\"add\": [...], \"remove\": [...]}}",
            )),
        },
        Some(other) => Err(AppError::invalid(
            "action_name",
            format!(
                "Unknown action '{}': action_name must be {ACTIONS}",
                other.chars().take(40).collect::<String>()
            ),
        )),
    }
}

fn label_action(change: &LabelChange) -> Result<Action, AppError> {
    // Any title is a tag, as for one contact's labels (the model's one rule).
    let add = crate::labels::contact_titles("labels", &change.add)?;
    let remove = crate::labels::contact_titles("labels", &change.remove)?;
    if add.is_empty() && remove.is_empty() {
        return Err(AppError::invalid(
            "labels",
            "Name at least one label to add or to remove",
        ));
    }
    if let Some(both) = add.iter().find(|t| remove.contains(t)) {
        return Err(AppError::invalid(
            "labels",
            format!("Label '{both}' is both added and removed: say one"),
        ));
    }
    Ok(Action::Labels { add, remove })
}

/// Acts on many contacts at once: all of them, or (on any failure) none.
///
/// Chatwoot's body: `{"type": "Contact", "ids": [...], "labels": {"add": [...], "remove":
/// [...]}}` or `"action_name": "delete"`. [ext]: `"action_name": "block"` with
/// `blocked_until` (Unix seconds, null or absent for ever) and `block_reason`;
/// `"unblock"`; `"restore"` with the `undo_token` a delete answered (within `undo_until`,
/// ten minutes: the contacts come back with their ids, conversations, messages, notes,
/// labels, channel identities and attributes); and `"query": {"q", "labels", "payload"}`
/// in place of `ids`: every contact of the account matching all of them when the action
/// runs, by the rules of search, the labels filter and the advanced filter. More than
/// 100,000 ids are refused: send a query. An id that is not one of the account's contacts
/// refuses the whole request.
#[utoipa::path(post, path = "/bulk_actions", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body = BulkActionRequest,
    responses(
        (status = 200, body = BulkActionResult, description = "Done; [ext] what it did (a stock server answers an empty body)"),
        (status = 401),
        (status = 404, description = "An id is not a contact of the account (nothing changed), or the undo is unknown or over"),
        (status = 409, description = "[ext] restore: something the deleted contacts held was taken since (nothing restored)"),
        (status = 422, description = "Unknown type or action, a label title no contact can carry, a block in the past, too many ids; in words"),
        (status = 503, description = "The database stayed busy; send it again"),
    ))]
async fn bulk_actions(
    State(state): State<AppState>,
    scope: Scope,
    ApiJson(body): ApiJson<BulkActionRequest>,
) -> Result<Response, AppError> {
    let now = crate::db::now();
    if body.kind.trim() != "Contact" {
        return Err(AppError::invalid(
            "type",
            format!(
                "Type '{}' cannot be acted on here: send \"type\": \"Contact\"",
                body.kind.chars().take(40).collect::<String>()
            ),
        ));
    }
    let action = read_action(&body, now)?;
    let stock = state.config.stock_chatwoot;
    if stock && !action.is_chatwoots() {
        return Err(AppError::invalid(
            "action_name",
            format!(
                "Unknown action '{}': this server takes delete and labels",
                action.name()
            ),
        ));
    }
    let named = match (&action, &body.ids, &body.query) {
        (Action::Restore { .. }, _, _) => None,
        (_, Some(_), Some(_)) => {
            return Err(AppError::invalid(
                "ids",
                "Send either ids or a query, not both",
            ))
        }
        (_, Some(ids), None) => Some(Named::Ids(distinct_ids(ids, MAX_BULK_IDS)?)),
        (_, None, Some(_)) if stock => {
            return Err(AppError::invalid(
                "ids",
                "Name the contacts by their ids: this server takes no query",
            ))
        }
        (_, None, Some(selector)) => Some(Named::Query(Box::new(
            Query::prepare(&state.db, scope.account_id, selector).await?,
        ))),
        (_, None, None) => {
            return Err(AppError::invalid(
                "ids",
                "Name the contacts: send \"ids\": [...] or a \"query\"",
            ))
        }
    };

    let mut tx = crate::db::write_tx(&state.db).await?;
    let result = match (action, named) {
        (Action::Restore { token }, _) => {
            undo::restore(&mut tx, scope.account_id, &token, now).await?
        }
        (action, Some(named)) => {
            let matched = select(&mut tx, scope.account_id, &named, now).await?;
            let outcome = run(&mut tx, scope.account_id, &action, matched, now).await?;
            drop_selection(&mut tx).await?;
            outcome
        }
        (_, None) => return Err(AppError::internal("a bulk action without contacts")),
    };
    tx.commit().await?;
    if stock {
        // Chatwoot answers an empty 200.
        return Ok(StatusCode::OK.into_response());
    }
    Ok(Json(result).into_response())
}

/// Fills the temporary `bulk_selection` with the contacts `named` names; their count.
/// Ids that are not the account's contacts refuse the request (404 naming a few).
async fn select(tx: &mut Conn, account_id: i64, named: &Named, now: i64) -> Result<u64, AppError> {
    let named = match named {
        Named::Ids(ids) => selection::Named::Ids(ids),
        Named::Query(query) => selection::Named::Query(query),
    };
    selection::fill(
        tx,
        IdTable::Bulk,
        account_id,
        named,
        now,
        "nothing was changed",
    )
    .await
}

/// Empties the selection (SQLite's temporary table outlives the transaction).
async fn drop_selection(tx: &mut Conn) -> Result<(), AppError> {
    if tx.engine() == Engine::Sqlite {
        crate::db::query("DELETE FROM bulk_selection")
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

async fn run(
    tx: &mut Conn,
    account_id: i64,
    action: &Action,
    matched: u64,
    now: i64,
) -> Result<BulkActionResult, AppError> {
    let mut result = BulkActionResult {
        action: action.name().to_owned(),
        affected: 0,
        matched,
        undo_token: None,
        undo_until: None,
    };
    match action {
        Action::Labels { add, remove } => {
            result.affected = change_labels(tx, account_id, add, remove, now).await?;
        }
        Action::Block { until, reason } => {
            result.affected = crate::db::query(
                "UPDATE contacts SET blocked = TRUE, blocked_until = ?, block_reason = ?, updated_at = ?
                 WHERE id IN (SELECT id FROM bulk_selection)
                   AND NOT (blocked = TRUE AND (blocked_until IS NULL OR blocked_until > ?)
                            AND blocked_until IS NOT DISTINCT FROM ? AND block_reason IS NOT DISTINCT FROM ?)",
            )
            .bind(*until)
            .bind(reason.clone())
            .bind(now)
            .bind(now)
            .bind(*until)
            .bind(reason.clone())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        Action::Unblock => {
            result.affected = crate::db::query(
                "UPDATE contacts SET blocked = FALSE, blocked_until = NULL, block_reason = NULL, updated_at = ?
                 WHERE id IN (SELECT id FROM bulk_selection)
                   AND (blocked = TRUE OR blocked_until IS NOT NULL OR block_reason IS NOT NULL)",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        Action::Delete => {
            let (affected, token, until) =
                undo::delete_selection(tx, account_id, matched, now).await?;
            result.affected = affected;
            result.undo_token = token;
            result.undo_until = until;
        }
        Action::Restore { .. } => {
            return Err(AppError::internal("restore runs without a selection"))
        }
    }
    Ok(result)
}

/// Adds and removes labels on the selection; the number of contacts that gained or lost
/// one. Any title is a tag, an account label's or not (as for one contact's labels), and
/// no contact may end with more than [`rules::MAX_LABELS_PER_CONTACT`].
async fn change_labels(
    tx: &mut Conn,
    account_id: i64,
    add: &[String],
    remove: &[String],
    now: i64,
) -> Result<u64, AppError> {
    let titles: Vec<String> = add.iter().chain(remove).cloned().collect();

    // Mark the contacts that will change: missing one of `add`, or having one of `remove`.
    let mut mark = crate::db::Builder::new("UPDATE bulk_selection SET hit = TRUE WHERE FALSE");
    if !add.is_empty() {
        mark.push(" OR (SELECT count(*) FROM contact_labels l WHERE l.contact_id = bulk_selection.id AND l.title IN (");
        push_titles(&mut mark, add);
        mark.push(")) < ").push_bind(add.len() as i64);
    }
    if !remove.is_empty() {
        mark.push(" OR EXISTS (SELECT 1 FROM contact_labels l WHERE l.contact_id = bulk_selection.id AND l.title IN (");
        push_titles(&mut mark, remove);
        mark.push("))");
    }
    let affected = mark.build().execute(&mut *tx).await?.rows_affected();

    if !add.is_empty() {
        // The contacts that would hold too many labels afterwards.
        let mut over = crate::db::Builder::new(
            "SELECT count(*) FROM bulk_selection s WHERE s.hit = TRUE AND ",
        );
        over.push_bind(add.len() as i64)
            .push(" + (SELECT count(*) FROM contact_labels l WHERE l.contact_id = s.id AND l.title NOT IN (");
        push_titles(&mut over, &titles);
        over.push(")) > ")
            .push_bind(rules::MAX_LABELS_PER_CONTACT as i64);
        let over: i64 = over.build_query_scalar().fetch_one(&mut *tx).await?;
        if over > 0 {
            return Err(AppError::invalid(
                "labels",
                format!(
                    "{over} of the contacts would have more than {} labels: nothing was changed",
                    rules::MAX_LABELS_PER_CONTACT
                ),
            ));
        }
    }
    for title in add {
        crate::db::query(
            "INSERT INTO contact_labels (contact_id, account_id, title)
             SELECT id, ?, ? FROM bulk_selection WHERE hit = TRUE
             ON CONFLICT (contact_id, title) DO NOTHING",
        )
        .bind(account_id)
        .bind(title)
        .execute(&mut *tx)
        .await?;
    }
    if !remove.is_empty() {
        let mut qb = crate::db::Builder::new("DELETE FROM contact_labels WHERE account_id = ");
        qb.push_bind(account_id).push(" AND title IN (");
        push_titles(&mut qb, remove);
        qb.push(") AND contact_id IN (SELECT id FROM bulk_selection WHERE hit = TRUE)");
        qb.build().execute(&mut *tx).await?;
    }
    crate::db::query(
        "UPDATE contacts SET updated_at = ? WHERE id IN (SELECT id FROM bulk_selection WHERE hit = TRUE)",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(affected)
}

fn push_titles(qb: &mut crate::db::Builder, titles: &[String]) {
    let mut sep = qb.separated(", ");
    for title in titles {
        sep.push_bind(title.clone());
    }
}
