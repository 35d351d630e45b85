//! Every word the agent reads, one table per language. Components take their text from
//! [`t()`] and never spell it themselves.

mod bulk;
mod card;
mod embed;
mod en;
mod filter;
mod format;
mod import;
pub mod languages;
mod merge;
mod new_conversation;
mod stock;

pub use bulk::BulkStrings;
pub use card::CardStrings;
pub use embed::EmbedStrings;
pub use en::EN;
pub use filter::FilterStrings;
pub use format::{format_epoch, group_digits, sentence_case};
pub use import::ImportStrings;
pub use merge::MergeStrings;
pub use new_conversation::NewConversationStrings;
pub use stock::StockStrings;

use novatalks_model::block::BlockDuration;
use novatalks_model::RelativeAge;

use crate::api::ApiError;
use crate::logic::block_choice::{BlockChoice, ChoiceError};

/// The text of the interface in one language.
pub struct Strings {
    pub app_name: &'static str,
    pub not_found: &'static str,

    pub sign_in_title: &'static str,
    pub email_label: &'static str,
    pub password_label: &'static str,
    pub sign_in_button: &'static str,
    pub signing_in: &'static str,

    pub signed_in_as: &'static str,
    pub sign_out: &'static str,

    // The "sign in again" dialog over the page when the server has ended the session.
    pub session_ended_title: &'static str,
    pub session_ended_intro: &'static str,
    pub session_ended_sign_in: &'static str,
    /// Leaves the page for the sign-in page instead.
    pub session_ended_sign_out: &'static str,

    pub contacts_heading: &'static str,
    pub loading_contacts: &'static str,
    pub no_contacts: &'static str,
    pub retry: &'static str,
    /// A part of the page whose code is downloaded when first shown could not be.
    pub part_load_failed: &'static str,
    pub retrying: &'static str,
    pub column_name: &'static str,
    pub column_email: &'static str,
    pub column_phone: &'static str,
    pub column_labels: &'static str,
    pub column_last_activity: &'static str,
    pub column_created_at: &'static str,
    pub column_conversations: &'static str,
    pub column_status: &'static str,
    /// Shown in a cell that has no value.
    pub missing_value: &'static str,
    /// The chip standing for the labels a row has no room for: "+2".
    pub more_labels: fn(usize) -> String,
    /// What that chip says to a screen reader and on hover: "2 more labels: lead, vip".
    pub more_labels_title: fn(usize, &str) -> String,
    pub status_active: &'static str,
    pub status_blocked: &'static str,

    /// chrono format strings.
    pub date_format: &'static str,
    pub date_time_format: &'static str,
    pub thousands_separator: char,

    /// "2,000 contacts".
    pub contacts_count: fn(&Strings, i64) -> String,
    /// "Could not load contacts: <why>".
    pub contacts_load_failed: fn(&str) -> String,
    /// "Blocked until <date>".
    pub blocked_until: fn(&str) -> String,
    /// The tooltip with the reason of a block.
    pub block_reason: fn(&str) -> String,
    /// "5 min ago".
    pub relative_age: fn(RelativeAge) -> String,
    pub error_unauthorized: &'static str,
    pub error_network: fn(&str) -> String,
    pub error_decode: &'static str,
    /// A failure status whose body said nothing readable.
    pub error_status: fn(u16) -> String,

    // The contact list: search, label quick filter, empty states, paging.
    /// The search box's accessible name.
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub clear_search: &'static str,
    /// The label sidebar's accessible name.
    pub labels_nav: &'static str,
    pub labels_heading: &'static str,
    pub all_contacts: &'static str,
    pub loading_labels: &'static str,
    /// "Could not load labels: <why>".
    pub labels_load_failed: fn(&str) -> String,
    pub no_labels: &'static str,
    /// Hover text of a title contacts carry that is none of the account's labels.
    pub free_label_hint: &'static str,
    /// Before the chips of the labels in force.
    pub active_labels: &'static str,
    /// The accessible name of a chip's ×: "Remove label vip".
    pub remove_label: fn(&str) -> String,
    pub clear_labels: &'static str,
    /// "No contacts match “xyz”".
    pub no_search_matches: fn(&str) -> String,
    /// "No contacts have the labels vip, billing".
    pub no_label_matches: fn(&str) -> String,
    pub clear_search_and_filters: &'static str,
    /// "Some contacts could not be loaded: <why>".
    pub rows_load_failed: fn(&str) -> String,
    /// In the rows of a page that could not be loaded.
    pub rows_not_loaded: &'static str,

