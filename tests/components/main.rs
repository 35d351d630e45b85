//! Component tests: the app's components mounted in headless Chromium, talking to an
//! in-memory fake of the API through the real client (so the real JSON decoding runs).
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p novatalks-contacts --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

mod block_dialog;
mod bulk;
mod card_attributes;
mod card_details;
mod card_labels;
mod card_notes;
mod card_support;
mod contacts_page;
mod create_contact;
mod embed;
mod filter_builder;
mod filter_chips;
mod filter_support;
mod filter_url;
mod free_labels;
mod import_page;
mod label_sidebar;
mod list_state;
mod list_support;
mod merge_dialog;
mod merge_page;
mod new_conversation;
mod routes;
mod row_actions;
mod row_labels;
mod search_box;
mod segments;
mod session_ended;
mod sign_in_page;
mod sorting;
mod stock_chatwoot;
mod support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
