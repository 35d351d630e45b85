//! A row of the file made into a contact draft, checked with the very rules the create
//! form and the API use ([`crate::rules`], and each custom attribute's definition). What
//! only the server knows (whether a phone number exists, a definition's regex, what is
//! already taken) the server checks after.

use serde_json::{Map, Value};

use super::mapping::Target;
use crate::custom_attribute::CustomAttributeDefinition;
use crate::rules::{self, FieldProblem, MAX_TEXT_CHARS};

/// A row as a contact: only what its cells hold (an empty cell changes nothing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// The line the row starts on (the header is line 1).
    pub line: usize,
    pub name: Option<String>,
    /// Trimmed and lower-cased.
    pub email: Option<String>,
    /// As written (trimmed), of a phone's shape; the server stores it in E.164.
    pub phone: Option<String>,
    pub identifier: Option<String>,
    /// Titles, lower-cased, each once.
    pub labels: Vec<String>,
    /// `city`, `country_code` or `country`, `company_name`, `language`.
    pub additional: Map<String, Value>,
    /// Custom attribute values as their definitions store them (free keys: text), with
    /// the column each came from.
    pub custom: Vec<(usize, String, Value)>,
}

impl Draft {
    /// The row's `country_code` (two letters, upper case), if it has one.
    pub fn country_code(&self) -> Option<&str> {
        self.additional.get("country_code").and_then(Value::as_str)
    }
}

/// What is wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblemKind {
    /// A cell's value breaks a field rule.
    Field(FieldProblem),
    /// Nothing to make a contact of: no name, email, phone number or identifier.
    Empty,
}

/// A problem of one row: its line, the column (0-based; none for the row as a whole),
/// the cell's text (trimmed), and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub column: Option<usize>,
    pub value: String,
    pub kind: RowProblemKind,
}

/// The display types a definition created by an import may have (a list needs its
/// choices, which a column cannot give).
pub const NEW_ATTRIBUTE_TYPES: [&str; 7] = [
    "text", "number", "currency", "percent", "link", "date", "checkbox",
];

/// The definition a [`Target::NewCustomAttribute`] will create, as its values are
/// checked against (`id` 0).
pub fn new_definition(
    key: &str,
    display_name: Option<&str>,
    display_type: Option<&str>,
    header: &str,
) -> CustomAttributeDefinition {
    CustomAttributeDefinition {
        id: 0,
        attribute_key: key.trim().to_owned(),
        attribute_display_name: display_name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(header.trim())
            .to_owned(),
        attribute_display_type: display_type.unwrap_or("text").trim().to_owned(),
        attribute_values: Vec::new(),
        attribute_model: crate::custom_attribute::CONTACT_ATTRIBUTE.to_owned(),
        regex_pattern: None,
        regex_cue: None,
        attribute_description: None,
        created_at: None,
    }
}

/// Splits a labels cell on `,` and `;`: trimmed, lower-cased titles, each once.
pub fn split_labels(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in cell.split([',', ';']) {
        let title = rules::typed_label_title(part);
        if !title.is_empty() && !out.contains(&title) {
            out.push(title);
        }
    }
    out
}

