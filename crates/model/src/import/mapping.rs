//! Which contact field each column of a file fills: a [`Target`] per column, guessed from
//! the header row ([`guess_target`]: English, Ukrainian, Chatwoot's own names, and the
//! account's custom attributes) or sent as a [`Mapping`].
//!
//! The mapping on the wire (the import's `mapping` field) is a JSON array of entries,
//! each naming a column by its header text or by its 0-based position:
//!
//! ```json
//! [{"column": "Ім'я", "target": "name"},
//!  {"column": 2, "target": "phone"},
//!  {"column": "Тариф", "target": "custom_attribute", "key": "plan"},
//!  {"column": "Менеджер", "target": "new_custom_attribute", "key": "manager",
//!   "display_name": "Менеджер", "display_type": "text"},
//!  {"column": "Примітка", "target": "ignore"}]
//! ```
//!
//! `target` is one of `name`, `email`, `phone`, `identifier`, `labels`, `city`,
//! `country`, `company`, `language`, `custom_attribute` (an attribute of the account, or
//! a free key, by `key`), `new_custom_attribute` (a definition created with the import:
//! `key`, and optionally `display_name` (the header) and `display_type` (`text`)) and
//! `ignore`. Columns the mapping does not name are ignored. Several columns may fill
//! `name` (joined with a space in file order: "Ім'я" and "Прізвище") and `labels`; any
//! other target takes one column.

use serde::{Deserialize, Serialize};

use crate::custom_attribute::CustomAttributeDefinition;

/// What a column fills.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Name,
    Email,
    Phone,
    Identifier,
    /// Label titles, split on `,` and `;`.
    Labels,
    City,
    /// A two-letter code goes to `country_code` (and reads the row's phone numbers in
    /// that country), anything else to `country`.
    Country,
    Company,
    Language,
    /// `custom_attributes[key]`: checked by the account's definition of `key` if it has
    /// one, else free text (as the API takes keys without a definition).
    CustomAttribute {
        key: String,
    },
    /// A text (or `display_type`) definition created by the import, then filled.
    NewCustomAttribute {
        key: String,
        display_name: Option<String>,
        display_type: Option<String>,
    },
    Ignore,
}

impl Target {
    /// The `target` word of the wire form.
    pub fn wire_name(&self) -> &'static str {
        match self {
            Target::Name => "name",
            Target::Email => "email",
            Target::Phone => "phone",
            Target::Identifier => "identifier",
            Target::Labels => "labels",
            Target::City => "city",
            Target::Country => "country",
            Target::Company => "company",
            Target::Language => "language",
            Target::CustomAttribute { .. } => "custom_attribute",
            Target::NewCustomAttribute { .. } => "new_custom_attribute",
            Target::Ignore => "ignore",
        }
    }

    /// Whether several columns may fill it.
    pub fn takes_many_columns(&self) -> bool {
        matches!(self, Target::Name | Target::Labels | Target::Ignore)
    }

    /// The custom attribute key it fills, if any.
    pub fn custom_key(&self) -> Option<&str> {
        match self {
            Target::CustomAttribute { key } | Target::NewCustomAttribute { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// Every `target` word, for messages.
pub const TARGET_NAMES: [&str; 12] = [
    "name",
    "email",
    "phone",
    "identifier",
    "labels",
    "city",
    "country",
    "company",
    "language",
    "custom_attribute",
    "new_custom_attribute",
    "ignore",
];

/// A column of the file: its header text, or its 0-based position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Column {
    Index(usize),
    Header(String),
}

/// One entry of the wire form (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MappingEntry {
    /// The header text, or the 0-based position of the column.
    pub column: Column,
    /// `name`, `email`, `phone`, `identifier`, `labels`, `city`, `country`, `company`,
    /// `language`, `custom_attribute`, `new_custom_attribute` or `ignore`.
    pub target: String,
    /// The attribute key of `custom_attribute` and `new_custom_attribute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `new_custom_attribute`: the definition's display name (default: the header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `new_custom_attribute`: `text` (default), `number`, `currency`, `percent`, `link`,
    /// `date` or `checkbox`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_type: Option<String>,
}

/// Why a mapping cannot be used: each answered in words by the server (and the SPA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingError {
    /// Not a JSON array of entries (serde's description).
    NotJson(String),
    /// A `target` word that is none of [`TARGET_NAMES`].
    UnknownTarget(String),
    /// `custom_attribute` or `new_custom_attribute` without a `key`.
    NoKey(String),
    /// A header the file does not have.
    UnknownColumn(String),
    /// A position past the file's last column (which has `columns` columns).
    ColumnOutOfRange { index: usize, columns: usize },
    /// One column named twice (its header).
    ColumnTwice(String),
    /// A target that takes one column, named for two (their headers).
    TargetTwice {
        target: String,
        first: String,
        second: String,
    },
    /// No column fills name, email or phone: no row could make a contact.
    NoContactColumn,
}

