use leptos::prelude::*;
use novatalks_model::SignInRequest;

use crate::api::{auth, ApiError};
use crate::i18n::t;
use crate::state::{use_api, use_session, Session};

/// `/sign-in`. Success stores the session; the route guards then show the contacts.
#[component]
pub fn SignInPage() -> impl IntoView {
    let strings = t();
    let api = use_api();
    let session = use_session();

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sign_in = Action::new_local(move |request: &SignInRequest| {
        let request = request.clone();
        let client = api.client();
        async move {
            let user = auth::sign_in(&client, &request).await?.data;
            session.sign_in(Session::from(user));
            Ok::<(), ApiError>(())
        }
    });
    let pending = sign_in.pending();
    let error = move || {
        sign_in
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| strings.describe_error(&e))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        sign_in.dispatch_local(SignInRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };

    view! {
        <main class="sign-in">
            <form class="sign-in__card" data-testid="sign-in-form" on:submit=submit>
                <h1 class="sign-in__title">{strings.sign_in_title}</h1>
                <label class="field">
                    <span class="field__label">{strings.email_label}</span>
                    <input
                        type="email"
                        name="email"
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </label>
                <label class="field">
                    <span class="field__label">{strings.password_label}</span>
                    <input
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </label>
                {move || {
                    error()
                        .map(|message| {
                            view! {
                                <p class="form-error" role="alert" data-testid="sign-in-error">
                                    {message}
                                </p>
                            }
                        })
                }}
                <button
                    type="submit"
                    class="button button--primary"
                    data-testid="sign-in-submit"
                    disabled=move || pending.get()
                >
                    {move || if pending.get() { strings.signing_in } else { strings.sign_in_button }}
                </button>
            </form>
        </main>
    }
}
