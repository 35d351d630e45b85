use leptos::prelude::*;
use novatalks_model::filter::{CustomFilter, FilterCondition};

use crate::components::common::Later;
use crate::i18n::t;
use crate::split;

/// "Save as segment": a button that opens the form ([`super::SegmentSaveForm`]) which
/// names and saves the filter in force.
#[component]
pub fn SegmentSave(
    /// The conditions to save.
    #[prop(into)]
    filter: Signal<Vec<FilterCondition>>,
    /// The segment as saved.
    on_saved: Callback<CustomFilter>,
) -> impl IntoView {
    let strings = t().filter;
    let open = RwSignal::new(false);
    let on_close = Callback::new(move |()| open.set(false));
    view! {
        <div class="segment-save">
            <Show
                when=move || open.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="button button--quiet"
                            data-testid="segment-save"
                            on:click=move |_| open.set(true)
                        >
                            {strings.save_segment}
                        </button>
                    }
                }
            >
                <Later load=move || split::segment_save_form(filter, on_saved, on_close) />
            </Show>
        </div>
    }
}
