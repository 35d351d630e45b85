use leptos::prelude::*;
use novatalks_model::Contact;

use super::EmbedNotice;
use crate::api::contact::{self, Lookup};
use crate::api::{ApiClient, ApiError};
use crate::components::card::ContactCard;
use crate::components::common::{load_error_fallback, LoadFailure};
use crate::i18n::t;
use crate::state::{use_api, use_session, AccountLabels, ServerCapabilities};

/// How many "merged into" steps are followed to the contact that remains.
const MERGE_HOPS: usize = 3;

/// The card of the contact the dashboard names, compact and still editable. A new
/// contact id loads that contact's card; while it loads, the previous card stays. A
/// contact merged away (here or elsewhere) is followed to the one that remains.
#[component]
pub fn EmbeddedCard(
    /// The contact of the conversation open in the dashboard.
    #[prop(into)]
    contact_id: Signal<i64>,
) -> impl IntoView {
    let strings = t().embed;
    let api = use_api();
    // This session's server and account (not those of the app's own origin), for every
    // card shown here.
    let session = use_session();
    provide_context(ServerCapabilities::probe(api, session));
    provide_context(AccountLabels::new(api, session));
    // A merge made on this card: (the dashboard's contact, the one that remained).
    let merged = RwSignal::new(None::<(i64, i64)>);
    let shown = Memo::new(move |_| {
        let id = contact_id.get();
        match merged.get() {
            Some((from, into)) if from == id => into,
            _ => id,
        }
    });
    // The card's contact once deleted from the card itself.
    let deleted = RwSignal::new(None::<i64>);
    let version = RwSignal::new(0u32);
    let contact = LocalResource::new(move || {
        version.track();
        let id = shown.get();
        let client = api.client();
        async move { load(&client, id).await }
    });
    let on_deleted = Callback::new(move |()| deleted.set(Some(shown.get_untracked())));
    let on_merged = Callback::new(move |remaining: i64| {
        merged.set(Some((contact_id.get_untracked(), remaining)));
        // Afresh even when this contact remained: it has the other's details now.
        version.update(|v| *v += 1);
    });

    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| version.update(|v| *v += 1));
    let words = LoadFailure::new(strings.load_failed).or_not_found(strings.contact_not_found);
    let error_view = load_error_fallback(words, pending, retry);
    let loaded = move || {
        Suspend::new(async move {
            let contact = contact.await?;
            Ok::<_, ApiError>(view! { <ContactCard contact on_deleted on_merged /> })
        })
    };
    let is_deleted = move || deleted.get() == Some(shown.get());
    let deleted_notice = move || {
        view! { <EmbedNotice message=strings.contact_deleted testid="embed-contact-deleted" /> }
    };
    let loading = move || {
        view! { <EmbedNotice message=strings.loading_contact testid="embed-loading" /> }
    };
    view! {
        <div class="embed__card" aria-busy=move || pending.get().to_string()>
            <Show when=move || !is_deleted() fallback=deleted_notice>
                <Transition fallback=loading set_pending>
                    <ErrorBoundary fallback=error_view>{loaded}</ErrorBoundary>
                </Transition>
            </Show>
        </div>
    }
}

/// The contact, or the one it was merged into.
async fn load(client: &ApiClient, id: i64) -> Result<Contact, ApiError> {
    let mut id = id;
    for _ in 0..MERGE_HOPS {
        match contact::get(client, id).await? {
            Lookup::Found(contact) => return Ok(*contact),
            Lookup::MergedInto(remaining) => id = remaining,
        }
    }
    Err(ApiError::Http {
        status: 404,
        message: String::new(),
    })
}
