//! The split points: views whose code need not be in the first download. The release build
//! (`cargo xtask dist`, compiled with `--cfg novatalks_split`) cuts each into a wasm file of
//! its own, with all the code only it reaches, fetched the first time it is shown (wasm-split,
//! `crates/dist`). Elsewhere (component tests, `trunk serve`) they are plain functions over
//! the same views. Each is shown through [`crate::components::common::Later`].
//!
//! A split point is a plain function (no generics) from its props to an `AnyView`, declared
//! with [`split_point!`]; what it takes crosses into the other wasm file as its arguments.

use leptos::prelude::*;

use novatalks_model::filter::{CustomFilter, FilterCondition};
use novatalks_model::Contact;

use crate::components::block::BlockDialog;
use crate::components::bulk::{
    BulkActions, BulkBlockDialog, BulkDeleteDialog, BulkLabelsDialog, BulkOpen, BulkStockNote,
    LabelMode, SelectAllBanner,
};
use crate::components::filter::{
    Catalog, FilterBuilder, FilterChips, FilterEmpty, SegmentDeleteConfirm, SegmentRename,
    SegmentSave, SegmentSaveForm,
};
use crate::components::session::sign_in_again;
use crate::embed::DashboardAppPage;
use crate::pages::{ContactCardPage, ImportContactsPage, NewContactPage, SignInPage};
use crate::state::{use_server_capabilities, ListSelection};

/// A part of the page whose code could not be downloaded (the network failed): the next
/// attempt fetches it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartMissing;

#[cfg(novatalks_split)]
impl From<leptos::wasm_split::SplitLoaderError> for PartMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartMissing
    }
}

/// `async fn NAME(ARGS) -> Result<AnyView, PartMissing>`, its body in the wasm part `PART`
/// of the release build.
macro_rules! split_point {
    ($(#[$attr:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) in $part:ident $body:block) => {
        $(#[$attr])*
        pub async fn $name($($arg: $ty),*) -> Result<AnyView, PartMissing> {
            #[cfg_attr(
                novatalks_split,
                leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)
            )]
            fn $name($($arg: $ty),*) -> Result<AnyView, PartMissing> {
                Ok($body)
            }
            #[cfg(novatalks_split)]
            let view = $name($($arg),*).await;
            #[cfg(not(novatalks_split))]
            let view = $name($($arg),*);
            view
        }
    };
}

split_point! {
    /// `/contacts/:id`.
    pub fn contact_card_page() in card_page {
        view! { <ContactCardPage /> }.into_any()
    }
}

split_point! {
    /// `/contacts/new`.
    pub fn new_contact_page() in new_contact_page {
        view! { <NewContactPage /> }.into_any()
    }
}

split_point! {
    /// `/contacts/import`.
    pub fn import_contacts_page() in import_page {
        view! { <ImportContactsPage /> }.into_any()
    }
}

split_point! {
    /// `/dashboard-app`: only in the dashboard's frame.
    pub fn dashboard_app_page() in dashboard_app {
        view! { <DashboardAppPage /> }.into_any()
    }
}

split_point! {
    /// `/sign-in`: an agent who is in never needs it.
    pub fn sign_in_page() in sign_in_page {
        view! { <SignInPage /> }.into_any()
    }
}

split_point! {
    /// The advanced filter's builder, opened from the list's Filter button or a chip.
    pub fn filter_builder(
        applied: Vec<FilterCondition>,
        focus: usize,
        catalog: Signal<Catalog>,
        labels: Signal<Vec<String>>,
        catalog_problem: Signal<Option<String>>,
        on_apply: Callback<Vec<FilterCondition>>,
        on_close: Callback<()>,
    ) in filter_builder {
        view! {
            <FilterBuilder applied focus catalog labels catalog_problem on_apply on_close />
        }
        .into_any()
    }
}

split_point! {
    /// A row's Block dialog.
    pub fn block_dialog(
        contact: Contact,
        on_done: Callback<Contact>,
        on_cancel: Callback<()>,
    ) in block_dialog {
        view! { <BlockDialog contact on_done on_cancel /> }.into_any()
    }
}

