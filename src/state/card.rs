//! The contact card's copy of its contact, and how edits reach the server.
//!
//! Edits feel instant: the card shows an edit the moment it is made (the last answer of
//! the server with every edit still under way laid over it), and forgets it when the
//! server refuses, which rolls the field back. Each edit sends only what it changes
//! (`PATCH`; the server merges attribute maps key by key), and each answer replaces the
//! card's copy, so what other agents changed meanwhile shows too. An answer older than
//! one already taken in is not taken in: a late response never overwrites a newer one.

use std::future::Future;

use leptos::prelude::*;
use novatalks_model::Contact;
use serde_json::{json, Value};

use crate::api::{contact, ApiError, Checked};
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

    pub fn id(&self) -> i64 {
        self.confirmed.with_untracked(|c| c.id)
    }

    /// Shows the edit at once and sends it. The answer is the server's: the contact as it
    /// now is (already shown), a refusal (the edit is gone from the card again), or an
    /// error (likewise).
    pub fn save(&self, edit: Edit) -> impl Future<Output = Result<Checked<Contact>, ApiError>> {
        let seq = self.sent.get_value() + 1;
        self.sent.set_value(seq);
        self.pending.update(|p| p.push((seq, edit.clone())));
        let id = self.id();
        let request = self.api.call(move |client| async move {
            match edit.patch_body() {
                Some(body) => contact::update(&client, id, &body).await,
                None => {
                    let Edit::RemoveCustom(key) = edit else {
                        unreachable!("only removals have no PATCH body")
                    };
                    contact::destroy_custom_attributes(&client, id, &[key])
                        .await
                        .map(Ok)
                }
            }
        });
        let store = *self;
        async move {
            let result = request.await;
            store.pending.try_update(|p| p.retain(|(s, _)| *s != seq));
            if let Ok(Ok(contact)) = &result {
                store.take_in(seq, contact.clone());
            }
            result
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
    fn field_keys_match_the_api_and_the_test_ids() {
        assert_eq!(ContactField::Phone.api_key(), "phone_number");
        assert_eq!(ContactField::Phone.test_key(), "phone");
        assert_eq!(ContactField::Email.get(&contact()), Some("o@x.test"));
    }
}
