use std::time::Duration;

use chrono::Local;
use leptos::ev::SubmitEvent;
use leptos::leptos_dom::helpers::set_interval_with_handle;
use leptos::prelude::*;
use novatalks_model::block::BlockDuration;
use novatalks_model::Contact;

use super::{BlockRequest, StockBlockDialog};
use crate::components::common::{element_id, Modal};
use crate::i18n::t;
use crate::logic::block_choice::{
    block_ends_at_choice, local_input_value, BlockChoice, REASON_MAX_CHARS,
};
use crate::state::use_server_capabilities;

/// Blocks one contact: for how long (a preset, for ever, or a chosen date and time) and
/// why. Before the agent confirms it says exactly when the block ends, in the agent's time
/// zone. A refusal of the server shows inside, with every choice kept.
///
/// Not tied to the table: whoever opens it (a row, the contact card) hears the blocked
/// contact through `on_done` and closes it.
///
/// A stock Chatwoot server keeps neither an end nor a reason: there the dialog is a
/// [`StockBlockDialog`], which blocks until unblocked and says why there is no choice.
#[component]
pub fn BlockDialog(
    contact: Contact,
    /// The contact as the server returned it once blocked.
    on_done: Callback<Contact>,
    /// Cancel or Escape.
    on_cancel: Callback<()>,
) -> impl IntoView {
    if !use_server_capabilities().has_extensions_untracked() {
        return view! { <StockBlockDialog contact on_done on_cancel /> }.into_any();
    }
    let strings = t();
    let id = contact.id;
    let title = (strings.block_dialog_title)(&contact.display_name());
    let title_id = element_id("block-dialog-title");
    let intro_id = element_id("block-dialog-intro");
    let until_error_id = element_id("block-until-error");
    let reason_count_id = element_id("block-reason-count");
    let group = element_id("block-duration");

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
    let valid = move || ends.with(Result::is_ok) && reason_chars.get() <= REASON_MAX_CHARS;

    let request = BlockRequest::new(id, on_done);
    let pending = request.pending();
    let server_error = move || request.error();

    let confirm = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        // The end is taken at the moment of the click, not of the last tick.
        let at = Local::now();
        now.set(at);
        let until = custom_input
            .with_untracked(|input| block_ends_at_choice(choice.get_untracked(), input, &at));
        let reason = reason.get_untracked();
        if let (Ok(until), true) = (until, reason.chars().count() <= REASON_MAX_CHARS) {
            let reason = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
            request.send((until, reason));
        }
    };

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

    // Built each time the modal renders its content (it may do so more than once).
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
        <Modal labelled_by=title_id.clone() described_by=intro_id.clone() on_close=on_cancel test_id="block-dialog">
            <form class="dialog-form" novalidate on:submit=confirm>
                <h2 class="modal__title" id=title_id.clone()>{title.clone()}</h2>
                <p class="modal__intro" id=intro_id.clone()>{strings.block_dialog_intro}</p>
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
                {move || server_error().map(|message| view! {
                    <p class="form-error" role="alert" data-testid="block-error">{message}</p>
                })}
                <div class="modal__actions">
                    <button type="button" class="button" data-testid="block-cancel" on:click=move |_| on_cancel.run(())>
                        {strings.cancel}
                    </button>
                    <button
                        type="submit"
                        class="button button--danger"
                        data-testid="block-confirm"
                        disabled=move || !valid() || pending.get()
                    >
                        {move || if pending.get() { strings.blocking } else { strings.block_confirm }}
                    </button>
                </div>
            </form>
        </Modal>
    }
    .into_any()
}
