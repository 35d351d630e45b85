//! The contact list's state as it lives in the URL of `/contacts`, and back.
//!
//! The query string is the source of truth: reload, back and forward, and a pasted link
//! all give the same view. Its form:
//!
//! - `q`: the search text, as typed (a blank one is no search);
//! - `labels`: one parameter per label, repeated (`labels=vip&labels=billing`): contacts
//!   having any of them. Read also comma-joined (`labels=vip,billing`, label titles
//!   cannot contain a comma) and as the API spells it (`labels[]=vip`);
//! - `sort`: the API's sort key, `name` or `-last_activity_at`; left out when it is the
//!   default (most recent activity first);
//! - `filter`: the advanced filter's conditions, in the form of [`super::filter_url`]
//!   (`filter=labels:equal_to(vip)~and~blocked:equal_to(true)`); one that does not parse
//!   is no filter.
//!
//! Anything else in the query string is ignored, and so is a value that makes no sense
//! (an unknown sort key reads as the default order): a mangled link still opens a list.

use novatalks_model::filter::FilterCondition;
use novatalks_model::{SortKey, MAX_PER_PAGE};

use super::filter_url::{self, FILTER_PARAM};
use crate::api::contacts::encode_component;
use crate::api::ContactQuery;

/// Contacts fetched per request: the server's largest page.
pub const PAGE_SIZE: u32 = MAX_PER_PAGE;

const Q: &str = "q";
const LABELS: &str = "labels";
const API_LABELS: &str = "labels[]";
const SORT: &str = "sort";

/// What the contact list shows: a search, a set of labels, a filter, an order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ListQuery {
    /// The search box, as typed (its blanks included, so typing "ole " keeps the space).
    pub q: String,
    /// Contacts having any of these labels; empty is all contacts. In the order chosen,
    /// without repeats.
    pub labels: Vec<String>,
    pub sort: SortKey,
    /// The advanced filter's conditions, joined by their `query_operator`s; empty is none.
    pub filter: Vec<FilterCondition>,
}

impl ListQuery {
    /// Reads the query string of a URL, with or without its leading `?`.
    pub fn from_search(search: &str) -> ListQuery {
        let mut query = ListQuery::default();
        for (key, value) in parse_query_string(search) {
            match key.as_str() {
                Q => query.q = value,
                LABELS | API_LABELS => {
                    for label in value.split(',') {
                        query.add_label(label);
                    }
                }
                SORT => query.sort = value.trim().parse().unwrap_or_default(),
                FILTER_PARAM => query.filter = filter_url::from_param(&value),
                _ => {}
            }
        }
        query
    }

    /// The query string (without `?`) that [`ListQuery::from_search`] reads back as
    /// `self`; empty for the default list. Blank search text is left out.
    pub fn to_search(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.search_text().is_some() {
            pairs.push((Q, self.q.clone()));
        }
        pairs.extend(self.labels.iter().map(|label| (LABELS, label.clone())));
        if self.sort != SortKey::default() {
            pairs.push((SORT, self.sort.to_string()));
        }
        let mut parts: Vec<String> = pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_component(value)))
            .collect();
        if !self.filter.is_empty() {
            // Already encoded, keeping its delimiters readable.
            parts.push(format!(
                "{FILTER_PARAM}={}",
                filter_url::to_param(&self.filter)
            ));
        }
        parts.join("&")
    }

    /// `path` with this query: `/contacts?q=ole&sort=name`, or just `/contacts`.
    pub fn href(&self, path: &str) -> String {
        match self.to_search() {
            search if search.is_empty() => path.to_owned(),
            search => format!("{path}?{search}"),
        }
    }

    /// The text to search for, trimmed; `None` when the box is blank (the plain list).
    pub fn search_text(&self) -> Option<&str> {
        Some(self.q.trim()).filter(|q| !q.is_empty())
    }

    /// The same list with the search text trimmed: what the server is asked, so that a
    /// space typed at the end of a word asks nothing new.
    pub fn normalized(&self) -> ListQuery {
        ListQuery {
            q: self.search_text().unwrap_or_default().to_owned(),
            ..self.clone()
        }
    }

    /// Whether a search, labels or a filter narrow the list down.
    pub fn is_narrowed(&self) -> bool {
        self.search_text().is_some() || !self.labels.is_empty() || !self.filter.is_empty()
    }

    /// The request for one page (1-based) of this list.
    pub fn contact_query(&self, page: u32) -> ContactQuery {
        ContactQuery {
            page,
            per_page: PAGE_SIZE,
            sort: self.sort,
            labels: self.labels.clone(),
        }
    }

    pub fn with_text(&self, q: impl Into<String>) -> ListQuery {
        ListQuery {
            q: q.into(),
            ..self.clone()
        }
    }

    pub fn with_sort(&self, sort: SortKey) -> ListQuery {
        ListQuery {
            sort,
            ..self.clone()
        }
    }

    /// Adds the label, or removes it when it is already chosen.
    pub fn with_label_toggled(&self, label: &str) -> ListQuery {
        let mut query = self.clone();
        if query.labels.iter().any(|l| l == label) {
            query.labels.retain(|l| l != label);
        } else {
            query.add_label(label);
        }
        query
    }

    /// All contacts: no labels (the search stays).
    pub fn without_labels(&self) -> ListQuery {
        ListQuery {
            labels: Vec::new(),
            ..self.clone()
        }
    }

    /// The same list under another filter (empty: none).
    pub fn with_filter(&self, filter: Vec<FilterCondition>) -> ListQuery {
        ListQuery {
            filter: filter_url::normalized(&filter),
            ..self.clone()
        }
    }

    /// Neither search nor labels nor filter; the order stays.
    pub fn cleared(&self) -> ListQuery {
        ListQuery {
            sort: self.sort,
            ..ListQuery::default()
        }
    }

    fn add_label(&mut self, label: &str) {
        let label = label.trim();
        if !label.is_empty() && !self.labels.iter().any(|l| l == label) {
            self.labels.push(label.to_owned());
        }
    }
}

