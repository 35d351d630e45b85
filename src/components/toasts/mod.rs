//! Toasts: short messages at the bottom of the screen, one of them maybe with an action.

mod toast_card;
mod toast_region;

pub use toast_card::ToastCard;
pub use toast_region::ToastRegion;
