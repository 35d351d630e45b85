//! The words of merging two contacts (`Strings::merge`): the picker, the preview and
//! the confirmation. English only, with the table itself here.

/// The merge picker and preview's text.
pub struct MergeStrings {
    /// The card's button that opens the picker.
    pub merge_with: &'static str,
    /// The dialog's title: "Merge Olena Kovalenko with…".
    pub dialog_title: fn(&str) -> String,
    pub picker_intro: &'static str,
    pub duplicates_heading: &'static str,
    pub looking_for_duplicates: &'static str,
    pub no_duplicates: &'static str,
    /// "Could not look for duplicates: <why>".
    pub duplicates_failed: fn(&str) -> String,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_results_heading: &'static str,
    pub searching: &'static str,
    /// "No contacts match “xyz”".
    pub no_matches: fn(&str) -> String,
    /// "Could not search: <why>".
    pub search_failed: fn(&str) -> String,
    pub reason_same_phone: &'static str,
    pub reason_same_email: &'static str,
    pub reason_same_identifier: &'static str,
    pub reason_similar_name: &'static str,
    /// A contact named with its id: "Olena K. (#12)".
    pub contact_label: fn(&str, i64) -> String,

    pub stays: &'static str,
    pub deleted: &'static str,
    /// The swap button.
    pub swap: &'static str,
    /// The preview table's caption.
    pub preview_caption: &'static str,
    pub column_field: &'static str,
    pub column_result: &'static str,
    pub column_why: &'static str,
    pub outcome_same: &'static str,
    pub outcome_kept: &'static str,
    pub outcome_filled: &'static str,
    /// Both have one phone number, written two ways: the E.164 writing stays.
    pub outcome_same_number: &'static str,
    /// What the deleted contact's value becomes when the other's wins: "“Olha H.” is dropped".
    pub outcome_lost: fn(&str) -> String,
    pub field_name: &'static str,
    pub field_email: &'static str,
    pub field_phone: &'static str,
    pub field_identifier: &'static str,
    /// The name of an additional attribute ("city" → "City"), else the key itself.
    pub additional_attribute: fn(&str) -> String,
    /// A custom attribute by its key: "Custom: plan".
    pub custom_attribute: fn(&str) -> String,
    pub labels: &'static str,
    pub no_labels: &'static str,
    /// "+ support" after the labels: the ones the remaining contact gains.
    pub labels_gained: fn(&str) -> String,
    pub counting: &'static str,
    /// "2 conversations and 1 note move from <deleted> to <stays>."
    pub moving: fn(usize, usize, &str, &str) -> String,
    /// When they could not be counted: "Its conversations and notes move to <stays>."
    pub moving_uncounted: fn(&str) -> String,
    /// "Olha H. (#2001) will be deleted. Its address will say it was merged into <stays>."
    pub will_be_deleted: fn(&str, &str) -> String,
    /// The confirm button: "Merge: delete Olha H. (#2001)".
    pub confirm: fn(&str) -> String,
    pub merging: &'static str,
    pub back: &'static str,
    /// "Could not merge: <why>".
    pub merge_failed: fn(&str) -> String,
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub static MERGE_EN: MergeStrings = MergeStrings {
    merge_with: "Merge with…",
    dialog_title: |name| format!("Merge {name} with…"),
    picker_intro:
        "Choose the contact to merge with. You choose which one stays before anything happens.",
    duplicates_heading: "Likely duplicates",
    looking_for_duplicates: "Looking for duplicates…",
    no_duplicates: "No likely duplicates. Search for the contact below.",
    duplicates_failed: |why| format!("Could not look for duplicates: {why}"),
    search_label: "Search contacts by name, email or phone",
    search_placeholder: "Name, email or phone",
    search_results_heading: "Search results",
    searching: "Searching…",
    no_matches: |q| format!("No contacts match “{q}”"),
    search_failed: |why| format!("Could not search: {why}"),
    reason_same_phone: "Same phone number",
    reason_same_email: "Same email",
    reason_same_identifier: "Same identifier",
    reason_similar_name: "Similar name",
    contact_label: |name, id| format!("{name} (#{id})"),

    stays: "Stays",
    deleted: "Deleted",
    swap: "Swap: keep the other one",
    preview_caption: "The remaining contact after the merge",
    column_field: "Field",
    column_result: "After the merge",
    column_why: "What happens",
    outcome_same: "Same in both",
    outcome_kept: "Kept",
    outcome_filled: "Fills a blank",
    outcome_same_number: "Same number in both",
    outcome_lost: |value| format!("Kept; “{value}” is dropped"),
    field_name: "Name",
    field_email: "Email",
    field_phone: "Phone number",
    field_identifier: "Identifier",
    additional_attribute: |key| {
        match key {
            "language" => "Language",
            "city" => "City",
            "country_code" => "Country",
            "company_name" => "Company",
            "description" => "Description",
            other => return other.replace('_', " "),
        }
        .to_owned()
    },
    custom_attribute: |key| format!("Attribute: {key}"),
    labels: "Labels",
    no_labels: "No labels",
    labels_gained: |labels| format!("gains {labels}"),
    counting: "Counting conversations and notes…",
    moving: |conversations, notes, from, to| {
        format!(
            "{} and {} move from {from} to {to}.",
            count(conversations, "conversation", "conversations"),
            count(notes, "note", "notes")
        )
    },
    moving_uncounted: |to| format!("Its conversations and notes move to {to}."),
    will_be_deleted: |deleted, stays| {
        format!("{deleted} will be deleted. Its address will say it was merged into {stays}.")
    },
    confirm: |deleted| format!("Merge: delete {deleted}"),
    merging: "Merging…",
    back: "Back",
    merge_failed: |why| format!("Could not merge: {why}"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_the_singular_and_plural() {
        assert_eq!(
            (MERGE_EN.moving)(1, 0, "A (#2)", "B (#1)"),
            "1 conversation and 0 notes move from A (#2) to B (#1)."
        );
        assert_eq!(
            (MERGE_EN.moving)(3, 1, "A", "B"),
            "3 conversations and 1 note move from A to B."
        );
    }

    #[test]
    fn known_attributes_have_names_and_others_read_as_words() {
        assert_eq!((MERGE_EN.additional_attribute)("company_name"), "Company");
        assert_eq!((MERGE_EN.additional_attribute)("social_x"), "social x");
    }
}
