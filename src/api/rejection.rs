//! A write the server refused with 422 and explained: what is wrong, with which fields,
//! and [ext] which contact already holds a unique value. Forms show each part next to
//! the field it is about.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{ApiError, HttpResponse};

/// The answer of a write that can be refused field by field: `Ok(Ok(value))`, a refusal
/// `Ok(Err(rejection))`, or `Err` when the call itself failed (network, token, 5xx…).
pub type Checked<T> = Result<T, Rejection>;

/// The body of a 422: `{"message","attributes","conflict_contact_id"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Rejection {
    /// Every problem in one sentence, joined with ", " (Chatwoot's `full_messages`).
    #[serde(default)]
    pub message: String,
    /// The fields the problems are about, as the API names them (`phone_number`).
    #[serde(default)]
    pub attributes: Vec<String>,
    /// [ext] The contact that already has the email, phone number or identifier sent.
    #[serde(default)]
    pub conflict_contact_id: Option<i64>,
}

/// How the server's messages start for each field of a contact ("Phone number is …").
const FIELD_LABELS: [(&str, &str); 5] = [
    ("name", "Name"),
    ("email", "Email"),
    ("phone_number", "Phone number"),
    ("identifier", "Identifier"),
    ("custom_attributes", "Custom attribute"),
];

impl Rejection {
    /// A refusal about one field, in words of the client (a check made before sending).
    pub fn of_field(attribute: &str, message: impl Into<String>) -> Self {
        Rejection {
            message: message.into(),
            attributes: vec![attribute.to_owned()],
            conflict_contact_id: None,
        }
    }

    /// Whether the refusal names `attribute`.
    pub fn concerns(&self, attribute: &str) -> bool {
        self.attributes.iter().any(|a| a == attribute)
    }

    /// What the server said about `attribute`: the parts of its message that begin with the
    /// field's name, or the whole message when no part does. `None` when the refusal does
    /// not name the field.
    pub fn message_for(&self, attribute: &str) -> Option<String> {
        if !self.concerns(attribute) {
            return None;
        }
        let label = FIELD_LABELS
            .iter()
            .find(|(key, _)| *key == attribute)
            .map(|(_, label)| *label);
        let mine: Vec<String> = self
            .segments()
            .into_iter()
            .filter(|segment| match label {
                // Problems with custom attributes start with the attribute's own name.
                Some("Custom attribute") => {
                    segment_label(segment).is_none() || segment.starts_with("Custom attribute")
                }
                Some(label) => segment.starts_with(label),
                None => false,
            })
            .collect();
        Some(if mine.is_empty() || self.attributes.len() == 1 {
            self.message.clone()
        } else {
            mine.join(", ")
        })
    }

    /// The field whose value another contact already has, when the server said so: the
    /// first named field whose problem is "already been taken".
    pub fn taken_field(&self) -> Option<&str> {
        self.conflict_contact_id?;
        let segments = self.segments();
        let taken = self.attributes.iter().find(|attribute| {
            let label = FIELD_LABELS
                .iter()
                .find(|(key, _)| key == attribute)
                .map(|(_, label)| *label);
            label.is_some_and(|label| {
                segments
                    .iter()
                    .any(|s| s.starts_with(label) && s.contains("already been taken"))
            })
        });
        taken
            .or_else(|| {
                self.attributes
                    .iter()
                    .find(|a| matches!(a.as_str(), "email" | "phone_number" | "identifier"))
            })
            .map(String::as_str)
    }

    /// The message cut into one part per problem. Parts are joined with ", ", which a
    /// problem may contain too ("…country code, e.g. +380…"): every problem begins with a
    /// capital (a field's or an attribute's name), so a part that does not continues the
    /// one before.
    fn segments(&self) -> Vec<String> {
        let mut segments: Vec<String> = Vec::new();
        for part in self.message.split(", ") {
            let continues = !part.chars().next().is_some_and(char::is_uppercase);
            match segments.last_mut() {
                Some(last) if continues => {
                    last.push_str(", ");
                    last.push_str(part);
                }
                _ => segments.push(part.to_owned()),
            }
        }
        segments
    }
}

