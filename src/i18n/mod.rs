//! Every word the agent reads, one table per language. Components take their text from
//! [`t()`] and never spell it themselves.

mod en;
mod format;

pub use en::EN;
pub use format::{format_epoch, group_digits};

use novatalks_model::RelativeAge;

use crate::api::ApiError;

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

    pub contacts_heading: &'static str,
    pub loading_contacts: &'static str,
    pub no_contacts: &'static str,
    pub retry: &'static str,
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

    pub fn format_date(&self, epoch_secs: i64) -> String {
        format_epoch(epoch_secs, self.date_format).unwrap_or_else(|| self.missing_value.into())
    }

    pub fn format_date_time(&self, epoch_secs: i64) -> String {
        format_epoch(epoch_secs, self.date_time_format).unwrap_or_else(|| self.missing_value.into())
    }

    pub fn group_digits(&self, n: i64) -> String {
        group_digits(n, self.thousands_separator)
    }
}

/// The language of the interface. English only for now; choosing another is a change here.
pub fn t() -> &'static Strings {
    &EN
}
