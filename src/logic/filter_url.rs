//! A filter's conditions in one query parameter of the list's URL (`filter=`), and back.
//!
//! The form is short and readable in the address bar, so that a filtered view can be
//! shared as a link and still be understood:
//!
//! ```text
//! labels:equal_to(vip,billing)~and~last_activity_at:is_greater_than(2025-10-01,120)~or~blocked:equal_to(true)
//! ```
//!
//! - a condition is `attribute_key:filter_operator(values)`, values joined by `,`;
//! - conditions are joined by `~and~` / `~or~` (the `query_operator`s; `~` is never
//!   percent-encoded, so the joins stay readable);
//! - a value is `true`, `false`, `null`, a JSON number (`120`, `-2.5`), or else text;
//! - in text, `!` escapes the next character: `!!`, `!,`, `!(`, `!)`, `!:`, `!~`; text that
//!   would read as one of the literals above starts with `!` (`!42` is the text "42",
//!   `!true` the text "true"), and `!e` alone is the empty text.
//!
//! [`to_param`] writes the parameter's value already percent-encoded: characters outside
//! `A-Z a-z 0-9 - . _ ~ ! ( ) , : @ / *` become `%XX` (UTF-8), everything else stays as is,
//! which browsers leave alone in a query string. [`from_param`] reads the value once the
//! query string has been percent-decoded.
//!
//! A parameter that does not parse (hand-edited, cut short) is ignored: it reads as no
//! filter, never as part of one, since dropping one condition would change what the
//! others mean. Whether the conditions make sense (known attributes, typed values) is
//! for `novatalks_model::filter::validate`, as anywhere else.

use novatalks_model::filter::{Attribute, Conjunction, FilterCondition};
use serde_json::{Number, Value};

/// The query parameter holding the filter.
pub const FILTER_PARAM: &str = "filter";

/// `custom_attribute_type` of a condition on a custom attribute (Chatwoot's).
pub const CUSTOM_ATTRIBUTE_TYPE: &str = "contact_attribute";

const AND: &str = "~and~";
const OR: &str = "~or~";
/// The longest parameter read: far beyond any real filter, short of a pathological URL.
const MAX_PARAM_CHARS: usize = 16_384;

/// The conditions as [`from_param`] gives them back: the joins lower-case `and`/`or`
/// (`and` where one is missing or unknown), none on the last condition, and
/// `custom_attribute_type` set exactly for keys that are not built-in attributes.
pub fn normalized(conditions: &[FilterCondition]) -> Vec<FilterCondition> {
    let last = conditions.len().saturating_sub(1);
    conditions
        .iter()
        .enumerate()
        .map(|(i, c)| FilterCondition {
            attribute_key: c.attribute_key.clone(),
            filter_operator: c.filter_operator.clone(),
            values: c.values.clone(),
            query_operator: (i < last).then(|| join_of(c).as_str().to_owned()),
            custom_attribute_type: custom_type_of(&c.attribute_key),
        })
        .collect()
}

/// How a condition joins the next: OR only when it says so.
pub fn join_of(condition: &FilterCondition) -> Conjunction {
    match condition
        .query_operator
        .as_deref()
        .and_then(Conjunction::parse)
    {
        Some(Conjunction::Or) => Conjunction::Or,
        _ => Conjunction::And,
    }
}

/// `Some("contact_attribute")` for a key that is not a built-in attribute.
pub fn custom_type_of(key: &str) -> Option<String> {
    let standard = Attribute::STANDARD.iter().any(|a| a.key() == key);
    (!standard).then(|| CUSTOM_ATTRIBUTE_TYPE.to_owned())
}

/// The value of the `filter` parameter, percent-encoded; empty for no conditions.
pub fn to_param(conditions: &[FilterCondition]) -> String {
    percent_encode(&to_text(conditions))
}

/// The conditions of a (percent-decoded) `filter` parameter; none when it does not parse.
pub fn from_param(text: &str) -> Vec<FilterCondition> {
    if text.chars().count() > MAX_PARAM_CHARS {
        return Vec::new();
    }
    Parser::new(text.trim()).conditions().unwrap_or_default()
}

