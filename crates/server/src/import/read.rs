//! The file of an import read into checked contact drafts, before the database is asked
//! anything: decoded, its delimiter sniffed, its header row mapped, each row drafted with
//! the model's rules (`novatalks_model::import`), phone numbers put in E.164 in the row's
//! country or the account's, custom values checked against their definitions' patterns,
//! and rows naming the same identifier, email or phone as an earlier row refused.

use std::collections::{BTreeMap, HashMap};

use novatalks_model::import::{
    self, draft::NEW_ATTRIBUTE_TYPES, Draft, Encoding, Mapping, MappingError, Reader, Target,
    MAX_IMPORT_ROWS,
};
use novatalks_model::rules;
use novatalks_model::CustomAttributeDefinition;
use serde_json::{Map, Value};

use super::wording::{mapping_words, phone_words, problem_words, shown};
use crate::contacts::validate::{normalize_custom_attributes, normalize_phone, region, Problems};
use crate::contacts::wording::words;
use crate::AppError;

/// Why a row is refused: the column's header (none for the whole row) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub column: Option<String>,
    pub what: String,
}

/// The file, read and checked.
#[derive(Debug)]
pub struct Sheet {
    pub encoding: Encoding,
    pub delimiter: char,
    pub headers: Vec<String>,
    /// What each column fills.
    pub targets: Vec<Target>,
    /// The mapping used (sent, or guessed from the headers).
    pub mapping: Mapping,
    /// Definitions the import creates.
    pub new_definitions: Vec<CustomAttributeDefinition>,
    /// Rows of the file (the header and blank rows aside).
    pub rows: u64,
    /// The rows accepted so far, by line.
    pub accepted: Vec<Row>,
    /// The rows refused, by line.
    pub refused: BTreeMap<usize, Vec<Refusal>>,
}

fn invalid(message: String) -> AppError {
    AppError::invalid("import_file", message)
}

/// The header of column `i`: its text, or "column N" when it has none.
pub fn header_name(headers: &[String], i: usize) -> String {
    headers
        .get(i)
        .filter(|h| !h.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("column {}", i + 1))
}

