//! The label quick filter: the sidebar of the account's labels and the chips of the
//! labels in force.

mod active_labels;
mod label_sidebar;
mod sidebar_label;

pub use active_labels::ActiveLabels;
pub use label_sidebar::LabelSidebar;
pub use sidebar_label::SidebarLabel;
