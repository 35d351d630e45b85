use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{contacts, labels, ApiError, ContactQuery};
use crate::components::table::{ContactsTable, LabelColours};
use crate::components::{AppHeader, LoadError};
use crate::i18n::t;
use crate::state::use_api;

/// Contacts shown on one page.
pub const PAGE_SIZE: u32 = 50;

/// `/contacts`: the first page of the account's contacts.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let strings = t();
    let api = use_api();

    // Bumping the version refetches (Retry).
    let version = RwSignal::new(0u32);
    let query = ContactQuery {
        per_page: PAGE_SIZE,
        ..ContactQuery::default()
    };
    let contacts = LocalResource::new(move || {
        version.track();
        let query = query.clone();
        api.call(move |client| async move { contacts::list(&client, &query).await })
    });

    // Label colours only decorate the chips: they load beside the contacts, never hold
    // them up, and without them the chips are neutral.
    let label_colours = RwSignal::new(LabelColours::default());
    let account_labels = api.call(|client| async move { labels::list(&client).await });
    spawn_local(async move {
        if let Ok(labels) = account_labels.await {
            label_colours.try_set(labels.into_iter().collect());
        }
    });

    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| version.update(|v| *v += 1));
    let error_view = move |errors: ArcRwSignal<Errors>| {
        let message = Signal::derive(move || {
            let why = errors.with(|errors| {
                errors
                    .iter()
                    .next()
                    .map(|(_, error)| describe(error))
                    .unwrap_or_default()
            });
            (strings.contacts_load_failed)(&why)
        });
        view! { <LoadError message pending on_retry=retry /> }
    };
    let loaded = move || {
        Suspend::new(async move {
            let list = contacts.await?;
            let now = now_secs();
            Ok::<_, ApiError>(if list.payload.is_empty() {
                Either::Left(view! {
                    <p class="empty-state" data-testid="contacts-empty">
                        {strings.no_contacts}
                    </p>
                })
            } else {
                Either::Right(view! {
                    <p class="contacts-count" data-testid="contacts-count">
                        {strings.contacts_count(list.meta.count)}
                    </p>
                    <ContactsTable contacts=list.payload label_colours now />
                })
            })
        })
    };

    view! {
        <div class="page">
            <AppHeader />
            <main class="contacts">
                <h1 class="contacts__heading">{strings.contacts_heading}</h1>
                <Transition
                    fallback=move || {
                        view! {
                            <p class="loading" role="status" data-testid="contacts-loading">
                                {strings.loading_contacts}
                            </p>
                        }
                    }
                    set_pending
                >
                    <ErrorBoundary fallback=error_view>{loaded}</ErrorBoundary>
                </Transition>
            </main>
        </div>
    }
}

/// An error caught by the boundary, in the agent's words.
fn describe(error: &leptos::error::Error) -> String {
    match error.downcast_ref::<ApiError>() {
        Some(api_error) => t().describe_error(api_error),
        None => error.to_string(),
    }
}

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
