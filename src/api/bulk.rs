//! Many contacts at once: `POST /bulk_actions` (label, unlabel, block, unblock, delete,
//! restore) and [ext] `POST /contacts/export` (a CSV file, downloaded by the browser).
//!
//! The bodies are the model's [`BulkActionRequest`] and [`ExportRequest`]. A stock
//! Chatwoot answers a bulk action with an empty 200: then there is no
//! [`BulkActionResult`], and the caller counts what it sent.

use novatalks_model::bulk::{
    BulkActionRequest, BulkActionResult, ContactSelector, ExportRequest, LabelChange,
};

use super::{ApiClient, ApiError, Method};

/// The contacts a bulk action or an export is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkTarget {
    /// Ticked rows, in the order they were ticked.
    Ids(Vec<i64>),
    /// [ext] Every contact matching this when the action runs.
    Query(ContactSelector),
}

/// What a bulk action does to the contacts it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// Labels to add and labels to remove.
    Labels {
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// Blocked until (Unix seconds; `None` for good), for a reason.
    Block {
        until: Option<i64>,
        reason: Option<String>,
    },
    Unblock,
    Delete,
}

/// The body of one bulk action on `target`.
pub fn action_body(target: &BulkTarget, action: &BulkAction) -> BulkActionRequest {
    let mut body = BulkActionRequest {
        kind: "Contact".to_owned(),
        ..BulkActionRequest::default()
    };
    match target {
        BulkTarget::Ids(ids) => body.ids = Some(ids.clone()),
        BulkTarget::Query(selector) => body.query = Some(selector.clone()),
    }
    match action {
        BulkAction::Labels { add, remove } => {
            body.labels = Some(LabelChange {
                add: add.clone(),
                remove: remove.clone(),
            });
        }
        BulkAction::Block { until, reason } => {
            body.action_name = Some("block".to_owned());
            body.blocked_until = *until;
            body.block_reason = reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned);
        }
        BulkAction::Unblock => body.action_name = Some("unblock".to_owned()),
        BulkAction::Delete => body.action_name = Some("delete".to_owned()),
    }
    body
}

/// The body that undoes a delete with the token it answered.
pub fn restore_body(undo_token: &str) -> BulkActionRequest {
    BulkActionRequest {
        kind: "Contact".to_owned(),
        action_name: Some("restore".to_owned()),
        undo_token: Some(undo_token.to_owned()),
        ..BulkActionRequest::default()
    }
}

/// `POST /api/v1/accounts/{id}/bulk_actions` with `body`: what it did, or `None` when the
/// server answered a success without saying (a stock Chatwoot).
pub async fn send(
    client: &ApiClient,
    body: &BulkActionRequest,
) -> Result<Option<BulkActionResult>, ApiError> {
    let path = client.account_path("/bulk_actions")?;
    let response = client.exchange(Method::Post, &path, Some(body)).await?;
    if !(200..300).contains(&response.status) {
        return Err(ApiError::from_response(
            response.status,
            &response.body,
            true,
        ));
    }
    Ok(serde_json::from_str(&response.body).ok())
}

/// Runs `action` on `target`.
pub async fn run(
    client: &ApiClient,
    target: &BulkTarget,
    action: &BulkAction,
) -> Result<Option<BulkActionResult>, ApiError> {
    send(client, &action_body(target, action)).await
}

/// Puts back what a delete took away (contacts, conversations, notes), while its token
/// lasts.
pub async fn restore(
    client: &ApiClient,
    undo_token: &str,
) -> Result<Option<BulkActionResult>, ApiError> {
    send(client, &restore_body(undo_token)).await
}

/// The body of an export: the selection's ids, or a query (the current view, or "all
/// matching").
pub fn export_body(target: &BulkTarget) -> ExportRequest {
    match target {
        BulkTarget::Ids(ids) => ExportRequest {
            ids: Some(ids.clone()),
            ..ExportRequest::default()
        },
        BulkTarget::Query(selector) => ExportRequest {
            query: Some(selector.clone()),
            ..ExportRequest::default()
        },
    }
}

