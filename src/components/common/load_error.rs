use leptos::error::Error;
use leptos::prelude::*;

use crate::api::ApiError;
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
    /// `data-testid` of the whole; `contacts-error` unless given.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let strings = t();
    view! {
        <div class="load-error" role="alert" data-testid=test_id.unwrap_or("contacts-error")>
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

/// What a load says when it failed: "Could not load …: <why>" (`failed` with the
/// reason, the server's own words when it sent some), or, for a load that has words of
/// its own for a 404, `not_found`; and the test id of the [`LoadError`] that says it.
#[derive(Debug, Clone, Copy)]
pub struct LoadFailure {
    pub failed: fn(&str) -> String,
    pub not_found: Option<&'static str>,
    pub test_id: Option<&'static str>,
}

impl LoadFailure {
    pub fn new(failed: fn(&str) -> String) -> Self {
        LoadFailure {
            failed,
            not_found: None,
            test_id: None,
        }
    }

    pub fn test_id(self, test_id: &'static str) -> Self {
        LoadFailure {
            test_id: Some(test_id),
            ..self
        }
    }

    pub fn or_not_found(self, not_found: &'static str) -> Self {
        LoadFailure {
            not_found: Some(not_found),
            ..self
        }
    }

    /// An error caught by the load's `ErrorBoundary`, in the agent's words.
    pub fn describe(&self, error: &Error) -> String {
        match (error.downcast_ref::<ApiError>(), self.not_found) {
            (Some(ApiError::Http { status: 404, .. }), Some(not_found)) => not_found.to_owned(),
            (Some(api_error), _) => (self.failed)(&t().describe_error(api_error)),
            (None, _) => (self.failed)(&error.to_string()),
        }
    }
}

/// The fallback of an `ErrorBoundary` around a load: its first error as `failure` words
/// it, with a retry button.
pub fn load_error_fallback(
    failure: LoadFailure,
    pending: ReadSignal<bool>,
    on_retry: Callback<()>,
) -> impl Fn(ArcRwSignal<Errors>) -> AnyView + Copy + Send + Sync + 'static {
    move |errors: ArcRwSignal<Errors>| {
        let message = Signal::derive(move || {
            errors.with(|errors| {
                errors
                    .iter()
                    .next()
                    .map(|(_, error)| failure.describe(error))
                    .unwrap_or_default()
            })
        });
        let test_id = failure.test_id;
        view! { <LoadError message pending on_retry test_id=test_id.unwrap_or("contacts-error") /> }
            .into_any()
    }
}
