//! `POST /contacts/filter`: the contacts matching a filter's conditions, paged and sorted
//! like the list, and how the list's search and label quick filter join a filter.
//!
//! The filter endpoint takes neither `q` nor `labels[]`, and no endpoint combines a search
//! with a filter. So when a filter is in force, the search and the labels become
//! conditions ANDed into every OR-group of the filter ([`combined_conditions`]):
//!
//! - the labels quick filter is one `labels equal_to [titles…]` (has any of them, as
//!   `labels[]` means);
//! - the search text matches as the search endpoint roughly does, as alternatives: every
//!   word in the name (`name contains` per word, so "ole kov" finds "Kovalenko Olena"),
//!   or the whole text in the email, or in the identifier, or, when it is written like a
//!   phone number with at least three digits, in the phone number's digits. Since AND
//!   binds tighter than OR and conditions cannot be bracketed, `(g1 OR g2) AND (s1 OR
//!   s2)` is sent distributed: `g1 s1 OR g1 s2 OR g2 s1 OR g2 s2`.
//!
//! The differences from the search endpoint: a name word matches anywhere in the name,
//! not only at the start of a word, and matching is case- but not accent-insensitive.

use novatalks_model::filter::{Conjunction, FilterCondition, FilterRequest, MIN_PHONE_DIGITS};
use novatalks_model::{ContactList, SortKey};
use serde_json::Value;

use super::contacts::{self, encode_component};
use super::{ApiClient, ApiError, ContactQuery};

/// `POST /api/v1/accounts/{id}/contacts/filter?page=&per_page=&sort=` with
/// `{"payload": [conditions]}`: one page of the contacts matching it and their count.
pub async fn filter(
    client: &ApiClient,
    request: &FilterRequest,
    page: u32,
    per_page: u32,
    sort: SortKey,
) -> Result<ContactList, ApiError> {
    let path = client.account_path("/contacts/filter")?;
    let query = format!(
        "page={page}&per_page={per_page}&sort={}",
        encode_component(&sort.to_string())
    );
    client.post(&format!("{path}?{query}"), request).await
}

/// The page `query` asks for of the contacts matching `q` (blank: no search), its labels
/// and `filter`: the filter endpoint when a filter is given, else the search or the list.
pub async fn find(
    client: &ApiClient,
    q: &str,
    filter: &[FilterCondition],
    query: &ContactQuery,
) -> Result<ContactList, ApiError> {
    if filter.is_empty() {
        return contacts::find(client, q, query).await;
    }
    let request = FilterRequest {
        payload: combined_conditions(filter, q, &query.labels),
    };
    self::filter(client, &request, query.page, query.per_page, query.sort).await
}

/// `filter` with the search text `q` (blank: none) and the quick-filter `labels` ANDed
/// into each of its OR-groups (see the module's documentation).
pub fn combined_conditions(
    filter: &[FilterCondition],
    q: &str,
    labels: &[String],
) -> Vec<FilterCondition> {
    let mut extra: Vec<FilterCondition> = Vec::new();
    if !labels.is_empty() {
        extra.push(condition(
            "labels",
            "equal_to",
            labels.iter().cloned().map(Value::String).collect(),
        ));
    }
    let searches = search_alternatives(q);
    if extra.is_empty() && searches.is_empty() {
        return normalized_joins(filter.to_vec());
    }
    let alternatives = if searches.is_empty() {
        vec![Vec::new()]
    } else {
        searches
    };
    let mut groups: Vec<Vec<FilterCondition>> = Vec::new();
    for group in split_groups(filter) {
        for alternative in &alternatives {
            let mut combined = group.clone();
            combined.extend(alternative.iter().cloned());
            combined.extend(extra.iter().cloned());
            groups.push(combined);
        }
    }
    let mut out = Vec::new();
    for group in groups {
        let last = group.len() - 1;
        for (i, mut c) in group.into_iter().enumerate() {
            c.query_operator = Some(if i == last { "or" } else { "and" }.to_owned());
            out.push(c);
        }
    }
    normalized_joins(out)
}

/// Ways of matching the search text, each a list of conditions ANDed; none for a blank text.
pub fn search_alternatives(q: &str) -> Vec<Vec<FilterCondition>> {
    let q = q.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let text = |key: &str, t: &str| condition(key, "contains", vec![Value::String(t.to_owned())]);
    let mut alternatives = vec![
        q.split_whitespace()
            .map(|word| text("name", word))
            .collect(),
        vec![text("email", q)],
        vec![text("identifier", q)],
    ];
    if is_phone_like(q) {
        alternatives.push(vec![text("phone_number", q)]);
    }
    alternatives
}

