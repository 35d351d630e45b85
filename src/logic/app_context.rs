//! The Dashboard App protocol, as the NovaTalks dashboard (Chatwoot) speaks it: the parent
//! posts a JSON *string* `{"event":"appContext","data":{"conversation","contact",
//! "currentAgent"}}`; the app may ask for it again by posting [`FETCH_INFO`]. Pure: what
//! a message means is decided here, the browser glue is in `messages`.

use serde::Deserialize;

/// What the app posts to the parent to be sent the context again.
pub const FETCH_INFO: &str = "chatwoot-dashboard-app:fetch-info";

/// The part of the dashboard's context the app uses: whose card to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppContext {
    pub contact_id: i64,
    pub conversation_id: Option<i64>,
    /// The agent looking at the dashboard.
    pub agent: Option<Agent>,
}

/// An `appContext` as it arrived: what it says, and the origin of the page that posted
/// it (checked against the configured dashboard origins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub context: AppContext,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Agent {
    pub id: i64,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
struct Message {
    event: String,
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    contact: Option<WithId>,
    conversation: Option<WithId>,
    #[serde(rename = "currentAgent")]
    current_agent: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct WithId {
    id: i64,
}

impl AppContext {
    /// The context a message's data carries, when it is an `appContext` message naming a
    /// contact. Anything else (another event, another shape, not JSON) is `None`: other
    /// scripts post messages too, and none of them may disturb the card.
    pub fn parse(message: &str) -> Option<AppContext> {
        let message: Message = serde_json::from_str(message).ok()?;
        if message.event != "appContext" {
            return None;
        }
        let data = message.data?;
        let contact_id = data.contact?.id;
        if contact_id <= 0 {
            return None;
        }
        Some(AppContext {
            contact_id,
            conversation_id: data.conversation.map(|c| c.id),
            agent: data
                .current_agent
                .and_then(|agent| serde_json::from_value(agent).ok()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_contact_conversation_and_agent_of_an_app_context() {
        let message = r#"{"event":"appContext","data":{
            "conversation":{"id":77,"inbox_id":1,"messages":[],"meta":{"sender":{"id":5}}},
            "contact":{"id":5,"name":"Olena","email":"olena@example.com"},
            "currentAgent":{"id":3,"name":"Demo Agent","email":"agent@demo.test"}}}"#;
        assert_eq!(
            AppContext::parse(message),
            Some(AppContext {
                contact_id: 5,
                conversation_id: Some(77),
                agent: Some(Agent {
                    id: 3,
                    name: "Demo Agent".into()
                }),
            })
        );
    }

    #[test]
    fn the_contact_alone_is_enough() {
        let context = AppContext::parse(r#"{"event":"appContext","data":{"contact":{"id":9}}}"#);
        assert_eq!(
            context,
            Some(AppContext {
                contact_id: 9,
                conversation_id: None,
                agent: None
            })
        );
        // An agent of an unexpected shape is left out, not a reason to drop the context.
        let context = AppContext::parse(
            r#"{"event":"appContext","data":{"contact":{"id":9},"currentAgent":"x"}}"#,
        );
        assert_eq!(context.map(|c| (c.contact_id, c.agent)), Some((9, None)));
    }

    #[test]
    fn anything_else_is_ignored() {
        for message in [
            "",
            "garbage",
            FETCH_INFO,
            "{}",
            "[1,2]",
            r#"{"event":"appContext"}"#,
            r#"{"event":"appContext","data":{}}"#,
            r#"{"event":"appContext","data":{"contact":null}}"#,
            r#"{"event":"appContext","data":{"contact":{"id":"5"}}}"#,
            r#"{"event":"appContext","data":{"contact":{"id":0}}}"#,
            r#"{"event":"somethingElse","data":{"contact":{"id":5}}}"#,
            r#"{"data":{"contact":{"id":5}}}"#,
            "\"{\\\"event\\\":\\\"appContext\\\"}\"",
        ] {
            assert_eq!(AppContext::parse(message), None, "{message}");
        }
    }
}
