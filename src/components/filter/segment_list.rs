use leptos::prelude::*;
use novatalks_model::filter::{CustomFilter, FilterCondition};

use super::SegmentItem;
use crate::api::custom_filters;
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::filter_url::normalized;
use crate::state::use_api;

/// The agent's saved segments, for the sidebar: one item each, which opens, renames or
/// deletes it. Loaded again whenever `refresh` changes (a segment was saved).
#[component]
pub fn SegmentList(
    /// Bumped by the owner when a segment was saved.
    #[prop(into)]
    refresh: Signal<u32>,
    /// The filter in force: the segment holding it is highlighted.
    #[prop(into)]
    active: Signal<Vec<FilterCondition>>,
    on_open: Callback<CustomFilter>,
) -> impl IntoView {
    let strings = t().filter;
    let api = use_api();
    let version = RwSignal::new(0u32);
    let segments = LocalResource::new(move || {
        refresh.track();
        version.track();
        let client = api.client();
        async move { custom_filters::list(&client).await }
    });
    let on_changed = Callback::new(move |()| version.update(|v| *v += 1));
    let active_normalized = Memo::new(move |_| active.with(|a| normalized(a)));
    let heading_id = element_id("segments-heading");

    let items = move || {
        match segments.get() {
        None => view! {
            <p class="label-sidebar__note" role="status">{strings.loading_segments}</p>
        }
        .into_any(),
        Some(Err(why)) => view! {
            <div class="label-sidebar__note" role="alert">
                <p>{(strings.segments_load_failed)(&t().describe_error(&why))}</p>
                <button type="button" class="button" on:click=move |_| on_changed.run(())>
                    {t().retry}
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="label-sidebar__note" data-testid="segments-empty">{strings.no_segments}</p> }
                .into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="label-sidebar__list segments__list">
                {list
                    .into_iter()
                    .map(|segment| {
                        let payload = normalized(&segment.query.payload);
                        let active = Signal::derive(move || {
                            active_normalized.with(|a| !a.is_empty() && *a == payload)
                        });
                        view! { <SegmentItem segment active on_open on_changed /> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
    };

    let heading_id_ref = heading_id.clone();
    view! {
        <section class="segments" aria-labelledby=heading_id_ref data-testid="segments">
            <h2 class="label-sidebar__heading" id=heading_id>
                {strings.segments_heading}
            </h2>
            {items}
        </section>
    }
}
