//! The import page's pieces: the file, its columns, what the dry run and the run said,
//! the refused rows, the undo and the earlier imports.

mod file_drop;
mod import_progress;
mod import_report;
mod mapping_step;
mod mapping_table;
mod match_choice;
mod past_import;
mod past_imports;
mod refused_download;
mod target_select;
mod undo_import;

pub use file_drop::{read_bytes, FileDrop};
pub use import_progress::ImportProgress;
pub use import_report::ImportReportView;
pub use mapping_step::MappingStep;
pub use mapping_table::MappingTable;
pub use match_choice::MatchChoice;
pub use past_import::PastImport;
pub use past_imports::PastImports;
pub use refused_download::RefusedDownload;
pub use target_select::TargetSelect;
pub use undo_import::UndoImport;
