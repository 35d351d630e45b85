use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use novatalks_model::around::Note;

use crate::components::common::element_id;
use crate::components::common::TimeStamp;
use crate::i18n::t;

/// One note: its author, when, who changed it last, and its text (as text, line breaks
/// kept). Any agent may edit it in place (Ctrl/Cmd+Enter saves, Escape cancels) or delete
/// it after a confirmation, as in Chatwoot.
#[component]
pub fn NoteItem(
    note: Note,
    /// Being saved: shown, not yet stored.
    saving: bool,
    now: i64,
    /// Save the note with this content.
    on_save: Callback<(i64, String)>,
    on_delete: Callback<i64>,
) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let id = note.id;
    let author = note
        .user
        .as_ref()
        .map_or_else(|| card.deleted_agent.to_owned(), |user| user.name.clone());
    // "(edited by Maria)" when someone other than the author changed it last.
    let edited = match (&note.edited_by, &note.user) {
        (Some(editor), Some(author)) if editor.id == author.id => Some(card.edited.to_owned()),
        (Some(editor), _) => Some((card.edited_by)(&editor.name)),
        (None, _) => (note.updated_at > note.created_at).then(|| card.edited.to_owned()),
    };
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let textarea = NodeRef::<html::Textarea>::new();
    let edit_id = element_id("note-edit");
    let content = note.content.clone();

    let open = {
        let content = content.clone();
        move || {
            draft.set(content.clone());
            editing.set(true);
        }
    };
    let save = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        editing.set(false);
        on_save.run((id, text));
    };
    Effect::new(move |_| {
        if editing.get() {
            if let Some(textarea) = textarea.get() {
                let _ = textarea.focus();
            }
        }
    });
    let on_key = move |event: KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            event.prevent_default();
            save();
        } else if event.key() == "Escape" {
            event.prevent_default();
            editing.set(false);
        }
    };
    let actions = move || {
        let open = open.clone();
        (!saving).then(|| {
            view! {
                <div class="note__actions">
                    <Show
                        when=move || confirming.get()
                        fallback=move || {
                            let open = open.clone();
                            view! {
                                <button type="button" class="button button--quiet button--small" data-testid="note-edit"
                                    on:click=move |_| open()>
                                    {card.edit}
                                </button>
                                <button type="button" class="button button--quiet button--small" data-testid="note-delete"
                                    on:click=move |_| confirming.set(true)>
                                    {card.delete}
                                </button>
                            }
                        }
                    >
                        <span class="note__confirm">{card.delete_note_question}</span>
                        <button type="button" class="button button--danger button--small" data-testid="note-delete-confirm"
                            on:click=move |_| {
                                confirming.set(false);
                                on_delete.run(id);
                            }>
                            {card.delete}
                        </button>
                        <button type="button" class="button button--small" on:click=move |_| confirming.set(false)>
                            {strings.cancel}
                        </button>
                    </Show>
                </div>
            }
        })
    };

    view! {
        <li class="note" class:note--saving=saving data-testid="note-item" data-note-id=id>
            <div class="note__meta">
                <span class="note__author" data-testid="note-author">{author}</span>
                <span class="note__time">
                    <TimeStamp at=Some(note.created_at) relative_to=now />
                </span>
                {edited.map(|edited| view! { <span class="note__edited" data-testid="note-edited">{edited}</span> })}
                {saving.then(|| view! { <span class="saving" role="status">{card.saving}</span> })}
            </div>
            <Show
                when=move || editing.get()
                fallback=move || view! { <p class="note__content" data-testid="note-content">{content.clone()}</p> }
            >
                <div class="note__editor">
                    <label class="visually-hidden" for=edit_id.clone()>{card.edit_note}</label>
                    <textarea
                        id=edit_id.clone()
                        class="textarea"
                        rows="3"
                        data-testid="note-edit-input"
                        node_ref=textarea
                        prop:value=move || draft.get()
                        on:input=move |event| draft.set(event_target_value(&event))
                        on:keydown=on_key
                    ></textarea>
                    <div class="note__actions">
                        <button type="button" class="button button--primary button--small" data-testid="note-edit-save"
                            on:click=move |_| save()>
                            {card.save}
                        </button>
                        <button type="button" class="button button--small" on:click=move |_| editing.set(false)>
                            {strings.cancel}
                        </button>
                    </div>
                </div>
            </Show>
            {actions}
        </li>
    }
}
