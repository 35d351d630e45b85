//! Form bodies (`application/x-www-form-urlencoded`, and the text fields of
//! `multipart/form-data`) turned into the `Value` a JSON body parses to, by Rack's nesting
//! rules, so that [`super::body`] reads them with the same checks and the same words.
//!
//! A field's name nests as Rails reads it:
//!
//! - `name=Olena` is `{"name": "Olena"}`; a name sent twice keeps its last value;
//! - `contact[name]=Olena` is `{"contact": {"name": "Olena"}}`, to any depth;
//! - `labels[]=vip&labels[]=lead` is `{"labels": ["vip", "lead"]}`;
//! - `items[][key]=a&items[][value]=1&items[][key]=b` is
//!   `[{"key": "a", "value": "1"}, {"key": "b"}]`: a key already in the last object
//!   starts the next one.
//!
//! One difference from Rack, on purpose: Rack reads `payload[0][attribute_key]=name` as an
//! object with the key `"0"`, and Rails' models turn such objects into lists later. Here an
//! object whose keys are exactly `0, 1, … n-1` becomes a list in that order, so the body
//! has the shape a JSON client sends (`{"payload": [{"attribute_key": "name"}]}`) and the
//! route's rules and refusals (`payload[0].values`) are the same. An object with other
//! keys (`1, 2`, or `0, x`) stays an object.
//!
//! Every value is text; [`super::body`] reads a number or true/false from the text Rails
//! accepts for it (`"5"`, `"true"`, `"0"`) in a form body only.
//!
//! A name that is both a value and a group (`a=1&a[b]=2`), or nested deeper than
//! [`MAX_DEPTH`] levels, is refused (400, as Rails does).

use serde_json::{Map, Value};

/// The deepest nesting a form field's name may have (Rack's own limit is of this order).
pub const MAX_DEPTH: usize = 32;

/// Why a form's fields could not be nested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// `[]`: append to a list.
    Push,
    /// `[key]`.
    Key(String),
}

