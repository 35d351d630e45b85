use std::sync::Arc;
use std::time::Duration;

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use novatalks_model::{Contact, ContactList, SortField, SortKey};

use super::scroll_memory;
use super::{ContactRow, SortHeader};
use crate::api::filter;
use crate::components::bulk::HeaderCheckbox;
use crate::components::common::LoadError;
use crate::i18n::t;
use crate::logic::label_colour::LabelColours;
use crate::logic::list_query::{ListQuery, PAGE_SIZE};
use crate::logic::row_cache::{served_page_size, RowCache, Slot};
use crate::logic::selection::LoadedRow;
use crate::logic::virtual_window::RowLayout;
use crate::state::{use_api, use_list_selection, Debounce};

/// The height of every row, which the virtual scrolling counts on (`style/table.css`
/// gives the rows exactly this height through `--row-height`).
pub const ROW_HEIGHT_PX: f64 = 52.0;
/// Rows rendered beyond each edge of the view, so that a short scroll shows rows at once.
pub const OVERSCAN_ROWS: u64 = 8;
/// Views taller than this are rendered as if this tall: without the stylesheet the
/// container would be as tall as a million rows, and so would the DOM.
const MAX_VIEWPORT_PX: f64 = 3_000.0;
/// Pages are fetched once scrolling pauses this long: dragging the scrollbar across a
/// million contacts asks for the pages where it stops, not for every page it passes.
const FETCH_DELAY: Duration = Duration::from_millis(80);
/// The scroll offset is remembered once scrolling pauses this long.
const SAVE_DELAY: Duration = Duration::from_millis(200);
/// Columns of the table, for the cells that span them all (one more with checkboxes).
const COLUMNS: u32 = 8;

