//! The rows of one list query, fetched a server page at a time as the agent scrolls.
//!
//! One cache serves one query (search, labels, order): a new query gets a new cache, so
//! a page that arrives for an older query has nowhere to land. Pages far from the view
//! are dropped once more than a bounded number are held, so scrolling through a million
//! contacts does not keep a million contacts in memory.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use novatalks_model::Contact;

use crate::api::ApiError;

/// Pages held at most (each [`super::list_query::PAGE_SIZE`] rows) before far ones are dropped.
pub const MAX_CACHED_PAGES: usize = 30;

/// How many rows one server page really holds: the `asked` size, unless the first page
/// came back shorter while more rows exist. Then the server pages by a size of its own
/// (a stock Chatwoot ignores `per_page` and answers 15), and every later page is counted
/// by what it answered, not by what was asked.
pub fn served_page_size(asked: u32, first_page_rows: usize, total: u64) -> u32 {
    let rows = u32::try_from(first_page_rows).unwrap_or(u32::MAX);
    if rows > 0 && rows < asked && u64::from(rows) < total {
        rows
    } else {
        asked
    }
}

#[derive(Debug, Clone, PartialEq)]
enum PageState {
    Loading,
    Loaded(Vec<CachedRow>),
    Failed(ApiError),
}

#[derive(Debug, Clone, PartialEq)]
struct CachedRow {
    contact: Arc<Contact>,
    /// Bumped when the row is patched, so that the row is rendered again.
    revision: u32,
}

/// What one row index shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// Shared with the cache: the rows in view are listed again at every scroll step.
    Row {
        contact: Arc<Contact>,
        revision: u32,
    },
    /// Its page is on its way (or, past the end of a page that came back short, missing).
    Pending,
    /// Its page could not be loaded.
    Failed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowCache {
    page_size: u32,
    total: u64,
    pages: HashMap<u32, PageState>,
    /// The pages in view (1-based), which eviction keeps.
    focus: Range<u32>,
    max_pages: usize,
    revisions: u32,
}

impl RowCache {
    /// A cache for a list of `total` rows, with its first page already loaded.
    pub fn new(total: u64, page_size: u32, first_page: Vec<Contact>) -> RowCache {
        let mut cache = RowCache {
            page_size: page_size.max(1),
            total,
            pages: HashMap::new(),
            focus: 1..2,
            max_pages: MAX_CACHED_PAGES,
            revisions: 0,
        };
        cache.fill(1, Ok(first_page));
        cache
    }