    // Blocking: the row's buttons, the block dialog, the undo toast.
    /// When a block ends, in the row ("30 Nov, 00:00"); chrono formats.
    pub block_end_format: &'static str,
    pub block_end_format_other_year: &'static str,
    /// When a block ends, in the dialog's preview ("Mon 30 Nov, 00:00").
    pub block_preview_format: &'static str,
    pub block_preview_format_other_year: &'static str,
    /// The end of a block under the "Blocked" badge: "until 30 Nov, 00:00".
    pub block_ends: fn(&str) -> String,
    /// Read before a block's reason by screen readers (the badge shows the reason alone).
    pub reason_prefix: &'static str,
    pub block_button: &'static str,
    pub unblock_button: &'static str,
    /// The accessible name of a row's block button: "Block Olena Kovalenko".
    pub block_contact: fn(&str) -> String,
    pub unblock_contact: fn(&str) -> String,
    /// The dialog's title: "Block Olena Kovalenko".
    pub block_dialog_title: fn(&str) -> String,
    pub block_dialog_intro: &'static str,
    pub block_duration_legend: &'static str,
    pub block_duration_hour: &'static str,
    pub block_duration_tomorrow: &'static str,
    pub block_duration_next_week: &'static str,
    pub block_duration_next_month: &'static str,
    pub block_duration_forever: &'static str,
    pub block_duration_custom: &'static str,
    /// The label of the date-and-time field of "Select time".
    pub block_until_label: &'static str,
    pub block_until_missing: &'static str,
    pub block_until_invalid: &'static str,
    pub block_until_past: &'static str,
    pub block_reason_label: &'static str,
    /// "12 / 255" under the reason.
    pub block_reason_count: fn(usize, usize) -> String,
    pub blocked_forever: &'static str,
    pub block_confirm: &'static str,
    pub blocking: &'static str,
    pub cancel: &'static str,
    /// "Could not block: <why>".
    pub block_failed: fn(&str) -> String,
    /// "Unblocked Olena Kovalenko".
    pub unblocked_contact: fn(&str) -> String,
    pub undo: &'static str,
    /// "Could not unblock <name>: <why>".
    pub unblock_failed: fn(&str, &str) -> String,
    /// "Could not block <name> again: <why>".
    pub undo_failed: fn(&str, &str) -> String,
    /// Undo found nothing to restore: the block would have ended meanwhile.
    pub undo_block_over: fn(&str) -> String,
    /// The name of the region the toasts appear in.
    pub notifications: &'static str,
    pub dismiss: &'static str,

    /// The contact card and the create-contact form.
    pub card: &'static CardStrings,
    /// The filter builder, its chips and saved segments.
    pub filter: &'static FilterStrings,
    /// The app embedded in the NovaTalks dashboard (Dashboard App mode).
    pub embed: &'static EmbedStrings,
    /// Merging two contacts: the picker and the preview.
    pub merge: &'static MergeStrings,
    /// A new conversation ("New dialog") on the card: the button, why it is unavailable,
    /// the dialog.
    pub new_conversation: &'static NewConversationStrings,
    /// What changes against a stock Chatwoot server (no NovaTalks extensions).
    pub stock: &'static StockStrings,
    /// Many contacts at once: the selection, the bulk bar, export.
    pub bulk: &'static BulkStrings,
    /// Contacts from a spreadsheet: the import page.
    pub import: &'static ImportStrings,
}

impl Strings {
    pub fn contacts_count(&self, count: i64) -> String {
        (self.contacts_count)(self, count)
    }

    /// What went wrong, for the agent: the server's own message when it sent one.
    pub fn describe_error(&self, error: &ApiError) -> String {
        match error {
            ApiError::Unauthorized => self.error_unauthorized.to_owned(),
            ApiError::Http { status, message } if message.is_empty() => {
                (self.error_status)(*status)
            }
            ApiError::Http { message, .. } => message.clone(),
            ApiError::Network(detail) => (self.error_network)(detail),
            ApiError::Decode(_) => self.error_decode.to_owned(),
        }
    }

    /// An option of the block dialog's duration group.
    pub fn block_choice(&self, choice: BlockChoice) -> &'static str {
        match choice {
            BlockChoice::Preset(BlockDuration::Hour) => self.block_duration_hour,
            BlockChoice::Preset(BlockDuration::Tomorrow) => self.block_duration_tomorrow,
            BlockChoice::Preset(BlockDuration::NextWeek) => self.block_duration_next_week,
            BlockChoice::Preset(BlockDuration::NextMonth) => self.block_duration_next_month,
            BlockChoice::Preset(BlockDuration::Forever) => self.block_duration_forever,
            BlockChoice::Preset(BlockDuration::Until(_)) | BlockChoice::Custom => {
                self.block_duration_custom
            }
        }
    }

    /// Why the date and time chosen cannot end a block.
    pub fn block_until_problem(&self, error: ChoiceError) -> &'static str {
        match error {
            ChoiceError::Missing => self.block_until_missing,
            ChoiceError::Invalid => self.block_until_invalid,
            ChoiceError::Past => self.block_until_past,
        }
    }

    pub fn format_date(&self, epoch_secs: i64) -> String {
        format_epoch(epoch_secs, self.date_format).unwrap_or_else(|| self.missing_value.into())
    }

    pub fn format_date_time(&self, epoch_secs: i64) -> String {
        format_epoch(epoch_secs, self.date_time_format).unwrap_or_else(|| self.missing_value.into())
    }

    /// When a block ends, for the row: "30 Nov, 00:00", with the year when it is not
    /// `now`'s.
    pub fn format_block_end(&self, at: i64, now: i64) -> String {
        self.format_in_year_of(
            at,
            now,
            self.block_end_format,
            self.block_end_format_other_year,
        )
    }

    /// When a block would end, for the dialog: "Mon 30 Nov, 00:00" (the year when it is
    /// not `now`'s).
    pub fn format_block_preview(&self, at: i64, now: i64) -> String {
        self.format_in_year_of(
            at,
            now,
            self.block_preview_format,
            self.block_preview_format_other_year,
        )
    }

    fn format_in_year_of(&self, at: i64, now: i64, same_year: &str, other_year: &str) -> String {
        let same = format_epoch(at, "%Y") == format_epoch(now, "%Y");
        format_epoch(at, if same { same_year } else { other_year })
            .unwrap_or_else(|| self.missing_value.into())
    }

    pub fn group_digits(&self, n: i64) -> String {
        group_digits(n, self.thousands_separator)
    }
}

/// The language of the interface. English only for now; choosing another is a change here.
pub fn t() -> &'static Strings {
    &EN
}
