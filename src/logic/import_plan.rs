//! The import page's decisions: reading the beginning of the chosen file as the server
//! will (`model::import`), the target proposed for each column, the choices of a column's
//! select, and the mapping sent.

use novatalks_model::custom_attribute::{CustomAttributeDefinition, CONTACT_ATTRIBUTE};
use novatalks_model::import::{
    check_targets, guess_targets, preview, Column, Mapping, MappingError, Preview, Target,
    MAX_IMPORT_BYTES,
};
use novatalks_model::rules::definition_key_problem;

/// How much of the file the page reads for its preview.
pub const PREVIEW_BYTES: usize = 256 * 1024;
/// How many rows the mapping table shows of each column.
pub const SAMPLE_ROWS: usize = 3;

/// Why the page cannot import a file, before sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Over [`MAX_IMPORT_BYTES`].
    TooLarge,
    /// An xlsx (a zip) or xls (OLE) workbook rather than its CSV.
    Workbook,
    /// No header row: the file is empty or blank.
    NoHeader,
    /// A quote opened on this line and never closed in the whole file.
    Unclosed(usize),
}

/// The beginning of `bytes` read as the importer reads it, or why it cannot be imported.
pub fn read_file(bytes: &[u8]) -> Result<Preview, FileProblem> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(FileProblem::TooLarge);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileProblem::Workbook);
    }
    let whole = bytes.len() <= PREVIEW_BYTES;
    let read = preview(&bytes[..bytes.len().min(PREVIEW_BYTES)], SAMPLE_ROWS);
    if read.headers.iter().all(|h| h.is_empty()) {
        return Err(match read.unclosed {
            Some(quote) if whole => FileProblem::Unclosed(quote.line),
            _ => FileProblem::NoHeader,
        });
    }
    match read.unclosed {
        // Only the whole file tells: the cut may fall inside a quoted cell.
        Some(quote) if whole => Err(FileProblem::Unclosed(quote.line)),
        _ => Ok(read),
    }
}

