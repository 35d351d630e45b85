use leptos::prelude::*;
use novatalks_model::{SignInRequest, SignedInUser};

use crate::api::{auth, ApiError};
use crate::i18n::t;
use crate::state::use_api;

/// The state of a sign-in form (the sign-in page, the "session ended" dialog): what is
/// typed, the request in flight and its refusal. `on_signed_in` gets the agent the server
/// answered with.
#[derive(Clone, Copy)]
pub struct SignInForm {
    pub email: RwSignal<String>,
    pub password: RwSignal<String>,
    action: Action<SignInRequest, Result<(), ApiError>>,
}

impl SignInForm {
    /// Expects an `Api` in context.
    pub fn new(email: String, on_signed_in: impl Fn(SignedInUser) + Copy + 'static) -> Self {
        let api = use_api();
        let action = Action::new_local(move |request: &SignInRequest| {
            let request = request.clone();
            // Without any token: a 401 here means a wrong password, said as such.
            let client = api.client().with_session(None);
            async move {
                let user = auth::sign_in(&client, &request).await?.data;
                on_signed_in(user);
                Ok::<(), ApiError>(())
            }
        });
        SignInForm {
            email: RwSignal::new(email),
            password: RwSignal::new(String::new()),
            action,
        }
    }

    /// Whether a sign-in is in flight (tracked).
    pub fn pending(&self) -> bool {
        self.action.pending().get()
    }

    /// The last refusal in words (tracked).
    pub fn error(&self) -> Option<String> {
        self.action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| t().describe_error(&e))
    }

    /// Sends what is typed, unless a sign-in is already in flight.
    pub fn submit(&self, ev: leptos::ev::SubmitEvent) {
        ev.prevent_default();
        if self.action.pending().get_untracked() {
            return;
        }
        self.action.dispatch_local(SignInRequest {
            email: self.email.get_untracked().trim().to_owned(),
            password: self.password.get_untracked(),
        });
    }
}
