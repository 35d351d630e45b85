//! Whether a contact is blocked at a given moment: a block whose end has passed is over
//! by itself, whatever the contact loaded earlier said.

use novatalks_model::Contact;

/// Whether a contact is blocked at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockState {
    Active,
    /// `until: None` is forever.
    Blocked {
        until: Option<i64>,
    },
}

impl BlockState {
    /// A block whose time has passed is over by itself, even if the page was loaded before.
    pub fn of(contact: &Contact, now: i64) -> BlockState {
        match (contact.blocked, contact.blocked_until) {
            (true, Some(until)) if until <= now => BlockState::Active,
            (true, until) => BlockState::Blocked { until },
            (false, _) => BlockState::Active,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(blocked: bool, blocked_until: Option<i64>) -> Contact {
        let mut c: Contact = serde_json::from_str(r#"{"id":1}"#).unwrap();
        c.blocked = blocked;
        c.blocked_until = blocked_until;
        c
    }

    #[test]
    fn a_block_lasts_until_its_time_or_forever() {
        let now = 1_764_500_000;
        assert_eq!(
            BlockState::of(&contact(false, None), now),
            BlockState::Active
        );
        assert_eq!(
            BlockState::of(&contact(true, None), now),
            BlockState::Blocked { until: None }
        );
        assert_eq!(
            BlockState::of(&contact(true, Some(now + 60)), now),
            BlockState::Blocked {
                until: Some(now + 60)
            }
        );
        assert_eq!(
            BlockState::of(&contact(true, Some(now)), now),
            BlockState::Active
        );
    }
}
