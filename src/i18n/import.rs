//! The words of the import page (`Strings::import`): the file, the column mapping, what
//! matching contacts get, the dry run's and the run's reports, the refused rows, the undo
//! and the earlier imports. English only, with the table itself here.

use novatalks_model::import::{Encoding, MappingError, UndoReport};

use super::group_digits;

/// The import page's text.
pub struct ImportStrings {
    /// The header's link to the page.
    pub link: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,

    // The file.
    pub drop_here: &'static str,
    pub choose_file: &'static str,
    /// The file input's accessible name.
    pub file_label: &'static str,
    pub reading: &'static str,
    /// "clients.csv: Windows-1251, columns separated by semicolons".
    pub file_read: fn(&str, Encoding, char) -> String,
    pub other_file: &'static str,
    pub too_large: &'static str,
    pub workbook: &'static str,
    pub no_header: &'static str,
    /// "Line 7: a quote opened here is never closed".
    pub unclosed: fn(usize) -> String,
    /// "Could not read the file: <why>".
    pub unreadable: fn(&str) -> String,

    // The mapping.
    pub mapping_heading: &'static str,
    pub mapping_intro: &'static str,
    pub column_header: &'static str,
    pub column_samples: &'static str,
    pub column_target: &'static str,
    /// A select's accessible name: "What the column Телефон fills".
    pub target_label: fn(&str) -> String,
    pub target_name: &'static str,
    pub target_email: &'static str,
    pub target_phone: &'static str,
    pub target_identifier: &'static str,
    pub target_labels: &'static str,
    pub target_city: &'static str,
    pub target_country: &'static str,
    pub target_company: &'static str,
    pub target_language: &'static str,
    /// An attribute of the account: "Attribute: Plan".
    pub target_attribute: fn(&str) -> String,
    /// "New attribute “Тариф”".
    pub target_new_attribute: fn(&str) -> String,
    pub target_ignore: &'static str,
    pub mapping_problem: fn(&MappingError) -> String,

    // Matching contacts.
    pub on_match_legend: &'static str,
    pub on_match_update: &'static str,
    pub on_match_skip: &'static str,

    // The dry run and the run.
    pub check: &'static str,
    pub checking: &'static str,
    pub check_heading: &'static str,
    pub check_changed: &'static str,
    /// "Import 1,204 contacts".
    pub run: fn(u64) -> String,
    pub nothing_to_import: &'static str,
    /// "Importing 1,204 rows of clients.csv…".
    pub running: fn(u64, &str) -> String,
    pub running_note: &'static str,
    pub done_heading: &'static str,
    /// "Could not import: <why>. Nothing was changed."
    pub failed: fn(&str) -> String,
    /// "Could not check the file: <why>".
    pub check_failed: fn(&str) -> String,
    pub another: &'static str,

    // A report: (count) -> words, for a dry run and for the run.
    pub rows: fn(u64) -> String,
    pub would_create: fn(u64) -> String,
    pub would_update: fn(u64) -> String,
    pub would_skip: fn(u64) -> String,
    pub created: fn(u64) -> String,
    pub updated: fn(u64) -> String,
    pub skipped: fn(u64) -> String,
    pub refused: fn(u64) -> String,
    pub problems_heading: &'static str,
    /// "and 1,500 more refused rows, all in the refused rows file".
    pub more_problems: fn(u64) -> String,
    /// "New labels: vip, lead".
    pub new_labels: fn(&[String]) -> String,
    /// "New attributes: plan, manager".
    pub new_attributes: fn(&[String]) -> String,
    /// "Can be undone until Thu 3 Dec, 19:00".
    pub undo_until: fn(&str) -> String,
    pub download_refused: &'static str,
    pub download_failed: fn(&str) -> String,