/// Reads `text` (the decoded file) with `mapping` (the JSON sent; `None`: guessed from
/// the headers, Chatwoot's way: a column no header rule knows fills the custom attribute
/// named as its header). A 422 in words when the file or the mapping cannot be used.
pub fn read(
    text: &str,
    encoding: Encoding,
    mapping: Option<&str>,
    definitions: &[CustomAttributeDefinition],
    account_region: &str,
) -> Result<Sheet, AppError> {
    let delimiter = import::sniff_delimiter(text);
    let mut reader = Reader::new(text, delimiter);
    let headers: Vec<String> = match reader.next() {
        None => return Err(invalid(
            "The file is empty: it needs a header row naming its columns, then a row per contact"
                .to_owned(),
        )),
        Some(Err(e)) => return Err(unclosed(e.line)),
        Some(Ok(record)) => record.fields.iter().map(|f| f.trim().to_owned()).collect(),
    };
    if headers.iter().all(String::is_empty) {
        return Err(invalid(
            "The file's first row is empty: it must name the columns (name, email, phone_number…)"
                .to_owned(),
        ));
    }
    let (mapping, targets) = match mapping {
        Some(json) => {
            let mapping = Mapping::from_json(json)
                .map_err(|e| AppError::invalid("mapping", mapping_words(&e, &headers)))?;
            let targets = mapping
                .resolve(&headers)
                .map_err(|e| AppError::invalid("mapping", mapping_words(&e, &headers)))?;
            (mapping, targets)
        }
        None => {
            let targets: Vec<Target> = import::guess_targets(&headers, definitions)
                .into_iter()
                .zip(&headers)
                .map(|(guess, header)| {
                    guess.unwrap_or_else(|| {
                        if header.is_empty() || rules::attribute_key_problem(header).is_some() {
                            Target::Ignore
                        } else {
                            Target::CustomAttribute {
                                key: header.clone(),
                            }
                        }
                    })
                })
                .collect();
            import::check_targets(&headers, &targets).map_err(|e| match e {
                MappingError::NoContactColumn => invalid(format!(
                    "No column is a name, an email or a phone number: name one of them so in the header row (name, email, phone_number, as Chatwoot's import takes them), or send a mapping (the file's columns: {})",
                    headers.iter().map(|h| format!("'{}'", shown(h))).collect::<Vec<_>>().join(", ")
                )),
                other => AppError::invalid("mapping", mapping_words(&other, &headers)),
            })?;
            let mapping = Mapping {
                entries: targets
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (import::Column::Index(i), t.clone()))
                    .collect(),
            };
            (mapping, targets)
        }
    };
    let new_definitions = new_definitions(&headers, &targets, definitions)?;
    let mut all_definitions = definitions.to_vec();
    all_definitions.extend(new_definitions.iter().cloned());

    let mut sheet = Sheet {
        encoding,
        delimiter,
        headers,
        targets,
        mapping,
        new_definitions,
        rows: 0,
        accepted: Vec::new(),
        refused: BTreeMap::new(),
    };
    // (kind, value) -> the line that has it first.
    let mut seen: HashMap<(&'static str, String), usize> = HashMap::new();
    for record in reader {
        let record = record.map_err(|e| unclosed(e.line))?;
        if record.is_blank() {
            continue;
        }
        sheet.rows += 1;
        if sheet.rows > MAX_IMPORT_ROWS as u64 {
            return Err(invalid(format!(
                "The file has more than {MAX_IMPORT_ROWS} rows (line {} is beyond them): split it into files of up to {MAX_IMPORT_ROWS} rows",
                record.line
            )));
        }
        let line = record.line;
        match draft(
            &sheet,
            &record.fields,
            line,
            &all_definitions,
            account_region,
        ) {
            Ok(draft) => {
                let keys = [
                    ("identifier", draft.identifier.clone()),
                    ("email", draft.email.clone()),
                    ("phone number", draft.phone.clone()),
                ];
                let twice = keys.iter().find_map(|(kind, value)| {
                    let value = value.as_ref()?;
                    seen.get(&(*kind, value.clone()))
                        .map(|first| (*kind, value.clone(), *first))
                });
                if let Some((kind, value, first)) = twice {
                    sheet.refused.entry(line).or_default().push(Refusal {
                        column: None,
                        what: format!(
                            "the {kind} {} is on line {first} too: one row per contact (this row is left out)",
                            shown(&value)
                        ),
                    });
                    continue;
                }
                for (kind, value) in keys {
                    if let Some(value) = value {
                        seen.entry((kind, value)).or_insert(line);
                    }
                }
                sheet.accepted.push(Row::from(draft));
            }
            Err(refusals) => {
                sheet.refused.insert(line, refusals);
            }
        }
    }
    if sheet.rows == 0 {
        return Err(invalid(
            "The file has a header row but no rows of contacts under it".to_owned(),
        ));
    }
    Ok(sheet)
}

fn unclosed(line: usize) -> AppError {
    invalid(format!(
        "line {line}: a quoted field is opened and never closed, so the rest of the file cannot be read; check the quotes (\") on that line. Nothing was imported"
    ))
}

/// One row's draft, or why it is refused.
fn draft(
    sheet: &Sheet,
    fields: &[String],
    line: usize,
    definitions: &[CustomAttributeDefinition],
    account_region: &str,
) -> Result<Draft, Vec<Refusal>> {
    let mut draft =
        import::draft_row(line, fields, &sheet.targets, definitions).map_err(|problems| {
            problems
                .iter()
                .map(|p| {
                    let header = p.column.map(|c| header_name(&sheet.headers, c));
                    Refusal {
                        what: problem_words(p, header.as_deref().unwrap_or("")),
                        column: header,
                    }
                })
                .collect::<Vec<_>>()
        })?;
    let mut refusals = Vec::new();
    if let Some(raw) = draft.phone.take() {
        let country = draft
            .country_code()
            .filter(|c| region(c).is_some())
            .unwrap_or(account_region)
            .to_owned();
        match normalize_phone(&raw, &country) {
            Ok(e164) => draft.phone = Some(e164),
            Err(_) => {
                let column = sheet.targets.iter().position(|t| *t == Target::Phone);
                refusals.push(Refusal {
                    column: column.map(|c| header_name(&sheet.headers, c)),
                    what: phone_words(&raw),
                });
            }
        }
    }
    // What the model cannot check: a definition's regex pattern.
    for (column, key, value) in &draft.custom {
        let has_pattern = definitions
            .iter()
            .any(|d| d.attribute_key == *key && d.regex_pattern.is_some());
        if !has_pattern {
            continue;
        }
        let mut problems = Problems::default();
        let mut one = Map::new();
        one.insert(key.clone(), value.clone());
        normalize_custom_attributes(one, definitions, &mut problems);
        if !problems.is_empty() {
            refusals.push(Refusal {
                column: Some(header_name(&sheet.headers, *column)),
                what: problems.into_error().to_string(),
            });
        }
    }
    if refusals.is_empty() {
        Ok(draft)
    } else {
        Err(refusals)
    }
}

