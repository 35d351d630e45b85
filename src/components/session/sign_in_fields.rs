use leptos::prelude::*;

use crate::i18n::t;
use crate::state::SignInForm;

/// Which field of a sign-in form takes the focus when it opens (a dialog's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFocus {
    Email,
    Password,
}

/// The email and password fields of a sign-in form and its refusal. Test ids are
/// `{test_id}-email`, `{test_id}-password` and `{test_id}-error`.
#[component]
pub fn SignInFields(
    form: SignInForm,
    test_id: &'static str,
    #[prop(optional)] focus: Option<SignInFocus>,
) -> impl IntoView {
    let strings = t();
    let autofocus = move |field: SignInFocus| (focus == Some(field)).then_some("");
    view! {
        <label class="field">
            <span class="field__label">{strings.email_label}</span>
            <input
                type="email"
                name="email"
                autocomplete="username"
                required
                data-testid=format!("{test_id}-email")
                data-autofocus=autofocus(SignInFocus::Email)
                bind:value=form.email
            />
        </label>
        <label class="field">
            <span class="field__label">{strings.password_label}</span>
            <input
                type="password"
                name="password"
                autocomplete="current-password"
                required
                data-testid=format!("{test_id}-password")
                data-autofocus=autofocus(SignInFocus::Password)
                bind:value=form.password
            />
        </label>
        {move || {
            form.error()
                .map(|message| {
                    view! {
                        <p class="form-error" role="alert" data-testid=format!("{test_id}-error")>
                            {message}
                        </p>
                    }
                })
        }}
    }
}
