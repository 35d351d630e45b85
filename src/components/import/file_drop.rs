use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::t;

/// The bytes of a file the agent chose.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Where a file is dropped, or chosen with the picker: `on_file` gets the first one.
#[component]
pub fn FileDrop(on_file: Callback<web_sys::File>) -> impl IntoView {
    let strings = t().import;
    let over = RwSignal::new(false);
    let take = move |files: Option<web_sys::FileList>| {
        if let Some(file) = files.and_then(|list| list.get(0)) {
            on_file.run(file);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            take(input.files());
            // The same file chosen again is a change too.
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        take(ev.data_transfer().and_then(|d| d.files()));
    };
    view! {
        <label
            class="import-drop"
            class:import-drop--over=move || over.get()
            data-testid="import-drop"
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop
        >
            <span class="import-drop__text">{strings.drop_here}" "</span>
            <span class="import-drop__pick">{strings.choose_file}</span>
            <input
                type="file"
                class="import-drop__input"
                accept=".csv,.tsv,.txt,text/csv,text/plain"
                aria-label=strings.file_label
                data-testid="import-file"
                on:change=on_change
            />
        </label>
    }
}
