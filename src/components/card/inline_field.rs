use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;

use super::field_rules::field_problem;
use super::{ConflictNotice, PhonePreview};
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::contact_edit::{ContactField, Edit};
use crate::state::use_card_store;

/// One main field of the card (name, email, phone, identifier), edited in place: the
/// value and an edit button; Enter saves, Escape cancels. The change shows at once; when
/// the server refuses it, the field goes back to what it was and the editor reopens with
/// what was typed and the server's reason (and, for a value another contact has, a link
/// to that contact).
#[component]
pub fn InlineField(
    field: ContactField,
    /// Shown as the card's title (the name).
    #[prop(optional)]
    heading: bool,
) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let store = use_card_store();
    let value = Memo::new(move |_| {
        store
            .contact()
            .with(|contact| field.get(contact).map(str::to_owned))
    });
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<i64>);
    let input = NodeRef::<html::Input>::new();
    let test = field.test_key();
    let label = card.field_label(field);
    let input_id = element_id("field");
    let error_id = element_id("field-error");
    let hint_id = element_id("field-hint");

    let save = Action::new_local(move |(text, sent): &(String, Option<String>)| {
        let (text, sent) = (text.clone(), sent.clone());
        let request = store.save(Edit::Field(field, sent));
        async move {
            let why = match request.await {
                Ok(Ok(_)) => return,
                Ok(Err(rejection)) => {
                    let taken = rejection.taken_field() == Some(field.api_key());
                    conflict.try_set(rejection.conflict_contact_id.filter(|_| taken));
                    rejection
                        .message_for(field.api_key())
                        .unwrap_or(rejection.message)
                }
                Err(error) => (card.save_failed)(&strings.describe_error(&error)),
            };
            // The store has rolled the field back: the editor gets what was typed again.
            draft.try_set(text);
            error.try_set(Some(why));
            editing.try_set(true);
        }
    });
    let saving = save.pending();

    let open = move || {
        draft.set(value.get_untracked().unwrap_or_default());
        error.set(None);
        conflict.set(None);
        editing.set(true);
    };
    let cancel = move || {
        editing.set(false);
        error.set(None);
        conflict.set(None);
    };
    let submit = move || {
        let text = draft.get_untracked();
        let trimmed = text.trim();
        if let Some(problem) = field_problem(field, trimmed) {
            error.set(Some(problem));
            return;
        }
        let sent = Some(trimmed.to_owned()).filter(|t| !t.is_empty());
        editing.set(false);
        error.set(None);
        conflict.set(None);
        if sent != value.get_untracked() {
            save.dispatch_local((text, sent));
        }
    };
    // The editor takes focus when it opens.
    Effect::new(move |_| {
        if editing.get() {
            if let Some(input) = input.get() {
                let _ = input.focus();
            }
        }
    });

    let on_key = move |event: KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            event.prevent_default();
            submit();
        }
        "Escape" => {
            event.prevent_default();
            cancel();
        }
        _ => {}
    };
    let shown_value = move || {
        value
            .get()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| strings.missing_value.to_owned())
    };
    let display = move || {
        let text = view! {
            <span class="detail__text" data-testid=format!("card-{test}") on:click=move |_| open()>
                {shown_value}
            </span>
        };
        let title = if heading {
            view! { <h1 class="card-title">{text}</h1> }.into_any()
        } else {
            text.into_any()
        };
        view! {
            {title}
            <button
                type="button"
                class="icon-button"
                data-testid=format!("edit-{test}")
                aria-label=(card.edit_field)(label)
                on:click=move |_| open()
            >
                "✎"
            </button>
            <Show when=move || saving.get()>
                <span class="saving" role="status">{card.saving}</span>
            </Show>
        }
    };
    let input_type = match field {
        ContactField::Email => "email",
        ContactField::Phone => "tel",
        ContactField::Name | ContactField::Identifier => "text",
    };
    // A new number shows as it will be stored; the one stored now asks nothing.
    let changed_number = Signal::derive(move || {
        let typed = draft.get();
        let unchanged = value.with(|v| v.as_deref() == Some(typed.trim()));
        if unchanged {
            String::new()
        } else {
            typed
        }
    });
    let preview_id = element_id("phone-preview");
    let hint = {
        let (hint_id, preview_id) = (hint_id.clone(), preview_id.clone());
        move || {
            (field == ContactField::Phone).then(|| {
                view! {
                    <span class="field__hint" id=hint_id.clone()>{card.phone_hint}</span>
                    <PhonePreview number=changed_number id=preview_id.clone() />
                }
            })
        }
    };
    let described_by = if field == ContactField::Phone {
        format!("{error_id} {hint_id} {preview_id}")
    } else {
        error_id.clone()
    };

    view! {
        <div class="detail" class:detail--heading=heading>
            <label
                class="detail__label"
                class:visually-hidden=heading
                for=input_id.clone()
            >
                {label}
            </label>
            <div class="detail__body">
                <Show when=move || editing.get() fallback=display>
                    <div class="detail__editor">
                        <input
                            id=input_id.clone()
                            type=input_type
                            class="input"
                            autocomplete="off"
                            data-testid=format!("card-{test}-input")
                            aria-invalid=move || error.with(Option::is_some).then_some("true")
                            aria-describedby=described_by.clone()
                            node_ref=input
                            prop:value=move || draft.get()
                            on:input=move |event| draft.set(event_target_value(&event))
                            on:keydown=on_key
                        />
                        <button type="button" class="button button--primary button--small" on:click=move |_| submit()>
                            {card.save}
                        </button>
                        <button type="button" class="button button--small" on:click=move |_| cancel()>
                            {strings.cancel}
                        </button>
                    </div>
                    {hint.clone()}
                </Show>
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p class="field-error" id=error_id.clone() role="alert" data-testid=format!("field-error-{test}")>
                                    {message}
                                </p>
                            }
                        })
                }}
                {move || conflict.get().map(|id| view! { <ConflictNotice contact_id=id /> })}
            </div>
        </div>
    }
}