/// Which column fills what: entries as sent, resolved against a header row by
/// [`Mapping::resolve`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub entries: Vec<(Column, Target)>,
}

impl Mapping {
    /// The wire form, read.
    pub fn from_json(json: &str) -> Result<Mapping, MappingError> {
        let entries: Vec<MappingEntry> =
            serde_json::from_str(json).map_err(|e| MappingError::NotJson(e.to_string()))?;
        Self::from_entries(entries)
    }

    pub fn from_entries(entries: Vec<MappingEntry>) -> Result<Mapping, MappingError> {
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let key = || {
                e.key
                    .as_deref()
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| MappingError::NoKey(e.target.clone()))
            };
            let target = match e.target.trim() {
                "name" => Target::Name,
                "email" => Target::Email,
                "phone" | "phone_number" => Target::Phone,
                "identifier" => Target::Identifier,
                "labels" => Target::Labels,
                "city" => Target::City,
                "country" | "country_code" => Target::Country,
                "company" | "company_name" => Target::Company,
                "language" => Target::Language,
                "custom_attribute" => Target::CustomAttribute { key: key()? },
                "new_custom_attribute" => Target::NewCustomAttribute {
                    key: key()?,
                    display_name: e.display_name.clone().filter(|n| !n.trim().is_empty()),
                    display_type: e.display_type.clone().filter(|t| !t.trim().is_empty()),
                },
                "ignore" => Target::Ignore,
                other => return Err(MappingError::UnknownTarget(other.to_owned())),
            };
            out.push((e.column, target));
        }
        Ok(Mapping { entries: out })
    }

    /// The wire form.
    pub fn to_entries(&self) -> Vec<MappingEntry> {
        self.entries
            .iter()
            .map(|(column, target)| {
                let (key, display_name, display_type) = match target {
                    Target::CustomAttribute { key } => (Some(key.clone()), None, None),
                    Target::NewCustomAttribute {
                        key,
                        display_name,
                        display_type,
                    } => (
                        Some(key.clone()),
                        display_name.clone(),
                        display_type.clone(),
                    ),
                    _ => (None, None, None),
                };
                MappingEntry {
                    column: column.clone(),
                    target: target.wire_name().to_owned(),
                    key,
                    display_name,
                    display_type,
                }
            })
            .collect()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_entries()).unwrap_or_else(|_| "[]".to_owned())
    }

    /// The target of each column of `headers` (columns not named: [`Target::Ignore`]),
    /// checked: every column named exists and once, single-column targets once, and
    /// something fills name, email or phone.
    pub fn resolve(&self, headers: &[String]) -> Result<Vec<Target>, MappingError> {
        let mut targets = vec![Target::Ignore; headers.len()];
        let mut named = vec![false; headers.len()];
        for (column, target) in &self.entries {
            let index = match column {
                Column::Index(i) if *i < headers.len() => *i,
                Column::Index(i) => {
                    return Err(MappingError::ColumnOutOfRange {
                        index: *i,
                        columns: headers.len(),
                    })
                }
                Column::Header(h) => {
                    find_header(headers, h).ok_or_else(|| MappingError::UnknownColumn(h.clone()))?
                }
            };
            if named[index] {
                return Err(MappingError::ColumnTwice(headers[index].clone()));
            }
            named[index] = true;
            targets[index] = target.clone();
        }
        check_targets(headers, &targets)?;
        Ok(targets)
    }

    /// The mapping of a header row as guessed (what the importer does without one):
    /// recognised headers their target, the others [`Target::Ignore`].
    pub fn guessed(headers: &[String], definitions: &[CustomAttributeDefinition]) -> Mapping {
        let entries = guess_targets(headers, definitions)
            .into_iter()
            .enumerate()
            .map(|(i, t)| (Column::Index(i), t.unwrap_or(Target::Ignore)))
            .collect();
        Mapping { entries }
    }
}