    // Undo.
    pub undo: &'static str,
    pub undoing: &'static str,
    pub undone: fn(&UndoReport) -> String,
    /// "Left as they are, changed since the import: Olena Kovalenko (…)".
    pub left: fn(&UndoReport) -> String,
    pub undo_failed: fn(&str) -> String,

    // Earlier imports.
    pub past_heading: &'static str,
    pub past_none: &'static str,
    pub past_loading: &'static str,
    /// "by Olena Agent".
    pub past_by: fn(&str) -> String,
    /// "undone Thu 3 Dec, 19:00".
    pub past_undone: fn(&str) -> String,
    pub past_expired: &'static str,
    pub unnamed_file: &'static str,
}

fn number(n: u64) -> String {
    group_digits(i64::try_from(n).unwrap_or(i64::MAX), ',')
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", number(n))
    }
}

fn encoding_words(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Utf8 => "UTF-8",
        Encoding::Utf8Bom => "UTF-8 with a byte order mark",
        Encoding::Utf16Le | Encoding::Utf16Be => "UTF-16",
        Encoding::Windows1251 => "Windows-1251",
    }
}

fn delimiter_words(delimiter: char) -> &'static str {
    match delimiter {
        ';' => "semicolons",
        '\t' => "tabs",
        _ => "commas",
    }
}

fn mapping_words(problem: &MappingError) -> String {
    match problem {
        MappingError::TargetTwice {
            target,
            first,
            second,
        } => format!("“{first}” and “{second}” both fill {target}: choose one of them"),
        MappingError::NoContactColumn => {
            "No column fills the name, the email or the phone: a contact needs one of them"
                .to_owned()
        }
        MappingError::ColumnTwice(column) => format!("The column “{column}” is mapped twice"),
        MappingError::UnknownColumn(column) => format!("The file has no column “{column}”"),
        MappingError::ColumnOutOfRange { index, columns } => {
            format!("Column {} is past the file's {columns} columns", index + 1)
        }
        MappingError::UnknownTarget(target) => format!("“{target}” is not a contact field"),
        MappingError::NoKey(target) => format!("{target} needs an attribute key"),
        MappingError::NotJson(detail) => format!("The mapping could not be read ({detail})"),
    }
}

