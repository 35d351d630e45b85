//! The contact card's copy of its contact, and how edits reach the server.
//!
//! Edits feel instant: the card shows an edit the moment it is made (the last answer of
//! the server with every edit still under way laid over it), and forgets it when the
//! server refuses, which rolls the field back. Each edit sends only what it changes
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
use serde_json::{json, Value};

use crate::api::contact::{self, Lookup};
use crate::api::{ApiError, Checked, Rejection};
use crate::i18n::t;
use crate::state::Api;

/// The main fields of a contact, edited in place on the card and in the create form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactField {
    Name,
    Email,
    Phone,
    Identifier,
}

impl ContactField {
    pub const ALL: [ContactField; 4] = [
        ContactField::Name,
        ContactField::Email,
        ContactField::Phone,
        ContactField::Identifier,
    ];

    /// The field's name in the API (and in a 422's `attributes`).
    pub fn api_key(self) -> &'static str {
        match self {
            ContactField::Name => "name",
            ContactField::Email => "email",
            ContactField::Phone => "phone_number",
            ContactField::Identifier => "identifier",
        }
    }

    /// The field's name in `data-testid`s: `card-phone`, `field-error-phone`.
    pub fn test_key(self) -> &'static str {
        match self {
            ContactField::Name => "name",
            ContactField::Email => "email",
            ContactField::Phone => "phone",
            ContactField::Identifier => "identifier",
        }
    }

    pub fn get(self, contact: &Contact) -> Option<&str> {
        match self {
            ContactField::Name => contact.name.as_deref(),
            ContactField::Email => contact.email.as_deref(),
            ContactField::Phone => contact.phone_number.as_deref(),
            ContactField::Identifier => contact.identifier.as_deref(),
        }
    }

    fn slot(self, contact: &mut Contact) -> &mut Option<String> {
        match self {
            ContactField::Name => &mut contact.name,
            ContactField::Email => &mut contact.email,
            ContactField::Phone => &mut contact.phone_number,
            ContactField::Identifier => &mut contact.identifier,
        }
    }
}

/// One change to a contact.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A main field; `None` empties it.
    Field(ContactField, Option<String>),
    /// Sets one custom attribute.
    Custom(String, Value),
    /// Removes one custom attribute.
    RemoveCustom(String),
    /// Sets one additional attribute (the language).
    Additional(String, Value),
}

impl Edit {
    /// The contact as it is with this edit made.
    pub fn apply(&self, contact: &mut Contact) {
        match self {
            Edit::Field(field, value) => *field.slot(contact) = value.clone(),
            Edit::Custom(key, value) => {
                contact.custom_attributes.insert(key.clone(), value.clone());
            }
            Edit::RemoveCustom(key) => {
                contact.custom_attributes.remove(key);
            }
            Edit::Additional(key, value) => {
                contact
                    .additional_attributes
                    .insert(key.clone(), value.clone());
            }
        }
    }

    /// What the edit changes, as a 422 would name it, and which value of it.
    fn target(&self) -> (&'static str, &str) {
        match self {
            Edit::Field(field, _) => (field.api_key(), ""),
            Edit::Custom(key, _) | Edit::RemoveCustom(key) => ("custom_attributes", key),
            Edit::Additional(key, _) => ("additional_attributes", key),
        }
    }

    /// The value this edit changes, as `contact` has it (`null` when it has none).
    pub fn value_in(&self, contact: &Contact) -> Value {
        let value = match self {
            Edit::Field(field, _) => field.get(contact).map(|v| Value::String(v.to_owned())),
            Edit::Custom(key, _) | Edit::RemoveCustom(key) => {
                contact.custom_attributes.get(key).cloned()
            }
            Edit::Additional(key, _) => contact.additional_attributes.get(key).cloned(),
        };
        value.unwrap_or(Value::Null)
    }

    /// The value this edit gives.
    fn new_value(&self) -> Value {
        match self {
            Edit::Field(_, value) => value.clone().map_or(Value::Null, Value::String),
            Edit::Custom(_, value) | Edit::Additional(_, value) => value.clone(),
            Edit::RemoveCustom(_) => Value::Null,
        }
    }

    /// Whether `fresh` shows that someone else changed this edit's value away from `seen`
    /// (what the agent started from) to something other than what the agent wants.
    pub fn overtaken(&self, seen: &Value, fresh: &Contact) -> bool {
        let now = self.value_in(fresh);
        now != *seen && now != self.new_value()
    }

