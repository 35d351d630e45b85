use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::api::contact::{self, Lookup};
use crate::api::ApiError;
use crate::components::card::{BackLink, ContactCard, MergedNotice};
use crate::components::common::{load_error_fallback, LoadFailure};
use crate::components::AppHeader;
use crate::i18n::t;
use crate::state::{use_api, use_trail};

/// `/contacts/:id`: the card of one contact. A contact merged into another says where it
/// went; once deleted, the agent is back on the list.
#[component]
pub fn ContactCardPage() -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let version = RwSignal::new(0u32);
    let contact = LocalResource::new(move || {
        version.track();
        let id = id.get();
        let client = api.client();
        async move {
            match id {
                Some(id) => contact::get(&client, id).await,
                None => Err(ApiError::Http {
                    status: 404,
                    message: String::new(),
                }),
            }
        }
    });

    let navigate = use_navigate();
    let trail = use_trail();
    let on_deleted = Callback::new(move |()| {
        let list = trail.map_or_else(|| "/contacts".to_owned(), |trail| trail.list_url());
        navigate(
            &list,
            NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            },
        );
    });

    // After a merge, the remaining contact's card, fetched again (it may be this one).
    let navigate_merged = use_navigate();
    let on_merged = Callback::new(move |remaining: i64| {
        navigate_merged(
            &format!("/contacts/{remaining}"),
            NavigateOptions::default(),
        );
        version.update(|v| *v += 1);
    });

    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| version.update(|v| *v += 1));
    let words = LoadFailure::new(card.load_failed).or_not_found(card.contact_not_found);
    let error_view = load_error_fallback(words, pending, retry);
    let loaded = move || {
        Suspend::new(async move {
            Ok::<_, ApiError>(match contact.await? {
                Lookup::Found(contact) => {
                    view! { <ContactCard contact=*contact on_deleted on_merged /> }.into_any()
                }
                Lookup::MergedInto(into) => view! { <MergedNotice into /> }.into_any(),
            })
        })
    };

    view! {
        <div class="page">
            <AppHeader />
            <main class="card-page">
                <BackLink />
                <Transition
                    fallback=move || view! { <p class="loading" role="status" data-testid="card-loading">{card.loading}</p> }
                    set_pending
                >
                    <ErrorBoundary fallback=error_view>{loaded}</ErrorBoundary>
                </Transition>
            </main>
        </div>
    }
}