/// The definitions `new_custom_attribute` targets ask for, checked: a key of its own
/// (`a-z`, digits, `_`; not taken by a definition), a type a column can fill.
fn new_definitions(
    headers: &[String],
    targets: &[Target],
    existing: &[CustomAttributeDefinition],
) -> Result<Vec<CustomAttributeDefinition>, AppError> {
    let mut out = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        match target {
            Target::NewCustomAttribute {
                key,
                display_name,
                display_type,
            } => {
                let key = key.trim();
                if let Some(p) = rules::definition_key_problem(key) {
                    return Err(AppError::invalid(
                        "mapping",
                        words("Attribute key", &shown(key), &p),
                    ));
                }
                if existing.iter().any(|d| d.attribute_key == key) {
                    return Err(AppError::invalid(
                        "mapping",
                        format!(
                            "The custom attribute '{key}' exists already: map the column '{}' to it with \"target\": \"custom_attribute\"",
                            shown(&header_name(headers, i))
                        ),
                    ));
                }
                let kind = display_type.as_deref().unwrap_or("text").trim();
                if !NEW_ATTRIBUTE_TYPES.contains(&kind) {
                    return Err(AppError::invalid(
                        "mapping",
                        format!(
                            "A custom attribute made by an import cannot have the type '{}': it is one of {}",
                            shown(kind),
                            NEW_ATTRIBUTE_TYPES.join(", ")
                        ),
                    ));
                }
                let definition = import::new_definition(
                    key,
                    display_name.as_deref(),
                    Some(kind),
                    &header_name(headers, i),
                );
                if let Some(p) = rules::definition_name_problem(&definition.attribute_display_name)
                {
                    return Err(AppError::invalid(
                        "mapping",
                        words("Attribute display name", "", &p),
                    ));
                }
                out.push(definition);
            }
            Target::CustomAttribute { key } => {
                if let Some(p) = rules::attribute_key_problem(key) {
                    return Err(AppError::invalid(
                        "mapping",
                        words("Custom attribute key", &shown(key), &p),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The refused rows as CSV: the file's header and an `errors` column, then each refused
/// record as it was written, with its problems ("E-mail: 'x' is no email address; …").
pub fn refused_csv(
    text: &str,
    delimiter: char,
    headers: &[String],
    refused: &BTreeMap<usize, Vec<Refusal>>,
) -> String {
    use novatalks_model::import::csv::write_record;
    let mut out = String::new();
    let mut header: Vec<&str> = headers.iter().map(String::as_str).collect();
    header.push("errors");
    write_record(&mut out, &header);
    if refused.is_empty() {
        return out;
    }
    for record in Reader::new(text, delimiter).skip(1).flatten() {
        let Some(problems) = refused.get(&record.line) else {
            continue;
        };
        let errors = problems
            .iter()
            .map(|r| match &r.column {
                Some(c) => format!("{c}: {}", r.what),
                None => r.what.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        let mut fields: Vec<&str> = record.fields.iter().map(String::as_str).collect();
        if fields.len() < headers.len() {
            fields.resize(headers.len(), "");
        }
        fields.push(&errors);
        write_record(&mut out, &fields);
    }
    out
}

/// An accepted row as the database takes it: the draft's fields, its attribute maps as
/// JSON text. A draft's maps are B-trees of a node each, several times the row's size:
/// 200,000 rows are held at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub name: Option<String>,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub identifier: Option<String>,
    pub labels: Vec<String>,
    /// `additional_attributes` to merge, a JSON object.
    pub additional: String,
    /// `custom_attributes` to merge, a JSON object.
    pub custom: String,
}

impl From<Draft> for Row {
    fn from(draft: Draft) -> Row {
        let custom: Map<String, Value> = draft.custom.into_iter().map(|(_, k, v)| (k, v)).collect();
        Row {
            line: draft.line,
            name: draft.name,
            email: draft.email,
            phone: draft.phone,
            identifier: draft.identifier,
            labels: draft.labels,
            additional: Value::Object(draft.additional).to_string(),
            custom: Value::Object(custom).to_string(),
        }
    }
}