    /// The `PATCH` body that makes this edit and changes nothing else; `None` for a
    /// removal, which has an endpoint of its own.
    pub fn patch_body(&self) -> Option<Value> {
        match self {
            Edit::Field(field, value) => Some(json!({ field.api_key(): value })),
            Edit::Custom(key, value) => {
                Some(json!({ "custom_attributes": { key.clone(): value } }))
            }
            Edit::Additional(key, value) => {
                Some(json!({ "additional_attributes": { key.clone(): value } }))
            }
            Edit::RemoveCustom(_) => None,
        }
    }
}

/// The contact as the card shows it: the server's last answer with the edits still
/// under way laid over it, oldest first.
pub fn shown(confirmed: &Contact, pending: &[(u64, Edit)]) -> Contact {
    let mut contact = confirmed.clone();
    for (_, edit) in pending {
        edit.apply(&mut contact);
    }
    contact
}

/// The card's contact, shared through context by the card's parts.
#[derive(Clone, Copy)]
pub struct CardStore {
    /// The server's last answer taken in.
    confirmed: RwSignal<Contact>,
    /// Edits sent and not answered yet, with their sequence numbers.
    pending: RwSignal<Vec<(u64, Edit)>>,
    shown: Memo<Contact>,
    /// The sequence number of the last edit sent.
    sent: StoredValue<u64>,
    /// The sequence number of the newest answer taken in.
    taken: StoredValue<u64>,
    api: Api,
}

impl CardStore {
    pub fn new(contact: Contact, api: Api) -> Self {
        let confirmed = RwSignal::new(contact);
        let pending = RwSignal::new(Vec::new());
        let shown = Memo::new(move |_| confirmed.with(|c| pending.with(|p| shown(c, p))));
        CardStore {
            confirmed,
            pending,
            shown,
            sent: StoredValue::new(0),
            taken: StoredValue::new(0),
            api,
        }
    }

    /// The contact as shown (tracked).
    pub fn contact(&self) -> Memo<Contact> {
        self.shown
    }

    /// The contact as the server last answered, without the edits still under way
    /// (tracked): what another request to the server sees.
    pub fn confirmed(&self) -> ReadSignal<Contact> {
        self.confirmed.read_only()
    }

    pub fn id(&self) -> i64 {
        self.confirmed.with_untracked(|c| c.id)
    }

    /// Shows the edit at once and sends it. The answer is the server's: the contact as it
    /// now is (already shown), a refusal (the edit is gone from the card again), or an
    /// error (likewise).
    ///
    /// When another agent changed the same value since the card last heard from the
    /// server, nothing is sent: the refusal says so and the card shows their value.
    pub fn save(&self, edit: Edit) -> impl Future<Output = Result<Checked<Contact>, ApiError>> {
        // What the agent started from; unknown while an own edit of it is under way.
        let own_edit_under_way = self
            .pending
            .with_untracked(|p| p.iter().any(|(_, e)| e.target() == edit.target()));
        let seen =
            (!own_edit_under_way).then(|| self.confirmed.with_untracked(|c| edit.value_in(c)));
        let seq = self.sent.get_value() + 1;
        self.sent.set_value(seq);
        self.pending.update(|p| p.push((seq, edit.clone())));
        let id = self.id();
        let sent = edit.clone();
        let request = self.api.call(move |client| async move {
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
        });
        let store = *self;
        async move {
            let result = request.await;
            store.pending.try_update(|p| p.retain(|(s, _)| *s != seq));
            match result {
                Ok(Outcome::Sent(answer)) => {
                    if let Ok(contact) = &answer {
                        store.take_in(seq, contact.clone());
                    }
                    Ok(answer)
                }
                Ok(Outcome::Overtaken(fresh)) => {
                    let theirs = match edit.value_in(&fresh) {
                        Value::String(text) if !text.trim().is_empty() => text,
                        Value::Null | Value::String(_) => t().missing_value.to_owned(),
                        other => other.to_string(),
                    };
                    store.take_in(seq, fresh);
                    let (attribute, _) = edit.target();
                    Ok(Err(Rejection::of_field(
                        attribute,
                        (t().card.changed_meanwhile)(&theirs),
                    )))
                }
                Err(error) => Err(error),
            }
        }
    }

