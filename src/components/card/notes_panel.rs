use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use novatalks_model::around::{Note, NoteAuthor, MAX_CONTENT_CHARS};

use super::NoteItem;
use crate::api::{notes, ApiError, Checked};
use crate::components::common::{element_id, load_error_fallback, now_secs, LoadFailure};
use crate::i18n::t;
use crate::logic::optimistic::Change;
use crate::state::{use_api, use_session, Optimistic};

/// A note as the panel shows it: stored, or on its way.
#[derive(Debug, Clone, PartialEq)]
struct ShownNote {
    note: Note,
    saving: bool,
}

/// A change to the notes, shown before the server has it.
#[derive(Debug, Clone, PartialEq)]
enum NoteChange {
    /// A new note, under a temporary (negative) id until it is stored.
    Add(Note),
    Edit {
        id: i64,
        content: String,
    },
    Delete(i64),
}

impl NoteChange {
    /// The note shown as being saved while this change is on its way.
    fn saving(&self) -> Option<i64> {
        match self {
            NoteChange::Add(note) => Some(note.id),
            NoteChange::Edit { id, .. } => Some(*id),
            NoteChange::Delete(_) => None,
        }
    }
}

impl Change<Vec<Note>> for NoteChange {
    fn apply(&self, notes: &mut Vec<Note>) {
        match self {
            NoteChange::Add(note) => notes.insert(0, note.clone()),
            NoteChange::Edit { id, content } => {
                if let Some(note) = notes.iter_mut().find(|n| n.id == *id) {
                    note.content = content.clone();
                }
            }
            NoteChange::Delete(id) => notes.retain(|n| n.id != *id),
        }
    }
}

