use leptos::prelude::*;

use crate::api::{bulk, imports};
use crate::i18n::t;
use crate::state::use_api;

/// Saves the refused rows of import `id`: the file's own columns and an errors column,
/// to fix and import again.
#[component]
pub fn RefusedDownload(id: i64) -> impl IntoView {
    let strings = t().import;
    let api = use_api();
    let problem = RwSignal::new(None::<String>);
    let download = move |_| {
        let client = api.client();
        leptos::task::spawn_local(async move {
            let saved = imports::refused_rows(&client, id)
                .await
                .map_err(|e| t().describe_error(&e))
                .and_then(|csv| bulk::save_csv(&imports::refused_file_name(id), &csv));
            problem.try_set(saved.err().map(|why| (strings.download_failed)(&why)));
        });
    };
    view! {
        <button type="button" class="button button--small" data-testid="import-refused" on:click=download>
            {strings.download_refused}
        </button>
        {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
    }
}
