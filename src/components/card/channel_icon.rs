use leptos::prelude::*;

use crate::i18n::t;

/// The symbol of a channel type (`Channel::Whatsapp`…): an emoji, named for assistive
/// technology after the channel.
#[component]
pub fn ChannelIcon(#[prop(into)] channel_type: String) -> impl IntoView {
    let strings = &t().card;
    let kind = channel_type
        .strip_prefix("Channel::")
        .unwrap_or(&channel_type);
    let (symbol, modifier) = match kind {
        "WebWidget" => ("💬", "web"),
        "Api" => ("🔌", "api"),
        "Email" => ("✉️", "email"),
        "Whatsapp" => ("🟢", "whatsapp"),
        "Telegram" => ("✈️", "telegram"),
        "Viber" => ("🟣", "viber"),
        "Call" => ("📞", "call"),
        _ => ("💭", "other"),
    };
    view! {
        <span
            class=format!("channel-icon channel-icon--{modifier}")
            role="img"
            aria-label=strings.channel_name(kind)
            title=strings.channel_name(kind)
            data-testid="channel-icon"
            data-channel=kind.to_owned()
        >
            {symbol}
        </span>
    }
}
