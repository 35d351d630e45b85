use leptos::prelude::*;
use novatalks_model::Contact;

use crate::i18n::t;

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

/// "Active", or "Blocked" / "Blocked until <date>" with the reason on hover.
#[component]
pub fn StatusBadge(state: BlockState, reason: Option<String>) -> impl IntoView {
    let strings = t();
    match state {
        BlockState::Active => view! {
            <span class="status status--active" data-testid="contact-status">
                {strings.status_active}
            </span>
        }
        .into_any(),
        BlockState::Blocked { until } => {
            let text = match until {
                Some(until) => (strings.blocked_until)(&strings.format_date_time(until)),
                None => strings.status_blocked.to_owned(),
            };
            let title = reason
                .filter(|r| !r.trim().is_empty())
                .map(|r| (strings.block_reason)(r.trim()));
            view! {
                <span class="status status--blocked" title=title data-testid="contact-status">
                    {text}
                </span>
            }
            .into_any()
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
