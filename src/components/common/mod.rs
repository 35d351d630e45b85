//! The kit every feature builds with: widgets that more than one group of components
//! shows (avatars, label chips, the block state, moments, a failed load, the modal
//! dialog shell), and the two helpers they all need: element ids and the clock.

mod avatar;
mod label_chip;
mod later;
mod load_error;
mod modal;
mod status_badge;
mod time_stamp;

use std::sync::atomic::{AtomicU32, Ordering};

pub use avatar::{avatar_tone, Avatar, AVATAR_TONES};
pub use label_chip::LabelChip;
pub use later::Later;
pub use load_error::{load_error_fallback, LoadError, LoadFailure};
pub use modal::{focusable_elements, Modal};
pub use status_badge::StatusBadge;
pub use time_stamp::TimeStamp;

/// An id no other element of the page has (for `for`, `aria-labelledby`,
/// `aria-describedby`…): the same component may be shown several times at once.
pub fn element_id(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Unix seconds now, by the browser's clock.
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
