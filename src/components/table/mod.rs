//! The contacts table and its cells.

mod avatar;
mod contact_row;
mod contacts_table;
mod fetched_labels;
mod label_chip;
mod no_matches;
mod row_cache;
mod row_labels;
mod scroll_memory;
mod sort_header;
mod status_badge;
mod time_stamp;
mod virtual_window;

pub use avatar::{avatar_tone, Avatar, AVATAR_TONES};
pub use contact_row::ContactRow;
pub use contacts_table::{ContactsTable, OVERSCAN_ROWS, ROW_HEIGHT_PX};
pub use fetched_labels::FetchedLabels;
pub use label_chip::{HexColour, LabelChip, LabelColours};
pub use no_matches::NoMatches;
pub use row_cache::{RowCache, Slot};
pub use row_labels::{RowLabels, ROW_CHIPS};
pub use sort_header::{next_sort, SortHeader};
pub use status_badge::{BlockState, StatusBadge};
pub use time_stamp::TimeStamp;
pub use virtual_window::{RowLayout, RowWindow};