/// The first rows' cells of column `index`, blanks left out.
pub fn samples(read: &Preview, index: usize) -> Vec<String> {
    read.rows
        .iter()
        .filter_map(|row| row.fields.get(index))
        .map(|cell| cell.trim())
        .filter(|cell| !cell.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The contact attributes of the account.
fn contact_definitions(
    definitions: &[CustomAttributeDefinition],
) -> impl Iterator<Item = &CustomAttributeDefinition> {
    definitions
        .iter()
        .filter(|d| d.attribute_model == CONTACT_ATTRIBUTE)
}

/// "Renewal date" → "renewal_date"; a header without Latin letters or digits ("Тариф")
/// → "column_3" (its position, from 1).
pub fn new_attribute_key(header: &str, index: usize) -> String {
    let mut key = String::new();
    for c in header.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key: String = key.trim_end_matches('_').chars().take(60).collect();
    if key.is_empty() || definition_key_problem(&key).is_some() {
        format!("column_{}", index + 1)
    } else {
        key
    }
}

/// The new attribute column `index` would create: keyed by its header, never a key the
/// account has or an earlier column takes.
pub fn new_attribute(
    header: &str,
    index: usize,
    definitions: &[CustomAttributeDefinition],
    earlier: &[Target],
) -> Target {
    let base = new_attribute_key(header, index);
    let taken = |key: &str| {
        definitions.iter().any(|d| d.attribute_key == key)
            || earlier.iter().any(|t| t.custom_key() == Some(key))
    };
    let mut key = base.clone();
    let mut n = 2;
    while taken(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    Target::NewCustomAttribute {
        key,
        display_name: Some(header.trim().to_owned()).filter(|h| !h.is_empty()),
        display_type: None,
    }
}

/// What the page proposes for each column: the guess from its header (English,
/// Ukrainian, Chatwoot's names, the account's attributes); a column no guess knows
/// becomes a new attribute if its first rows hold anything (nothing is lost unasked),
/// else it is ignored.
pub fn proposed_targets(read: &Preview, definitions: &[CustomAttributeDefinition]) -> Vec<Target> {
    let guesses = guess_targets(&read.headers, definitions);
    let mut out: Vec<Target> = Vec::with_capacity(guesses.len());
    for (index, guess) in guesses.into_iter().enumerate() {
        let target = match guess {
            Some(target) => target,
            None if samples(read, index).is_empty() => Target::Ignore,
            None => new_attribute(&read.headers[index], index, definitions, &out),
        };
        out.push(target);
    }
    out
}

/// The targets column `index` may fill, in the order its select lists them.
pub fn choices(
    header: &str,
    index: usize,
    definitions: &[CustomAttributeDefinition],
    current: &[Target],
) -> Vec<Target> {
    let mut out = vec![
        Target::Name,
        Target::Email,
        Target::Phone,
        Target::Identifier,
        Target::Labels,
        Target::City,
        Target::Country,
        Target::Company,
        Target::Language,
    ];
    out.extend(
        contact_definitions(definitions).map(|d| Target::CustomAttribute {
            key: d.attribute_key.clone(),
        }),
    );
    // The column's own new attribute: the one it has, or the one it would get.
    let own = match current.get(index) {
        Some(target @ Target::NewCustomAttribute { .. }) => target.clone(),
        _ => {
            let others: Vec<Target> = current
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, t)| t.clone())
                .collect();
            new_attribute(header, index, definitions, &others)
        }
    };
    out.push(own);
    out.push(Target::Ignore);
    out
}

/// A target as its select's `value`: `name`, `attribute:plan`, `new:manager`, `ignore`.
pub fn choice_value(target: &Target) -> String {
    match target {
        Target::CustomAttribute { key } => format!("attribute:{key}"),
        Target::NewCustomAttribute { key, .. } => format!("new:{key}"),
        other => other.wire_name().to_owned(),
    }
}

/// The choice whose value is `value`, among `choices`.
pub fn chosen(choices: &[Target], value: &str) -> Option<Target> {
    choices.iter().find(|t| choice_value(t) == value).cloned()
}

/// The mapping sent: every column by its position.
pub fn mapping(targets: &[Target]) -> Mapping {
    Mapping {
        entries: targets
            .iter()
            .enumerate()
            .map(|(i, t)| (Column::Index(i), t.clone()))
            .collect(),
    }
}

/// What is wrong with the targets, by the server's own check.
pub fn mapping_problem(headers: &[String], targets: &[Target]) -> Option<MappingError> {
    check_targets(headers, targets).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(key: &str, name: &str) -> CustomAttributeDefinition {
        CustomAttributeDefinition {
            id: 1,
            attribute_key: key.into(),
            attribute_display_name: name.into(),
            attribute_display_type: "text".into(),
            attribute_values: vec![],
            attribute_model: CONTACT_ATTRIBUTE.into(),
            regex_pattern: None,
            regex_cue: None,
            attribute_description: None,
            created_at: None,
        }
    }

    #[test]
    fn a_ukrainian_excel_file_is_read_and_its_columns_proposed() {
        // Windows-1251, `;`: "Ім'я;Телефон;Мітки;Тариф;Порожня".
        let mut bytes: Vec<u8> = Vec::new();
        let text = "Ім'я;Телефон;Мітки;Тариф;Порожня\r\nОлена;050 123 45 67;vip;Gold;\r\n";
        for c in text.chars() {
            let b = match c {
                'А'..='я' => (c as u32 - 'А' as u32 + 0xC0) as u8,
                'і' => 0xB3,
                'І' => 0xB2,
                'ї' => 0xBF,
                other => other as u8,
            };
            bytes.push(b);
        }
        let read = read_file(&bytes).expect("readable");
        assert_eq!(read.delimiter, ';');
        assert_eq!(read.headers[0], "Ім'я");
        let targets = proposed_targets(&read, &[def("plan", "Тариф")]);
        assert_eq!(
            targets,
            [
                Target::Name,
                Target::Phone,
                Target::Labels,
                Target::CustomAttribute { key: "plan".into() },
                Target::Ignore,
            ]
        );
        assert_eq!(samples(&read, 1), ["050 123 45 67"]);
        assert_eq!(mapping_problem(&read.headers, &targets), None);
    }

    #[test]
    fn an_unknown_column_with_values_becomes_a_new_attribute_with_a_free_key() {
        let read = read_file("Name,Renewal date,Тариф,Renewal date\nA,2026,x,y\n".as_bytes())
            .expect("readable");
        let targets = proposed_targets(&read, &[def("tarif", "Something")]);
        let keys: Vec<Option<&str>> = targets.iter().map(Target::custom_key).collect();
        assert_eq!(
            keys,
            [
                None,
                Some("renewal_date"),
                Some("column_3"),
                Some("renewal_date_2")
            ]
        );
        assert_eq!(mapping_problem(&read.headers, &targets), None);
    }

    #[test]
    fn files_that_cannot_be_imported_are_told_apart() {
        assert_eq!(read_file(b"PK\x03\x04rest"), Err(FileProblem::Workbook));
        assert_eq!(read_file(b""), Err(FileProblem::NoHeader));
        assert_eq!(
            read_file(b"Name,Note\nA,\"never closed\nB,x\n"),
            Err(FileProblem::Unclosed(2))
        );
    }

    #[test]
    fn a_choice_round_trips_through_its_value_and_a_clash_is_named() {
        let read = read_file(b"Phone,Mobile\n1,2\n").expect("readable");
        let mut targets = proposed_targets(&read, &[]);
        let options = choices("Mobile", 1, &[def("plan", "Plan")], &targets);
        let phone = chosen(&options, "phone").expect("phone is a choice");
        assert!(chosen(&options, "attribute:plan").is_some());
        assert_eq!(choice_value(&options[options.len() - 2]), "new:mobile");
        targets[1] = phone;
        assert!(matches!(
            mapping_problem(&read.headers, &targets),
            Some(MappingError::TargetTwice { .. })
        ));
        assert_eq!(
            mapping(&targets).to_json(),
            r#"[{"column":0,"target":"phone"},{"column":1,"target":"phone"}]"#
        );
    }
}
