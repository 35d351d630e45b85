use leptos::prelude::*;
use novatalks_model::Label;

use super::SidebarLabel;
use crate::api::ApiError;
use crate::i18n::t;

/// The account's labels, each in its colour, then the free titles contacts carry (none of
/// the account's labels: no colour of their own): clicking one shows only the contacts
/// having it, clicking more adds them (contacts having any), clicking a chosen one again
/// drops it; "All contacts" drops them all. Chosen items are highlighted and
/// `aria-current`.
#[component]
pub fn LabelSidebar(
    /// The account's labels; `None` while they load.
    #[prop(into)]
    labels: Signal<Option<Result<Vec<Label>, ApiError>>>,
    /// The labels in force.
    #[prop(into)]
    active: Signal<Vec<String>>,
    /// Titles contacts carry that are none of the account's labels (none from a stock
    /// Chatwoot, which does not list them).
    #[prop(optional, into)]
    free_titles: Signal<Vec<String>>,
    /// Called with the title of the label clicked.
    on_toggle: Callback<String>,
    /// "All contacts".
    on_all: Callback<()>,
    /// Loads the labels again after a failure.
    on_retry: Callback<()>,
    /// More of the sidebar, after the labels (the saved segments).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let strings = t();
    let all_current = move || active.with(Vec::is_empty).then_some("page");
    let items = move || match labels.get() {
        None => view! {
            <p class="label-sidebar__note" role="status">{strings.loading_labels}</p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <div class="label-sidebar__note" role="alert">
                <p>{(strings.labels_load_failed)(&strings.describe_error(&error))}</p>
                <button type="button" class="button" on:click=move |_| on_retry.run(())>
                    {strings.retry}
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(labels)) if labels.is_empty() && free_titles.with(Vec::is_empty) => {
            view! { <p class="label-sidebar__note">{strings.no_labels}</p> }.into_any()
        }
        Some(Ok(labels)) => {
            let mut shown: Vec<Label> = labels
                .into_iter()
                .filter(|label| {
                    label.show_on_sidebar != Some(false)
                        || active.with_untracked(|a| a.contains(&label.title))
                })
                .collect();
            // A free title: a label without id, colour or description.
            shown.extend(free_titles.get().into_iter().map(|title| Label {
                id: 0,
                title,
                description: None,
                color: None,
                show_on_sidebar: Some(true),
            }));
            view! {
                <ul class="label-sidebar__list">
                    {shown
                        .into_iter()
                        .map(|label| view! { <SidebarLabel label active on_toggle /> })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };

    view! {
        <nav class="label-sidebar" aria-label=strings.labels_nav data-testid="label-sidebar">
            <ul class="label-sidebar__list">
                <li>
                    <button
                        type="button"
                        class="label-sidebar__item"
                        class:label-sidebar__item--active=move || all_current().is_some()
                        data-testid="all-contacts"
                        aria-current=all_current
                        on:click=move |_| on_all.run(())
                    >
                        <span class="label-sidebar__title">{strings.all_contacts}</span>
                    </button>
                </li>
            </ul>
            <h2 class="label-sidebar__heading">{strings.labels_heading}</h2>
            {items}
            {children.map(|children| children())}
        </nav>
    }
}
