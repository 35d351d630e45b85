//! Contacts from a spreadsheet file: what both the import page (its preview and mapping
//! step) and the server's `POST /contacts/import` need, without I/O.
//!
//! - [`encoding`]: UTF-8 (with or without BOM), UTF-16 LE/BE, Windows-1251, detected;
//! - [`csv`]: the delimiter sniffed among `,` `;` tab, and a streaming RFC 4180 reader
//!   that numbers each record by the line it starts on;
//! - [`mapping`]: the column → [`Target`] mapping, guessed from headers in English,
//!   Ukrainian and Chatwoot's names, or sent as JSON (its shape is documented there);
//! - [`draft`]: a row made into a contact draft with the rules of the create form;
//! - the wire types of the API's answers ([`ImportReport`], [`ImportSummary`],
//!   [`UndoReport`]).

pub mod csv;
pub mod draft;
pub mod encoding;
pub mod mapping;

use serde::{Deserialize, Serialize};

pub use csv::{sniff_delimiter, Reader, Record, UnclosedQuote};
pub use draft::{draft_row, new_definition, split_labels, Draft, RowProblem, RowProblemKind};
pub use encoding::{decode, decode_detected, detect, Encoding};
pub use mapping::{
    check_targets, guess_target, guess_targets, header_key, Column, Mapping, MappingEntry,
    MappingError, Target,
};

/// The largest file an import takes, in bytes (50 MB).
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;
/// The most rows (besides the header) an import takes.
pub const MAX_IMPORT_ROWS: usize = 200_000;
/// How long an import can be undone, in seconds (24 hours).
pub const IMPORT_UNDO_SECONDS: i64 = 24 * 60 * 60;
/// Problems an answer lists (all of the refused rows are in the refused CSV).
pub const MAX_LISTED_PROBLEMS: usize = 1000;

/// What a row matching an existing contact does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnMatch {
    /// Its non-empty cells overwrite the contact's fields; labels are added (Chatwoot's way).
    #[default]
    Update,
    /// The contact is left as it is.
    Skip,
}

/// One refused row (or a note on one): `line` of the file (the header is line 1), the
/// column's header (none for the row as a whole), and why, in words: "line 5:
/// 'not-an-email' is no email address".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

/// [ext] What an import did, or (a dry run) would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// The import's id (for `DELETE /contacts/imports/{id}` and its refused CSV); null
    /// for a dry run, which keeps nothing.
    pub id: Option<i64>,
    pub dry_run: bool,
    /// Rows of the file, the header and blank rows aside.
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    /// Rows matching a contact with `on_match: skip`.
    pub skipped: u64,
    /// Rows refused; each is in `problems` (the first [`MAX_LISTED_PROBLEMS`]) and in the
    /// refused CSV.
    pub failed: u64,
    pub problems: Vec<ImportProblem>,
    /// How the file was read: `utf8`, `utf8-bom`, `utf16-le`, `utf16-be` or `windows1251`.
    pub encoding: Encoding,
    /// `,`, `;` or a tab.
    pub delimiter: String,
    /// The mapping used (the one sent, or the one guessed from the headers).
    pub mapping: Vec<MappingEntry>,
    /// Custom attribute definitions created (or, in a dry run, to be created): their keys.
    pub new_attributes: Vec<String>,
    /// Labels created in the account (or to be) for the rows' labels.
    pub new_labels: Vec<String>,
    /// Until when the import can be undone (Unix seconds); null for a dry run.
    pub undo_until: Option<i64>,
}

/// Who ran an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportUser {
    pub id: Option<i64>,
    pub name: Option<String>,
}

/// [ext] A past import, as `GET /contacts/imports` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub id: i64,
    pub user: ImportUser,
    pub file_name: Option<String>,
    /// When it ran (Unix seconds).
    pub created_at: i64,
    pub on_match: OnMatch,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub skipped: u64,
    pub failed: u64,
    pub undo_until: i64,
    /// When it was undone (Unix seconds), if it was.
    pub undone_at: Option<i64>,
    /// Whether `DELETE /contacts/imports/{id}` can still undo it.
    pub can_undo: bool,
}