/// The column whose header is `wanted`: the same text (trimmed) first, else the same
/// [`header_key`].
pub fn find_header(headers: &[String], wanted: &str) -> Option<usize> {
    let wanted_trimmed = wanted.trim();
    headers
        .iter()
        .position(|h| h.trim() == wanted_trimmed)
        .or_else(|| {
            let key = header_key(wanted);
            headers.iter().position(|h| header_key(h) == key)
        })
}

/// Single-column targets once each, custom keys once each, and a name, email or phone
/// column.
pub fn check_targets(headers: &[String], targets: &[Target]) -> Result<(), MappingError> {
    let header = |i: usize| {
        headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("#{}", i + 1))
    };
    for (i, a) in targets.iter().enumerate() {
        for (j, b) in targets.iter().enumerate().skip(i + 1) {
            let same = match (a.custom_key(), b.custom_key()) {
                (Some(x), Some(y)) => x == y,
                (None, None) => a == b && !a.takes_many_columns(),
                _ => false,
            };
            if same {
                return Err(MappingError::TargetTwice {
                    target: a.custom_key().map_or_else(
                        || a.wire_name().to_owned(),
                        |k| format!("custom attribute {k}"),
                    ),
                    first: header(i),
                    second: header(j),
                });
            }
        }
    }
    if !targets
        .iter()
        .any(|t| matches!(t, Target::Name | Target::Email | Target::Phone))
    {
        return Err(MappingError::NoContactColumn);
    }
    Ok(())
}

