use leptos::prelude::*;
use novatalks_model::contact::initials;

const TONE_BITS: u32 = 3;
/// How many avatar colours `style/table.css` defines (`.avatar--tone-0` …).
pub const AVATAR_TONES: u64 = 1 << TONE_BITS;

/// The avatar colour of a contact: the same contact always gets the same one, and
/// neighbouring ids get different ones.
pub fn avatar_tone(id: i64) -> u64 {
    // Fibonacci hashing spreads consecutive ids over the palette.
    (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TONE_BITS)
}

/// The contact's initials on a coloured disc. Decorative: the name is next to it.
#[component]
pub fn Avatar(id: i64, #[prop(into)] name: String) -> impl IntoView {
    let class = format!("avatar avatar--tone-{}", avatar_tone(id));
    view! {
        <span class=class aria-hidden="true" data-testid="avatar">
            {initials(&name)}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_is_stable_and_within_the_palette() {
        for id in [-5, 0, 1, 2, 42, i64::MAX] {
            assert_eq!(avatar_tone(id), avatar_tone(id));
            assert!(avatar_tone(id) < AVATAR_TONES);
        }
    }

    #[test]
    fn consecutive_ids_use_many_tones() {
        let mut seen: Vec<u64> = (1..=16).map(avatar_tone).collect();
        seen.sort_unstable();
        seen.dedup();
        assert!(seen.len() >= 6, "only {} tones for 16 ids", seen.len());
    }
}
