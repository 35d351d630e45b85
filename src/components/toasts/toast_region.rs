use leptos::prelude::*;

use super::ToastCard;
use crate::i18n::t;
use crate::state::Toasts;

/// Where the toasts of [`Toasts`] appear. A polite live region that is always there, so
/// that screen readers announce each toast as it arrives.
///
/// Expects [`Toasts`] in context.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    view! {
        <section class="toasts" aria-label=t().notifications aria-live="polite">
            // Keyed by id: a toast's content never changes, and its action is not `Send`.
            <For each=move || toasts.ids() key=|id| *id let:id>
                {toasts.get(id).map(|toast| view! { <ToastCard toast toasts /> })}
            </For>
        </section>
    }
}
