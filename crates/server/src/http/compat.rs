//! Stock-Chatwoot mode: the same server, answering without the NovaTalks extensions, so
//! the SPA's behaviour against a real Chatwoot can be tested end to end.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use novatalks_model::extension;
use serde_json::Value;

use crate::AppState;

/// Endpoints only NovaTalks has (after `/api/v1/accounts/{id}/`): a stock server answers 404.
const EXT_PATHS: &[&str] = &["phone_numbers/normalize", "contacts/imports"];
/// Endpoints under these (after `/api/v1/accounts/{id}/`) are only NovaTalks' too.
const EXT_PREFIXES: &[&str] = &["contacts/imports/"];
/// Larger bodies are passed through untouched (the body limit refuses them anyway).
const MAX_REWRITE: usize = crate::MAX_BODY_BYTES * 8;

/// Removes [ext] keys everywhere in a JSON document. A contact's `labels` list is [ext]
/// too (Chatwoot has a separate endpoint for it); elsewhere `labels` is kept.
pub fn strip_extensions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in extension::ANSWER_KEYS {
                map.remove(*key);
            }
            if map.contains_key("availability_status") {
                map.remove("labels");
            }
            map.values_mut().for_each(strip_extensions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_extensions),
        _ => {}
    }
}

/// Middleware: in stock mode, drop [ext] query parameters and body fields on the way in
/// and [ext] keys on the way out.
pub async fn stock_chatwoot(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !state.config.stock_chatwoot || !req.uri().path().starts_with("/api/v1/accounts/") {
        return next.run(req).await;
    }
    let extension_only = req
        .uri()
        .path()
        .strip_prefix("/api/v1/accounts/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, rest)| {
            EXT_PATHS.contains(&rest) || EXT_PREFIXES.iter().any(|p| rest.starts_with(p))
        });
    if extension_only {
        return crate::AppError::NotFound.into_response();
    }
    let (mut parts, body) = req.into_parts();
    if let Some(query) = parts.uri.query() {
        let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k != "per_page")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish();
        let path_and_query = format!("{}?{query}", parts.uri.path());
        if let Ok(uri) = path_and_query.parse() {
            parts.uri = uri;
        }
    }
    let body = if matches!(parts.method, Method::PUT | Method::PATCH) {
        match to_bytes(body, MAX_REWRITE).await {
            Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(mut map)) => {
                    for key in extension::INPUT_KEYS {
                        map.remove(*key);
                    }
                    let text = Value::Object(map).to_string();
                    parts.headers.remove(header::CONTENT_LENGTH);
                    Body::from(text)
                }
                _ => Body::from(bytes),
            },
            Err(_) => Body::empty(),
        }
    } else {
        body
    };
    let response = next.run(Request::from_parts(parts, body)).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_REWRITE).await else {
        return Response::from_parts(parts, Body::empty());
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut value) => {
            strip_extensions(&mut value);
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(value.to_string()))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// Chatwoot's contact filter keys (its `lib/filters/filter_keys.yml`, `contacts:`), in its
/// order, for its words about an unknown key. Their operators are
/// [`novatalks_model::filter::chatwoot_operators_for`], which the SPA's builder offers too.
const CHATWOOT_FILTER_KEYS: &[&str] = &[
    "name",
    "phone_number",
    "email",
    "identifier",
    "country_code",
    "city",
    "company",
    "labels",
    "created_at",
    "last_activity_at",
    "blocked",
];

/// The operators Chatwoot takes for `key`, as it lists them; `None` for a key it has not.
fn chatwoot_operators(key: &str) -> Option<String> {
    use novatalks_model::filter::{chatwoot_operators_for, Attribute};
    if !CHATWOOT_FILTER_KEYS.contains(&key) {
        return None;
    }
    let attribute = Attribute::parse(key, &[])?;
    Some(operator_list(chatwoot_operators_for(&attribute)))
}