fn segment_label(segment: &str) -> Option<&'static str> {
    FIELD_LABELS
        .iter()
        .map(|(_, label)| *label)
        .find(|label| segment.starts_with(label))
}

/// Reads the answer of a write: its value on success, the refusal on a 422 that says
/// what is wrong, an [`ApiError`] otherwise.
pub(crate) fn checked<T: DeserializeOwned>(response: HttpResponse) -> Result<Checked<T>, ApiError> {
    match response.status {
        200..=299 => serde_json::from_str(&response.body)
            .map(Ok)
            .map_err(|e| ApiError::Decode(e.to_string())),
        422 => match serde_json::from_str::<Rejection>(&response.body) {
            Ok(rejection) if !rejection.message.trim().is_empty() => Ok(Err(rejection)),
            _ => Err(ApiError::from_response(422, &response.body, true)),
        },
        status => Err(ApiError::from_response(status, &response.body, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(message: &str, attributes: &[&str], conflict: Option<i64>) -> Rejection {
        Rejection {
            message: message.into(),
            attributes: attributes.iter().map(|a| a.to_string()).collect(),
            conflict_contact_id: conflict,
        }
    }

    #[test]
    fn each_field_gets_its_own_part_of_the_message() {
        let r = rejection(
            "Email has already been taken, Phone number '12' is not a valid phone number: write it with its country code, e.g. +380501234567",
            &["email", "phone_number"],
            Some(7),
        );
        assert_eq!(
            r.message_for("email").as_deref(),
            Some("Email has already been taken")
        );
        assert_eq!(
            r.message_for("phone_number").as_deref(),
            Some("Phone number '12' is not a valid phone number: write it with its country code, e.g. +380501234567")
        );
        assert_eq!(r.message_for("name"), None);
        assert_eq!(r.taken_field(), Some("email"));
    }

    #[test]
    fn a_lone_field_gets_the_whole_message_and_taken_needs_a_conflict() {
        let r = rejection(
            "Phone number has already been taken",
            &["phone_number"],
            Some(3),
        );
        assert_eq!(
            r.message_for("phone_number").as_deref(),
            Some("Phone number has already been taken")
        );
        assert_eq!(r.taken_field(), Some("phone_number"));

        let odd = rejection("Something odd", &["email"], None);
        assert_eq!(odd.message_for("email").as_deref(), Some("Something odd"));
        assert_eq!(odd.taken_field(), None);
    }

    #[test]
    fn custom_attribute_problems_start_with_the_attribute_name() {
        let r = rejection(
            "Email is invalid, Orders must be a number",
            &["email", "custom_attributes"],
            None,
        );
        assert_eq!(r.message_for("email").as_deref(), Some("Email is invalid"));
        assert_eq!(
            r.message_for("custom_attributes").as_deref(),
            Some("Orders must be a number")
        );
    }

    #[test]
    fn a_422_with_fields_is_a_rejection_and_anything_else_an_error() {
        let answer = |status, body: &str| HttpResponse {
            status,
            body: body.into(),
        };
        let refused: Result<Checked<serde_json::Value>, ApiError> = checked(answer(
            422,
            r#"{"message":"Email has already been taken","attributes":["email"],"conflict_contact_id":12}"#,
        ));
        assert_eq!(
            refused,
            Ok(Err(rejection(
                "Email has already been taken",
                &["email"],
                Some(12)
            )))
        );
        let ok: Result<Checked<serde_json::Value>, ApiError> = checked(answer(200, r#"{"a":1}"#));
        assert_eq!(ok, Ok(Ok(serde_json::json!({"a":1}))));
        let filter_error: Result<Checked<serde_json::Value>, ApiError> =
            checked(answer(422, r#"{"error":"Bad input"}"#));
        assert_eq!(
            filter_error,
            Err(ApiError::Http {
                status: 422,
                message: "Bad input".into()
            })
        );
        let server: Result<Checked<serde_json::Value>, ApiError> = checked(answer(500, ""));
        assert!(matches!(server, Err(ApiError::Http { status: 500, .. })));
    }
}
