use leptos::prelude::*;
use novatalks_model::{SignInRequest, SignedInUser};

use super::{unique_id, Modal};
use crate::api::{auth, ApiError};
use crate::i18n::t;
use crate::state::{use_api, use_session, Session, SessionContext};

/// "Your session has ended — sign in again", over whatever page is shown, while the
/// server refuses the session's token (it expired, or was signed out elsewhere). The page
/// underneath stays mounted, so everything typed in its forms is still there; signing in
/// here continues on it (a save that failed can be sent again). Signing in as someone
/// else starts over on the contacts of that agent.
///
/// Mounted once, beside the routes. Expects a [`SessionContext`] and an `Api` in context.
#[component]
pub fn SessionEndedDialog() -> impl IntoView {
    let session = use_session();
    view! {
        <Show when=move || session.has_ended()>
            {sign_in_again()}
        </Show>
    }
}

/// The dialog itself: created anew each time the session ends, with the agent's email.
fn sign_in_again() -> impl IntoView {
    let strings = t();
    let api = use_api();
    let session = use_session();
    let known_email = session
        .get_untracked()
        .and_then(|s| s.email)
        .unwrap_or_default();
    let email_known = !known_email.is_empty();
    let email = RwSignal::new(known_email);
    let password = RwSignal::new(String::new());
    let title_id = unique_id("session-ended-title");
    let intro_id = unique_id("session-ended-intro");

    let sign_in = Action::new_local(move |request: &SignInRequest| {
        let request = request.clone();
        // Without the refused token: a 401 here means a wrong password, said as such.
        let client = api.client().with_session(None);
        async move {
            let user = auth::sign_in(&client, &request).await?.data;
            continue_as(session, user);
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
    // Escape does not close it: the page cannot be used until the agent signs in again
    // or out.
    let stay = Callback::new(|()| ());

    view! {
        <Modal
            labelled_by=title_id.clone()
            described_by=intro_id.clone()
            on_close=stay
            test_id="session-ended-dialog"
        >
            <form class="dialog-form session-ended" data-testid="session-ended-form" on:submit=submit>
                <div>
                    <h2 class="modal__title" id=title_id.clone()>
                        {strings.session_ended_title}
                    </h2>
                    <p class="modal__intro" id=intro_id.clone()>
                        {strings.session_ended_intro}
                    </p>
                </div>
                <label class="field">
                    <span class="field__label">{strings.email_label}</span>
                    <input
                        type="email"
                        name="email"
                        autocomplete="username"
                        required
                        data-testid="session-ended-email"
                        data-autofocus=(!email_known).then_some("")
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
                        data-testid="session-ended-password"
                        data-autofocus=email_known.then_some("")
                        bind:value=password
                    />
                </label>
                {move || {
                    error()
                        .map(|message| {
                            view! {
                                <p class="form-error" role="alert" data-testid="session-ended-error">
                                    {message}
                                </p>
                            }
                        })
                }}
                <div class="modal__actions">
                    <button
                        type="button"
                        class="button button--quiet"
                        data-testid="session-ended-sign-out"
                        on:click=move |_| session.sign_out()
                    >
                        {strings.session_ended_sign_out}
                    </button>
                    <button
                        type="submit"
                        class="button button--primary"
                        data-testid="session-ended-submit"
                        disabled=move || pending.get()
                    >
                        {move || {
                            if pending.get() { strings.signing_in } else { strings.session_ended_sign_in }
                        }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// The new session: the same agent carries on in the account they were working in; a
/// different agent starts over on their own contacts (the page shows someone else's work).
fn continue_as(session: SessionContext, user: SignedInUser) {
    let previous = session.get_untracked();
    let same_agent = previous.as_ref().is_some_and(|p| {
        p.user_id
            .map_or(p.user_name == user.name, |id| id == user.id)
    });
    let mut next = Session::from(user.clone());
    match previous {
        Some(previous) if same_agent => {
            if user.accounts.iter().any(|a| a.id == previous.account_id) {
                next.account_id = previous.account_id;
            }
            session.sign_in(next);
        }
        _ => {
            session.sign_in(next);
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign("/contacts");
            }
        }
    }
}