/// The filter's text before percent-encoding.
fn to_text(conditions: &[FilterCondition]) -> String {
    let mut out = String::new();
    for (i, condition) in normalized(conditions).iter().enumerate() {
        if i > 0 {
            let before = &conditions[i - 1];
            out.push_str(match join_of(before) {
                Conjunction::And => AND,
                Conjunction::Or => OR,
            });
        }
        push_escaped(&mut out, &condition.attribute_key);
        out.push(':');
        push_escaped(&mut out, &condition.filter_operator);
        out.push('(');
        for (j, value) in condition.values.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_value(&mut out, value);
        }
        out.push(')');
    }
    out
}

fn push_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => push_text(out, s),
        // Not a value any condition takes: kept as its JSON text, which validation refuses.
        nested => push_text(out, &nested.to_string()),
    }
}

/// Text that would read back as something else starts with an escape.
fn push_text(out: &mut String, text: &str) {
    if text.is_empty() {
        out.push_str("!e");
        return;
    }
    if literal(text).is_some() {
        out.push('!');
    }
    push_escaped(out, text);
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '!' | ',' | '(' | ')' | ':' | '~') {
            out.push('!');
        }
        out.push(c);
    }
}

/// `true`, `false`, `null` or a JSON number, written bare.
fn literal(token: &str) -> Option<Value> {
    match token {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        "null" => Some(Value::Null),
        _ => {
            let bytes = token.as_bytes();
            let numeric_start = bytes
                .first()
                .is_some_and(|b| b.is_ascii_digit() || *b == b'-');
            if !numeric_start {
                return None;
            }
            serde_json::from_str::<Number>(token)
                .ok()
                .map(Value::Number)
        }
    }
}