/// `a=1&b=x%20y+z` -> `[("a", "1"), ("b", "x y z")]`, as a browser decodes a form: `+`
/// is a space, `%XX` a byte (a malformed escape stays as written), invalid UTF-8 is
/// replaced. Empty pieces (`a=1&&b=2`) are skipped.
pub fn parse_query_string(search: &str) -> Vec<(String, String)> {
    search
        .strip_prefix('?')
        .unwrap_or(search)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode_component(key), decode_component(value))
        })
        .collect()
}

fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let escaped = bytes
                    .get(i + 1..i + 3)
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                if let Some(byte) = escaped {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use novatalks_model::{SortDirection, SortField};

    use super::*;

    fn query(q: &str, labels: &[&str], sort: &str) -> ListQuery {
        ListQuery {
            q: q.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            sort: sort.parse().unwrap(),
            filter: Vec::new(),
        }
    }

    #[test]
    fn the_default_list_has_a_clean_url() {
        assert_eq!(ListQuery::default().to_search(), "");
        assert_eq!(ListQuery::default().href("/contacts"), "/contacts");
        assert_eq!(ListQuery::from_search(""), ListQuery::default());
        assert_eq!(ListQuery::from_search("?"), ListQuery::default());
        assert_eq!(ListQuery::default().sort.to_string(), "-last_activity_at");
    }

    #[test]
    fn every_part_is_written_and_read_back() {
        let cases = [
            query("ole kov", &["vip", "billing"], "name"),
            query("+380 (50) 123-45-67", &[], "-created_at"),
            query("", &["churn-risk"], "-last_activity_at"),
            query("a&b=c?d#e%f+g", &["x_y"], "last_activity_at"),
            query("Олена Ковалéнко 😀", &[], "-email"),
            query("ole ", &[], "phone_number"),
        ];
        for case in cases {
            let search = case.to_search();
            assert_eq!(ListQuery::from_search(&search), case, "{search}");
            assert_eq!(ListQuery::from_search(&format!("?{search}")), case);
        }
    }

    #[test]
    fn the_written_form_is_readable() {
        assert_eq!(
            query("ole kov", &["vip", "billing"], "-name").href("/contacts"),
            "/contacts?q=ole%20kov&labels=vip&labels=billing&sort=-name"
        );
        assert_eq!(
            query("", &[], "name").href("/contacts"),
            "/contacts?sort=name"
        );
        assert_eq!(query("   ", &[], "-last_activity_at").to_search(), "");
    }

    #[test]
    fn labels_are_read_repeated_comma_joined_or_as_the_api_spells_them() {
        let expected = vec!["vip".to_owned(), "billing".to_owned(), "lead".to_owned()];
        for search in [
            "labels=vip&labels=billing&labels=lead",
            "labels=vip,billing,lead",
            "labels%5B%5D=vip&labels[]=billing&labels=lead",
            "labels=vip,,billing&labels=+lead+&labels=vip&labels=",
        ] {
            assert_eq!(ListQuery::from_search(search).labels, expected, "{search}");
        }
    }

    #[test]
    fn garbage_reads_as_the_nearest_sensible_list() {
        let read = ListQuery::from_search("sort=-password&page=7&foo&=x&q=%zz%4&&labels=%E2%28");
        assert_eq!(
            read.sort,
            SortKey::default(),
            "unknown sort keys are dropped"
        );
        assert_eq!(read.q, "%zz%4", "malformed escapes stay as written");
        assert_eq!(read.labels, ["\u{fffd}("], "invalid UTF-8 is replaced");
        assert_eq!(ListQuery::from_search("sort=").sort, SortKey::default());
        assert_eq!(
            ListQuery::from_search("sort=--name").sort,
            SortKey::default()
        );
        assert_eq!(
            ListQuery::from_search("sort=%20email%20").sort,
            SortKey::new(SortField::Email, SortDirection::Asc)
        );
        assert_eq!(
            ListQuery::from_search("q=a&q=b").q,
            "b",
            "the last value wins"
        );
    }

    #[test]
    fn the_normalized_query_only_trims_the_search() {
        assert_eq!(
            query(" ole kov ", &["vip"], "name").normalized(),
            query("ole kov", &["vip"], "name")
        );
        assert_eq!(
            query("  ", &[], "-name").normalized(),
            query("", &[], "-name")
        );
    }

    #[test]
    fn search_text_is_trimmed_and_blank_is_none() {
        assert_eq!(query("  ole ", &[], "name").search_text(), Some("ole"));
        assert_eq!(query(" \t ", &[], "name").search_text(), None);
        assert!(!query(" ", &[], "name").is_narrowed());
        assert!(query("", &["vip"], "name").is_narrowed());
        assert!(query("x", &[], "name").is_narrowed());
    }

    #[test]
    fn labels_toggle_and_clear() {
        let start = query("ole", &["vip"], "name");
        let both = start.with_label_toggled("billing");
        assert_eq!(both.labels, ["vip", "billing"]);
        assert_eq!(both.with_label_toggled("vip").labels, ["billing"]);
        assert_eq!(both.without_labels(), start.without_labels());
        assert_eq!(both.without_labels().q, "ole", "the search stays");
        assert_eq!(both.cleared(), query("", &[], "name"), "the order stays");
    }

    #[test]
    fn a_page_request_carries_the_order_and_labels() {
        let request = query("ole", &["vip", "billing"], "-name").contact_query(3);
        assert_eq!(
            request.query_string(),
            "page=3&per_page=100&sort=-name&labels%5B%5D=vip&labels%5B%5D=billing"
        );
    }

    fn vip_or_blocked() -> Vec<FilterCondition> {
        serde_json::from_value(serde_json::json!([
            {"attribute_key": "labels", "filter_operator": "equal_to", "values": ["vip", "a&b c"], "query_operator": "or"},
            {"attribute_key": "blocked", "filter_operator": "equal_to", "values": [true], "query_operator": null}
        ]))
        .unwrap()
    }

    #[test]
    fn the_filter_travels_in_one_parameter_with_the_rest() {
        let filtered = query("ole", &["lead"], "name").with_filter(vip_or_blocked());
        assert_eq!(
            filtered.href("/contacts"),
            "/contacts?q=ole&labels=lead&sort=name\
             &filter=labels:equal_to(vip,a%26b%20c)~or~blocked:equal_to(true)"
        );
        assert_eq!(ListQuery::from_search(&filtered.to_search()), filtered);
        assert!(query("", &[], "name")
            .with_filter(vip_or_blocked())
            .is_narrowed());
        assert_eq!(
            filtered.cleared(),
            query("", &[], "name"),
            "clearing drops the filter"
        );
        assert_eq!(
            filtered.with_filter(Vec::new()),
            query("ole", &["lead"], "name")
        );
    }

    #[test]
    fn a_mangled_filter_is_no_filter_and_the_rest_stays() {
        let read = ListQuery::from_search("q=ole&filter=labels:equal_to(vip&sort=name");
        assert_eq!(read, query("ole", &[], "name"));
        let read = ListQuery::from_search("filter=%F0%28~or~&labels=vip");
        assert_eq!(read, query("", &["vip"], "-last_activity_at"));
    }
}
