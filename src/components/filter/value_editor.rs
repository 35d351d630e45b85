use leptos::prelude::*;
use novatalks_model::filter::FilterCondition;
use serde_json::Value;

use super::value_kind::{boolean, first_text, kind_of, texts, zone_to_send, ValueKind};
use super::wording::zone_note;
use super::{
    agent_clock, BooleanValue, Catalog, ChoiceValues, DayValue, DaysAgoValue, NumberValue,
    TextValue,
};
use crate::i18n::t;

/// The value part of a condition row: the editor its attribute and operator call for (a
/// text box, a number, a date picker, "N days ago", the labels, a list's options, true or
/// false, or nothing for "is set"). A new editor starts when the attribute or the kind of
/// value changes; within one, what is typed stays as typed.
#[component]
pub fn ValueEditor(
    #[prop(into)] condition: Signal<FilterCondition>,
    #[prop(into)] catalog: Signal<Catalog>,
    /// The titles of the account's labels.
    #[prop(into)]
    labels: Signal<Vec<String>>,
    /// "Condition 2": the editors are named after it.
    #[prop(into)]
    row_label: Signal<String>,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] error_id: String,
    on_change: Callback<Vec<Value>>,
) -> impl IntoView {
    let strings = t().filter;
    let shape = Memo::new(move |_| {
        let kind = catalog.with(|catalog| condition.with(|c| kind_of(c, catalog)));
        (condition.with(|c| c.attribute_key.clone()), kind)
    });
    let clock = agent_clock();
    let agent_zone = clock.zone.clone();
    let zone_note = Signal::derive(move || condition.with(|c| zone_note(&c.values, &clock)));
    move || {
        let (_, kind) = shape.get();
        let values = condition.with_untracked(|c| c.values.clone());
        let error_id = error_id.clone();
        let label = format!("{} {}", row_label.get_untracked(), strings.value_label);
        match kind {
            ValueKind::Nothing => ().into_any(),
            ValueKind::Text => view! {
                <TextValue initial=first_text(&values) label invalid error_id on_change />
            }
            .into_any(),
            ValueKind::Phone => view! {
                <TextValue
                    initial=first_text(&values)
                    input_type="tel"
                    label
                    invalid
                    error_id
                    on_change
                />
            }
            .into_any(),
            ValueKind::Integer | ValueKind::Number => view! {
                <NumberValue
                    initial=first_text(&values)
                    whole=kind == ValueKind::Integer
                    label
                    invalid
                    error_id
                    on_change
                />
            }
            .into_any(),
            ValueKind::Day => view! {
                <DayValue
                    initial=first_text(&values)
                    zone=zone_to_send(&values, agent_zone.clone())
                    zone_note
                    label
                    invalid
                    error_id
                    on_change
                />
            }
            .into_any(),
            ValueKind::DaysAgo => view! {
                <DaysAgoValue
                    initial=first_text(&values)
                    zone=zone_to_send(&values, agent_zone.clone())
                    zone_note
                    label
                    invalid
                    error_id
                    on_change
                />
            }
            .into_any(),
            ValueKind::Labels => view! {
                <ChoiceValues
                    choices=labels
                    initial=texts(&values)
                    label=format!("{} {}", row_label.get_untracked(), strings.choose_labels)
                    invalid
                    error_id
                    on_change
                />
            }
            .into_any(),
            ValueKind::Options(options) => view! {
                <ChoiceValues
                    choices=Signal::stored(options)
                    initial=texts(&values)
                    label=format!("{} {}", row_label.get_untracked(), strings.choose_values)
                    invalid
                    error_id
                    on_change
                />
            }
            .into_any(),
            ValueKind::Boolean => view! {
                <BooleanValue initial=boolean(&values) label invalid error_id on_change />
            }
            .into_any(),
        }
    }
}