/// The byte order mark a spreadsheet program needs to read the file as UTF-8.
pub const BOM: char = '\u{feff}';

/// `POST /api/v1/accounts/{id}/contacts/export`: the CSV text, starting with its BOM (the
/// browser's text decoding drops it; it is put back).
pub async fn export(client: &ApiClient, request: &ExportRequest) -> Result<String, ApiError> {
    let path = client.account_path("/contacts/export")?;
    let response = client.exchange(Method::Post, &path, Some(request)).await?;
    if !(200..300).contains(&response.status) {
        return Err(ApiError::from_response(
            response.status,
            &response.body,
            true,
        ));
    }
    Ok(with_bom(response.body))
}

/// `csv` starting with its BOM: the browser's text decoding drops it, and a spreadsheet
/// program needs it to read the file as UTF-8.
pub fn with_bom(mut csv: String) -> String {
    if !csv.starts_with(BOM) {
        csv.insert(0, BOM);
    }
    csv
}

/// The file name of an export: `contacts-7-2026-12-03.csv` (as the server names it) (`today` as
/// `YYYY-MM-DD`).
pub fn export_file_name(account_id: i64, today: &str) -> String {
    format!("contacts-{account_id}-{today}.csv")
}

/// The selector of "the current view", for an export without a selection.
pub fn view_target(scope: &ContactSelector) -> BulkTarget {
    BulkTarget::Query(scope.clone())
}

/// Has the browser save `text` as the file `name` (`text/csv`): a Blob behind an object
/// URL, clicked through an `<a download>` that is never in the page.
pub fn save_csv(name: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;

    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let describe = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "not a link".to_owned())?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has started from the URL; it can go once this task is over.
    let revoke = url.clone();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&revoke);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn json_of(body: &BulkActionRequest) -> Value {
        serde_json::to_value(body).unwrap()
    }

    #[test]
    fn a_label_change_on_ids_is_chatwoot_s_body() {
        let body = action_body(
            &BulkTarget::Ids(vec![3, 1]),
            &BulkAction::Labels {
                add: vec!["vip".into()],
                remove: vec![],
            },
        );
        assert_eq!(
            json_of(&body),
            json!({"type": "Contact", "ids": [3, 1], "labels": {"add": ["vip"]}})
        );
        let delete = action_body(&BulkTarget::Ids(vec![5]), &BulkAction::Delete);
        assert_eq!(
            json_of(&delete),
            json!({"type": "Contact", "ids": [5], "action_name": "delete"})
        );
    }

    #[test]
    fn a_block_of_all_matching_sends_the_query_end_and_trimmed_reason() {
        let scope = ContactSelector {
            q: Some("ole".into()),
            labels: vec!["spam".into()],
            payload: vec![],
        };
        let body = action_body(
            &BulkTarget::Query(scope),
            &BulkAction::Block {
                until: Some(1_800_000_000),
                reason: Some("  spam wave ".into()),
            },
        );
        assert_eq!(
            json_of(&body),
            json!({"type": "Contact", "query": {"q": "ole", "labels": ["spam"]},
                   "action_name": "block", "blocked_until": 1_800_000_000,
                   "block_reason": "spam wave"})
        );
        let forever = action_body(
            &BulkTarget::Ids(vec![1]),
            &BulkAction::Block {
                until: None,
                reason: Some(" ".into()),
            },
        );
        assert_eq!(
            json_of(&forever),
            json!({"type": "Contact", "ids": [1], "action_name": "block"})
        );
    }

    #[test]
    fn restore_and_export_bodies() {
        assert_eq!(
            json_of(&restore_body("tok")),
            json!({"type": "Contact", "action_name": "restore", "undo_token": "tok"})
        );
        let export = export_body(&view_target(&ContactSelector::default()));
        assert_eq!(serde_json::to_value(export).unwrap(), json!({"query": {}}));
        let ids = export_body(&BulkTarget::Ids(vec![2, 4]));
        assert_eq!(serde_json::to_value(ids).unwrap(), json!({"ids": [2, 4]}));
        assert_eq!(
            export_file_name(7, "2026-12-03"),
            "contacts-7-2026-12-03.csv"
        );
    }
}
