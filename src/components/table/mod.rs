//! The contacts table: virtual scrolling over pages fetched as the agent scrolls, its
//! rows and cells, the sortable header, and the empty list.

mod contact_row;
mod contacts_table;
mod fetched_labels;
mod no_matches;
mod row_labels;
mod scroll_memory;
mod sort_header;

pub use contact_row::ContactRow;
pub use contacts_table::{ContactsTable, OVERSCAN_ROWS, ROW_HEIGHT_PX};
pub use fetched_labels::FetchedLabels;
pub use no_matches::NoMatches;
pub use row_labels::{RowLabels, ROW_CHIPS};
pub use sort_header::SortHeader;
