use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use novatalks_model::around::{Note, NoteAuthor, MAX_CONTENT_CHARS};

use super::NoteItem;
use crate::api::{notes, ApiError, Checked};
use crate::components::common::{element_id, now_secs};
use crate::i18n::t;
use crate::state::{use_api, use_session, Session};

/// A note as the panel shows it: stored, or on its way.
#[derive(Debug, Clone, PartialEq)]
struct ShownNote {
    note: Note,
    saving: bool,
}

/// The contact's notes, newest first, and a box to write one (Ctrl/Cmd+Enter saves).
/// Adding, editing and deleting show at once and are taken back, with the reason, if the
/// server refuses.
#[component]
pub fn NotesPanel(contact_id: i64) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let api = use_api();
    let session = use_session();
    let notes = RwSignal::new(Vec::<ShownNote>::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let next_temporary = StoredValue::new(0i64);
    let input_id = element_id("note-input");

    let client = api.client();
    let initial = async move { notes::list(&client, contact_id).await };
    spawn_local(async move {
        match initial.await {
            Ok(list) => {
                let shown = list
                    .into_iter()
                    .map(|note| ShownNote {
                        note,
                        saving: false,
                    })
                    .collect();
                notes.try_set(shown);
                loaded.try_set(true);
            }
            Err(why) => {
                error.try_set(Some((card.notes_failed)(&strings.describe_error(&why))));
            }
        }
    });

    let add = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        if text.chars().count() > MAX_CONTENT_CHARS {
            error.set(Some((card.note_too_long)(MAX_CONTENT_CHARS)));
            return;
        }
        error.set(None);
        let temporary = next_temporary.get_value() - 1;
        next_temporary.set_value(temporary);
        let me = session.get_untracked();
        let now = now_secs();
        let note = Note {
            id: temporary,
            content: text.clone(),
            contact_id,
            user: me.map(|me| NoteAuthor {
                id: me.user_id.unwrap_or_default(),
                name: me.user_name,
            }),
            created_at: now,
            updated_at: now,
        };
        notes.update(|list| list.insert(0, ShownNote { note, saving: true }));
        draft.set(String::new());
        let sent = text.clone();
        let client = api.client();
        let request = async move { notes::create(&client, contact_id, &sent).await };
        spawn_local(async move {
            let result = request.await;
            let stored = match settle(result) {
                Ok(note) => Some(note),
                Err(why) => {
                    error.try_set(Some((card.note_add_failed)(&why)));
                    // What was written comes back, unless something new was started.
                    draft.try_update(|d| {
                        if d.is_empty() {
                            *d = text;
                        }
                    });
                    None
                }
            };
            notes.try_update(|list| match stored {
                Some(note) => {
                    if let Some(shown) = list.iter_mut().find(|n| n.note.id == temporary) {
                        *shown = ShownNote {
                            note,
                            saving: false,
                        };
                    }
                }
                None => list.retain(|n| n.note.id != temporary),
            });
        });
    };

    let on_save = Callback::new(move |(id, text): (i64, String)| {
        let Some(before) =
            notes.with_untracked(|list| list.iter().find(|n| n.note.id == id).cloned())
        else {
            return;
        };
        error.set(None);
        notes.update(|list| {
            if let Some(shown) = list.iter_mut().find(|n| n.note.id == id) {
                shown.note.content = text.clone();
                shown.saving = true;
            }
        });
        let client = api.client();
        let request = async move { notes::update(&client, contact_id, id, &text).await };
        spawn_local(async move {
            let after = match settle(request.await) {
                Ok(note) => ShownNote {
                    note,
                    saving: false,
                },
                Err(why) => {
                    error.try_set(Some((card.note_edit_failed)(&why)));
                    before
                }
            };
            notes.try_update(|list| {
                if let Some(shown) = list.iter_mut().find(|n| n.note.id == id) {
                    *shown = after;
                }
            });
        });
    });

    let on_delete = Callback::new(move |id: i64| {
        let Some((index, before)) = notes.with_untracked(|list| {
            list.iter()
                .position(|n| n.note.id == id)
                .map(|i| (i, list[i].clone()))
        }) else {
            return;
        };
        error.set(None);
        notes.update(|list| list.retain(|n| n.note.id != id));
        let client = api.client();
        let request = async move { notes::delete(&client, contact_id, id).await };
        spawn_local(async move {
            if let Err(why) = request.await {
                error.try_set(Some((card.note_delete_failed)(
                    &strings.describe_error(&why),
                )));
                notes.try_update(|list| list.insert(index.min(list.len()), before));
            }
        });
    });

    let on_key = move |event: KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            event.prevent_default();
            add();
        }
    };
    let is_mine = move |note: &Note| is_own(note, session.get_untracked().as_ref());

    view! {
        <section class="card-section" aria-labelledby="card-notes-heading">
            <h2 class="card-section__title" id="card-notes-heading">{card.notes_heading}</h2>
            <div class="note-composer">
                <label class="visually-hidden" for=input_id.clone()>{card.add_note}</label>
                <textarea
                    id=input_id.clone()
                    class="textarea"
                    rows="3"
                    placeholder=card.note_placeholder
                    data-testid="note-input"
                    prop:value=move || draft.get()
                    on:input=move |event| draft.set(event_target_value(&event))
                    on:keydown=on_key
                ></textarea>
                <div class="note-composer__actions">
                    <span class="field__hint">{card.note_shortcut}</span>
                    <button
                        type="button"
                        class="button button--primary button--small"
                        data-testid="note-save"
                        disabled=move || draft.with(|d| d.trim().is_empty())
                        on:click=move |_| add()
                    >
                        {card.add_note}
                    </button>
                </div>
            </div>
            {move || error.get().map(|message| view! {
                <p class="form-error" role="alert" data-testid="note-error">{message}</p>
            })}
            <ul class="notes">
                <For
                    each=move || notes.get()
                    key=|shown| (shown.note.id, shown.note.content.clone(), shown.saving, shown.note.updated_at)
                    children=move |shown| {
                        let own = is_mine(&shown.note);
                        view! {
                            <NoteItem note=shown.note saving=shown.saving own now=now_secs() on_save on_delete />
                        }
                    }
                />
            </ul>
            <Show when=move || loaded.get() && notes.with(Vec::is_empty)>
                <p class="muted" data-testid="notes-empty">{card.no_notes}</p>
            </Show>
        </section>
    }
}

