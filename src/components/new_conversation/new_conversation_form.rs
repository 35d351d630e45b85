use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use novatalks_model::around::{Inbox, NewConversation, NewMessage, MAX_CONTENT_CHARS};
use novatalks_model::Contact;

use super::InboxChoice;
use crate::api::conversations::{self, ContactConversation};
use crate::components::common::now_secs;
use crate::components::common::{element_id, Modal};
use crate::i18n::t;
use crate::logic::block_state::BlockState;
use crate::logic::write_first::WriteFirstOption;
use crate::state::use_api;

/// The "New dialog" modal: the inbox to write from (each with the address it writes to)
/// and the first message, which Send or Ctrl/Cmd+Enter sends. While it is on its way
/// Send waits; a refusal shows inside in words, with the message kept. The owner hears
/// the new conversation (and the inbox it was started in) through `on_started`.
#[component]
pub fn NewConversationForm(
    contact: Contact,
    /// The inboxes that can write first to the contact; the first is chosen.
    options: Vec<WriteFirstOption>,
    on_started: Callback<(ContactConversation, Inbox)>,
    /// Cancel or Escape (ignored while the message is on its way).
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let words = strings.new_conversation;
    let api = use_api();
    let contact_id = contact.id;
    let title = (words.title)(&contact.display_name());
    let blocked = matches!(
        BlockState::of(&contact, now_secs()),
        BlockState::Blocked { .. }
    );
    let title_id = element_id("new-dialog-title");
    let intro_id = element_id("new-dialog-intro");
    let message_id = element_id("new-dialog-message");
    let hint_id = element_id("new-dialog-hint");
    let problem_id = element_id("new-dialog-problem");
    let group = element_id("new-dialog-inbox");

    let chosen = RwSignal::new(options.first().map(|o| o.inbox.id));
    let options = StoredValue::new(options);
    let message = RwSignal::new(String::new());
    // What is wrong with the message, once Send was tried.
    let problem = RwSignal::new(None::<String>);
    let textarea = NodeRef::<html::Textarea>::new();

    let send = Action::new_local(move |(option, content): &(WriteFirstOption, String)| {
        let inbox = option.inbox.clone();
        let source_id = option.source_id.clone();
        let body = NewConversation {
            contact_id,
            inbox_id: inbox.id,
            message: NewMessage {
                content: content.clone(),
            },
        };
        let client = api.client();
        let request = async move { conversations::start(&client, &body, Some(&source_id)).await };
        async move {
            let result = request.await;
            if let Ok(conversation) = &result {
                on_started.try_run((conversation.clone(), inbox));
            }
            result
        }
    });
    let pending = send.pending();
    let server_error = move || {
        if pending.get() {
            return None;
        }
        send.value()
            .get()
            .and_then(Result::err)
            .map(|why| (words.failed)(&strings.describe_error(&why)))
    };

    let try_send = move || {
        if pending.get_untracked() {
            return;
        }
        let text = message.get_untracked();
        let wrong = if text.trim().is_empty() {
            Some(words.message_missing.to_owned())
        } else if text.chars().count() > MAX_CONTENT_CHARS {
            Some((words.message_too_long)(MAX_CONTENT_CHARS))
        } else {
            None
        };
        if wrong.is_some() {
            problem.set(wrong);
            if let Some(textarea) = textarea.get_untracked() {
                let _ = textarea.focus();
            }
            return;
        }
        problem.set(None);
        let option = chosen.get_untracked().and_then(|id| {
            options.with_value(|all| all.iter().find(|o| o.inbox.id == id).cloned())
        });
        if let Some(option) = option {
            send.dispatch_local((option, text));
        }
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        try_send();
    };
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            event.prevent_default();
            try_send();
        }
    };
    let close = Callback::new(move |()| {
        if !pending.get_untracked() {
            on_cancel.run(());
        }
    });

    // Built each time the modal renders its content (it may do so more than once).
    let choices = move || {
        let group = group.clone();
        options.with_value(|all| {
            all.iter()
                .map(|option| {
                    let id = option.inbox.id;
                    view! {
                        <InboxChoice
                            option=option.clone()
                            group=group.clone()
                            checked=Signal::derive(move || chosen.get() == Some(id))
                            on_choose=Callback::new(move |()| chosen.set(Some(id)))
                        />
                    }
                })
                .collect_view()
        })
    };
    // The hint, and what is wrong once there is something.
    let described_by = {
        let (hint_id, problem_id) = (hint_id.clone(), problem_id.clone());
        move || {
            if problem.with(Option::is_some) {
                format!("{hint_id} {problem_id}")
            } else {
                hint_id.clone()
            }
        }
    };

    view! {
        <Modal labelled_by=title_id.clone() described_by=intro_id.clone() on_close=close test_id="new-dialog">
            <form class="dialog-form new-dialog" novalidate on:submit=on_submit>
                <h2 class="modal__title" id=title_id.clone()>{title.clone()}</h2>
                <p class="modal__intro" id=intro_id.clone()>{words.intro}</p>
                {blocked.then(|| view! {
                    <p class="new-dialog__blocked" data-testid="new-dialog-blocked">{words.blocked_notice}</p>
                })}
                <fieldset class="new-dialog__inboxes">
                    <legend class="field__label">{words.inbox_legend}</legend>
                    {choices()}
                </fieldset>
                <div class="field">
                    <label class="field__label" for=message_id.clone()>{words.message_label}</label>
                    <textarea
                        id=message_id.clone()
                        class="textarea new-dialog__message"
                        rows="5"
                        required
                        aria-required="true"
                        maxlength=MAX_CONTENT_CHARS
                        aria-describedby=described_by.clone()
                        aria-invalid=move || problem.with(Option::is_some).then_some("true")
                        data-testid="new-dialog-message"
                        data-autofocus
                        node_ref=textarea
                        prop:value=move || message.get()
                        on:input=move |event| {
                            let text = event_target_value(&event);
                            if !text.trim().is_empty() {
                                problem.set(None);
                            }
                            message.set(text);
                        }
                        on:keydown=on_keydown
                    ></textarea>
                    <span class="field__hint" id=hint_id.clone()>{words.message_hint}</span>
                    <p class="field-error" id=problem_id.clone() aria-live="polite" data-testid="new-dialog-problem">
                        {move || problem.get()}
                    </p>
                </div>
                {move || server_error().map(|message| view! {
                    <p class="form-error" role="alert" data-testid="new-dialog-error">{message}</p>
                })}
                <div class="modal__actions">
                    <button type="button" class="button" data-testid="new-dialog-cancel" on:click=move |_| close.run(())>
                        {strings.cancel}
                    </button>
                    <button
                        type="submit"
                        class="button button--primary"
                        data-testid="new-dialog-send"
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() { words.sending } else { words.send }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