/// The base name and the bracketed parts of a field's name: `a[b][]` is `a`, `[b]`, `[]`.
/// Leading brackets are skipped and an unclosed bracket ends the name, as in Rack.
fn split(name: &str) -> Option<(String, Vec<Part>)> {
    let trimmed = name.trim_start_matches(['[', ']']);
    let end = trimmed.find(['[', ']']).unwrap_or(trimmed.len());
    let base = &trimmed[..end];
    if base.is_empty() {
        return None;
    }
    let mut rest = &trimmed[end..];
    // Closing brackets right after the base name (`a]`) are dropped, as Rack does.
    rest = rest.trim_start_matches(']');
    let mut parts = Vec::new();
    while let Some(after) = rest.strip_prefix('[') {
        match after.find(']') {
            Some(close) => {
                let key = &after[..close];
                parts.push(if key.is_empty() {
                    Part::Push
                } else {
                    Part::Key(key.to_owned())
                });
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    Some((base.to_owned(), parts))
}

fn conflict(field: &str) -> FormError {
    FormError(format!(
        "The form field '{field}' cannot be read: a part of its name is both a value and a \
         group of fields"
    ))
}

/// Whether `object` already holds the path `parts` (keys only; a list part never counts).
fn has_path(object: &Map<String, Value>, key: &str, parts: &[Part]) -> bool {
    let Some(mut at) = object.get(key) else {
        return false;
    };
    for part in parts {
        match (part, at) {
            (Part::Key(k), Value::Object(map)) => match map.get(k) {
                Some(next) => at = next,
                None => return false,
            },
            _ => return false,
        }
    }
    true
}

fn insert(
    object: &mut Map<String, Value>,
    key: &str,
    parts: &[Part],
    value: Value,
    field: &str,
) -> Result<(), FormError> {
    let Some((first, rest)) = parts.split_first() else {
        object.insert(key.to_owned(), value);
        return Ok(());
    };
    match first {
        Part::Key(child) => {
            let entry = object
                .entry(key.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(map) = entry else {
                return Err(conflict(field));
            };
            insert(map, child, rest, value, field)
        }
        Part::Push => {
            let entry = object
                .entry(key.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(items) = entry else {
                return Err(conflict(field));
            };
            match rest.split_first() {
                None => items.push(value),
                Some((Part::Key(child), deeper)) => match items.last_mut() {
                    Some(Value::Object(last)) if !has_path(last, child, deeper) => {
                        insert(last, child, deeper, value, field)?;
                    }
                    _ => {
                        let mut fresh = Map::new();
                        insert(&mut fresh, child, deeper, value, field)?;
                        items.push(Value::Object(fresh));
                    }
                },
                Some((Part::Push, _)) => {
                    // `a[][]=x`: a list in the list.
                    let mut fresh = Map::new();
                    insert(&mut fresh, "", rest, value, field)?;
                    items.push(fresh.remove("").unwrap_or(Value::Null));
                }
            }
            Ok(())
        }
    }
}

/// An object whose keys are exactly `0 … n-1` as a list in that order, at every depth.
fn lists(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let n = map.len();
            let indexed = n > 0
                && map.keys().all(|k| {
                    k.parse::<usize>()
                        .is_ok_and(|i| i < n && (k == "0" || !k.starts_with('0')))
                });
            if indexed {
                let mut slots: Vec<Value> = vec![Value::Null; n];
                for (k, v) in map {
                    if let Ok(i) = k.parse::<usize>() {
                        if let Some(slot) = slots.get_mut(i) {
                            *slot = lists(v);
                        }
                    }
                }
                Value::Array(slots)
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, lists(v))).collect())
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(lists).collect()),
        other => other,
    }
}

/// The fields of a form, in the order sent, nested as Rails nests them. A field whose name
/// has no base (`=x`, `[]=x`) is skipped, as Rack skips it.
pub fn nest<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Result<Value, FormError> {
    let mut root = Map::new();
    for (name, text) in pairs {
        let Some((base, parts)) = split(&name) else {
            continue;
        };
        if parts.len() >= MAX_DEPTH {
            return Err(FormError(format!(
                "The form field '{}' is nested too deeply: at most {MAX_DEPTH} levels",
                name.chars().take(80).collect::<String>()
            )));
        }
        insert(&mut root, &base, &parts, Value::String(text), &name)?;
    }
    Ok(lists(Value::Object(root)))
}

/// The fields of an `application/x-www-form-urlencoded` body.
pub fn parse_urlencoded(bytes: &[u8]) -> Result<Value, FormError> {
    nest(form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), v.into_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(query: &str) -> Value {
        parse_urlencoded(query.as_bytes()).unwrap()
    }

    #[test]
    fn names_nest_as_rails_nests_them() {
        assert_eq!(read("name=Olena&name=Ann"), json!({"name": "Ann"}));
        assert_eq!(
            read("contact[name]=Olena&contact[custom_attributes][plan]=gold"),
            json!({"contact": {"name": "Olena", "custom_attributes": {"plan": "gold"}}})
        );
        assert_eq!(
            read("labels[]=vip&labels[]=lead"),
            json!({"labels": ["vip", "lead"]})
        );
        assert_eq!(
            read("i[][k]=a&i[][v]=1&i[][k]=b"),
            json!({"i": [{"k": "a", "v": "1"}, {"k": "b"}]})
        );
        assert_eq!(read("=x&[]=y&a"), json!({"a": ""}));
        assert_eq!(read(""), json!({}));
        assert_eq!(read("a[][]=x"), json!({"a": [["x"]]}));
    }

    #[test]
    fn indexed_objects_become_lists() {
        assert_eq!(
            read(
                "query[payload][1][attribute_key]=email&query[payload][0][attribute_key]=name\
                 &query[payload][0][values][]=Ann"
            ),
            json!({"query": {"payload": [
                {"attribute_key": "name", "values": ["Ann"]},
                {"attribute_key": "email"}
            ]}})
        );
        assert_eq!(read("a[1]=x&a[2]=y"), json!({"a": {"1": "x", "2": "y"}}));
        assert_eq!(read("a[0]=x&a[01]=y"), json!({"a": {"0": "x", "01": "y"}}));
    }

    #[test]
    fn conflicts_and_depth_are_refused() {
        assert!(parse_urlencoded(b"a=1&a[b]=2")
            .unwrap_err()
            .0
            .contains("'a[b]'"));
        assert!(parse_urlencoded(b"a[]=1&a[b]=2").is_err());
        let deep = format!("a{}=1", "[x]".repeat(MAX_DEPTH));
        assert!(parse_urlencoded(deep.as_bytes())
            .unwrap_err()
            .0
            .contains("nested too deeply"));
    }
}
