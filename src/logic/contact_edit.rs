//! A change to a contact and the fields it may change: what the card and the create form
//! edit, what a `PATCH` carries, and how to tell that another agent changed the same value
//! meanwhile. The card's store (`state::CardStore`) sends them.

use novatalks_model::Contact;
use serde_json::{json, Value};

use super::optimistic::Change;

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

    /// The field's value; a name of `""` (how Chatwoot sends a contact without one) is
    /// no name.
    pub fn get(self, contact: &Contact) -> Option<&str> {
        match self {
            ContactField::Name => contact.name.as_deref().filter(|name| !name.is_empty()),
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
    /// What the edit changes, as a 422 would name it, and which value of it.
    pub fn target(&self) -> (&'static str, &str) {
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

impl Change<Contact> for Edit {
    /// The contact as it is with this edit made.
    fn apply(&self, contact: &mut Contact) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::optimistic::laid_over;

    fn contact() -> Contact {
        serde_json::from_value(json!({
            "id": 4, "name": "Olena", "email": "o@x.test",
            "custom_attributes": {"plan": "gold", "orders": 3},
            "additional_attributes": {"city": "Kyiv"}
        }))
        .expect("contact")
    }

    #[test]
    fn an_empty_name_is_no_name() {
        // Chatwoot (and our server) send a nameless contact's name as "".
        let mut nameless = contact();
        nameless.name = Some(String::new());
        assert_eq!(ContactField::Name.get(&nameless), None);
        let cleared = Edit::Field(ContactField::Name, None);
        assert_eq!(cleared.value_in(&nameless), Value::Null);
        assert!(
            !cleared.overtaken(&json!("Olena"), &nameless),
            "someone else cleared it too: the same change, not a conflict"
        );
        assert_eq!(nameless.display_name(), "o@x.test");
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
        let shown = laid_over(&contact(), &pending);
        assert_eq!(shown.name.as_deref(), Some("Olena Kovalenko"));
        assert_eq!(shown.custom_attributes.get("plan"), None);
        assert_eq!(shown.custom_attributes.get("orders"), Some(&json!(4)));
        assert_eq!(shown.language(), Some("uk"));
        assert_eq!(
            shown.additional_attributes.get("city"),
            Some(&json!("Kyiv")),
            "untouched keys stay"
        );
        assert_eq!(laid_over(&contact(), &[] as &[(u64, Edit)]), contact());
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
