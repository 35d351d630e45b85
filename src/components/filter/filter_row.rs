use leptos::prelude::*;
use novatalks_model::filter::{
    chatwoot_operators_for, operators_for, Conjunction, FilterCondition,
};
use serde_json::Value;

use super::value_kind::{with_attribute, with_operator};
use super::{AttributeChoice, Catalog, ValueEditor};
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::filter_url::join_of;
use crate::state::use_server_capabilities;

/// One condition of the [`super::FilterBuilder`]: attribute, operator and value, the
/// buttons that move it up and down or remove it, what is wrong with it once the agent
/// tried to apply, and (unless it is the last) the AND / OR joining it to the next.
///
/// The move buttons stay focusable at the ends (`aria-disabled`), so focus never drops
/// out of the list while rows are reordered from the keyboard.
#[component]
pub fn FilterRow(
    #[prop(into)] condition: Signal<FilterCondition>,
    /// Its position, from 0.
    #[prop(into)]
    index: Signal<usize>,
    /// How many rows there are.
    #[prop(into)]
    count: Signal<usize>,
    #[prop(into)] catalog: Signal<Catalog>,
    #[prop(into)] labels: Signal<Vec<String>>,
    /// The validation's message about this condition, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    on_change: Callback<FilterCondition>,
    on_remove: Callback<()>,
    on_move_up: Callback<()>,
    on_move_down: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let error_id = element_id("filter-row-error");
    let number = move || index.get() + 1;
    let row_label = Signal::derive(move || (strings.condition_label)(number()));
    let is_last = move || index.get() + 1 >= count.get();
    let invalid = Signal::derive(move || error.with(Option::is_some));
    // The lists are rebuilt when the attribute or operator changes, not on every keystroke.
    let key = Memo::new(move |_| condition.with(|c| c.attribute_key.clone()));
    let operator = Memo::new(move |_| condition.with(|c| c.filter_operator.clone()));

    let attribute_options = move || {
        let key = key.get();
        let (standard, custom, known) = catalog.with(|catalog| {
            (
                catalog.standard_choices(),
                catalog.custom_choices(),
                catalog.attribute(&key).is_some(),
            )
        });
        let option = {
            let key = key.clone();
            move |choice: AttributeChoice| {
                let selected = choice.key == key;
                view! {
                    <option value=choice.key selected=selected>
                        {choice.name}
                    </option>
                }
            }
        };
        // A key the account no longer defines still shows, so the row reads true.
        let unknown = (!known).then(|| {
            view! {
                <option value=key.clone() selected=true>
                    {key.clone()}
                </option>
            }
        });
        view! {
            {unknown}
            <optgroup label=strings.standard_attributes>
                {standard.into_iter().map(option.clone()).collect_view()}
            </optgroup>
            {(!custom.is_empty())
                .then(|| {
                    view! {
                        <optgroup label=strings.custom_attributes>
                            {custom.into_iter().map(option.clone()).collect_view()}
                        </optgroup>
                    }
                })}
        }
    };
    // Against a stock Chatwoot only the operators it takes are offered: it refuses ours.
    let capabilities = use_server_capabilities();
    let operator_options = move || {
        let (key, current) = (key.get(), operator.get());
        let offered = if capabilities.has_extensions() {
            operators_for
        } else {
            chatwoot_operators_for
        };
        match catalog.with(|catalog| catalog.attribute(&key)) {
            Some(attribute) => offered(&attribute)
                .iter()
                .map(|op| {
                    let value = op.as_str();
                    view! {
                        <option value=value selected=value == current>
                            {strings.operator(&attribute, *op)}
                        </option>
                    }
                })
                .collect_view()
                .into_any(),
            None => view! {
                <option value=current.clone() selected=true>
                    {current.replace('_', " ")}
                </option>
            }
            .into_any(),
        }
    };

    let on_attribute = move |key: String| {
        let changed = catalog.with_untracked(|catalog| {
            condition.with_untracked(|c| with_attribute(c, &key, catalog))
        });
        on_change.run(changed);
    };
    let on_operator = move |op: String| {
        let changed = catalog
            .with_untracked(|catalog| condition.with_untracked(|c| with_operator(c, &op, catalog)));
        on_change.run(changed);
    };
    let on_values = Callback::new(move |values: Vec<Value>| {
        let mut changed = condition.get_untracked();
        changed.values = values;
        on_change.run(changed);
    });
    let on_join = move |join: String| {
        let mut changed = condition.get_untracked();
        changed.query_operator = Conjunction::parse(&join).map(|j| j.as_str().to_owned());
        on_change.run(changed);
    };
    let join = move || join_of(&condition.get());

    view! {
        <li
            class="filter-row"
            class:filter-row--invalid=invalid
            data-testid="filter-row"
            data-index=move || index.get().to_string()
            role="group"
            aria-label=row_label
        >
            <div class="filter-row__fields">
                <span class="filter-row__number" aria-hidden="true">{number}</span>
                <select
                    class="input filter-row__attribute"
                    data-testid="filter-attribute"
                    aria-label=move || format!("{} {}", row_label.get(), strings.attribute_label)
                    on:change=move |ev| on_attribute(event_target_value(&ev))
                >
                    {attribute_options}
                </select>
                <select
                    class="input filter-row__operator"
                    data-testid="filter-operator"
                    aria-label=move || format!("{} {}", row_label.get(), strings.operator_label)
                    on:change=move |ev| on_operator(event_target_value(&ev))
                >
                    {operator_options}
                </select>
                <span class="filter-row__value">
                    <ValueEditor
                        condition
                        catalog
                        labels
                        row_label
                        invalid
                        error_id=error_id.clone()
                        on_change=on_values
                    />
                </span>
                <span class="filter-row__tools">
                    <button
                        type="button"
                        class="icon-button"
                        data-testid="filter-move-up"
                        aria-label=move || (strings.move_up)(number())
                        title=move || (strings.move_up)(number())
                        aria-disabled=move || (index.get() == 0).to_string()
                        on:click=move |_| {
                            if index.get_untracked() > 0 {
                                on_move_up.run(());
                            }
                        }
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="icon-button"
                        data-testid="filter-move-down"
                        aria-label=move || (strings.move_down)(number())
                        title=move || (strings.move_down)(number())
                        aria-disabled=move || is_last().to_string()
                        on:click=move |_| {
                            if !is_last() {
                                on_move_down.run(());
                            }
                        }
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="icon-button icon-button--danger"
                        data-testid="filter-remove"
                        aria-label=move || (strings.remove_condition)(number())
                        title=move || (strings.remove_condition)(number())
                        on:click=move |_| on_remove.run(())
                    >
                        "×"
                    </button>
                </span>
            </div>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p
                                class="filter-row__error"
                                id=error_id.clone()
                                role="alert"
                                data-testid="filter-row-error"
                            >
                                {message}
                            </p>
                        }
                    })
            }}
            <Show when=move || !is_last()>
                <div class="filter-row__join">
                    <select
                        class="input filter-join"
                        data-testid="filter-join"
                        aria-label=move || (strings.join_label)(number(), number() + 1)
                        on:change=move |ev| on_join(event_target_value(&ev))
                    >
                        <option value="and" prop:selected=move || join() == Conjunction::And>
                            {strings.join_and}
                        </option>
                        <option value="or" prop:selected=move || join() == Conjunction::Or>
                            {strings.join_or}
                        </option>
                    </select>
                </div>
            </Show>
        </li>
    }
}
