//! The words of working on many contacts at once (`Strings::bulk`): the selection, the
//! bulk bar, its dialogs, what each action did, and export. English only, with the table
//! itself here.

use super::group_digits;

/// The selection and bulk actions' text.
pub struct BulkStrings {
    /// A row's checkbox: "Select Olena Kovalenko".
    pub select_row: fn(&str) -> String,
    /// The header checkbox.
    pub select_loaded: &'static str,
    /// The bar's accessible name.
    pub bar_label: &'static str,
    /// "3 selected".
    pub selected: fn(u64) -> String,
    /// "All 1,204 matching contacts are selected".
    pub all_matching_selected: fn(u64) -> String,
    /// "Select all 1,204 matching".
    pub select_all_matching: fn(u64) -> String,
    pub clear_selection: &'static str,
    /// When a new search, labels or filter threw a selection away.
    pub selection_cleared: &'static str,

    pub add_labels: &'static str,
    pub remove_labels: &'static str,
    pub block: &'static str,
    pub unblock: &'static str,
    pub delete: &'static str,
    /// Export of the selection.
    pub export: &'static str,
    /// Export of the whole view, nothing selected.
    pub export_view: &'static str,

    /// "Add labels to 3 contacts".
    pub add_labels_title: fn(u64) -> String,
    /// "Remove labels from 3 contacts".
    pub remove_labels_title: fn(u64) -> String,
    pub labels_legend: &'static str,
    pub no_account_labels: &'static str,
    pub choose_a_label: &'static str,
    /// "Block 3 contacts".
    pub block_title: fn(u64) -> String,
    pub block_intro: &'static str,
    /// "Delete 3 contacts?".
    pub delete_title: fn(u64) -> String,
    /// "Olena Kovalenko, Ivan Petrenko and 12 more": the first names, and how many others.
    pub delete_names: fn(&[String], u64) -> String,
    pub delete_intro: &'static str,
    /// On a stock Chatwoot: no undo.
    pub delete_intro_final: &'static str,
    /// "Delete 3 contacts".
    pub delete_confirm: fn(u64) -> String,

    /// While an action runs: "Working on 1,204 contacts…".
    pub working: fn(u64) -> String,
    /// "Labelled 1,204 contacts vip".
    pub labelled: fn(u64, &str) -> String,
    /// "Removed vip from 1,204 contacts".
    pub unlabelled: fn(u64, &str) -> String,
    /// "Blocked 12 contacts until Mon 30 Nov, 00:00".
    pub blocked_until: fn(u64, &str) -> String,
    /// "Blocked 12 contacts until unblocked".
    pub blocked_forever: fn(u64) -> String,
    /// "Unblocked 12 contacts".
    pub unblocked: fn(u64) -> String,
    /// "Deleted 2 contacts".
    pub deleted: fn(u64) -> String,
    /// "Restored 2 contacts".
    pub restored: fn(u64) -> String,
    /// "Exported 2,000 contacts to contacts-1-2026-12-03.csv".
    pub exported: fn(&str) -> String,
    pub exporting: &'static str,
    /// "Could not do it: <why>. The selection is kept."
    pub failed: fn(&str) -> String,
    /// "Could not restore the contacts: <why>".
    pub restore_failed: fn(&str) -> String,
    /// "Could not export: <why>".
    pub export_failed: fn(&str) -> String,

    /// Against a stock Chatwoot: what the bar does not offer.
    pub stock_note: &'static str,
}

fn contacts(n: u64) -> String {
    let digits = group_digits(i64::try_from(n).unwrap_or(i64::MAX), ',');
    if n == 1 {
        "1 contact".to_owned()
    } else {
        format!("{digits} contacts")
    }
}

fn names(first: &[String], others: u64) -> String {
    let quoted = first.join(", ");
    match others {
        0 => quoted,
        n => format!(
            "{quoted} and {} more",
            group_digits(i64::try_from(n).unwrap_or(0), ',')
        ),
    }
}

pub static BULK_EN: BulkStrings = BulkStrings {
    select_row: |name| format!("Select {name}"),
    select_loaded: "Select the loaded rows",
    bar_label: "Bulk actions",
    selected: |n| {
        format!(
            "{} selected",
            group_digits(i64::try_from(n).unwrap_or(0), ',')
        )
    },
    all_matching_selected: |n| match n {
        1 => "The 1 matching contact is selected".to_owned(),
        n => format!(
            "All {} matching contacts are selected",
            group_digits(i64::try_from(n).unwrap_or(0), ',')
        ),
    },
    select_all_matching: |n| {
        format!(
            "Select all {} matching",
            group_digits(i64::try_from(n).unwrap_or(0), ',')
        )
    },
    clear_selection: "Clear selection",
    selection_cleared: "The list changed, so the selection was cleared",

    add_labels: "Add labels",
    remove_labels: "Remove labels",
    block: "Block",
    unblock: "Unblock",
    delete: "Delete",
    export: "Export",
    export_view: "Export this view",

    add_labels_title: |n| format!("Add labels to {}", contacts(n)),
    remove_labels_title: |n| format!("Remove labels from {}", contacts(n)),
    labels_legend: "Labels",
    no_account_labels: "This account has no labels yet.",
    choose_a_label: "Choose at least one label.",
    block_title: |n| format!("Block {}", contacts(n)),
    block_intro: "While blocked, what these contacts send never arrives.",
    delete_title: |n| format!("Delete {}?", contacts(n)),
    delete_names: names,
    delete_intro: "Their conversations and notes go with them. You can undo it for a short \
        while afterwards.",
    delete_intro_final: "Their conversations and notes go with them. This server cannot undo it.",
    delete_confirm: |n| format!("Delete {}", contacts(n)),

    working: |n| format!("Working on {}…", contacts(n)),
    labelled: |n, labels| format!("Labelled {} {labels}", contacts(n)),
    unlabelled: |n, labels| format!("Removed {labels} from {}", contacts(n)),
    blocked_until: |n, until| format!("Blocked {} until {until}", contacts(n)),
    blocked_forever: |n| format!("Blocked {} until unblocked", contacts(n)),
    unblocked: |n| format!("Unblocked {}", contacts(n)),
    deleted: |n| format!("Deleted {}", contacts(n)),
    restored: |n| format!("Restored {}", contacts(n)),
    exported: |file| format!("Exported to {file}"),
    exporting: "Exporting…",
    failed: |why| format!("Could not do it: {why}. The selection is kept."),
    restore_failed: |why| format!("Could not restore the contacts: {why}"),
    export_failed: |why| format!("Could not export: {why}"),

    stock_note: "This server is a standard Chatwoot: it offers labels and delete for ticked \
        rows only. Blocking, unblocking, selecting all matching contacts, export and undo \
        need NovaTalks.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_names_read_as_sentences() {
        assert_eq!(
            (BULK_EN.labelled)(1_204, "vip"),
            "Labelled 1,204 contacts vip"
        );
        assert_eq!((BULK_EN.deleted)(1), "Deleted 1 contact");
        assert_eq!((BULK_EN.selected)(2_000), "2,000 selected");
        let first = vec!["Olena".to_owned(), "Ivan".to_owned()];
        assert_eq!((BULK_EN.delete_names)(&first, 0), "Olena, Ivan");
        assert_eq!(
            (BULK_EN.delete_names)(&first, 1_001),
            "Olena, Ivan and 1,001 more"
        );
    }
}
