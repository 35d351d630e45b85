use leptos::prelude::*;

use crate::i18n::t;
use crate::logic::block_state::BlockState;

/// "Active"; or a "Blocked" badge over when the block ends ("until 30 Nov, 00:00", left
/// out when it has no end: for ever, or a stock Chatwoot that does not say) and its
/// reason, in full on hover.
///
/// The element with `data-testid="contact-status"` reads as one sentence ("Blocked until
/// 30 Nov, 00:00 Reason: Spam"); it lays out no box of its own, so that the badge and the
/// line under it can sit in the status cell's grid around the row's button.
#[component]
pub fn StatusBadge(
    state: BlockState,
    reason: Option<String>,
    /// Unix seconds; the date of the end shows its year only when it is not this one's.
    now: i64,
) -> impl IntoView {
    let strings = t();
    match state {
        BlockState::Active => view! {
            <span class="status status--active" data-testid="contact-status">
                {strings.status_active}
            </span>
        }
        .into_any(),
        BlockState::Blocked { until } => {
            let reason = reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
            let title = reason.as_deref().map(strings.block_reason);
            let ends = until.map(|until| {
                view! {
                    " "
                    <span class="status-detail__until">
                        {(strings.block_ends)(&strings.format_block_end(until, now))}
                    </span>
                }
            });
            let reason = reason.map(|reason| {
                view! {
                    " "
                    <span class="status-detail__reason" data-testid="block-reason-text">
                        <span class="visually-hidden">{strings.reason_prefix}</span>
                        {reason}
                    </span>
                }
            });
            let detail = (ends.is_some() || reason.is_some()).then(|| {
                view! { <span class="status-detail">{ends}{reason}</span> }
            });
            view! {
                <span class="status-summary status--blocked" title=title data-testid="contact-status">
                    <span class="status status--blocked">{strings.status_blocked}</span>
                    {detail}
                </span>
            }
            .into_any()
        }
    }
}
