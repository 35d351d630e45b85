use leptos::prelude::*;
use novatalks_model::around::OUTGOING;

use super::ChannelIcon;
use crate::api::conversations::ContactConversation;
use crate::components::common::TimeStamp;
use crate::i18n::t;

/// The longest excerpt of the last message, in characters.
const EXCERPT_CHARS: usize = 140;

/// One conversation: its channel and inbox, status, the start of its last message (as
/// text) and when it was last active.
#[component]
pub fn ConversationItem(conversation: ContactConversation, now: i64) -> impl IntoView {
    let strings = &t().card;
    let (inbox_name, channel_type) = conversation
        .inbox
        .as_ref()
        .map(|inbox| (inbox.name.clone(), inbox.channel_type.clone()))
        .unwrap_or_else(|| ((strings.inbox_number)(conversation.inbox_id), String::new()));
    let excerpt = conversation.last_message.as_ref().map(|message| {
        let text = excerpt(message.content.as_deref().unwrap_or_default());
        if message.message_type == OUTGOING {
            (strings.outgoing_excerpt)(&text)
        } else {
            text
        }
    });
    let status = conversation.status.clone();
    view! {
        <li class="conversation" data-testid="conversation-item" data-conversation-id=conversation.id>
            <ChannelIcon channel_type />
            <div class="conversation__main">
                <div class="conversation__top">
                    <span class="conversation__inbox">{inbox_name}</span>
                    <span class=format!("conversation-status conversation-status--{}", status_class(&status))>
                        {strings.conversation_status(&status)}
                    </span>
                </div>
                <p class="conversation__excerpt" data-testid="conversation-excerpt">
                    {excerpt.unwrap_or_else(|| strings.no_messages.to_owned())}
                </p>
            </div>
            <span class="conversation__time">
                <TimeStamp at=conversation.last_active() relative_to=now />
            </span>
        </li>
    }
}

/// The message on one line, cut at a word near [`EXCERPT_CHARS`].
pub fn excerpt(content: &str) -> String {
    let flat = content.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end())
}

fn status_class(status: &str) -> &'static str {
    match status {
        "open" => "open",
        "resolved" => "resolved",
        "pending" => "pending",
        "snoozed" => "snoozed",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_line_and_cut_at_a_word() {
        assert_eq!(excerpt("Hello,\n\n  <b>world</b> "), "Hello, <b>world</b>");
        let long = "word ".repeat(60);
        let cut = excerpt(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
    }
}
