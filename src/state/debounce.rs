use std::time::Duration;

use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
use leptos::prelude::*;

/// A call put off until input pauses: [`Debounce::schedule`] runs its function after the
/// delay unless another `schedule` or a [`Debounce::cancel`] comes first. What is still
/// pending when the owner (the component that made it) goes away never runs.
#[derive(Debug, Clone, Copy)]
pub struct Debounce {
    timer: StoredValue<Option<TimeoutHandle>>,
    delay: Duration,
}

impl Debounce {
    pub fn new(delay: Duration) -> Self {
        let debounce = Debounce {
            timer: StoredValue::new(None),
            delay,
        };
        on_cleanup(move || debounce.cancel());
        debounce
    }

    /// Forgets the pending call, if any.
    pub fn cancel(&self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    /// Runs `then` once the delay passes, instead of whatever was pending.
    pub fn schedule(&self, then: impl FnOnce() + 'static) {
        self.cancel();
        let timer = self.timer;
        let handle = set_timeout_with_handle(
            move || {
                timer.try_set_value(None);
                then();
            },
            self.delay,
        );
        self.timer.try_set_value(handle.ok());
    }
}
