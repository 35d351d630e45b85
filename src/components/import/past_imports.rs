use leptos::prelude::*;

use super::PastImport;
use crate::api::imports;
use crate::i18n::t;
use crate::state::{use_api, Imports};

/// The account's earlier imports, newest first; reloaded after an import or an undo.
#[component]
pub fn PastImports(imports: Imports) -> impl IntoView {
    let strings = t().import;
    let api = use_api();
    let listed = LocalResource::new(move || {
        imports.changes.track();
        let client = api.client();
        async move {
            imports::list(&client)
                .await
                .map_err(|e| t().describe_error(&e))
        }
    });
    view! {
        <section class="past-imports" data-testid="past-imports">
            <h2 class="past-imports__heading">{strings.past_heading}</h2>
            {move || match listed.get() {
                None => view! { <p class="muted">{strings.past_loading}</p> }.into_any(),
                Some(Err(why)) => view! { <p class="form-error" role="alert">{why}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="muted">{strings.past_none}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <ul class="past-imports__list">
                            {list
                                .into_iter()
                                .map(|summary| view! { <PastImport summary imports /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
