use leptos::prelude::*;
use novatalks_model::filter::CustomFilter;

use crate::components::common::Later;
use crate::i18n::t;
use crate::split;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Showing,
    Renaming,
    ConfirmingDelete,
}

/// One saved segment in the sidebar: its name opens it; beside it, rename (in place) and
/// delete (after a confirmation). Highlighted while its filter is the one in force.
#[component]
pub fn SegmentItem(
    segment: CustomFilter,
    /// Whether its filter is the one in force.
    #[prop(into)]
    active: Signal<bool>,
    on_open: Callback<CustomFilter>,
    /// After a rename or a delete: the list is loaded again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let id = segment.id;
    let title = segment.name.clone();
    let mode = RwSignal::new(Mode::Showing);
    let error = RwSignal::new(None::<String>);
    let back = Callback::new(move |()| {
        mode.set(Mode::Showing);
        error.set(None);
    });
    let renamed = Callback::new(move |()| {
        mode.set(Mode::Showing);
        on_changed.run(());
    });

    let opened = StoredValue::new(segment);
    let showing = {
        let title = title.clone();
        move || {
            let title = title.clone();
            view! {
                <button
                    type="button"
                    class="label-sidebar__item segment__open"
                    class:label-sidebar__item--active=move || active.get()
                    data-testid="segment-item"
                    data-segment-id=id.to_string()
                    aria-current=move || active.get().then_some("true")
                    on:click=move |_| on_open.run(opened.get_value())
                >
                    <span class="segment__icon" aria-hidden="true">"⚲"</span>
                    <span class="label-sidebar__title">{title.clone()}</span>
                </button>
                <span class="segment__tools">
                    <button
                        type="button"
                        class="icon-button"
                        data-testid="segment-rename"
                        aria-label=(strings.rename_segment)(&title)
                        title=(strings.rename_segment)(&title)
                        on:click=move |_| mode.set(Mode::Renaming)
                    >
                        "✎"
                    </button>
                    <button
                        type="button"
                        class="icon-button icon-button--danger"
                        data-testid="segment-delete"
                        aria-label=(strings.delete_segment)(&title)
                        title=(strings.delete_segment)(&title)
                        on:click=move |_| mode.set(Mode::ConfirmingDelete)
                    >
                        "×"
                    </button>
                </span>
            }
            .into_any()
        }
    };
    let renaming = move || {
        let current = opened.with_value(|s| s.name.clone());
        let load = move || split::segment_rename(id, current.clone(), error, renamed, back);
        view! { <Later load /> }.into_any()
    };
    let confirming = {
        let title = title.clone();
        move || {
            let title = title.clone();
            let load = move || split::segment_delete(id, title.clone(), error, on_changed, back);
            view! { <Later load /> }.into_any()
        }
    };

    view! {
        <li class="segment" data-segment-id=id.to_string()>
            {move || match mode.get() {
                Mode::Showing => showing(),
                Mode::Renaming => renaming(),
                Mode::ConfirmingDelete => confirming(),
            }}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="segment__error" role="alert" data-testid="segment-error">
                                {message}
                            </p>
                        }
                    })
            }}
        </li>
    }
}
