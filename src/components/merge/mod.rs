//! Merging two contacts from the card: "Merge with…" opens a picker of likely duplicates
//! and a search; the chosen pair is previewed field by field, with an explicit choice of
//! which contact stays, before anything happens.

mod merge_button;
mod merge_candidate;
mod merge_dialog;
mod merge_field_row;
mod merge_picker;
mod merge_preview;

pub use merge_button::MergeButton;
pub use merge_candidate::MergeCandidate;
pub use merge_dialog::MergeDialog;
pub use merge_field_row::MergeFieldRow;
pub use merge_picker::MergePicker;
pub use merge_preview::MergePreviewPanel;

use novatalks_model::merge::DuplicateReason;
use novatalks_model::Contact;

use crate::i18n::Strings;

/// A contact named with its id, as the merge dialog names both: "Olena K. (#12)".
pub fn labelled(strings: &Strings, contact: &Contact) -> String {
    (strings.merge.contact_label)(&contact.display_name(), contact.id)
}

/// Why a candidate is proposed, in words.
pub fn reason_text(strings: &Strings, reason: DuplicateReason) -> &'static str {
    match reason {
        DuplicateReason::SamePhone => strings.merge.reason_same_phone,
        DuplicateReason::SameEmail => strings.merge.reason_same_email,
        DuplicateReason::SameIdentifier => strings.merge.reason_same_identifier,
        DuplicateReason::SimilarName => strings.merge.reason_similar_name,
    }
}
