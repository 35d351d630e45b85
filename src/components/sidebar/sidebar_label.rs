use leptos::prelude::*;
use novatalks_model::Label;

use crate::i18n::t;
use crate::logic::label_colour::HexColour;

/// One label of the [`super::LabelSidebar`]: a toggle, highlighted while in force. A label
/// without a colour (a free title) has a hollow dot and says why on hover.
#[component]
pub fn SidebarLabel(
    label: Label,
    /// The labels in force.
    #[prop(into)]
    active: Signal<Vec<String>>,
    on_toggle: Callback<String>,
) -> impl IntoView {
    let title = label.title;
    let is_active = {
        let title = title.clone();
        Memo::new(move |_| active.with(|a| a.contains(&title)))
    };
    let dot = label
        .color
        .as_deref()
        .and_then(HexColour::parse)
        .map(|c| format!("--label-colour:{}", c.css()));
    let free = dot.is_none();
    let description = label
        .description
        .filter(|d| !d.trim().is_empty())
        .or_else(|| free.then(|| t().free_label_hint.to_owned()));
    let clicked = title.clone();
    let data_label = title.clone();
    view! {
        <li>
            <button
                type="button"
                class="label-sidebar__item"
                class:label-sidebar__item--active=is_active
                data-testid="sidebar-label"
                data-label=data_label
                data-free=free.then_some("true")
                title=description
                aria-pressed=move || if is_active.get() { "true" } else { "false" }
                aria-current=move || is_active.get().then_some("true")
                on:click=move |_| on_toggle.run(clicked.clone())
            >
                <span class="label-dot" class:label-dot--free=free style=dot aria-hidden="true"></span>
                <span class="label-sidebar__title">{title}</span>
            </button>
        </li>
    }
}