/// Characters a query string may hold as they are (RFC 3986's unreserved ones and a few
/// sub-delimiters browsers never rewrite).
fn is_kept(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!(),:@/*".contains(c)
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut buffer = [0u8; 4];
    for c in text.chars() {
        if is_kept(c) {
            out.push(c);
        } else {
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Reads the text form; `None` at the first thing out of place.
struct Parser<'a> {
    rest: &'a str,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser { rest: text }
    }

    fn conditions(mut self) -> Option<Vec<FilterCondition>> {
        let mut conditions: Vec<FilterCondition> = Vec::new();
        if self.rest.is_empty() {
            return Some(conditions);
        }
        loop {
            let attribute_key = self.token(':')?;
            let filter_operator = self.token('(')?;
            let values = self.values()?;
            if attribute_key.is_empty() || filter_operator.is_empty() {
                return None;
            }
            conditions.push(FilterCondition {
                custom_attribute_type: custom_type_of(&attribute_key),
                attribute_key,
                filter_operator,
                values,
                query_operator: None,
            });
            let join = if self.rest.is_empty() {
                return Some(conditions);
            } else if let Some(rest) = self.rest.strip_prefix(AND) {
                self.rest = rest;
                Conjunction::And
            } else if let Some(rest) = self.rest.strip_prefix(OR) {
                self.rest = rest;
                Conjunction::Or
            } else {
                return None;
            };
            if let Some(last) = conditions.last_mut() {
                last.query_operator = Some(join.as_str().to_owned());
            }
        }
    }

    /// Escaped text up to the unescaped `end`, which is consumed.
    fn token(&mut self, end: char) -> Option<String> {
        let mut out = String::new();
        let mut chars = self.rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '!' => out.push(chars.next()?.1),
                c if c == end => {
                    self.rest = &self.rest[i + c.len_utf8()..];
                    return Some(out);
                }
                '(' | ')' | ',' | ':' | '~' => return None,
                c => out.push(c),
            }
        }
        None
    }

    /// `v,v,v)` (the `(` already read), or just `)`.
    fn values(&mut self) -> Option<Vec<Value>> {
        let mut values = Vec::new();
        if let Some(rest) = self.rest.strip_prefix(')') {
            self.rest = rest;
            return Some(values);
        }
        loop {
            let (value, end) = self.value()?;
            values.push(value);
            if end == ')' {
                return Some(values);
            }
        }
    }

    /// One value and the `,` or `)` that ended it.
    fn value(&mut self) -> Option<(Value, char)> {
        let mut text = String::new();
        let mut escaped = false;
        let mut chars = self.rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '!' => {
                    escaped = true;
                    text.push(chars.next()?.1);
                }
                ',' | ')' => {
                    let value = if &self.rest[..i] == "!e" {
                        Value::String(String::new())
                    } else if escaped {
                        Value::String(text)
                    } else {
                        literal(&text).unwrap_or(Value::String(text))
                    };
                    self.rest = &self.rest[i + 1..];
                    return Some((value, c));
                }
                '(' | ':' | '~' => return None,
                c => text.push(c),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn cond(key: &str, op: &str, values: Value, join: Option<&str>) -> FilterCondition {
        FilterCondition {
            attribute_key: key.into(),
            filter_operator: op.into(),
            values: serde_json::from_value(values).unwrap(),
            query_operator: join.map(str::to_owned),
            custom_attribute_type: custom_type_of(key),
        }
    }

    /// What a query string carries after a browser and `parse_query_string` are done.
    fn through_url(conditions: &[FilterCondition]) -> Vec<FilterCondition> {
        let search = format!("{FILTER_PARAM}={}", to_param(conditions));
        let pairs = super::super::list_query::parse_query_string(&search);
        assert_eq!(pairs.len(), 1, "{search}");
        from_param(&pairs[0].1)
    }

    fn example() -> Vec<FilterCondition> {
        vec![
            cond("labels", "equal_to", json!(["vip", "billing"]), Some("and")),
            cond(
                "last_activity_at",
                "is_greater_than",
                json!(["2025-10-01", 120]),
                Some("or"),
            ),
            cond("blocked", "equal_to", json!([true]), None),
        ]
    }

    #[test]
    fn the_parameter_is_short_and_readable() {
        assert_eq!(
            to_param(&example()),
            "labels:equal_to(vip,billing)~and~last_activity_at:is_greater_than(2025-10-01,120)~or~blocked:equal_to(true)"
        );
        assert_eq!(to_param(&[]), "");
        assert_eq!(
            to_param(&[cond("name", "contains", json!(["Ole Kov"]), None)]),
            "name:contains(Ole%20Kov)"
        );
        assert_eq!(
            to_param(&[cond("email", "is_present", json!([]), None)]),
            "email:is_present()"
        );
    }

    #[test]
    fn conditions_come_back_as_they_were() {
        let cases = vec![
            example(),
            vec![cond("plan", "equal_to", json!(["gold", "platinum"]), None)],
            vec![
                cond("id", "is_greater_than", json!([42]), Some("and")),
                cond("order_count", "is_less_than", json!([-2.5]), Some("and")),
                cond("created_at", "days_before", json!([30, -300]), Some("or")),
                cond("newsletter", "equal_to", json!([false]), None),
            ],
            vec![cond("name", "is_not_present", json!([]), None)],
        ];
        for case in cases {
            assert_eq!(through_url(&case), case, "{}", to_param(&case));
            assert_eq!(from_param(&to_text(&case)), case);
        }
    }

    #[test]
    fn text_that_looks_like_syntax_or_a_literal_stays_text() {
        let tricky = [
            "",
            " ",
            "42",
            "-1",
            "1e5",
            "12 ",
            "true",
            "false",
            "null",
            "!e",
            "e",
            "!",
            "!!",
            "a,b",
            "(x)",
            "a:b",
            "~and~",
            "~or~x",
            "100%_",
            "a&b=c#d?e+f",
            "'); DROP TABLE contacts;--",
            "\"quoted\" 'single'",
            "Олена Ковалéнко 😀",
            "+380 (50) 123-45-67",
            "2025-10-01",
            "tab\there\nnewline",
            "%41%zz",
        ];
        for text in tricky {
            let case = vec![cond("name", "contains", json!([text, text]), None)];
            assert_eq!(through_url(&case), case, "{text:?} as {}", to_param(&case));
        }
    }

    #[test]
    fn numbers_and_text_of_numbers_differ() {
        let case = vec![cond(
            "id",
            "equal_to",
            json!([7, "7", 1.5, "1.5", u64::MAX, i64::MIN, null, "null"]),
            None,
        )];
        assert_eq!(through_url(&case), case, "{}", to_param(&case));
    }

    #[test]
    fn joins_and_custom_types_are_normalized() {
        let mut raw = vec![
            cond("name", "contains", json!(["a"]), Some("OR")),
            cond("email", "contains", json!(["b"]), None),
            cond("plan", "equal_to", json!(["gold"]), Some("and")),
        ];
        raw[0].custom_attribute_type = Some("contact_attribute".into());
        raw[2].custom_attribute_type = None;
        let back = through_url(&raw);
        assert_eq!(back, normalized(&raw));
        assert_eq!(back[0].query_operator.as_deref(), Some("or"));
        assert_eq!(
            back[1].query_operator.as_deref(),
            Some("and"),
            "a missing join is and"
        );
        assert_eq!(back[2].query_operator, None, "the last one has none");
        assert_eq!(back[0].custom_attribute_type, None);
        assert_eq!(
            back[2].custom_attribute_type.as_deref(),
            Some(CUSTOM_ATTRIBUTE_TYPE)
        );
    }

    #[test]
    fn nested_values_are_kept_as_their_json_text() {
        let case = vec![cond("name", "equal_to", json!([["x"], {"a": 1}]), None)];
        assert_eq!(
            through_url(&case)[0].values,
            vec![json!("[\"x\"]"), json!("{\"a\":1}")]
        );
    }

    #[test]
    fn garbage_is_no_filter() {
        for garbage in [
            "name",
            "name:",
            "name:contains",
            "name:contains(",
            "name:contains(a",
            "name:contains(a)~",
            "name:contains(a)~and~",
            "name:contains(a)~xor~email:is_present()",
            "name:contains(a)email:is_present()",
            ":contains(a)",
            "name:(a)",
            "name:contains(a(b))",
            "name:contains(a:b)",
            "name:contains(a~b)",
            "name:contains(a!",
            "na(me:contains(a)",
            "%zz",
            "((((",
            "))))",
            "!",
        ] {
            assert_eq!(from_param(garbage), Vec::new(), "{garbage}");
        }
        assert_eq!(from_param(""), Vec::new());
        assert_eq!(
            from_param(&"name:is_present()~and~".repeat(5_000)),
            Vec::new()
        );
    }

    #[test]
    fn surrounding_blanks_are_ignored() {
        assert_eq!(
            from_param("  email:is_present() "),
            vec![cond("email", "is_present", json!([]), None)]
        );
    }

    /// A small deterministic generator: the same cases on every run, no extra crates.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> usize {
            (self.next() % n) as usize
        }

        fn text(&mut self) -> String {
            const ALPHABET: &[char] = &[
                'a', 'Z', '0', '9', '-', '.', '_', '~', '!', '(', ')', ',', ':', '@', '/', '*',
                ' ', '%', '&', '=', '+', '#', '?', '\'', '"', 'é', 'ж', '😀', 'e', 't',
            ];
            let len = self.below(8);
            (0..len)
                .map(|_| ALPHABET[self.below(ALPHABET.len() as u64)])
                .collect()
        }

        fn value(&mut self) -> Value {
            match self.below(6) {
                0 => Value::Bool(self.below(2) == 0),
                1 => json!(self.next() as i64),
                2 => json!((self.next() % 10_000) as f64 / 8.0),
                3 => Value::Null,
                _ => Value::String(self.text()),
            }
        }
    }

    #[test]
    fn random_conditions_round_trip() {
        let mut rng = XorShift(0x5eed_f00d);
        let keys = ["name", "labels", "plan", "created_at", "x_y"];
        let ops = ["equal_to", "contains", "days_before", "is_present"];
        for _ in 0..2_000 {
            let n = 1 + rng.below(5);
            let case: Vec<FilterCondition> = (0..n)
                .map(|_| {
                    let values: Vec<Value> = (0..rng.below(4)).map(|_| rng.value()).collect();
                    let join = ["and", "or"][rng.below(2)];
                    cond(
                        keys[rng.below(5)],
                        ops[rng.below(4)],
                        json!(values),
                        Some(join),
                    )
                })
                .collect();
            let expected = normalized(&case);
            assert_eq!(through_url(&case), expected, "{}", to_param(&case));
        }
    }

    #[test]
    fn random_text_never_panics() {
        let mut rng = XorShift(0xdead_beef);
        let pieces = [
            "name", ":", "contains", "(", ")", ",", "!", "~and~", "~or~", "a", "42", "true", "!e",
            "~", "é",
        ];
        for _ in 0..20_000 {
            let text: String = (0..rng.below(12))
                .map(|_| pieces[rng.below(pieces.len() as u64)])
                .collect();
            let read = from_param(&text);
            // Whatever parsed writes back to something that reads the same.
            assert_eq!(from_param(&to_text(&read)), read, "{text}");
        }
    }
}