/// The draft of one row, whose cells are `fields` and whose columns fill `targets`
/// (missing cells are empty), or every problem of it. `definitions` are the account's
/// custom attribute definitions, plus those the import creates ([`new_definition`]).
pub fn draft_row(
    line: usize,
    fields: &[String],
    targets: &[Target],
    definitions: &[CustomAttributeDefinition],
) -> Result<Draft, Vec<RowProblem>> {
    let mut draft = Draft {
        line,
        ..Draft::default()
    };
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    let mut name_column = None;
    for (column, target) in targets.iter().enumerate() {
        let cell = fields.get(column).map_or("", |f| f.trim());
        if cell.is_empty() || *target == Target::Ignore {
            continue;
        }
        // (the value shown, the problem) of this cell.
        let mut found: Vec<(String, FieldProblem)> = Vec::new();
        let text = |max: usize, found: &mut Vec<(String, FieldProblem)>| -> Option<String> {
            match rules::text_problem(cell, max) {
                Some(p) => {
                    found.push((cell.to_owned(), p));
                    None
                }
                None => Some(cell.to_owned()),
            }
        };
        match target {
            Target::Name => {
                names.push(cell);
                name_column.get_or_insert(column);
            }
            Target::Email => match rules::normalize_email(cell) {
                Ok(email) => draft.email = email,
                Err(p) => found.push((cell.to_owned(), p)),
            },
            Target::Phone => match rules::phone_shape_problem(cell) {
                Some(p) => found.push((cell.to_owned(), p)),
                None => draft.phone = Some(cell.to_owned()),
            },
            Target::Identifier => match rules::identifier_problem(cell) {
                Some(p) => found.push((cell.to_owned(), p)),
                None => draft.identifier = Some(cell.to_owned()),
            },
            Target::Labels => {
                for title in split_labels(cell) {
                    if let Some(p) = rules::contact_label_problem(&title) {
                        found.push((title, p));
                    } else if !draft.labels.contains(&title) {
                        draft.labels.push(title);
                    }
                }
                if let Some(p) = rules::label_count_problem(draft.labels.len()) {
                    found.push((cell.to_owned(), p));
                }
            }
            Target::City => {
                if let Some(v) = text(MAX_TEXT_CHARS, &mut found) {
                    draft.additional.insert("city".into(), Value::String(v));
                }
            }
            Target::Country => {
                if cell.len() == 2 && cell.chars().all(|c| c.is_ascii_alphabetic()) {
                    draft.additional.insert(
                        "country_code".into(),
                        Value::String(cell.to_ascii_uppercase()),
                    );
                } else if let Some(v) = text(MAX_TEXT_CHARS, &mut found) {
                    draft.additional.insert("country".into(), Value::String(v));
                }
            }
            Target::Company => {
                if let Some(v) = text(MAX_TEXT_CHARS, &mut found) {
                    draft
                        .additional
                        .insert("company_name".into(), Value::String(v));
                }
            }
            Target::Language => {
                if let Some(v) = text(MAX_TEXT_CHARS, &mut found) {
                    draft.additional.insert("language".into(), Value::String(v));
                }
            }
            Target::CustomAttribute { key } | Target::NewCustomAttribute { key, .. } => {
                let value = Value::String(cell.to_owned());
                let stored = match definitions.iter().find(|d| d.attribute_key == *key) {
                    Some(def) => def.normalize_value(value),
                    None => Ok(value),
                };
                match stored.and_then(|v| match rules::attribute_value_problem(key, &v) {
                    Some(p) => Err(p),
                    None => Ok(v),
                }) {
                    Ok(v) => draft.custom.push((column, key.clone(), v)),
                    Err(p) => found.push((cell.to_owned(), p)),
                }
            }
            Target::Ignore => {}
        }
        problems.extend(found.into_iter().map(|(value, p)| RowProblem {
            line,
            column: Some(column),
            value,
            kind: RowProblemKind::Field(p),
        }));
    }
    if !names.is_empty() {
        let name = names.join(" ");
        match rules::name_problem(&name) {
            Some(p) => problems.push(RowProblem {
                line,
                column: name_column,
                value: name,
                kind: RowProblemKind::Field(p),
            }),
            None => draft.name = Some(name),
        }
    }
    let any_key = draft.name.is_some()
        || draft.email.is_some()
        || draft.phone.is_some()
        || draft.identifier.is_some();
    if problems.is_empty() && !any_key {
        problems.push(RowProblem {
            line,
            column: None,
            value: String::new(),
            kind: RowProblemKind::Empty,
        });
    }
    if problems.is_empty() {
        Ok(draft)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn def(key: &str, kind: &str) -> CustomAttributeDefinition {
        new_definition(key, None, Some(kind), key)
    }

    #[test]
    fn a_row_becomes_a_draft_with_normalised_values() {
        let targets = vec![
            Target::Name,
            Target::Name,
            Target::Email,
            Target::Phone,
            Target::Labels,
            Target::Country,
            Target::Company,
            Target::CustomAttribute {
                key: "seats".into(),
            },
            Target::CustomAttribute {
                key: "free_note".into(),
            },
            Target::Ignore,
        ];
        let draft = draft_row(
            4,
            &cells(&[
                " Олена ",
                "Ковальчук",
                "Olena@Example.COM",
                "050 123 45 67",
                "VIP; Клієнт, vip",
                "ua",
                "Нова",
                "12",
                "hello",
                "ignored",
            ]),
            &targets,
            &[def("seats", "number")],
        )
        .expect("a good row");
        assert_eq!(draft.line, 4);
        assert_eq!(draft.name.as_deref(), Some("Олена Ковальчук"));
        assert_eq!(draft.email.as_deref(), Some("olena@example.com"));
        assert_eq!(draft.phone.as_deref(), Some("050 123 45 67"));
        assert_eq!(draft.labels, vec!["vip".to_owned(), "клієнт".to_owned()]);
        assert_eq!(draft.country_code(), Some("UA"));
        assert_eq!(draft.additional["company_name"], json!("Нова"));
        assert_eq!(
            draft.custom,
            vec![
                (7, "seats".to_owned(), json!(12)),
                (8, "free_note".to_owned(), json!("hello"))
            ]
        );
        // A country's name is kept as a name.
        let d = draft_row(2, &cells(&["x", "", "", "", "", "Україна"]), &targets, &[]).unwrap();
        assert_eq!(d.additional["country"], json!("Україна"));
    }

    #[test]
    fn each_bad_cell_is_named_by_its_column() {
        let long = "x".repeat(256);
        let targets = vec![
            Target::Name,
            Target::Email,
            Target::Phone,
            Target::Labels,
            Target::CustomAttribute {
                key: "seats".into(),
            },
        ];
        let problems = draft_row(
            5,
            // "big deal!" is a free title (any title tags a contact); 256 letters are not.
            &cells(&[
                "Olena",
                "not-an-email",
                "call me",
                &format!("ok, big deal!, {long}"),
                "many",
            ]),
            &targets,
            &[def("seats", "number")],
        )
        .unwrap_err();
        let kinds: Vec<(Option<usize>, &str, &RowProblemKind)> = problems
            .iter()
            .map(|p| (p.column, p.value.as_str(), &p.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (
                    Some(1),
                    "not-an-email",
                    &RowProblemKind::Field(FieldProblem::EmailInvalid)
                ),
                (
                    Some(2),
                    "call me",
                    &RowProblemKind::Field(FieldProblem::PhoneShape)
                ),
                (
                    Some(3),
                    long.as_str(),
                    &RowProblemKind::Field(FieldProblem::TooLong { max: 255 })
                ),
                (
                    Some(4),
                    "many",
                    &RowProblemKind::Field(FieldProblem::NotANumber)
                ),
            ]
        );
        assert!(problems.iter().all(|p| p.line == 5));
    }

    #[test]
    fn a_row_with_nothing_to_make_a_contact_of_is_refused() {
        let targets = vec![Target::Name, Target::City];
        let problems = draft_row(3, &cells(&["", "Kyiv"]), &targets, &[]).unwrap_err();
        assert_eq!(problems[0].kind, RowProblemKind::Empty);
        assert_eq!(problems[0].column, None);
        // Short rows: missing cells are empty.
        assert!(draft_row(3, &cells(&["Olena"]), &targets, &[]).is_ok());
    }

    #[test]
    fn limits_are_the_forms_limits() {
        let targets = vec![Target::Name, Target::Identifier];
        let long = "я".repeat(256);
        let problems = draft_row(2, &cells(&[&long, &long]), &targets, &[]).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems
            .iter()
            .all(|p| p.kind == RowProblemKind::Field(FieldProblem::TooLong { max: 255 })));
        let fits = "я".repeat(255);
        assert!(draft_row(2, &cells(&[&fits, &fits]), &targets, &[]).is_ok());
    }

    #[test]
    fn labels_split_on_commas_and_semicolons() {
        assert_eq!(
            split_labels(" VIP;churn-risk , ;vip"),
            vec!["vip".to_owned(), "churn-risk".to_owned()]
        );
        assert!(split_labels(" ; ").is_empty());
    }
}
