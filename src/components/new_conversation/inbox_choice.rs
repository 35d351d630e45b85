use leptos::prelude::*;

use crate::components::card::ChannelIcon;
use crate::i18n::t;
use crate::logic::write_first::WriteFirstOption;

/// One inbox the agent may write first from, as a radio of the dialog's inbox group: its
/// channel, its name, and the contact's address it writes to.
#[component]
pub fn InboxChoice(
    option: WriteFirstOption,
    /// The `name` of the radio group.
    #[prop(into)]
    group: String,
    #[prop(into)] checked: Signal<bool>,
    on_choose: Callback<()>,
) -> impl IntoView {
    let words = t().new_conversation;
    let WriteFirstOption { inbox, address, .. } = option;
    view! {
        <label class="inbox-choice" data-testid="inbox-choice" data-inbox-id=inbox.id>
            <input
                type="radio"
                class="inbox-choice__radio"
                name=group
                value=inbox.id
                data-testid="inbox-radio"
                prop:checked=move || checked.get()
                on:change=move |_| on_choose.run(())
            />
            <ChannelIcon channel_type=inbox.channel_type />
            <span class="inbox-choice__text">
                <span class="inbox-choice__name">{inbox.name}</span>
                {address.map(|address| view! {
                    <span class="inbox-choice__address" data-testid="inbox-address">
                        {(words.to_address)(&address)}
                    </span>
                })}
            </span>
        </label>
    }
}
