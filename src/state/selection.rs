//! The contacts list's selection, in context: what is ticked ([`Selection`]), the rows the
//! table has loaded (for ranges and the header checkbox), how many the list holds, and a
//! counter the bulk actions bump when they changed contacts (the list then reloads).
//!
//! The contacts page provides it; the table shows checkboxes only where it is provided.

use leptos::prelude::*;

use crate::logic::selection::{HeaderState, LoadedRow, Selection};

#[derive(Clone, Copy)]
pub struct ListSelection {
    pub selection: RwSignal<Selection>,
    /// The table's loaded rows, in the list's order.
    pub loaded: RwSignal<Vec<LoadedRow>>,
    /// How many contacts the list holds.
    pub total: RwSignal<u64>,
    /// Bumped by a bulk action that changed contacts.
    pub changed: RwSignal<u32>,
}

impl Default for ListSelection {
    fn default() -> Self {
        ListSelection::new()
    }
}

impl ListSelection {
    pub fn new() -> Self {
        ListSelection {
            selection: RwSignal::new(Selection::default()),
            loaded: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            changed: RwSignal::new(0),
        }
    }

    /// Ticks or unticks one row; with `extend` (Shift) the range from the anchor.
    pub fn toggle(&self, row: LoadedRow, extend: bool) {
        let loaded = self.loaded.get_untracked();
        self.selection.update(|s| {
            if extend {
                s.extend_to(&row, &loaded);
            } else {
                s.toggle(&row, &loaded);
            }
        });
    }

    /// The header checkbox.
    pub fn toggle_loaded(&self) {
        let loaded = self.loaded.get_untracked();
        self.selection.update(|s| s.toggle_loaded(&loaded));
    }

    /// Whether contact `id` is selected (tracked). Read with `try_`: a row's last render
    /// may run as the list that held it goes.
    pub fn contains(&self, id: i64) -> bool {
        self.selection.try_with(|s| s.contains(id)).unwrap_or(false)
    }

    /// What the header checkbox shows for the loaded rows (tracked).
    pub fn header_state(&self) -> HeaderState {
        self.loaded
            .try_with(|loaded| self.selection.try_with(|s| s.header_state(loaded)))
            .flatten()
            .unwrap_or(HeaderState::None)
    }

    /// Tells the list that contacts changed.
    pub fn changed(&self) {
        self.changed.try_update(|n| *n = n.wrapping_add(1));
    }
}

/// The selection in context, if the list provides one.
pub fn use_list_selection() -> Option<ListSelection> {
    use_context::<ListSelection>()
}
