use std::time::Duration;

use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
use leptos::prelude::*;

use crate::i18n::t;
use crate::state::{Toast, ToastTone, Toasts};

/// One toast: its message, its action, a dismiss button. It leaves by itself after
/// its time (`crate::state::TOAST_MILLIS` unless it asked for more), but not while the pointer or the focus is on it (time to reach "Undo").
#[component]
pub fn ToastCard(toast: Toast, toasts: Toasts) -> impl IntoView {
    let strings = t();
    let id = toast.id;
    let millis = toast.millis;

    let timer = StoredValue::new(None::<TimeoutHandle>);
    let pause = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    let resume = move || {
        pause();
        let handle =
            set_timeout_with_handle(move || toasts.dismiss(id), Duration::from_millis(millis));
        timer.set_value(handle.ok());
    };
    resume();
    on_cleanup(pause);

    let class = match toast.tone {
        ToastTone::Info => "toast",
        ToastTone::Error => "toast toast--error",
    };
    let action = toast.action.map(|action| {
        let run = action.run;
        view! {
            <button
                type="button"
                class="toast__action"
                data-testid="toast-undo"
                on:click=move |_| {
                    toasts.dismiss(id);
                    run();
                }
            >
                {action.label}
            </button>
        }
    });

    view! {
        <div
            class=class
            data-testid="toast"
            on:mouseenter=move |_| pause()
            on:mouseleave=move |_| resume()
            on:focusin=move |_| pause()
            on:focusout=move |_| resume()
        >
            <p class="toast__message">{toast.message}</p>
            {action}
            <button
                type="button"
                class="toast__dismiss"
                aria-label=strings.dismiss
                title=strings.dismiss
                on:click=move |_| toasts.dismiss(id)
            >
                <span aria-hidden="true">"×"</span>
            </button>
        </div>
    }
}