pub static IMPORT_EN: ImportStrings = ImportStrings {
    link: "Import",
    heading: "Import contacts",
    intro: "Bring contacts from a spreadsheet saved as CSV (UTF-8, Windows-1251 or UTF-16; \
            columns separated by commas, semicolons or tabs; a header row), up to 50 MB and \
            200,000 rows. Nothing changes until you have checked the file and started the import.",

    drop_here: "Drop a CSV file here, or",
    choose_file: "choose a file",
    file_label: "The file to import",
    reading: "Reading the file…",
    file_read: |name, encoding, delimiter| {
        format!(
            "{name}: {}, columns separated by {}",
            encoding_words(encoding),
            delimiter_words(delimiter)
        )
    },
    other_file: "Choose another file",
    too_large: "The file is larger than 50 MB: split it into smaller files",
    workbook: "This is a spreadsheet workbook, not CSV: save it as CSV (File, Save as, CSV) \
               and choose that file",
    no_header: "The file is empty: its first line must name the columns",
    unclosed: |line| {
        format!(
            "Line {line}: a quote opened here is never closed, so the rest of the file is one cell"
        )
    },
    unreadable: |why| format!("Could not read the file: {why}"),

    mapping_heading: "Columns",
    mapping_intro: "What each column fills, guessed from its header. Change what is wrong.",
    column_header: "Column",
    column_samples: "First rows",
    column_target: "Fills",
    target_label: |header| format!("What the column {header} fills"),
    target_name: "Name",
    target_email: "Email",
    target_phone: "Phone",
    target_identifier: "Identifier",
    target_labels: "Labels (split on , or ;)",
    target_city: "City",
    target_country: "Country",
    target_company: "Company",
    target_language: "Language",
    target_attribute: |name| format!("Attribute: {name}"),
    target_new_attribute: |header| format!("New attribute “{header}”"),
    target_ignore: "Ignore this column",
    mapping_problem: mapping_words,

    on_match_legend: "A row matching a contact (by identifier, then email, then phone)",
    on_match_update: "Update the contact with the row's values",
    on_match_skip: "Skip the row and leave the contact as it is",

    check: "Check the file",
    checking: "Checking…",
    check_heading: "What the import would do",
    check_changed: "The columns or the choice changed: check the file again",
    run: |n| format!("Import {}", plural(n, "contact", "contacts")),
    nothing_to_import: "Nothing to import: every row is refused or skipped",
    running: |rows, name| format!("Importing {} of {name}…", plural(rows, "row", "rows")),
    running_note: "You can leave this page: the import goes on, and its result is here when you \
                   come back. Every row is applied, or none.",
    done_heading: "Imported",
    failed: |why| format!("Could not import: {why}. Nothing was changed."),
    check_failed: |why| format!("Could not check the file: {why}"),
    another: "Import another file",

    rows: |n| plural(n, "row", "rows"),
    would_create: |n| format!("{} to create", plural(n, "contact", "contacts")),
    would_update: |n| format!("{} to update", plural(n, "contact", "contacts")),
    would_skip: |n| format!("{} to skip", plural(n, "row", "rows")),
    created: |n| format!("{} created", plural(n, "contact", "contacts")),
    updated: |n| format!("{} updated", plural(n, "contact", "contacts")),
    skipped: |n| format!("{} skipped", plural(n, "row", "rows")),
    refused: |n| format!("{} refused", plural(n, "row", "rows")),
    problems_heading: "Refused rows",
    more_problems: |n| {
        format!(
            "and {} more, all in the refused rows file",
            plural(n, "problem", "problems")
        )
    },
    new_labels: |labels| format!("New labels: {}", labels.join(", ")),
    new_attributes: |keys| format!("New attributes: {}", keys.join(", ")),
    undo_until: |when| format!("Can be undone until {when}"),
    download_refused: "Download the refused rows",
    download_failed: |why| format!("Could not download the refused rows: {why}"),

    undo: "Undo this import",
    undoing: "Undoing…",
    undone: |report| {
        format!(
            "Undone: {} deleted, {} given back their values from before",
            plural(report.deleted, "created contact", "created contacts"),
            plural(report.restored, "updated contact", "updated contacts")
        )
    },
    left: |report| {
        let names: Vec<String> = report
            .left
            .iter()
            .map(|c| c.name.clone().unwrap_or_else(|| format!("#{}", c.id)))
            .collect();
        let more = report.left_count.saturating_sub(report.left.len() as u64);
        let tail = if more > 0 {
            format!(" and {} more", number(more))
        } else {
            String::new()
        };
        format!(
            "Left as they are, changed since the import: {}{tail}",
            names.join(", ")
        )
    },
    undo_failed: |why| format!("Could not undo: {why}"),

    past_heading: "Earlier imports",
    past_none: "No imports yet",
    past_loading: "Loading the earlier imports…",
    past_by: |name| format!("by {name}"),
    past_undone: |when| format!("undone {when}"),
    past_expired: "can no longer be undone",
    unnamed_file: "a file",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!((IMPORT_EN.would_create)(1), "1 contact to create");
        assert_eq!((IMPORT_EN.created)(12_000), "12,000 contacts created");
        assert_eq!(
            (IMPORT_EN.file_read)("clients.csv", Encoding::Windows1251, ';'),
            "clients.csv: Windows-1251, columns separated by semicolons"
        );
        assert_eq!(
            (IMPORT_EN.mapping_problem)(&MappingError::TargetTwice {
                target: "phone".into(),
                first: "Телефон".into(),
                second: "Mobile".into()
            }),
            "“Телефон” and “Mobile” both fill phone: choose one of them"
        );
    }
}
