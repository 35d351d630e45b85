use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_url};
use leptos_router::NavigateOptions;
use novatalks_model::filter::{CustomFilter, FilterCondition};
use novatalks_model::SortKey;

use crate::api::{custom_attributes, filter, ApiError};
use crate::components::bulk::BulkBar;
use crate::components::common::{load_error_fallback, now_secs, Later, LoadFailure};
use crate::components::filter::{Catalog, FilterButton, SegmentList};
use crate::components::search::SearchBox;
use crate::components::sidebar::{ActiveLabels, LabelSidebar};
use crate::components::table::{ContactsTable, NoMatches};
use crate::components::AppHeader;
use crate::i18n::t;
use crate::logic::filter_edit::remove_condition;
use crate::logic::list_query::ListQuery;
use crate::logic::selection::scope_of;
use crate::split;
use crate::state::{use_account_labels, use_api, use_toasts, ListSelection};

pub use crate::logic::list_query::PAGE_SIZE;

/// `/contacts`: the account's contacts, searched, narrowed to labels, filtered and sorted
/// as the URL's query string says ([`ListQuery`]). The filter is built in the
/// [`FilterBuilder`], shown as chips, and saved as segments listed in the sidebar. Every change goes through the URL: typing
/// replaces the history entry, discrete changes (labels, order) push one, so reload,
/// back and forward and a pasted link all show the same list.
///
/// Expects to be inside a `<Router>`.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let strings = t();
    let api = use_api();

    // The query string is read raw: leptos_router's `use_query_map` decodes values twice,
    // so a search for "50%25" would become "50%".
    let url = use_url();
    let list_query = Memo::new(move |_| url.with(|url| ListQuery::from_search(url.search())));
    let path = use_location().pathname;
    let navigate = StoredValue::new_local(use_navigate());
    let go = move |next: ListQuery, replace: bool| {
        if list_query.get_untracked() == next {
            return;
        }
        let href = next.href(&path.get_untracked());
        let options = NavigateOptions {
            replace,
            scroll: false,
            ..NavigateOptions::default()
        };
        navigate.with_value(|navigate| navigate(&href, options));
    };
    let current = move || list_query.get_untracked();
    let on_search = Callback::new(move |q: String| go(current().with_text(q), true));
    let on_toggle_label =
        Callback::new(move |label: String| go(current().with_label_toggled(&label), false));
    let on_all_contacts = Callback::new(move |()| go(current().without_labels(), false));
    let on_clear = Callback::new(move |()| go(current().cleared(), false));
    let on_sort = Callback::new(move |sort: SortKey| go(current().with_sort(sort), false));
    let search_text = Memo::new(move |_| list_query.with(|q| q.q.clone()));

    // The selection belongs to what the list shows: another search, labels or filter
    // clears it, and the agent is told. A bulk action that changed contacts reloads.
    let list_selection = ListSelection::new();
    provide_context(list_selection);
    let toasts = use_toasts();
    let scope = Memo::new(move |_| list_query.with(scope_of));
    Effect::new(move |_| {
        let scope = scope.get();
        let cleared = list_selection
            .selection
            .try_update(|s| s.follow_scope(&scope))
            .unwrap_or(false);
        if let (true, Some(toasts)) = (cleared, toasts) {
            toasts.show(strings.bulk.selection_cleared, None);
        }
    });
    let active_labels = Memo::new(move |_| list_query.with(|q| q.labels.clone()));
    let active_filter = Memo::new(move |_| list_query.with(|q| q.filter.clone()));

    // The filter builder: closed, or open on a row (a chip's, else the first).
    let builder = RwSignal::new(None::<usize>);
    let on_toggle_builder = Callback::new(move |()| {
        builder.update(|open| *open = if open.is_some() { None } else { Some(0) })
    });
    let on_close_builder = Callback::new(move |()| builder.set(None));
    let on_apply = Callback::new(move |conditions: Vec<FilterCondition>| {
        builder.set(None);
        go(current().with_filter(conditions), false);
    });
    let on_edit_condition = Callback::new(move |index: usize| builder.set(Some(index)));
    let on_remove_condition = Callback::new(move |index: usize| {
        let query = current();
        let rest = remove_condition(&query.filter, index);
        builder.set(None);
        go(query.with_filter(rest), false);
    });
    let on_clear_filter = Callback::new(move |()| {
        builder.set(None);
        go(current().with_filter(Vec::new()), false);
    });
    let segments_version = RwSignal::new(0u32);
    let on_segment_saved =
        Callback::new(move |_: CustomFilter| segments_version.update(|v| *v += 1));
    let on_open_segment = Callback::new(move |segment: CustomFilter| {
        builder.set(None);
        go(current().with_filter(segment.query.payload), false);
    });

    // What filters are built from: the account's custom attributes (their loading failing
    // only leaves them out of the builder) and its labels.
    let definitions = LocalResource::new(move || {
        let client = api.client();
        async move { custom_attributes::definitions(&client).await }
    });
    let catalog = Memo::new(move |_| {
        Catalog::new(definitions.get().and_then(Result::ok).unwrap_or_default())
    });
    let catalog_problem = Signal::derive(move || {
        definitions
            .get()
            .and_then(Result::err)
            .map(|why| strings.describe_error(&why))
    });

    // The first page of the list and the query it answers. A new query supersedes the
    // one in flight: the resource keeps only the answer of the latest.
    let asked = Memo::new(move |_| list_query.with(ListQuery::normalized));
    let version = RwSignal::new(0u32);
    let first_page = LocalResource::new(move || {
        version.track();
        list_selection.changed.track();
        let query = asked.get();
        let client = api.client();
        async move {
            let list =
                filter::find(&client, &query.q, &query.filter, &query.contact_query(1)).await?;
            Ok::<_, ApiError>((query, list))
        }
    });

    // The labels feed the sidebar and colour the chips; they never hold up the contacts.
    let account_labels = use_account_labels();
    let sidebar_labels = Signal::derive(move || account_labels.get());
    let free_titles = account_labels.free_titles();
    let label_titles = account_labels.titles();
    let label_colours = account_labels.colours();
    let retry_labels = Callback::new(move |()| account_labels.refresh());

    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| version.update(|v| *v += 1));
    let error_view = load_error_fallback(
        LoadFailure::new(strings.contacts_load_failed),
        pending,
        retry,
    );
    let loaded = move || {
        Suspend::new(async move {
            let (query, list) = first_page.await?;
            let now = now_secs();
            Ok::<_, ApiError>(if list.payload.is_empty() && !query.filter.is_empty() {
                let search = query.search_text().unwrap_or_default().to_owned();
                let (filter, labels) = (query.filter.clone(), query.labels.clone());
                let load = move || {
                    split::filter_empty(
                        filter.clone(),
                        search.clone(),
                        labels.clone(),
                        catalog.into(),
                        on_clear,
                    )
                };
                Either::Left(view! { <Later load /> }.into_any())
            } else if list.payload.is_empty() {
                Either::Left(view! { <NoMatches query on_clear /> }.into_any())
            } else {
                Either::Right(view! {
                    <p class="contacts-count" role="status" data-testid="contacts-count">
                        {strings.contacts_count(list.meta.count)}
                    </p>
                    <ContactsTable query first_page=list label_colours now on_sort />
                })
            })
        })
    };

    view! {
        <div class="page page--contacts">
            <AppHeader />
            <div class="contacts-layout">
                <LabelSidebar
                    labels=sidebar_labels
                    free_titles
                    active=active_labels
                    on_toggle=on_toggle_label
                    on_all=on_all_contacts
                    on_retry=retry_labels
                >
                    <SegmentList refresh=segments_version active=active_filter on_open=on_open_segment />
                </LabelSidebar>
                <main class="contacts">
                    <div class="contacts__toolbar">
                        <h1 class="contacts__heading">{strings.contacts_heading}</h1>
                        <div class="contacts__tools">
                            <SearchBox value=search_text on_search />
                            <FilterButton
                                count=Signal::derive(move || active_filter.with(Vec::len))
                                expanded=Signal::derive(move || builder.with(Option::is_some))
                                on_click=on_toggle_builder
                            />
                        </div>
                    </div>
                    {move || {
                        builder
                            .get()
                            .map(|focus| {
                                let applied = active_filter.get_untracked();
                                let load = move || {
                                    split::filter_builder(
                                        applied.clone(),
                                        focus,
                                        catalog.into(),
                                        label_titles.into(),
                                        catalog_problem,
                                        on_apply,
                                        on_close_builder,
                                    )
                                };
                                view! { <Later load /> }
                            })
                    }}
                    <Show when=move || !active_filter.with(Vec::is_empty)>
                        <Later load=move || {
                            split::filter_chips(
                                active_filter.into(),
                                catalog.into(),
                                on_edit_condition,
                                on_remove_condition,
                                on_clear_filter,
                                on_segment_saved,
                            )
                        } />
                    </Show>
                    <ActiveLabels
                        labels=active_labels
                        colours=label_colours
                        on_remove=on_toggle_label
                        on_clear=on_all_contacts
                    />
                    <BulkBar list=list_selection />
                    <div
                        class="contacts__results"
                        class:contacts__results--pending=move || pending.get()
                        aria-busy=move || pending.get().to_string()
                    >
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
                    </div>
                </main>
            </div>
        </div>
    }
}
