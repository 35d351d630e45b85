use leptos::prelude::*;
use novatalks_model::SignedInUser;

use super::{SignInFields, SignInFocus};
use crate::components::common::{element_id, Later, Modal};
use crate::i18n::t;
use crate::split;
use crate::state::{use_session, Session, SessionContext, SignInForm};

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
            <Later load=split::session_ended />
        </Show>
    }
}

/// The dialog itself: created anew each time the session ends, with the agent's email.
/// In a part of its own ([`split::session_ended`]): most visits never need it.
pub fn sign_in_again() -> impl IntoView {
    let strings = t();
    let session = use_session();
    let known_email = session
        .get_untracked()
        .and_then(|s| s.email)
        .unwrap_or_default();
    let focus = if known_email.is_empty() {
        SignInFocus::Email
    } else {
        SignInFocus::Password
    };
    let form = SignInForm::new(known_email, move |user| continue_as(session, user));
    let title_id = element_id("session-ended-title");
    let intro_id = element_id("session-ended-intro");
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
            <form class="dialog-form session-ended" data-testid="session-ended-form" on:submit=move |ev| form.submit(ev)>
                <div>
                    <h2 class="modal__title" id=title_id.clone()>
                        {strings.session_ended_title}
                    </h2>
                    <p class="modal__intro" id=intro_id.clone()>
                        {strings.session_ended_intro}
                    </p>
                </div>
                <SignInFields form=form test_id="session-ended" focus=focus />
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
                        disabled=move || form.pending()
                    >
                        {move || {
                            if form.pending() { strings.signing_in } else { strings.session_ended_sign_in }
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
