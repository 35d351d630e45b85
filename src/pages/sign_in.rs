use leptos::prelude::*;

use crate::components::session::SignInFields;
use crate::i18n::t;
use crate::state::{use_session, Session, SignInForm};

/// `/sign-in`. Success stores the session; the route guards then show the contacts.
#[component]
pub fn SignInPage() -> impl IntoView {
    let strings = t();
    let session = use_session();
    let form = SignInForm::new(String::new(), move |user| {
        session.sign_in(Session::from(user))
    });

    view! {
        <main class="sign-in">
            <form
                class="sign-in__card"
                data-testid="sign-in-form"
                on:submit=move |ev| form.submit(ev)
            >
                <h1 class="sign-in__title">{strings.sign_in_title}</h1>
                <SignInFields form=form test_id="sign-in" />
                <button
                    type="submit"
                    class="button button--primary"
                    data-testid="sign-in-submit"
                    disabled=move || form.pending()
                >
                    {move || if form.pending() { strings.signing_in } else { strings.sign_in_button }}
                </button>
            </form>
        </main>
    }
}
