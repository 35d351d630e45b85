//! The contact card's copy of its contact, and how edits reach the server.
//!
//! Edits feel instant ([`Optimistic`]): the card shows an edit the moment it is made (the
//! last answer of the server with every edit still under way laid over it), and forgets
//! it when the server refuses, which rolls the field back. Each edit sends only what it changes
//! (`PATCH`; the server merges attribute maps key by key), and each answer replaces the
//! card's copy, so what other agents changed meanwhile shows too. An answer older than
//! one already taken in is not taken in: a late response never overwrites a newer one.
//!
//! Two agents editing the same value do not silently lose one edit: before sending, the
//! store reads the contact again, and when the value is no longer the one this agent
//! started from, it sends nothing, shows the other agent's value and says so (saving
//! again then replaces it, knowingly). Different values edited at once both stay, as
//! each edit sends only its own.

use std::future::Future;

use leptos::prelude::*;
use novatalks_model::Contact;
use serde_json::Value;

use super::Optimistic;
use crate::api::contact::{self, Lookup};
use crate::api::{ApiError, Checked, Rejection};
use crate::i18n::t;
use crate::logic::contact_edit::Edit;
use crate::state::Api;

/// The card's contact, shared through context by the card's parts.
#[derive(Clone, Copy)]
pub struct CardStore {
    contact: Optimistic<Contact, Edit>,
    api: Api,
}

impl CardStore {
    pub fn new(contact: Contact, api: Api) -> Self {
        CardStore {
            contact: Optimistic::new(contact),
            api,
        }
    }

    /// The contact as shown (tracked).
    pub fn contact(&self) -> Memo<Contact> {
        self.contact.shown()
    }

    /// The contact as the server last answered, without the edits still under way
    /// (tracked): what another request to the server sees.
    pub fn confirmed(&self) -> ReadSignal<Contact> {
        self.contact.confirmed()
    }

    pub fn id(&self) -> i64 {
        self.contact.confirmed().with_untracked(|c| c.id)
    }

    /// Shows the edit at once and sends it. The answer is the server's: the contact as it
    /// now is (already shown), a refusal (the edit is gone from the card again), or an
    /// error (likewise).
    ///
    /// When another agent changed the same value since the card last heard from the
    /// server, nothing is sent: the refusal says so and the card shows their value.
    pub fn save(&self, edit: Edit) -> impl Future<Output = Result<Checked<Contact>, ApiError>> {
        // What the agent started from; unknown while an own edit of it is under way.
        let own_edit_under_way = self.contact.with_pending_untracked(|pending| {
            pending.iter().any(|(_, e)| e.target() == edit.target())
        });
        let seen =
            (!own_edit_under_way).then(|| self.confirmed().with_untracked(|c| edit.value_in(c)));
        let id = self.id();
        let client = self.api.client();
        let sent = edit.clone();
        let request = async move {
            let edit = sent;
            if let Some(seen) = seen {
                // A failed look is no reason not to save: the edit goes as it would have.
                if let Ok(Lookup::Found(fresh)) = contact::get(&client, id).await {
                    if edit.overtaken(&seen, &fresh) {
                        return Ok(Outcome::Overtaken(*fresh));
                    }
                }
            }
            let answer = match edit.patch_body() {
                Some(body) => contact::update(&client, id, &body).await?,
                None => {
                    let Edit::RemoveCustom(key) = edit else {
                        unreachable!("only removals have no PATCH body")
                    };
                    Ok(contact::destroy_custom_attributes(&client, id, &[key]).await?)
                }
            };
            Ok(Outcome::Sent(answer))
        };
        // The server's contact, when it sent one: what it took, or another agent's value.
        let saved = self
            .contact
            .run(edit.clone(), request, |outcome| match outcome {
                Outcome::Sent(Ok(contact)) | Outcome::Overtaken(contact) => Some(contact.clone()),
                Outcome::Sent(Err(_)) => None,
            });
        async move {
            Ok(match saved.await? {
                Outcome::Sent(answer) => answer,
                Outcome::Overtaken(fresh) => {
                    let theirs = match edit.value_in(&fresh) {
                        Value::String(text) if !text.trim().is_empty() => text,
                        Value::Null | Value::String(_) => t().missing_value.to_owned(),
                        other => other.to_string(),
                    };
                    let (attribute, _) = edit.target();
                    Err(Rejection::of_field(
                        attribute,
                        (t().card.changed_meanwhile)(&theirs),
                    ))
                }
            })
        }
    }

    /// A contact the server sent for another reason (blocked, unblocked): the newest state.
    pub fn replace(&self, contact: Contact) {
        self.contact.replace(contact);
    }
}

/// How a save went before its answer is taken in.
enum Outcome {
    /// The edit was sent; the server's answer.
    Sent(Checked<Contact>),
    /// Not sent: someone else changed the value meanwhile; the contact as it now is.
    Overtaken(Contact),
}

/// The card's store, when inside a card.
pub fn use_card_store() -> CardStore {
    expect_context::<CardStore>()
}
