use std::time::Duration;

use chrono::{DateTime, Local};
use leptos::leptos_dom::helpers::set_interval_with_handle;
use leptos::prelude::*;
use novatalks_model::block::BlockDuration;

use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::block_choice::{
    block_ends_at_choice, local_input_value, BlockChoice, ChoiceError, REASON_MAX_CHARS,
};

/// What a block form holds: the duration chosen, the date and time typed for "Select
/// time", the reason, and the clock its preview counts from (it ticks while the form is
/// shown). One contact's [`super::BlockDialog`] and the bulk block dialog share it.
#[derive(Clone, Copy)]
pub struct BlockForm {
    choice: RwSignal<BlockChoice>,
    custom_input: RwSignal<String>,
    reason: RwSignal<String>,
    now: RwSignal<DateTime<Local>>,
    ends: Memo<Result<Option<i64>, ChoiceError>>,
    reason_chars: Memo<usize>,
}

impl BlockForm {
    /// A form on "an hour", without a reason; its clock ticks until the owner goes.
    pub fn new() -> Self {
        let choice = RwSignal::new(BlockChoice::Preset(BlockDuration::Hour));
        let custom_input = RwSignal::new(String::new());
        let reason = RwSignal::new(String::new());
        // "An hour from now" moves while the dialog is open: so does its preview.
        let now = RwSignal::new(Local::now());
        let tick = set_interval_with_handle(move || now.set(Local::now()), Duration::from_secs(1));
        on_cleanup(move || {
            if let Ok(tick) = tick {
                tick.clear();
            }
        });
        let ends = Memo::new(move |_| {
            custom_input.with(|input| block_ends_at_choice(choice.get(), input, &now.get()))
        });
        let reason_chars = Memo::new(move |_| reason.with(|r| r.chars().count()));
        BlockForm {
            choice,
            custom_input,
            reason,
            now,
            ends,
            reason_chars,
        }
    }

    /// Whether the form can be sent (tracked).
    pub fn valid(&self) -> bool {
        self.ends.with(Result::is_ok) && self.reason_chars.get() <= REASON_MAX_CHARS
    }

    /// Until when (`None`: for good) and why, with the end taken at this moment rather
    /// than at the last tick; `None` while the form cannot be sent.
    pub fn take(&self) -> Option<(Option<i64>, Option<String>)> {
        let at = Local::now();
        self.now.set(at);
        let until = self
            .custom_input
            .with_untracked(|input| block_ends_at_choice(self.choice.get_untracked(), input, &at));
        let reason = self.reason.get_untracked();
        match (until, reason.chars().count() <= REASON_MAX_CHARS) {
            (Ok(until), true) => {
                let reason = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
                Some((until, reason))
            }
            _ => None,
        }
    }
}

impl Default for BlockForm {
    fn default() -> Self {
        BlockForm::new()
    }
}

/// The fields of a block form: the durations (presets, for ever, a chosen date and time),
/// the reason with its count, and exactly when the block would end, in the agent's zone.
#[component]
pub fn BlockFields(form: BlockForm) -> impl IntoView {
    let strings = t();
    let BlockForm {
        choice,
        custom_input,
        reason,
        now,
        ends,
        reason_chars,
    } = form;
    let until_error_id = element_id("block-until-error");
    let reason_count_id = element_id("block-reason-count");
    let group = element_id("block-duration");

    let preview = move || match ends.get() {
        Ok(Some(at)) => {
            (strings.blocked_until)(&strings.format_block_preview(at, now.get().timestamp()))
        }
        Ok(None) => strings.blocked_forever.to_owned(),
        Err(_) => String::new(),
    };
    let until_error = move || match (choice.get(), ends.get()) {
        (BlockChoice::Custom, Err(error)) => Some(strings.block_until_problem(error)),
        _ => None,
    };

    let options = move || {
        let group = group.clone();
        BlockChoice::ALL
            .into_iter()
            .map(move |option| {
                view! {
                    <label class="radio">
                        <input
                            type="radio"
                            name=group.clone()
                            value=option.key()
                            data-testid=format!("block-duration-{}", option.key())
                            prop:checked=move || choice.get() == option
                            on:change=move |_| choice.set(option)
                        />
                        <span>{strings.block_choice(option)}</span>
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        <fieldset class="block-durations">
            <legend class="field__label">{strings.block_duration_legend}</legend>
            {options()}
            <div class="block-until">
                <input
                    type="datetime-local"
                    class="block-until__input"
                    aria-label=strings.block_until_label
                    aria-describedby=until_error_id.clone()
                    aria-invalid=move || until_error().map(|_| "true")
                    data-testid="block-until-input"
                    min=move || local_input_value(&now.get())
                    prop:value=move || custom_input.get()
                    // Typing or clicking in the field chooses it (the browser
                    // reports no value until it is complete); Tab passing through
                    // does not.
                    on:mousedown=move |_| choice.set(BlockChoice::Custom)
                    on:keydown=move |event| {
                        if !matches!(event.key().as_str(), "Tab" | "Shift" | "Escape") {
                            choice.set(BlockChoice::Custom);
                        }
                    }
                    on:input=move |event| {
                        custom_input.set(event_target_value(&event));
                        choice.set(BlockChoice::Custom);
                    }
                />
                <p class="field-error" id=until_error_id.clone() aria-live="polite" data-testid="block-until-error">
                    {until_error}
                </p>
            </div>
        </fieldset>
        <label class="field">
            <span class="field__label">{strings.block_reason_label}</span>
            <textarea
                class="block-reason"
                rows="2"
                maxlength=REASON_MAX_CHARS
                aria-describedby=reason_count_id.clone()
                data-testid="block-reason"
                prop:value=move || reason.get()
                on:input=move |event| reason.set(event_target_value(&event))
            ></textarea>
            <span class="field__hint" id=reason_count_id.clone()>
                {move || (strings.block_reason_count)(reason_chars.get(), REASON_MAX_CHARS)}
            </span>
        </label>
        <p class="block-preview" aria-live="polite" data-testid="block-preview">{preview}</p>
    }
}
