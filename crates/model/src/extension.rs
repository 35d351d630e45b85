//! The NovaTalks extensions of Chatwoot's JSON (marked [ext] in the contract): which keys
//! a stock Chatwoot never sends or reads. The server's stock mode strips them; the SPA
//! tells the two kinds of server apart by them.

/// [ext] keys of a contact that every NovaTalks contact carries (`null` when there is
/// nothing to say) and no stock Chatwoot contact does.
pub const ALWAYS_SENT_CONTACT_KEYS: &[&str] = &["conversations_count", "blocked_until"];

/// Every [ext] key of an answer, at any depth: a contact's, an inbox's, a merge's, a 422's.
/// (A contact's `labels` list is [ext] too, but `labels` elsewhere is not.)
pub const ANSWER_KEYS: &[&str] = &[
    "blocked_until",
    "block_reason",
    "conversations_count",
    "can_write_first",
    "merged_into",
    "conflict_contact_id",
    // A note's last editor.
    "edited_by",
    // `GET /labels`: the titles contacts carry that no account label has.
    "free_titles",
];

/// [ext] fields of a contact write that a stock Chatwoot ignores.
pub const INPUT_KEYS: &[&str] = &["blocked_until", "block_reason"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_that_tell_the_servers_apart_are_extensions() {
        for key in ALWAYS_SENT_CONTACT_KEYS.iter().chain(INPUT_KEYS) {
            assert!(ANSWER_KEYS.contains(key), "{key}");
        }
    }
}