/// The contacts of one list query, however many: the rows in view (and a few either
/// side) are in the DOM, the rest is a spacer that keeps the scrollbar true to the total.
/// Pages of [`PAGE_SIZE`] are fetched as the agent scrolls, and cached. The header stays
/// in place and sorts by a column when clicked. The scroll offset is remembered per URL
/// for the session and restored when the same list is shown again.
#[component]
pub fn ContactsTable(
    /// The query the first page answered; the table fetches the rest of it.
    query: ListQuery,
    /// The first page and the total count.
    first_page: ContactList,
    /// Colours of the account's labels; they may arrive after the contacts.
    #[prop(into)]
    label_colours: Signal<LabelColours>,
    /// Unix seconds the "last activity" ages are counted to.
    now: i64,
    /// Called with the order asked for by a click on a column header.
    on_sort: Callback<SortKey>,
) -> impl IntoView {
    let strings = t();
    let api = use_api();
    let total = u64::try_from(first_page.meta.count).unwrap_or(0);
    let layout = RowLayout {
        total_rows: total,
        row_height: ROW_HEIGHT_PX,
    };
    let sort = query.sort;
    let scroll_key = StoredValue::new(scroll_memory::key(&query));
    let query = StoredValue::new(query);
    // A stock Chatwoot ignores `per_page`: pages are counted by what the server answered.
    let page_size = served_page_size(PAGE_SIZE, first_page.payload.len(), total);
    let cache = RwSignal::new(RowCache::new(total, page_size, first_page.payload));

    // With a selection in context (the contacts page), rows have checkboxes, and the
    // selection hears which rows are loaded (ranges and the header checkbox reach them).
    let list = use_list_selection();
    let columns = COLUMNS + u32::from(list.is_some());
    if let Some(list) = list {
        list.total.set(total);
        list.selection.update_untracked(|s| s.forget_anchor());
        Effect::new(move |_| {
            let rows = cache.with(|c| {
                c.loaded()
                    .into_iter()
                    .map(|(index, contact)| {
                        LoadedRow::new(index, contact.id, contact.display_name())
                    })
                    .collect::<Vec<_>>()
            });
            list.loaded.try_set(rows);
        });
    }

    let container: NodeRef<html::Div> = NodeRef::new();
    let head: NodeRef<html::Thead> = NodeRef::new();
    let scroll_top = RwSignal::new(0.0);
    // The rows' area, under the header; a guess until measured.
    let viewport = RwSignal::new(600.0);
    let window = Memo::new(move |_| layout.window(scroll_top.get(), viewport.get(), OVERSCAN_ROWS));

    let fetch = move |page: u32| {
        cache.update(|c| c.start_loading(page));
        let query = query.get_value();
        let client = api.client();
        let request = async move {
            filter::find(&client, &query.q, &query.filter, &query.contact_query(page)).await
        };
        spawn_local(async move {
            let answer = request.await.map(|list| list.payload);
            // A table that is gone (another query is shown) drops its late pages.
            cache.try_update(|c| c.fill(page, answer));
        });
    };
    let load_missing = move || {
        let Some(rows) = window.try_get_untracked().map(|w| w.first..w.end) else {
            return;
        };
        let missing = cache
            .try_update_untracked(|c| {
                c.focus(rows.clone());
                c.missing(rows)
            })
            .unwrap_or_default();
        for page in missing {
            fetch(page);
        }
    };
    let fetch_later = Debounce::new(FETCH_DELAY);
    Effect::new(move |_| {
        window.track();
        fetch_later.schedule(load_missing);
    });

    let save_scroll = move || {
        if let (Some(key), Some(top)) = (scroll_key.try_get_value(), scroll_top.try_get_untracked())
        {
            scroll_memory::save(&key, top);
        }
    };
    let save_later = Debounce::new(SAVE_DELAY);
    let on_scroll = move |_: ev::Event| {
        if let Some(element) = container.get_untracked() {
            scroll_top.set(f64::from(element.scroll_top()));
            save_later.schedule(save_scroll);
        }
    };
    // Where the list was left is saved when it goes, whatever the timer was waiting for.
    on_cleanup(save_scroll);

    let measure = move || {
        let scroller = container.try_get_untracked().flatten();
        let head = head.try_get_untracked().flatten();
        if let (Some(scroller), Some(head)) = (scroller, head) {
            let rows_area = f64::from(scroller.client_height() - head.offset_height());
            viewport.try_set(rows_area.clamp(ROW_HEIGHT_PX, MAX_VIEWPORT_PX));
        }
    };
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // Once in the page: measure the view and go back to where this list was left.
    let saved = scroll_memory::load(&scroll_key.get_value());
    Effect::new(move |_| {
        if container.get().is_none() {
            return;
        }
        request_animation_frame(move || {
            measure();
            if let (Some(Some(element)), Some(top)) = (container.try_get_untracked(), saved) {
                element.set_scroll_top(top);
                scroll_top.try_set(f64::from(element.scroll_top()));
            }
        });
    });

    let slots = move || {
        let window = window.get();
        cache.with(|c| {
            (window.first..window.end)
                .map(|index| (index, c.slot(index)))
                .collect::<Vec<_>>()
        })
    };
    // A row tells of its contact's changes (block, unblock, undo): the cached copy is
    // patched in place, nothing is fetched again and the view stays where it is.
    let on_change = Callback::new(move |contact: Contact| cache.update(|c| c.patch(&contact)));
    let row = move |(index, slot): (u64, Slot)| match slot {
        Slot::Row { contact, .. } => {
            let contact = Arc::unwrap_or_clone(contact);
            view! { <ContactRow contact label_colours now on_change index /> }.into_any()
        }
        Slot::Pending => view! {
            <tr class="placeholder-row" aria-hidden="true">
                <td colspan=columns>
                    <span class="placeholder-row__bar"></span>
                </td>
            </tr>
        }
        .into_any(),
        Slot::Failed => view! {
            <tr class="placeholder-row placeholder-row--failed">
                <td colspan=columns>{strings.rows_not_loaded}</td>
            </tr>
        }
        .into_any(),
    };

    let failure =
        Memo::new(move |_| cache.with(|c| c.failure().map(|e| strings.describe_error(e))));
    let retry = Callback::new(move |()| {
        cache.update(RowCache::forget_failures);
        load_missing();
    });

    view! {
        {move || {
            failure
                .get()
                .map(|why| {
                    view! {
                        <LoadError
                            message=(strings.rows_load_failed)(&why)
                            pending=false
                            on_retry=retry
                        />
                    }
                })
        }}
        <div
            class="table-scroll"
            node_ref=container
            on:scroll=on_scroll
            tabindex="0"
            role="region"
            aria-label=strings.contacts_heading
            data-testid="contacts-scroll"
            style=format!("--row-height:{ROW_HEIGHT_PX}px")
        >
            <table class="contacts-table" data-testid="contacts-table">
                <caption class="visually-hidden">{strings.contacts_heading}</caption>
                <colgroup>
                    {list.map(|_| view! { <col class="col--select" /> })}
                    <col class="col--name" />
                    <col class="col--email" />
                    <col class="col--phone" />
                    <col class="col--labels" />
                    <col class="col--activity" />
                    <col class="col--created" />
                    <col class="col--conversations" />
                    <col class="col--status" />
                </colgroup>
                <thead node_ref=head>
                    <tr>
                        {list.map(|list| view! {
                            <th scope="col" class="cell--select">
                                <HeaderCheckbox list />
                            </th>
                        })}
                        <SortHeader label=strings.column_name field=SortField::Name sort on_sort />
                        <SortHeader label=strings.column_email field=SortField::Email sort on_sort />
                        <SortHeader
                            label=strings.column_phone
                            field=SortField::PhoneNumber
                            sort
                            on_sort
                        />
                        <th scope="col">{strings.column_labels}</th>
                        <SortHeader
                            label=strings.column_last_activity
                            field=SortField::LastActivityAt
                            sort
                            on_sort
                        />
                        <SortHeader
                            label=strings.column_created_at
                            field=SortField::CreatedAt
                            sort
                            on_sort
                        />
                        <th scope="col" class="numeric">{strings.column_conversations}</th>
                        <th scope="col">{strings.column_status}</th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer-row" aria-hidden="true" style:height=move || px(window.get().top_px)>
                        <td colspan=columns></td>
                    </tr>
                    <For each=slots key=slot_key children=row />
                    <tr
                        class="spacer-row"
                        aria-hidden="true"
                        style:height=move || px(window.get().bottom_px)
                    >
                        <td colspan=columns></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// Rows are keyed by position, contact and revision: a row whose contact was patched is
/// rendered again from the patched copy (which matters when the change comes from a row
/// that is gone, such as an undo after scrolling away); a placeholder turns into its
/// contact when the page arrives.
fn slot_key((index, slot): &(u64, Slot)) -> (u64, i64, u32, u8) {
    match slot {
        Slot::Row { contact, revision } => (*index, contact.id, *revision, 0),
        Slot::Pending => (*index, 0, 0, 1),
        Slot::Failed => (*index, 0, 0, 2),
    }
}

fn px(value: f64) -> String {
    format!("{value}px")
}