/// Written like a phone number (digits and the usual formatting), with enough digits for
/// the filter to take it.
fn is_phone_like(q: &str) -> bool {
    let formatting = |c: char| c.is_ascii_digit() || " +-().,/\u{a0}".contains(c);
    q.chars().all(formatting) && q.chars().filter(char::is_ascii_digit).count() >= MIN_PHONE_DIGITS
}

/// The conditions in OR-groups (anything but an OR joins with AND).
fn split_groups(filter: &[FilterCondition]) -> Vec<Vec<FilterCondition>> {
    let mut groups = Vec::new();
    let mut current = Vec::new();
    for c in filter {
        current.push(c.clone());
        let or = c.query_operator.as_deref().and_then(Conjunction::parse) == Some(Conjunction::Or);
        if or {
            groups.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// The last condition without a join, as the contract wants.
fn normalized_joins(mut conditions: Vec<FilterCondition>) -> Vec<FilterCondition> {
    if let Some(last) = conditions.last_mut() {
        last.query_operator = None;
    }
    conditions
}

fn condition(key: &str, operator: &str, values: Vec<Value>) -> FilterCondition {
    FilterCondition {
        attribute_key: key.to_owned(),
        filter_operator: operator.to_owned(),
        values,
        query_operator: None,
        custom_attribute_type: None,
    }
}

#[cfg(test)]
mod tests {
    use novatalks_model::filter::validate;
    use serde_json::json;

    use super::*;

    fn cond(key: &str, op: &str, values: Value, join: Option<&str>) -> FilterCondition {
        FilterCondition {
            attribute_key: key.into(),
            filter_operator: op.into(),
            values: serde_json::from_value(values).unwrap(),
            query_operator: join.map(str::to_owned),
            custom_attribute_type: None,
        }
    }

    /// `key op value` per condition, groups joined by " | ".
    fn show(conditions: &[FilterCondition]) -> String {
        let mut out = String::new();
        for c in conditions {
            let value = c.values.first().map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            out.push_str(&c.attribute_key);
            if let Some(v) = value {
                out.push('=');
                out.push_str(&v);
            }
            match c.query_operator.as_deref() {
                Some("and") => out.push_str(" & "),
                Some("or") => out.push_str(" | "),
                _ => {}
            }
        }
        out
    }

    fn example() -> Vec<FilterCondition> {
        vec![
            cond("city", "equal_to", json!(["Kyiv"]), Some("and")),
            cond("blocked", "equal_to", json!([false]), Some("or")),
            cond("id", "is_less_than", json!([10]), None),
        ]
    }

    #[test]
    fn without_search_or_labels_the_filter_is_sent_as_is() {
        let mut filter = example();
        filter[2].query_operator = Some("and".into());
        let sent = combined_conditions(&filter, "  ", &[]);
        assert_eq!(sent[..2], filter[..2]);
        assert_eq!(sent[2].query_operator, None);
    }

    #[test]
    fn labels_are_anded_into_every_group() {
        let sent = combined_conditions(&example(), "", &["vip".into(), "lead".into()]);
        assert_eq!(
            show(&sent),
            "city=Kyiv & blocked=false & labels=vip | id=10 & labels=vip"
        );
        assert_eq!(sent[2].values, vec![json!("vip"), json!("lead")]);
        assert!(validate(&sent, &[]).is_ok());
    }

    #[test]
    fn search_alternatives_are_distributed_over_the_groups() {
        let sent = combined_conditions(&example(), " ole  kov ", &["vip".into()]);
        assert_eq!(
            show(&sent),
            "city=Kyiv & blocked=false & name=ole & name=kov & labels=vip | \
             city=Kyiv & blocked=false & email=ole  kov & labels=vip | \
             city=Kyiv & blocked=false & identifier=ole  kov & labels=vip | \
             id=10 & name=ole & name=kov & labels=vip | \
             id=10 & email=ole  kov & labels=vip | \
             id=10 & identifier=ole  kov & labels=vip"
        );
        assert!(validate(&sent, &[]).is_ok(), "{:?}", validate(&sent, &[]));
    }

    #[test]
    fn phone_like_text_is_also_looked_for_in_phone_numbers() {
        let keys = |q: &str| -> Vec<String> {
            search_alternatives(q)
                .into_iter()
                .map(|a| a[0].attribute_key.clone())
                .collect()
        };
        assert_eq!(
            keys("050 123-45"),
            ["name", "email", "identifier", "phone_number"]
        );
        assert_eq!(
            keys("+38"),
            ["name", "email", "identifier"],
            "too few digits"
        );
        assert_eq!(keys("olena"), ["name", "email", "identifier"]);
        assert!(search_alternatives(" ").is_empty());
        let sent = combined_conditions(&example()[2..], "050 123", &[]);
        assert!(validate(&sent, &[]).is_ok());
        assert_eq!(
            sent.len(),
            9,
            "id and two name words, then id and each of three"
        );
    }
}
