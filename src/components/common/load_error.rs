use leptos::error::Error;
use leptos::prelude::*;

use crate::i18n::t;

/// A failed load: what failed, and a button to try again.
#[component]
pub fn LoadError(
    /// The whole sentence, e.g. "Could not load contacts: Database is busy".
    #[prop(into)]
    message: Signal<String>,
    /// Whether the retry is under way.
    #[prop(into)]
    pending: Signal<bool>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let strings = t();
    view! {
        <div class="load-error" role="alert" data-testid="contacts-error">
            <p class="load-error__message">{message}</p>
            <button
                type="button"
                class="button"
                data-testid="retry"
                disabled=move || pending.get()
                on:click=move |_| on_retry.run(())
            >
                {move || if pending.get() { strings.retrying } else { strings.retry }}
            </button>
        </div>
    }
}

/// The fallback of an `ErrorBoundary` around a load: its first error, in the words
/// `describe` finds for it, with a retry button.
pub fn load_error_fallback(
    describe: impl Fn(&Error) -> String + Copy + Send + Sync + 'static,
    pending: ReadSignal<bool>,
    on_retry: Callback<()>,
) -> impl Fn(ArcRwSignal<Errors>) -> AnyView + Copy + Send + Sync + 'static {
    move |errors: ArcRwSignal<Errors>| {
        let message = Signal::derive(move || {
            errors.with(|errors| {
                errors
                    .iter()
                    .next()
                    .map(|(_, error)| describe(error))
                    .unwrap_or_default()
            })
        });
        view! { <LoadError message pending on_retry /> }.into_any()
    }
}