fn operator_list(operators: &[novatalks_model::filter::Operator]) -> String {
    operators
        .iter()
        .map(|op| op.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Stock mode: why `condition` (the first a filter refused) is wrong, in the words of
/// Chatwoot's `CustomFilter` exceptions, which its contacts controller answers as a 422
/// `{"error": …}`: an unknown attribute key, an operator the attribute does not take, a
/// query operator other than AND/OR, else a value.
///
/// The operators named are Chatwoot's for its keys, ours for the rest (`id`, custom
/// attributes). An operator we add for one of Chatwoot's keys (`country_code contains`)
/// is refused before this, by [`chatwoot_refused_operator`].
pub fn chatwoot_filter_error(
    condition: &novatalks_model::FilterCondition,
    definitions: &[novatalks_model::filter::CustomAttributeDef],
) -> String {
    use novatalks_model::filter::{operators_for, Attribute, Operator};
    let key = condition.attribute_key.trim();
    let Some(attribute) = Attribute::parse(key, definitions) else {
        return format!(
            "Invalid attribute key - [{key}]. The key should be one of [{}] or a custom attribute defined in the account.",
            CHATWOOT_FILTER_KEYS.join(",")
        );
    };
    let ours = operators_for(&attribute);
    let operator = Operator::parse(condition.filter_operator.trim());
    if !operator.is_some_and(|op| ours.contains(&op)) {
        let allowed = chatwoot_operators(key).unwrap_or_else(|| operator_list(ours));
        return format!("Invalid operator. The allowed operators for {key} are [{allowed}].");
    }
    let join = condition.query_operator.as_deref().map(str::trim);
    if join.is_some_and(|j| !j.is_empty() && !["and", "or"].contains(&j.to_lowercase().as_str())) {
        return "Query operator must be either \"AND\" or \"OR\".".to_owned();
    }
    format!("Invalid value. The values provided for {key} are invalid")
}

/// Stock mode: Chatwoot's 422 words for the first condition on one of its own keys
/// (`name`, `country_code`, …) whose operator its table does not allow for that key,
/// e.g. `country_code contains`, which our own mode takes. `None` when every such
/// condition's operator is Chatwoot's; custom attributes and unknown keys are left to
/// the usual checks ([`chatwoot_filter_error`] words them).
pub fn chatwoot_refused_operator(
    conditions: &[novatalks_model::FilterCondition],
) -> Option<String> {
    conditions.iter().find_map(|condition| {
        let key = condition.attribute_key.trim();
        let allowed = chatwoot_operators(key)?;
        let operator = condition.filter_operator.trim();
        (!allowed.split(',').any(|op| op == operator))
            .then(|| format!("Invalid operator. The allowed operators for {key} are [{allowed}]."))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_refused_filter_condition_is_worded_as_chatwoot_words_it() {
        let condition = |key: &str, op: &str, values: Value| {
            serde_json::from_value::<novatalks_model::FilterCondition>(json!({
                "attribute_key": key, "filter_operator": op, "values": values,
                "query_operator": null
            }))
            .expect("condition")
        };
        assert_eq!(
            chatwoot_filter_error(&condition("country_code", "eq", json!(["US"])), &[]),
            "Invalid operator. The allowed operators for country_code are [equal_to,not_equal_to]."
        );
        assert_eq!(
            chatwoot_filter_error(&condition("country_code", "equal_to", json!([])), &[]),
            "Invalid value. The values provided for country_code are invalid"
        );
        assert!(
            chatwoot_filter_error(&condition("shoe_size", "equal_to", json!([1])), &[])
                .starts_with(
                    "Invalid attribute key - [shoe_size]. The key should be one of [name,"
                )
        );
        let mut xor = condition("name", "equal_to", json!(["x"]));
        xor.query_operator = Some("xor".into());
        assert_eq!(
            chatwoot_filter_error(&xor, &[]),
            "Query operator must be either \"AND\" or \"OR\"."
        );
    }

    #[test]
    fn an_operator_chatwoot_does_not_take_for_its_key_is_refused() {
        let conditions = |pairs: &[(&str, &str)]| -> Vec<novatalks_model::FilterCondition> {
            pairs
                .iter()
                .map(|(key, op)| {
                    serde_json::from_value(json!({
                        "attribute_key": key, "filter_operator": op, "values": ["x"],
                        "query_operator": "and"
                    }))
                    .expect("condition")
                })
                .collect()
        };
        assert_eq!(
            chatwoot_refused_operator(&conditions(&[
                ("name", "contains"),
                ("country_code", "contains")
            ]))
            .as_deref(),
            Some("Invalid operator. The allowed operators for country_code are [equal_to,not_equal_to].")
        );
        assert_eq!(
            chatwoot_refused_operator(&conditions(&[
                ("name", "starts_with"),
                ("phone_number", "starts_with")
            ]))
            .as_deref(),
            Some("Invalid operator. The allowed operators for name are [equal_to,not_equal_to,contains,does_not_contain].")
        );
        assert_eq!(
            chatwoot_refused_operator(&conditions(&[
                ("phone_number", "starts_with"),
                ("created_at", "days_before"),
                ("shoe_size", "contains")
            ])),
            None
        );
    }

    #[test]
    fn extension_fields_are_removed_at_any_depth() {
        let mut v = json!({"payload": [{"id": 1, "availability_status": "offline", "blocked": true,
            "blocked_until": 5, "block_reason": "x", "labels": ["vip"], "conversations_count": 2}],
            "meta": {"count": 1}});
        strip_extensions(&mut v);
        assert_eq!(
            v,
            json!({"payload": [{"id": 1, "availability_status": "offline", "blocked": true}], "meta": {"count": 1}})
        );
        let mut labels = json!({"payload": ["vip"], "labels": ["kept: not a contact"]});
        strip_extensions(&mut labels);
        assert_eq!(labels["labels"], json!(["kept: not a contact"]));
    }
}
