use std::collections::HashMap;

use leptos::prelude::*;
use novatalks_model::Label;

use super::{use_api, use_session, Api, SessionContext};
use crate::api::labels::{self, LabelList};
use crate::api::ApiError;
use crate::logic::label_colour::LabelColours;

/// The account's labels, fetched once for the session and shared by everything that
/// shows or picks labels: the sidebar, the colours of chips, the filter builder, the
/// card's picker. Fetched again when an agent signs in, when one is created here, and
/// on a retry.
///
/// Besides them, the free titles: titles contacts carry that are none of the account's
/// labels (as in Chatwoot, a contact may be tagged with any title). Our server lists them
/// ([ext] `free_titles`); they are offered and shown like labels, without a colour.
///
/// Also the labels of contacts as last read or written one by one (a stock Chatwoot sends
/// none with a contact): a row scrolled away and back, or a card that changed them, asks
/// nothing again.
#[derive(Clone, Copy)]
pub struct AccountLabels {
    list: LocalResource<Result<LabelList, ApiError>>,
    version: RwSignal<u32>,
    titles: Memo<Vec<String>>,
    free_titles: Memo<Vec<String>>,
    colours: Memo<LabelColours>,
    of_contacts: StoredValue<HashMap<i64, Vec<String>>>,
}

impl AccountLabels {
    pub fn new(api: Api, session: SessionContext) -> Self {
        let version = RwSignal::new(0u32);
        let list = LocalResource::new(move || {
            version.track();
            let signed_in = session.is_signed_in();
            let client = api.client();
            async move {
                if !signed_in {
                    return Ok(LabelList::default());
                }
                labels::list(&client).await
            }
        });
        let loaded = move || list.get().and_then(Result::ok).unwrap_or_default();
        let free_titles = Memo::new(move |_| loaded().free_titles);
        let titles = Memo::new(move |_| {
            let list = loaded();
            let mut titles: Vec<String> = list.labels.into_iter().map(|l| l.title).collect();
            titles.extend(list.free_titles);
            titles.sort();
            titles.dedup();
            titles
        });
        let colours = Memo::new(move |_| loaded().labels.into_iter().collect());
        AccountLabels {
            list,
            version,
            titles,
            free_titles,
            colours,
            of_contacts: StoredValue::new(HashMap::new()),
        }
    }

    /// The labels; `None` while they load (tracked).
    pub fn get(&self) -> Option<Result<Vec<Label>, ApiError>> {
        self.list.get().map(|r| r.map(|list| list.labels))
    }

    /// The free titles in use, sorted (tracked); none from a stock Chatwoot.
    pub fn free_titles(&self) -> Memo<Vec<String>> {
        self.free_titles
    }

    /// The titles to pick from: the labels' and the free ones, sorted; none while they
    /// load or when they could not be (tracked).
    pub fn titles(&self) -> Memo<Vec<String>> {
        self.titles
    }

    /// Their colours, by title (tracked).
    pub fn colours(&self) -> Memo<LabelColours> {
        self.colours
    }

    /// Fetches them again (a label was created, or the last try failed).
    pub fn refresh(&self) {
        self.version.try_update(|v| *v += 1);
    }

    /// The labels of contact `id` as last read or written here, if they were.
    pub fn of_contact(&self, id: i64) -> Option<Vec<String>> {
        self.of_contacts
            .try_with_value(|known| known.get(&id).cloned())
            .flatten()
    }

    /// Contact `id` has these labels now (the server said so).
    pub fn remember(&self, id: i64, titles: Vec<String>) {
        self.of_contacts.try_update_value(|known| {
            known.insert(id, titles);
        });
    }
}

/// The account's labels in context; a component mounted without them (alone, in a test)
/// fetches them for itself.
pub fn use_account_labels() -> AccountLabels {
    use_context::<AccountLabels>().unwrap_or_else(|| AccountLabels::new(use_api(), use_session()))
}