/// Whether the signed-in agent wrote the note: by user id, or by name for a session saved
/// before ids were kept.
fn is_own(note: &Note, me: Option<&Session>) -> bool {
    match (note.user.as_ref(), me) {
        (Some(author), Some(me)) => match me.user_id {
            Some(id) => author.id == id,
            None => author.name == me.user_name,
        },
        _ => false,
    }
}

/// A stored note, or why not, in the agent's words.
fn settle(result: Result<Checked<Note>, ApiError>) -> Result<Note, String> {
    match result {
        Ok(Ok(note)) => Ok(note),
        Ok(Err(rejection)) => Err(rejection.message),
        Err(error) => Err(t().describe_error(&error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(author: Option<(i64, &str)>) -> Note {
        Note {
            id: 1,
            content: "x".into(),
            contact_id: 2,
            user: author.map(|(id, name)| NoteAuthor {
                id,
                name: name.into(),
            }),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn session(user_id: Option<i64>) -> Session {
        Session {
            token: "t".into(),
            account_id: 1,
            user_name: "Ann".into(),
            user_id,
            email: None,
        }
    }

    #[test]
    fn own_notes_are_known_by_id_or_by_name_for_old_sessions() {
        assert!(is_own(&note(Some((3, "Ann"))), Some(&session(Some(3)))));
        assert!(
            !is_own(&note(Some((4, "Ann"))), Some(&session(Some(3)))),
            "a namesake"
        );
        assert!(is_own(&note(Some((4, "Ann"))), Some(&session(None))));
        assert!(
            !is_own(&note(None), Some(&session(Some(3)))),
            "a deleted agent's"
        );
        assert!(!is_own(&note(Some((3, "Ann"))), None));
    }
}
