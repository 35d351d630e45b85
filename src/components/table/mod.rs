//! The contacts table and its cells.

mod avatar;
mod contact_row;
mod contacts_table;
mod label_chip;
mod status_badge;
mod time_stamp;

pub use avatar::{avatar_tone, Avatar, AVATAR_TONES};
pub use contact_row::ContactRow;
pub use contacts_table::ContactsTable;
pub use label_chip::{HexColour, LabelChip, LabelColours};
pub use status_badge::{BlockState, StatusBadge};
pub use time_stamp::TimeStamp;