    pub fn with_max_pages(self, max_pages: usize) -> RowCache {
        RowCache {
            max_pages: max_pages.max(1),
            ..self
        }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The 1-based page holding row `index` (0-based).
    pub fn page_of(&self, index: u64) -> u32 {
        u32::try_from(index / u64::from(self.page_size) + 1).unwrap_or(u32::MAX)
    }

    /// The pages that hold rows `rows`, 1-based.
    fn pages_of(&self, rows: &Range<u64>) -> Range<u32> {
        if rows.is_empty() {
            return 0..0;
        }
        self.page_of(rows.start)..self.page_of(rows.end - 1) + 1
    }

    /// Marks rows `rows` as the ones in view: their pages are kept when others are dropped.
    pub fn focus(&mut self, rows: Range<u64>) {
        self.focus = self.pages_of(&rows);
    }

    /// The pages of rows `rows` that are neither loaded nor on their way nor failed.
    pub fn missing(&self, rows: Range<u64>) -> Vec<u32> {
        let rows = rows.start..rows.end.min(self.total);
        self.pages_of(&rows)
            .filter(|page| !self.pages.contains_key(page))
            .collect()
    }

    pub fn start_loading(&mut self, page: u32) {
        self.pages.insert(page, PageState::Loading);
    }

    /// Stores what the server answered for `page`, then drops pages far from the view if
    /// too many are held.
    pub fn fill(&mut self, page: u32, answer: Result<Vec<Contact>, ApiError>) {
        let state = match answer {
            Ok(contacts) => PageState::Loaded(
                contacts
                    .into_iter()
                    .map(|contact| CachedRow {
                        contact: Arc::new(contact),
                        revision: 0,
                    })
                    .collect(),
            ),
            Err(error) => PageState::Failed(error),
        };
        self.pages.insert(page, state);
        self.evict();
    }

    fn evict(&mut self) {
        let held = |cache: &RowCache| {
            cache
                .pages
                .values()
                .filter(|state| !matches!(state, PageState::Loading))
                .count()
        };
        while held(self) > self.max_pages {
            let focus = self.focus.clone();
            let distance = |page: u32| {
                if focus.contains(&page) {
                    0
                } else if page < focus.start {
                    focus.start - page
                } else {
                    page - focus.end + 1
                }
            };
            let farthest = self
                .pages
                .iter()
                .filter(|(_, state)| !matches!(state, PageState::Loading))
                .map(|(page, _)| *page)
                .max_by_key(|page| (distance(*page), *page));
            match farthest {
                Some(page) if distance(page) > 0 => {
                    self.pages.remove(&page);
                }
                _ => break,
            }
        }
    }

    /// What row `index` (0-based) shows.
    pub fn slot(&self, index: u64) -> Slot {
        let page = self.page_of(index);
        let offset = (index % u64::from(self.page_size)) as usize;
        match self.pages.get(&page) {
            Some(PageState::Loaded(rows)) => {
                rows.get(offset).map_or(Slot::Pending, |row| Slot::Row {
                    contact: row.contact.clone(),
                    revision: row.revision,
                })
            }
            Some(PageState::Failed(_)) => Slot::Failed,
            Some(PageState::Loading) | None => Slot::Pending,
        }
    }

    /// Replaces the contact with `contact.id` wherever it is held (it may appear twice
    /// when the list moved between two page loads). Nothing is fetched again.
    pub fn patch(&mut self, contact: &Contact) {
        self.revisions += 1;
        let revision = self.revisions;
        for state in self.pages.values_mut() {
            if let PageState::Loaded(rows) = state {
                for row in rows.iter_mut().filter(|row| row.contact.id == contact.id) {
                    row.contact = Arc::new(contact.clone());
                    row.revision = revision;
                }
            }
        }
    }

    /// Every row loaded now, in the list's order: its index and contact (what a selection
    /// range or the header checkbox can reach).
    pub fn loaded(&self) -> Vec<(u64, Arc<Contact>)> {
        let mut pages: Vec<_> = self
            .pages
            .iter()
            .filter_map(|(page, state)| match state {
                PageState::Loaded(rows) => Some((*page, rows)),
                _ => None,
            })
            .collect();
        pages.sort_unstable_by_key(|(page, _)| *page);
        let size = u64::from(self.page_size);
        pages
            .into_iter()
            .flat_map(|(page, rows)| {
                let first = u64::from(page.saturating_sub(1)) * size;
                rows.iter()
                    .enumerate()
                    .map(move |(i, row)| (first + i as u64, row.contact.clone()))
            })
            .collect()
    }

    /// Why a page failed, if one did.
    pub fn failure(&self) -> Option<&ApiError> {
        self.pages.values().find_map(|state| match state {
            PageState::Failed(error) => Some(error),
            _ => None,
        })
    }

    /// Forgets the failed pages, so that they are fetched again.
    pub fn forget_failures(&mut self) {
        self.pages
            .retain(|_, state| !matches!(state, PageState::Failed(_)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(id: i64) -> Contact {
        serde_json::from_value(serde_json::json!({ "id": id, "name": format!("C{id}") })).unwrap()
    }

    fn page(first_id: i64, len: i64) -> Vec<Contact> {
        (first_id..first_id + len).map(contact).collect()
    }

    fn id_at(cache: &RowCache, index: u64) -> Option<i64> {
        match cache.slot(index) {
            Slot::Row { contact, .. } => Some(contact.id),
            _ => None,
        }
    }

    #[test]
    fn loaded_rows_come_in_list_order_with_their_indexes() {
        let mut cache = RowCache::new(250, 100, page(1, 100));
        cache.fill(3, Ok(page(201, 50)));
        cache.start_loading(2);
        let loaded: Vec<(u64, i64)> = cache
            .loaded()
            .into_iter()
            .map(|(index, contact)| (index, contact.id))
            .collect();
        assert_eq!(loaded.len(), 150);
        assert_eq!(loaded[0], (0, 1));
        assert_eq!(loaded[99], (99, 100));
        assert_eq!(loaded[100], (200, 201), "page 2 is not loaded yet");
    }

    #[test]
    fn a_server_that_pages_by_its_own_size_is_followed() {
        // Stock Chatwoot: 100 asked, 15 answered, 2,000 in all.
        assert_eq!(served_page_size(100, 15, 2_000), 15);
        // A last (only) page is short because the list is: the asked size stands.
        assert_eq!(served_page_size(100, 15, 15), 100);
        assert_eq!(served_page_size(100, 100, 2_000), 100);
        assert_eq!(served_page_size(100, 0, 2_000), 100);
        let cache = RowCache::new(2_000, served_page_size(100, 15, 2_000), page(0, 15));
        assert_eq!(id_at(&cache, 14), Some(14));
        assert_eq!(cache.page_of(15), 2);
        assert_eq!(cache.missing(0..40), vec![2, 3]);
    }

    #[test]
    fn rows_map_to_server_pages() {
        let cache = RowCache::new(1_000_000, 100, page(0, 100));
        assert_eq!(cache.page_of(0), 1);
        assert_eq!(cache.page_of(99), 1);
        assert_eq!(cache.page_of(100), 2);
        assert_eq!(cache.page_of(500_000), 5_001);
        assert_eq!(id_at(&cache, 0), Some(0));
        assert_eq!(id_at(&cache, 99), Some(99));
        assert_eq!(cache.slot(100), Slot::Pending);
    }

    #[test]
    fn only_pages_neither_held_nor_on_their_way_are_missing() {
        let mut cache = RowCache::new(1_000, 100, page(0, 100));
        assert_eq!(cache.missing(50..250), vec![2, 3]);
        cache.start_loading(2);
        assert_eq!(cache.missing(50..250), vec![3]);
        assert_eq!(cache.slot(150), Slot::Pending);
        cache.fill(2, Ok(page(100, 100)));
        assert_eq!(id_at(&cache, 150), Some(150));
        assert_eq!(
            cache.missing(990..2_000),
            vec![10],
            "nothing past the total"
        );
        assert_eq!(cache.missing(10..10), Vec::<u32>::new());
    }

    #[test]
    fn a_failed_page_says_why_until_it_is_forgotten() {
        let mut cache = RowCache::new(1_000, 100, page(0, 100));
        cache.start_loading(3);
        let error = ApiError::Network("offline".into());
        cache.fill(3, Err(error.clone()));
        assert_eq!(cache.slot(250), Slot::Failed);
        assert_eq!(cache.failure(), Some(&error));
        assert!(
            cache.missing(200..300).is_empty(),
            "not fetched again by itself"
        );
        cache.forget_failures();
        assert_eq!(cache.failure(), None);
        assert_eq!(cache.missing(200..300), vec![3]);
    }

    #[test]
    fn a_short_page_leaves_its_missing_rows_pending() {
        let cache = RowCache::new(150, 100, page(0, 90));
        assert_eq!(id_at(&cache, 89), Some(89));
        assert_eq!(cache.slot(95), Slot::Pending);
    }

    #[test]
    fn patching_replaces_the_contact_everywhere_and_changes_its_revision() {
        let mut cache = RowCache::new(1_000, 100, page(0, 100));
        cache.fill(2, Ok(vec![contact(5)]));
        let Slot::Row {
            revision: before, ..
        } = cache.slot(5)
        else {
            panic!("row 5 is loaded")
        };
        let mut blocked = contact(5);
        blocked.blocked = true;
        cache.patch(&blocked);
        for index in [5, 100] {
            match cache.slot(index) {
                Slot::Row { contact, revision } => {
                    assert!(contact.blocked, "row {index}");
                    assert_ne!(revision, before);
                }
                other => panic!("row {index}: {other:?}"),
            }
        }
        let Slot::Row { contact: other, .. } = cache.slot(6) else {
            panic!("row 6 is loaded")
        };
        assert!(!other.blocked);
    }

    #[test]
    fn far_pages_are_dropped_and_pages_in_view_kept() {
        let mut cache = RowCache::new(1_000_000, 100, page(0, 100)).with_max_pages(3);
        cache.focus(1_000..1_200); // pages 11 and 12 (rows 1,000 to 1,199)
        for p in [11, 12, 500] {
            cache.fill(p, Ok(page(i64::from(p) * 100, 100)));
        }
        // Four held, three allowed: the farthest (500) goes.
        assert_eq!(cache.missing(49_900..50_000), vec![500]);
        assert!(cache.missing(1_000..1_200).is_empty());
        assert!(cache.missing(0..100).is_empty());
        cache.fill(13, Ok(page(1_300, 100)));
        assert_eq!(cache.missing(0..100), vec![1], "page 1 is now the farthest");
        assert!(cache.missing(1_000..1_300).is_empty());
    }

    #[test]
    fn pages_in_view_are_never_dropped_even_over_the_limit() {
        let mut cache = RowCache::new(1_000_000, 100, page(0, 100)).with_max_pages(1);
        cache.focus(0..300);
        cache.fill(2, Ok(page(100, 100)));
        cache.fill(3, Ok(page(200, 100)));
        assert!(cache.missing(0..300).is_empty());
    }
}
