//! Many contacts at once: the selection's checkboxes in the table, "select all matching",
//! the bulk bar over the table with its dialogs (labels, block, delete), progress and
//! export. What is selected is `logic::selection`, shared through
//! `state::ListSelection`; the requests are `api::bulk`.

mod bulk_actions;
mod bulk_bar;
mod bulk_block_dialog;
mod bulk_delete_dialog;
mod bulk_labels_dialog;
mod bulk_progress;
mod bulk_stock_note;
mod export_button;
mod header_checkbox;
mod row_checkbox;
mod select_all_banner;

pub use bulk_actions::{BulkActions, BulkOpen};
pub use bulk_bar::{BulkBar, UNDO_MAX_MILLIS, UNDO_MIN_MILLIS};
pub use bulk_block_dialog::BulkBlockDialog;
pub use bulk_delete_dialog::BulkDeleteDialog;
pub use bulk_labels_dialog::{BulkLabelsDialog, LabelMode};
pub use bulk_progress::BulkProgress;
pub use bulk_stock_note::BulkStockNote;
pub use export_button::ExportButton;
pub use header_checkbox::HeaderCheckbox;
pub use row_checkbox::RowCheckbox;
pub use select_all_banner::SelectAllBanner;