/// A header as it is compared: lower case, apostrophes (' ’ ʼ `) dropped, spaces,
/// `_ - . / : * ( )` as single spaces, trimmed. "Ел. пошта" → "ел пошта",
/// "Ім’я" → "імя", "phone_number" → "phone number".
pub fn header_key(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut space = false;
    for c in header.trim().chars().flat_map(char::to_lowercase) {
        match c {
            '\'' | '’' | 'ʼ' | '`' | '′' | '‘' => {}
            c if c.is_whitespace() || "_-./:*()#№".contains(c) => space = true,
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Headers people write, by target (as [`header_key`] leaves them): English, Ukrainian
/// (and the Russian a CRM in Ukraine often has), Chatwoot's own and our export's.
const KNOWN: &[(&[&str], Target)] = &[
    (
        &[
            "name",
            "full name",
            "fullname",
            "contact name",
            "contact",
            "first name",
            "last name",
            "surname",
            "імя",
            "прізвище",
            "піб",
            "повне імя",
            "імя та прізвище",
            "прізвище та імя",
            "прізвище імя",
            "імя прізвище",
            "клієнт",
            "контакт",
            "имя",
            "фамилия",
            "фио",
        ],
        Target::Name,
    ),
    (
        &[
            "email",
            "e mail",
            "email address",
            "e mail address",
            "mail",
            "пошта",
            "ел пошта",
            "електронна пошта",
            "email адреса",
            "адреса email",
            "емейл",
            "імейл",
            "имейл",
            "эл почта",
            "электронная почта",
            "почта",
            "емейл адреса",
        ],
        Target::Email,
    ),
    (
        &[
            "phone",
            "phone number",
            "phonenumber",
            "telephone",
            "tel",
            "mobile",
            "mobile phone",
            "mobile number",
            "cell",
            "cell phone",
            "телефон",
            "номер телефону",
            "тел",
            "мобільний",
            "мобільний телефон",
            "моб телефон",
            "мобільний номер",
            "номер телефона",
            "мобильный",
            "мобильный телефон",
        ],
        Target::Phone,
    ),
    (
        &[
            "identifier",
            "external id",
            "contact id",
            "customer id",
            "client id",
            "ідентифікатор",
            "код клієнта",
            "зовнішній id",
            "id клієнта",
            "идентификатор",
            "код клиента",
        ],
        Target::Identifier,
    ),
    (
        &[
            "labels",
            "label",
            "tags",
            "tag",
            "мітки",
            "мітка",
            "теги",
            "тег",
            "метки",
            "ярлики",
        ],
        Target::Labels,
    ),
    (
        &["city", "town", "місто", "населений пункт", "город"],
        Target::City,
    ),
    (
        &["country", "country code", "країна", "код країни", "страна"],
        Target::Country,
    ),
    (
        &[
            "company",
            "company name",
            "organization",
            "organisation",
            "компанія",
            "організація",
            "назва компанії",
            "компания",
            "организация",
        ],
        Target::Company,
    ),
    (
        &["language", "lang", "locale", "мова", "язык"],
        Target::Language,
    ),
    // The export's own columns that an import does not write.
    (
        &[
            "id",
            "blocked",
            "blocked until",
            "block reason",
            "created at",
            "last activity at",
        ],
        Target::Ignore,
    ),
];

/// The target a header names, if it is one people write (see [`KNOWN`]) or an attribute
/// of `definitions` (by key or display name).
pub fn guess_target(header: &str, definitions: &[CustomAttributeDefinition]) -> Option<Target> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    if let Some((_, target)) = KNOWN
        .iter()
        .find(|(names, _)| names.contains(&key.as_str()))
    {
        return Some(target.clone());
    }
    definitions
        .iter()
        .find(|d| {
            header_key(&d.attribute_key) == key || header_key(&d.attribute_display_name) == key
        })
        .map(|d| Target::CustomAttribute {
            key: d.attribute_key.clone(),
        })
}

/// [`guess_target`] of each header, a single-column target only for its first column
/// (a second "Mobile" beside "Phone" is not guessed).
pub fn guess_targets(
    headers: &[String],
    definitions: &[CustomAttributeDefinition],
) -> Vec<Option<Target>> {
    let mut out: Vec<Option<Target>> = Vec::with_capacity(headers.len());
    for header in headers {
        let guess = guess_target(header, definitions).filter(|t| {
            t.takes_many_columns()
                || !out.iter().flatten().any(|seen| {
                    seen == t
                        || (seen.custom_key().is_some() && seen.custom_key() == t.custom_key())
                })
        });
        out.push(guess);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn def(key: &str, name: &str) -> CustomAttributeDefinition {
        CustomAttributeDefinition {
            id: 1,
            attribute_key: key.into(),
            attribute_display_name: name.into(),
            attribute_display_type: "text".into(),
            attribute_values: vec![],
            attribute_model: "contact_attribute".into(),
            regex_pattern: None,
            regex_cue: None,
            attribute_description: None,
            created_at: None,
        }
    }

    #[test]
    fn headers_compare_without_case_spacing_and_apostrophes() {
        assert_eq!(header_key("  Ім’я "), "імя");
        assert_eq!(header_key("Ім'я"), "імя");
        assert_eq!(header_key("ІМʼЯ"), "імя");
        assert_eq!(header_key("Ел. пошта"), "ел пошта");
        assert_eq!(header_key("phone_number"), "phone number");
        assert_eq!(header_key("E-Mail"), "e mail");
        assert_eq!(header_key("Phone  Number:"), "phone number");
    }

    #[test]
    fn english_headers_are_guessed() {
        let h = headers(&[
            "Full Name",
            "E-mail",
            "Mobile",
            "External ID",
            "Tags",
            "City",
            "Country",
            "Organization",
            "Language",
            "Notes",
        ]);
        assert_eq!(
            guess_targets(&h, &[]),
            vec![
                Some(Target::Name),
                Some(Target::Email),
                Some(Target::Phone),
                Some(Target::Identifier),
                Some(Target::Labels),
                Some(Target::City),
                Some(Target::Country),
                Some(Target::Company),
                Some(Target::Language),
                None,
            ]
        );
    }

    #[test]
    fn ukrainian_headers_are_guessed() {
        let h = headers(&[
            "Ім'я",
            "Прізвище",
            "Телефон",
            "Ел. пошта",
            "Мітки",
            "Місто",
            "Країна",
            "Компанія",
            "Мова",
            "Ідентифікатор",
            "Пошта",
        ]);
        assert_eq!(
            guess_targets(&h, &[]),
            vec![
                Some(Target::Name),
                Some(Target::Name),
                Some(Target::Phone),
                Some(Target::Email),
                Some(Target::Labels),
                Some(Target::City),
                Some(Target::Country),
                Some(Target::Company),
                Some(Target::Language),
                Some(Target::Identifier),
                None,
            ],
            "a second email column is not guessed"
        );
        assert_eq!(guess_target("Ім’я", &[]), Some(Target::Name));
        assert_eq!(guess_target("Електронна пошта", &[]), Some(Target::Email));
    }

    #[test]
    fn chatwoots_headers_and_the_export_are_guessed() {
        let h = headers(&[
            "id",
            "name",
            "email",
            "phone_number",
            "identifier",
            "labels",
            "blocked",
            "created_at",
            "city",
            "country",
            "company_name",
            "language",
            "plan",
        ]);
        let defs = [def("plan", "Plan"), def("renewal_date", "Дата продовження")];
        assert_eq!(
            guess_targets(&h, &defs),
            vec![
                Some(Target::Ignore),
                Some(Target::Name),
                Some(Target::Email),
                Some(Target::Phone),
                Some(Target::Identifier),
                Some(Target::Labels),
                Some(Target::Ignore),
                Some(Target::Ignore),
                Some(Target::City),
                Some(Target::Country),
                Some(Target::Company),
                Some(Target::Language),
                Some(Target::CustomAttribute { key: "plan".into() }),
            ]
        );
        assert_eq!(
            guess_target("дата продовження", &defs),
            Some(Target::CustomAttribute {
                key: "renewal_date".into()
            }),
            "by display name"
        );
        assert_eq!(guess_target("company", &[]), Some(Target::Company));
    }

    #[test]
    fn a_mapping_reads_from_json_and_resolves_against_the_headers() {
        let json = r#"[{"column": "Ім'я", "target": "name"},
            {"column": 2, "target": "phone"},
            {"column": "тариф", "target": "custom_attribute", "key": "plan"},
            {"column": "Менеджер", "target": "new_custom_attribute", "key": "manager", "display_type": "text"}]"#;
        let mapping = Mapping::from_json(json).expect("a mapping");
        let h = headers(&["Ім’я", "Примітка", "Тел.", "Тариф", "Менеджер"]);
        assert_eq!(
            mapping.resolve(&h),
            Ok(vec![
                Target::Name,
                Target::Ignore,
                Target::Phone,
                Target::CustomAttribute { key: "plan".into() },
                Target::NewCustomAttribute {
                    key: "manager".into(),
                    display_name: None,
                    display_type: Some("text".into())
                },
            ])
        );
        // And back to the same JSON entries.
        let again = Mapping::from_json(&mapping.to_json()).expect("round trip");
        assert_eq!(again, mapping);
    }

    #[test]
    fn a_wrong_mapping_says_what_is_wrong() {
        let h = headers(&["name", "email", "note"]);
        let err = |json: &str| {
            Mapping::from_json(json)
                .and_then(|m| m.resolve(&h))
                .unwrap_err()
        };
        assert_eq!(
            err(r#"[{"column": "name", "target": "nickname"}]"#),
            MappingError::UnknownTarget("nickname".into())
        );
        assert_eq!(
            err(r#"[{"column": "name", "target": "custom_attribute"}]"#),
            MappingError::NoKey("custom_attribute".into())
        );
        assert_eq!(
            err(r#"[{"column": "phone", "target": "phone"}]"#),
            MappingError::UnknownColumn("phone".into())
        );
        assert_eq!(
            err(r#"[{"column": 7, "target": "phone"}]"#),
            MappingError::ColumnOutOfRange {
                index: 7,
                columns: 3
            }
        );
        assert_eq!(
            err(r#"[{"column": "name", "target": "email"}, {"column": 1, "target": "email"}]"#),
            MappingError::TargetTwice {
                target: "email".into(),
                first: "name".into(),
                second: "email".into()
            }
        );
        assert_eq!(
            err(r#"[{"column": "note", "target": "city"}]"#),
            MappingError::NoContactColumn
        );
        assert!(matches!(
            err(r#"{"name": "name"}"#),
            MappingError::NotJson(_)
        ));
        assert_eq!(
            err(r#"[{"column": "name", "target": "name"}, {"column": 0, "target": "email"}]"#),
            MappingError::ColumnTwice("name".into())
        );
    }

    #[test]
    fn the_guessed_mapping_ignores_what_it_does_not_know() {
        let h = headers(&["Ім'я", "Примітка"]);
        let m = Mapping::guessed(&h, &[]);
        assert_eq!(m.resolve(&h), Ok(vec![Target::Name, Target::Ignore]));
    }
}