/// A contact an undo left as it is, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeftContact {
    pub id: i64,
    pub name: Option<String>,
    pub reason: String,
}

/// [ext] What undoing an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UndoReport {
    pub id: i64,
    /// Contacts the import created, deleted now.
    pub deleted: u64,
    /// Contacts the import updated, given back their values from before it.
    pub restored: u64,
    /// Contacts changed since the import, left as they are (the first 100).
    pub left: Vec<LeftContact>,
    /// How many were left, all told.
    pub left_count: u64,
}

/// A file's first rows as the importer reads them: for the page's preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub encoding: Encoding,
    pub delimiter: char,
    pub headers: Vec<String>,
    /// Up to the `rows` asked for, blank rows left out.
    pub rows: Vec<Record>,
    /// A quote opened and not closed within what was read.
    pub unclosed: Option<UnclosedQuote>,
}

/// Reads the beginning of a file (`bytes` may be cut anywhere) as the importer will.
pub fn preview(bytes: &[u8], rows: usize) -> Preview {
    let (text, encoding) = decode_detected(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = Reader::new(&text, delimiter);
    let mut unclosed = None;
    let headers = match reader.next() {
        Some(Ok(r)) => r.fields.iter().map(|f| f.trim().to_owned()).collect(),
        Some(Err(e)) => {
            unclosed = Some(e);
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for record in reader {
        match record {
            Ok(r) if r.is_blank() => {}
            Ok(r) => out.push(r),
            Err(e) => {
                unclosed = Some(e);
                break;
            }
        }
        if out.len() >= rows {
            break;
        }
    }
    Preview {
        encoding,
        delimiter,
        headers,
        rows: out,
        unclosed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_reads_a_ukrainian_excel_file() {
        // Windows-1251, ';', CRLF: "Ім'я;Телефон" / "Олена;050 123 45 67" / ";;" / "Тарас;067".
        let bytes = b"\xb2\xec'\xff;\xd2\xe5\xeb\xe5\xf4\xee\xed\r\n\xce\xeb\xe5\xed\xe0;050 123 45 67\r\n;\r\n\xd2\xe0\xf0\xe0\xf1;067\r\n";
        let p = preview(bytes, 10);
        assert_eq!(p.encoding, Encoding::Windows1251);
        assert_eq!(p.delimiter, ';');
        assert_eq!(p.headers, vec!["Ім'я".to_owned(), "Телефон".to_owned()]);
        assert_eq!(p.rows.len(), 2, "the blank row is left out");
        assert_eq!(p.rows[1].line, 4);
        assert_eq!(p.rows[1].fields[0], "Тарас");
        assert_eq!(
            guess_targets(&p.headers, &[]),
            vec![Some(Target::Name), Some(Target::Phone)]
        );
    }

    #[test]
    fn the_report_has_the_contracts_shape() {
        let report = ImportReport {
            id: None,
            dry_run: true,
            rows: 2,
            created: 1,
            updated: 0,
            skipped: 0,
            failed: 1,
            problems: vec![ImportProblem {
                line: 3,
                column: Some("Пошта".into()),
                message: "line 3: 'x' is no email address".into(),
            }],
            encoding: Encoding::Utf8Bom,
            delimiter: ";".into(),
            mapping: vec![],
            new_attributes: vec![],
            new_labels: vec![],
            undo_until: None,
        };
        let json = serde_json::to_value(&report).unwrap();
        for key in [
            "id", "dry_run", "rows", "created", "updated", "skipped", "failed", "problems",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert_eq!(json["encoding"], "utf8-bom");
        assert_eq!(json["problems"][0]["line"], 3);
    }
}