    /// A contact the server sent for another reason (blocked, unblocked): the newest state.
    pub fn replace(&self, contact: Contact) {
        self.take_in(self.sent.get_value(), contact);
    }

    fn take_in(&self, seq: u64, contact: Contact) {
        let newer = self
            .taken
            .try_update_value(|taken| {
                let newer = seq >= *taken;
                if newer {
                    *taken = seq;
                }
                newer
            })
            .unwrap_or(false);
        if newer {
            self.confirmed.try_set(contact);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> Contact {
        serde_json::from_value(json!({
            "id": 4, "name": "Olena", "email": "o@x.test",
            "custom_attributes": {"plan": "gold", "orders": 3},
            "additional_attributes": {"city": "Kyiv"}
        }))
        .expect("contact")
    }

    #[test]
    fn patches_carry_only_the_change() {
        assert_eq!(
            Edit::Field(ContactField::Phone, Some("050 123 45 67".into())).patch_body(),
            Some(json!({"phone_number": "050 123 45 67"}))
        );
        assert_eq!(
            Edit::Field(ContactField::Email, None).patch_body(),
            Some(json!({"email": null}))
        );
        assert_eq!(
            Edit::Custom("plan".into(), json!("free")).patch_body(),
            Some(json!({"custom_attributes": {"plan": "free"}}))
        );
        assert_eq!(
            Edit::Additional("language".into(), json!("uk")).patch_body(),
            Some(json!({"additional_attributes": {"language": "uk"}}))
        );
        assert_eq!(Edit::RemoveCustom("plan".into()).patch_body(), None);
    }

    #[test]
    fn pending_edits_are_laid_over_the_last_answer_in_order() {
        let pending = vec![
            (1, Edit::Field(ContactField::Name, Some("Olena K".into()))),
            (2, Edit::RemoveCustom("plan".into())),
            (3, Edit::Custom("orders".into(), json!(4))),
            (4, Edit::Additional("language".into(), json!("uk"))),
            (
                5,
                Edit::Field(ContactField::Name, Some("Olena Kovalenko".into())),
            ),
        ];
        let shown = shown(&contact(), &pending);
        assert_eq!(shown.name.as_deref(), Some("Olena Kovalenko"));
        assert_eq!(shown.custom_attributes.get("plan"), None);
        assert_eq!(shown.custom_attributes.get("orders"), Some(&json!(4)));
        assert_eq!(shown.language(), Some("uk"));
        assert_eq!(
            shown.additional_attributes.get("city"),
            Some(&json!("Kyiv")),
            "untouched keys stay"
        );
        assert_eq!(super::shown(&contact(), &[]), contact());
    }

    #[test]
    fn an_edit_is_overtaken_only_when_someone_else_changed_its_value() {
        let loaded = contact();
        let edit = Edit::Field(ContactField::Email, Some("mine@x.test".into()));
        let seen = edit.value_in(&loaded);
        assert_eq!(seen, json!("o@x.test"));
        assert!(!edit.overtaken(&seen, &loaded), "nothing changed");
        let mut theirs = loaded.clone();
        theirs.name = Some("Olena K".into());
        assert!(!edit.overtaken(&seen, &theirs), "another field changed");
        theirs.email = Some("theirs@x.test".into());
        assert!(edit.overtaken(&seen, &theirs), "the same field changed");
        theirs.email = Some("mine@x.test".into());
        assert!(!edit.overtaken(&seen, &theirs), "they wrote the same");

        let plan = Edit::Custom("plan".into(), json!("free"));
        let seen = plan.value_in(&loaded);
        let mut theirs = loaded.clone();
        theirs.custom_attributes.insert("orders".into(), json!(9));
        assert!(!plan.overtaken(&seen, &theirs), "another attribute changed");
        theirs.custom_attributes.remove("plan");
        assert!(plan.overtaken(&seen, &theirs), "they removed it");
        let removal = Edit::RemoveCustom("plan".into());
        assert!(
            !removal.overtaken(&removal.value_in(&loaded), &theirs),
            "already gone"
        );
    }

    #[test]
    fn field_keys_match_the_api_and_the_test_ids() {
        assert_eq!(ContactField::Phone.api_key(), "phone_number");
        assert_eq!(ContactField::Phone.test_key(), "phone");
        assert_eq!(ContactField::Email.get(&contact()), Some("o@x.test"));
    }
}
