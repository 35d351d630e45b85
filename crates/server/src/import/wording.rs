//! The import's English: a refused row's problem ("line 5: 'not-an-email' is no email
//! address") and a mapping that cannot be used. Field problems other than the ones that
//! quote the cell are the API's own words ([`crate::contacts::wording::words`]), with the
//! column's header as their subject.

use novatalks_model::import::mapping::TARGET_NAMES;
use novatalks_model::import::{MappingError, RowProblem, RowProblemKind};
use novatalks_model::FieldProblem;

use crate::contacts::wording::words;

/// A cell's value as a message quotes it: at most 60 characters.
pub fn shown(value: &str) -> String {
    let mut out: String = value.chars().take(60).collect();
    if value.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// What is wrong, without the line: `header` names the column.
pub fn problem_words(problem: &RowProblem, header: &str) -> String {
    let value = shown(&problem.value);
    match &problem.kind {
        RowProblemKind::Empty => {
            "the row has no name, email, phone number or identifier: there is no contact to make of it"
                .to_owned()
        }
        RowProblemKind::Field(FieldProblem::EmailInvalid) => {
            format!("'{value}' is no email address")
        }
        RowProblemKind::Field(FieldProblem::PhoneShape) => phone_words(&value),
        RowProblemKind::Field(field) => words(header, &value, field),
    }
}

/// A phone number that is none (by its shape, or that the phone library cannot place).
pub fn phone_words(value: &str) -> String {
    format!(
        "'{}' is no phone number: write it with its country code, e.g. +380501234567",
        shown(value)
    )
}

/// "line 5: …"
pub fn on_line(line: usize, what: &str) -> String {
    format!("line {line}: {what}")
}

/// A mapping that cannot be used, in words.
pub fn mapping_words(error: &MappingError, headers: &[String]) -> String {
    let columns = || {
        headers
            .iter()
            .map(|h| format!("'{}'", shown(h)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match error {
        MappingError::NotJson(e) => format!(
            "The mapping is not a JSON array of {{\"column\", \"target\"}} entries ({e})"
        ),
        MappingError::UnknownTarget(t) => format!(
            "The mapping has an unknown target '{}': a target is one of {}",
            shown(t),
            TARGET_NAMES.join(", ")
        ),
        MappingError::NoKey(t) => {
            format!("The mapping's target {t} needs a \"key\": the custom attribute's key")
        }
        MappingError::UnknownColumn(c) => format!(
            "The mapping names the column '{}', which the file does not have (its columns: {})",
            shown(c),
            columns()
        ),
        MappingError::ColumnOutOfRange { index, columns } => format!(
            "The mapping names column {index}, but the file's columns are numbered 0 to {}",
            columns.saturating_sub(1)
        ),
        MappingError::ColumnTwice(c) => {
            format!("The mapping names the column '{}' twice", shown(c))
        }
        MappingError::TargetTwice {
            target,
            first,
            second,
        } => format!(
            "Both '{}' and '{}' are mapped to {target}: map one of them, or ignore the other",
            shown(first),
            shown(second)
        ),
        MappingError::NoContactColumn => format!(
            "No column is a name, an email or a phone number, so no row could make a contact (the file's columns: {})",
            columns()
        ),
    }
}
