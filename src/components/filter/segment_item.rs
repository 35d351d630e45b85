use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use novatalks_model::filter::{segment_name, CustomFilter};

use crate::api::custom_filters;
use crate::i18n::t;
use crate::state::use_api;

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
    let api = use_api();
    let id = segment.id;
    let title = segment.name.clone();
    let mode = RwSignal::new(Mode::Showing);
    let name = RwSignal::new(segment.name.clone());
    let error = RwSignal::new(None::<String>);
    let input: NodeRef<html::Input> = NodeRef::new();
    let confirm: NodeRef<html::Button> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
            input.select();
        }
    });
    Effect::new(move |_| {
        if let Some(button) = confirm.get() {
            let _ = button.focus();
        }
    });

    let rename = Action::new_local(move |name: &String| {
        let name = name.clone();
        let client = api.client();
        async move { custom_filters::rename(&client, id, &name).await }
    });
    let delete = Action::new_local(move |(): &()| {
        let client = api.client();
        async move { custom_filters::delete(&client, id).await }
    });
    Effect::new(move |_| match rename.value().get() {
        Some(Ok(_)) => {
            mode.set(Mode::Showing);
            on_changed.run(());
        }
        Some(Err(why)) => error.set(Some((strings.segment_rename_failed)(
            &t().describe_error(&why),
        ))),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => on_changed.run(()),
        Some(Err(why)) => error.set(Some((strings.segment_delete_failed)(
            &t().describe_error(&why),
        ))),
        None => {}
    });
    let busy = Signal::derive(move || rename.pending().get() || delete.pending().get());

    let submit_rename = move || match segment_name(&name.get_untracked()) {
        Ok(valid) => {
            error.set(None);
            rename.dispatch(valid);
        }
        Err(message) => error.set(Some(message)),
    };
    let back = move || {
        mode.set(Mode::Showing);
        error.set(None);
    };
    let on_escape = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            back();
        }
    };

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
                        on:click=move |_| {
                            name.set(opened.with_value(|s| s.name.clone()));
                            mode.set(Mode::Renaming);
                        }
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
        view! {
            <form
                class="segment__rename"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit_rename();
                }
                on:keydown=on_escape
            >
                <input
                    class="input"
                    type="text"
                    maxlength="100"
                    data-testid="segment-name"
                    aria-label=strings.segment_name
                    node_ref=input
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <button
                    type="submit"
                    class="button button--primary"
                    data-testid="segment-rename-submit"
                    disabled=move || busy.get()
                >
                    {strings.rename}
                </button>
                <button type="button" class="button button--quiet" on:click=move |_| back()>
                    {strings.cancel}
                </button>
            </form>
        }
        .into_any()
    };
    let confirming = {
        let title = title.clone();
        move || {
            view! {
                <div class="segment__confirm" role="alertdialog" aria-label=(strings.delete_segment)(&title) on:keydown=on_escape>
                    <p>{(strings.delete_segment_question)(&title)}</p>
                    <button
                        type="button"
                        class="button button--danger"
                        data-testid="segment-delete-confirm"
                        node_ref=confirm
                        disabled=move || busy.get()
                        on:click=move |_| {
                            delete.dispatch(());
                        }
                    >
                        {strings.delete}
                    </button>
                    <button type="button" class="button button--quiet" on:click=move |_| back()>
                        {strings.cancel}
                    </button>
                </div>
            }
            .into_any()
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
