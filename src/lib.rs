//! NovaTalks Contacts: the single-page app (Leptos, client-side rendered).
//!
//! A library so that `tests/` can mount its components; `main.rs` only mounts [`App`].
//!
//! Its modules, each using only the ones before it: [`api`] (the typed client of the
//! server), [`logic`] (what is decided without a browser, tested natively), [`i18n`]
//! (every word), [`state`] (what components share through context), [`components`] (one
//! per file, grouped by feature, with a `common` kit), then [`pages`] and [`embed`] (the
//! routes).

pub mod api;
pub mod components;
pub mod embed;
pub mod i18n;
pub mod logic;
pub mod pages;
pub mod split;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{ProtectedRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::api::ApiClient;
use crate::components::common::Later;
use crate::components::session::SessionEndedDialog;
use crate::components::toasts::ToastRegion;
use crate::components::TrailRecorder;
use crate::i18n::t;
use crate::pages::ContactsPage;

use crate::state::{
    use_session, AccountLabels, Api, Imports, NavigationTrail, ServerCapabilities, SessionContext,
    Toasts,
};

/// The app: the saved session, the API of the page's own origin, the routes, and the
/// toasts every page may show.
#[component]
pub fn App() -> impl IntoView {
    let session = SessionContext::restore();
    provide_context(session);
    let api = Api::new(ApiClient::same_origin(), session);
    provide_context(api);
    // Whether the server has the NovaTalks extensions: asked once, when an agent is in.
    provide_context(ServerCapabilities::probe(api, session));
    // Fetched once for the session, shared by the list and the card.
    provide_context(AccountLabels::new(api, session));
    provide_context(Toasts::new());
    // The import page's file, mapping and runs outlive the page.
    provide_context(Imports::new());
    view! {
        <AppRoutes />
        // Over any page when the server ends the session; the page stays as it was.
        <SessionEndedDialog />
        <ToastRegion />
    }
}

/// The routes. They follow the session: signed out, every page but sign-in goes to
/// `/sign-in`; signed in, `/sign-in` goes to `/contacts`. Signing out anywhere is
/// therefore enough to show the sign-in page. A refused token does not sign out: the page
/// stays, under the "sign in again" dialog ([`SessionEndedDialog`], mounted by [`App`]).
///
/// Expects a [`SessionContext`] and an [`Api`] in context.
#[component]
pub fn AppRoutes() -> impl IntoView {
    let session = use_session();
    // Memoised: a guard re-renders its page whenever what its condition reads changes,
    // and signing in again (a new token, the same agent) must leave the page as it is.
    let signed_in = Memo::new(move |_| session.is_signed_in());
    provide_context(NavigationTrail::new());
    view! {
        <Router>
            <TrailRecorder />
            <Routes fallback=|| t().not_found>
                <Route path=path!("/") view=|| view! { <Redirect path="/contacts" /> } />
                // Framed in the dashboard: configured by URL or file, no sign-in.
                <Route path=path!("/dashboard-app") view=|| view! { <Later load=split::dashboard_app_page /> } />
                <ProtectedRoute
                    path=path!("/sign-in")
                    view=|| view! { <Later load=split::sign_in_page /> }
                    condition=move || Some(!signed_in.get())
                    redirect_path=|| "/contacts"
                />
                <ProtectedRoute
                    path=path!("/contacts")
                    view=ContactsPage
                    condition=move || Some(signed_in.get())
                    redirect_path=|| "/sign-in"
                />
                <ProtectedRoute
                    path=path!("/contacts/new")
                    view=|| view! { <Later load=split::new_contact_page /> }
                    condition=move || Some(signed_in.get())
                    redirect_path=|| "/sign-in"
                />
                <ProtectedRoute
                    path=path!("/contacts/import")
                    view=|| view! { <Later load=split::import_contacts_page /> }
                    condition=move || Some(signed_in.get())
                    redirect_path=|| "/sign-in"
                />
                <ProtectedRoute
                    path=path!("/contacts/:id")
                    view=|| view! { <Later load=split::contact_card_page /> }
                    condition=move || Some(signed_in.get())
                    redirect_path=|| "/sign-in"
                />
            </Routes>
        </Router>
    }
}
