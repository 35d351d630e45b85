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

    /// Runs `then` at once when nothing is pending (input after a pause), then waits a
    /// delay for more; while input keeps coming, as [`Debounce::schedule`]. So the first
    /// key after a pause is answered without waiting, and a burst of keys is one call at
    /// its start and one at its end.
    pub fn run_now_or_schedule(&self, then: impl FnOnce() + 'static) {
        if self.timer.with_value(Option::is_some) {
            self.schedule(then);
        } else {
            then();
            // The quiet window: more input within it is put off until it pauses.
            self.schedule(|| {});
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
