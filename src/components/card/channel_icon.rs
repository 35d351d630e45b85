use leptos::prelude::*;

use crate::i18n::t;

/// The symbol of a channel type (`Channel::Whatsapp`…): a small inline SVG in the
/// channel's colour (no icon font or emoji font needed), named for assistive technology
/// after the channel.
#[component]
pub fn ChannelIcon(#[prop(into)] channel_type: String) -> impl IntoView {
    let strings = &t().card;
    let kind = channel_type
        .strip_prefix("Channel::")
        .unwrap_or(&channel_type)
        .to_owned();
    let (path, modifier) = symbol(&kind);
    view! {
        <span
            class=format!("channel-icon channel-icon--{modifier}")
            role="img"
            aria-label=strings.channel_name(&kind)
            title=strings.channel_name(&kind)
            data-testid="channel-icon"
            data-channel=kind.clone()
        >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                <path
                    d=path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                />
            </svg>
        </span>
    }
}

/// The outline drawn for a channel, and its CSS modifier.
fn symbol(kind: &str) -> (&'static str, &'static str) {
    match kind {
        // A chat bubble.
        "WebWidget" => ("M4 5h16v11H9l-5 4z", "web"),
        // Code brackets.
        "Api" => ("M8 7l-5 5 5 5M16 7l5 5-5 5", "api"),
        // An envelope.
        "Email" => ("M3 6h18v12H3zM3 7l9 6 9-6", "email"),
        // A round bubble with a tail.
        "Whatsapp" => ("M12 3a9 9 0 0 0-7.8 13.5L3 21l4.6-1.2A9 9 0 1 0 12 3z", "whatsapp"),
        // A paper plane.
        "Telegram" => ("M21 4L3 11l6 2 2 6 3-4 5 4zM9 13l12-9", "telegram"),
        // A rounded bubble.
        "Viber" => (
            "M12 3c5 0 8 2.5 8 7.5S17 18 12 18l-4 3v-3.5C5 16.5 4 14 4 10.5 4 5.5 7 3 12 3z",
            "viber",
        ),
        // A handset.
        "Call" => (
            "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z",
            "call",
        ),
        _ => ("M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z", "other"),
    }
}
