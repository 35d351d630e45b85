//! Many contacts at once: the bodies of `POST /bulk_actions` and `POST /contacts/export`,
//! and what they answer.
//!
//! A bulk action names its contacts either by `ids` (Chatwoot's form: the rows an agent
//! ticked) or [ext] by a `query`: every contact of the account that matches it when the
//! action runs, by the same rules as list, search and filter. An action applies to all the
//! contacts it names or, when it fails, to none.

use serde::{Deserialize, Serialize};

use crate::filter::FilterCondition;

/// The most ids one request may name; a larger set is sent as a `query`.
pub const MAX_BULK_IDS: usize = 100_000;

/// [ext] "Every contact that matches": the search text, the label quick filter and the
/// advanced filter's conditions, all of them applying at once (an empty query means every
/// contact of the account).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactSelector {
    /// Search text, as `GET /contacts/search?q=`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Label titles, as `GET /contacts?labels[]=`: a contact with any of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Conditions, as the body of `POST /contacts/filter`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payload: Vec<FilterCondition>,
}

impl ContactSelector {
    /// True when it selects every contact of the account.
    pub fn is_everything(&self) -> bool {
        self.q.as_deref().is_none_or(|q| q.trim().is_empty())
            && self.labels.is_empty()
            && self.payload.is_empty()
    }
}

/// Labels to add and to remove, in one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabelChange {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

/// The body of `POST /api/v1/accounts/{account_id}/bulk_actions`.
///
/// Chatwoot's: `{"type": "Contact", "ids": [...], "labels": {"add": [...], "remove": [...]}}`
/// or `{"type": "Contact", "ids": [...], "action_name": "delete"}`. [ext]: `action_name`
/// `block` (with `blocked_until` and `block_reason`), `unblock` and `restore` (with
/// `undo_token`), and `query` instead of `ids`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkActionRequest {
    /// `Contact` (Chatwoot also acts on conversations here; this server does not).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<ContactSelector>,
    /// Without `action_name`, the action is the label change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<LabelChange>,
    /// `delete`, [ext] `block`, `unblock`, `restore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_name: Option<String>,
    /// `block`: Unix seconds when the block ends; null or absent blocks for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_until: Option<i64>,
    /// `block`: why, shown on each contact's card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_reason: Option<String>,
    /// `restore`: the token a `delete` answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_token: Option<String>,
}

/// [ext] What a bulk action answers (Chatwoot answers an empty 200; its clients ignore
/// the body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkActionResult {
    /// The action that ran: `labels`, `delete`, `block`, `unblock`, `restore`.
    pub action: String,
    /// How many contacts it changed (for labels: contacts that gained or lost one).
    pub affected: u64,
    /// How many contacts it named (ids given, or the query's matches when it ran).
    pub matched: u64,
    /// `delete`: restores everything deleted with `action_name: "restore"` until
    /// `undo_until`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_token: Option<String>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_until: Option<i64>,
}

/// [ext] The body of `POST /api/v1/accounts/{account_id}/contacts/export`: `ids`, or a
/// `query`, or Chatwoot's `payload` (filter conditions) and `label`; nothing exports every
/// contact of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<ContactSelector>,
    /// Chatwoot's: filter conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Vec<FilterCondition>>,
    /// Chatwoot's: one label title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The export's fixed columns, in order; one column per custom attribute definition (its
/// key) follows.
pub const EXPORT_COLUMNS: [&str; 15] = [
    "id",
    "name",
    "email",
    "phone_number",
    "identifier",
    "labels",
    "blocked",
    "blocked_until",
    "block_reason",
    "created_at",
    "last_activity_at",
    "city",
    "country",
    "company",
    "language",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chatwoots_label_body_reads() {
        let body: BulkActionRequest =
            serde_json::from_str(r#"{"type":"Contact","ids":[1,2],"labels":{"add":["vip"]}}"#)
                .unwrap();
        assert_eq!(body.ids, Some(vec![1, 2]));
        assert_eq!(body.labels.unwrap().add, vec!["vip".to_string()]);
        assert!(body.action_name.is_none());
    }

    #[test]
    fn an_empty_selector_is_everything() {
        assert!(ContactSelector::default().is_everything());
        let q = ContactSelector {
            q: Some("  ".into()),
            ..Default::default()
        };
        assert!(q.is_everything());
        let labels = ContactSelector {
            labels: vec!["vip".into()],
            ..Default::default()
        };
        assert!(!labels.is_everything());
    }
}