/// `stored` in the list, newest first: in place of the note it was, or where its time
/// puts it.
fn put_stored(notes: &mut Vec<Note>, stored: Note) {
    if let Some(note) = notes.iter_mut().find(|n| n.id == stored.id) {
        *note = stored;
        return;
    }
    let at = notes
        .iter()
        .position(|n| (n.created_at, n.id) < (stored.created_at, stored.id))
        .unwrap_or(notes.len());
    notes.insert(at, stored);
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
    let notes = Optimistic::<Vec<Note>, NoteChange>::new(Vec::new());
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let next_temporary = StoredValue::new(0i64);
    let input_id = element_id("note-input");

    let reload = RwSignal::new(0u32);
    let loaded = LocalResource::new(move || {
        reload.track();
        let client = api.client();
        async move { notes::list(&client, contact_id).await }
    });
    // The notes as shown, each saying whether it is still on its way.
    let shown = Memo::new(move |_| {
        let saving: Vec<i64> =
            notes.with_pending(|changes| changes.iter().filter_map(|(_, c)| c.saving()).collect());
        notes.shown().with(|list| {
            list.iter()
                .map(|note| ShownNote {
                    saving: saving.contains(&note.id),
                    note: note.clone(),
                })
                .collect::<Vec<_>>()
        })
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
            edited_by: None,
            created_at: now,
            updated_at: now,
        };
        let ticket = notes.begin(NoteChange::Add(note));
        draft.set(String::new());
        let sent = text.clone();
        let client = api.client();
        spawn_local(async move {
            match settle(notes::create(&client, contact_id, &sent).await) {
                Ok(stored) => notes.settle_with(ticket, |list| put_stored(list, stored)),
                Err(why) => {
                    notes.settle(ticket, None);
                    error.try_set(Some((card.note_add_failed)(&why)));
                    // What was written comes back, unless something new was started.
                    draft.try_update(|d| {
                        if d.is_empty() {
                            *d = text;
                        }
                    });
                }
            }
        });
    };

    let on_save = Callback::new(move |(id, text): (i64, String)| {
        error.set(None);
        let ticket = notes.begin(NoteChange::Edit {
            id,
            content: text.clone(),
        });
        let client = api.client();
        spawn_local(async move {
            match settle(notes::update(&client, contact_id, id, &text).await) {
                Ok(stored) => notes.settle_with(ticket, |list| put_stored(list, stored)),
                Err(why) => {
                    notes.settle(ticket, None);
                    error.try_set(Some((card.note_edit_failed)(&why)));
                }
            }
        });
    });

    let on_delete = Callback::new(move |id: i64| {
        error.set(None);
        let ticket = notes.begin(NoteChange::Delete(id));
        let client = api.client();
        spawn_local(async move {
            match notes::delete(&client, contact_id, id).await {
                Ok(()) => notes.settle_with(ticket, |list| list.retain(|n| n.id != id)),
                Err(why) => {
                    notes.settle(ticket, None);
                    error.try_set(Some((card.note_delete_failed)(
                        &strings.describe_error(&why),
                    )));
                }
            }
        });
    });

    let on_key = move |event: KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            event.prevent_default();
            add();
        }
    };
    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| reload.update(|v| *v += 1));
    let load_failed = load_error_fallback(
        LoadFailure::new(card.notes_failed).test_id("notes-load-error"),
        pending,
        retry,
    );
    let list = move || {
        Suspend::new(async move {
            notes.replace(loaded.await?);
            Ok::<_, ApiError>(view! {
                <ul class="notes">
                    <For
                        each=move || shown.get()
                        key=|shown| (shown.note.id, shown.note.content.clone(), shown.saving, shown.note.updated_at)
                        children=move |shown| view! {
                            <NoteItem note=shown.note saving=shown.saving now=now_secs() on_save on_delete />
                        }
                    />
                </ul>
                <Show when=move || shown.with(Vec::is_empty)>
                    <p class="muted" data-testid="notes-empty">{card.no_notes}</p>
                </Show>
            })
        })
    };

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
            <Transition
                fallback=move || view! { <p class="muted" role="status">{card.loading}</p> }
                set_pending
            >
                <ErrorBoundary fallback=load_failed>{list}</ErrorBoundary>
            </Transition>
        </section>
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
    use crate::logic::optimistic::laid_over;

    fn note(author: Option<(i64, &str)>) -> Note {
        Note {
            id: 1,
            content: "x".into(),
            contact_id: 2,
            user: author.map(|(id, name)| NoteAuthor {
                id,
                name: name.into(),
            }),
            edited_by: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn written(id: i64, created_at: i64, content: &str) -> Note {
        Note {
            id,
            content: content.into(),
            created_at,
            updated_at: created_at,
            ..note(None)
        }
    }

    fn ids(notes: &[Note]) -> Vec<i64> {
        notes.iter().map(|n| n.id).collect()
    }

    #[test]
    fn changes_show_at_once_and_their_refusal_puts_the_notes_back() {
        let stored = vec![written(7, 200, "b"), written(5, 100, "a")];
        let pending = [
            (1, NoteChange::Add(written(-1, 300, "new"))),
            (
                2,
                NoteChange::Edit {
                    id: 5,
                    content: "a2".into(),
                },
            ),
            (3, NoteChange::Delete(7)),
        ];
        let shown = laid_over(&stored, &pending);
        assert_eq!(ids(&shown), [-1, 5]);
        assert_eq!(shown[1].content, "a2");
        assert_eq!(
            ids(&laid_over(&stored, &pending[..1])),
            [-1, 7, 5],
            "without the delete, the note is back in its place"
        );
        assert_eq!(
            pending
                .iter()
                .filter_map(|(_, c)| c.saving())
                .collect::<Vec<_>>(),
            [-1, 5]
        );
    }

    #[test]
    fn a_stored_note_replaces_its_old_self_or_goes_where_its_time_puts_it() {
        let mut notes = vec![written(7, 200, "b"), written(5, 100, "a")];
        put_stored(&mut notes, written(5, 100, "a, edited"));
        assert_eq!(ids(&notes), [7, 5]);
        assert_eq!(notes[1].content, "a, edited");
        put_stored(&mut notes, written(9, 300, "newest"));
        put_stored(&mut notes, written(8, 300, "answered second"));
        assert_eq!(ids(&notes), [9, 8, 7, 5]);
    }
}