split_point! {
    /// The bulk bar's "add labels" / "remove labels" dialog.
    pub fn bulk_labels_dialog(
        mode: LabelMode,
        count: u64,
        on_confirm: Callback<Vec<String>>,
        on_cancel: Callback<()>,
    ) in bulk_dialogs {
        view! { <BulkLabelsDialog mode count on_confirm on_cancel /> }.into_any()
    }
}

split_point! {
    /// The bulk bar's Block dialog.
    pub fn bulk_block_dialog(
        count: u64,
        on_confirm: Callback<(Option<i64>, Option<String>)>,
        on_cancel: Callback<()>,
    ) in bulk_dialogs {
        view! { <BulkBlockDialog count on_confirm on_cancel /> }.into_any()
    }
}

split_point! {
    /// The bulk bar's Delete dialog.
    pub fn bulk_delete_dialog(
        count: u64,
        names: Vec<String>,
        undoable: bool,
        on_confirm: Callback<()>,
        on_cancel: Callback<()>,
    ) in bulk_dialogs {
        view! { <BulkDeleteDialog count names undoable on_confirm on_cancel /> }.into_any()
    }
}

split_point! {
    /// "Sign in again", over the page when the server has ended the session.
    pub fn session_ended() in session_ended {
        sign_in_again().into_any()
    }
}

split_point! {
    /// The bulk bar's count and actions, once something is selected.
    pub fn bulk_actions(
        list: ListSelection,
        count: Signal<u64>,
        extended: Signal<bool>,
        busy: Signal<bool>,
        on_open: Callback<BulkOpen>,
        on_unblock: Callback<()>,
    ) in bulk_selected {
        view! { <BulkActions list count extended busy on_open on_unblock /> }.into_any()
    }
}

split_point! {
    /// Under the bulk bar once something is selected: "select all N matching", and against a
    /// stock Chatwoot what its bulk API cannot do.
    pub fn bulk_selection_notes(list: ListSelection) in bulk_selected {
        let capabilities = use_server_capabilities();
        view! {
            <SelectAllBanner list />
            <Show when=move || !capabilities.has_extensions()>
                <BulkStockNote />
            </Show>
        }
        .into_any()
    }
}

split_point! {
    /// The form of "Save as segment".
    pub fn segment_save_form(
        filter: Signal<Vec<FilterCondition>>,
        on_saved: Callback<CustomFilter>,
        on_close: Callback<()>,
    ) in segment_save {
        view! { <SegmentSaveForm filter on_saved on_close /> }.into_any()
    }
}

split_point! {
    /// The applied filter's chips, with "Save as segment", while a filter is in force.
    pub fn filter_chips(
        filter: Signal<Vec<FilterCondition>>,
        catalog: Signal<Catalog>,
        on_edit: Callback<usize>,
        on_remove: Callback<usize>,
        on_clear: Callback<()>,
        on_saved: Callback<CustomFilter>,
    ) in filter_chips {
        view! {
            <FilterChips filter catalog on_edit on_remove on_clear>
                <SegmentSave filter on_saved />
            </FilterChips>
        }
        .into_any()
    }
}

split_point! {
    /// What a filter that matches nothing says, with its conditions.
    pub fn filter_empty(
        filter: Vec<FilterCondition>,
        search: String,
        labels: Vec<String>,
        catalog: Signal<Catalog>,
        on_clear: Callback<()>,
    ) in filter_chips {
        view! { <FilterEmpty filter search labels catalog on_clear /> }.into_any()
    }
}

split_point! {
    /// A saved segment's name, edited in place in the sidebar.
    pub fn segment_rename(
        id: i64,
        current: String,
        error: RwSignal<Option<String>>,
        on_renamed: Callback<()>,
        on_cancel: Callback<()>,
    ) in segment_edit {
        view! { <SegmentRename id current error on_renamed on_cancel /> }.into_any()
    }
}

split_point! {
    /// "Delete segment …?" in place of a saved segment.
    pub fn segment_delete(
        id: i64,
        title: String,
        error: RwSignal<Option<String>>,
        on_deleted: Callback<()>,
        on_cancel: Callback<()>,
    ) in segment_edit {
        view! { <SegmentDeleteConfirm id title error on_deleted on_cancel /> }.into_any()
    }
}
