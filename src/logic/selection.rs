//! Which contacts of the list are selected for a bulk action: a set of ticked rows, or
//! "every contact matching" the list's search, labels and filter (however many there are,
//! loaded or not).
//!
//! The selection belongs to one list scope (a [`ContactSelector`]: what the list shows,
//! whatever its order). A new scope clears it, and [`Selection::follow_scope`] says
//! whether that threw a selection away, so the page can tell the agent. Sorting keeps it:
//! the same contacts are still listed.
//!
//! Ranges (Shift-click) and the header checkbox work on the rows loaded so far, in the
//! list's order, as the table hands them over ([`LoadedRow`]); rows never loaded cannot
//! be ticked one by one, which is what "select all matching" is for.
//!
//! Pure: tested natively.

use std::collections::BTreeMap;

use novatalks_model::bulk::{ContactSelector, MAX_BULK_IDS};

use super::list_query::ListQuery;
pub use crate::api::bulk::BulkTarget;

/// A row the table has loaded: its place in the list (0-based), its contact, its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedRow {
    pub index: u64,
    pub id: i64,
    pub name: String,
}

impl LoadedRow {
    pub fn new(index: u64, id: i64, name: impl Into<String>) -> Self {
        LoadedRow {
            index,
            id,
            name: name.into(),
        }
    }
}

/// What the header checkbox shows for the loaded rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderState {
    /// None of them is selected (or no row is loaded).
    None,
    /// Some are.
    Some,
    /// All of them are.
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    /// Ticked rows: id -> (when ticked, name).
    Ids(BTreeMap<i64, (u64, String)>),
    /// Every contact of the scope; `count` is how many there were when chosen; `names`
    /// are the loaded rows' names then, first rows first.
    AllMatching { count: u64, names: Vec<String> },
}

/// The selection of the contacts list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    scope: ContactSelector,
    mode: Mode,
    /// The row a Shift-click range starts from: the last one toggled alone.
    anchor: Option<u64>,
    ticks: u64,
}

impl Default for Selection {
    fn default() -> Self {
        Selection::new(ContactSelector::default())
    }
}

/// The scope of a list: what it shows, whatever the order.
pub fn scope_of(query: &ListQuery) -> ContactSelector {
    ContactSelector {
        q: query.search_text().map(str::to_owned),
        labels: query.labels.clone(),
        payload: query.filter.clone(),
    }
}

impl Selection {
    /// Nothing selected, in `scope`.
    pub fn new(scope: ContactSelector) -> Self {
        Selection {
            scope,
            mode: Mode::Ids(BTreeMap::new()),
            anchor: None,
            ticks: 0,
        }
    }

    /// The scope the selection was made in.
    pub fn scope(&self) -> &ContactSelector {
        &self.scope
    }

    /// How many contacts are selected (for "all matching": how many matched when chosen).
    pub fn count(&self) -> u64 {
        match &self.mode {
            Mode::Ids(ids) => ids.len() as u64,
            Mode::AllMatching { count, .. } => *count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count() == 0 && !self.is_all_matching()
    }

    /// Whether "every contact matching" is selected.
    pub fn is_all_matching(&self) -> bool {
        matches!(self.mode, Mode::AllMatching { .. })
    }

    /// Whether contact `id`'s row shows as ticked.
    pub fn contains(&self, id: i64) -> bool {
        match &self.mode {
            Mode::Ids(ids) => ids.contains_key(&id),
            Mode::AllMatching { .. } => true,
        }
    }

    /// The ticked ids in the order they were ticked (empty for "all matching").
    pub fn ids(&self) -> Vec<i64> {
        match &self.mode {
            Mode::Ids(ids) => {
                let mut ordered: Vec<_> = ids.iter().map(|(id, (tick, _))| (*tick, *id)).collect();
                ordered.sort_unstable();
                ordered.into_iter().map(|(_, id)| id).collect()
            }
            Mode::AllMatching { .. } => Vec::new(),
        }
    }

    /// The names of the first `n` contacts selected (ticked first, first), for a
    /// confirmation.
    pub fn first_names(&self, n: usize) -> Vec<String> {
        match &self.mode {
            Mode::Ids(ids) => {
                let mut ordered: Vec<_> = ids.values().collect();
                ordered.sort_unstable_by_key(|(tick, _)| *tick);
                ordered
                    .into_iter()
                    .take(n)
                    .map(|(_, name)| name.clone())
                    .collect()
            }
            Mode::AllMatching { names, .. } => names.iter().take(n).cloned().collect(),
        }
    }

    /// What a bulk action is sent for: the ticked ids, or the scope for "all matching".
    /// `None` when nothing is selected.
    pub fn target(&self) -> Option<BulkTarget> {
        match &self.mode {
            Mode::Ids(ids) if ids.is_empty() => None,
            Mode::Ids(_) => Some(BulkTarget::Ids(self.ids())),
            Mode::AllMatching { .. } => Some(BulkTarget::Query(self.scope.clone())),
        }
    }

    /// Ticks or unticks one row, which becomes the anchor of the next range. In "all
    /// matching", unticking a row leaves every other loaded row ticked (the contacts not
    /// loaded cannot be named one by one).
    pub fn toggle(&mut self, row: &LoadedRow, loaded: &[LoadedRow]) {
        if self.is_all_matching() {
            self.mode = Mode::Ids(BTreeMap::new());
            for other in loaded.iter().filter(|r| r.id != row.id) {
                self.tick(other);
            }
        } else if self.contains(row.id) {
            self.untick(row.id);
        } else {
            self.tick(row);
        }
        self.anchor = Some(row.index);
    }

    /// Shift-click on `row`: every loaded row from the anchor to it takes the anchor's
    /// state (ticked or not); without an anchor it is a plain toggle. The anchor stays.
    pub fn extend_to(&mut self, row: &LoadedRow, loaded: &[LoadedRow]) {
        let Some(anchor) = self.anchor else {
            self.toggle(row, loaded);
            return;
        };
        let anchor_ticked = loaded
            .iter()
            .find(|r| r.index == anchor)
            .is_none_or(|r| self.contains(r.id));
        if self.is_all_matching() {
            if anchor_ticked {
                return;
            }
            self.mode = Mode::Ids(BTreeMap::new());
            for other in loaded {
                self.tick(other);
            }
        }
        let (from, to) = (anchor.min(row.index), anchor.max(row.index));
        let mut in_range: Vec<&LoadedRow> = loaded
            .iter()
            .filter(|r| (from..=to).contains(&r.index))
            .collect();
        in_range.sort_by_key(|r| r.index);
        for r in in_range {
            if anchor_ticked {
                self.tick(r);
            } else {
                self.untick(r.id);
            }
        }
    }

    /// The header checkbox: ticks every loaded row, or unticks them all when all are
    /// ticked already. From "all matching" it clears.
    pub fn toggle_loaded(&mut self, loaded: &[LoadedRow]) {
        if self.is_all_matching() {
            self.clear();
            return;
        }
        if self.header_state(loaded) == HeaderState::All {
            for row in loaded {
                self.untick(row.id);
            }
        } else {
            let mut rows: Vec<&LoadedRow> = loaded.iter().collect();
            rows.sort_by_key(|r| r.index);
            for row in rows {
                self.tick(row);
            }
        }
        self.anchor = None;
    }

    /// What the header checkbox shows.
    pub fn header_state(&self, loaded: &[LoadedRow]) -> HeaderState {
        if self.is_all_matching() {
            return HeaderState::All;
        }
        let ticked = loaded.iter().filter(|r| self.contains(r.id)).count();
        match ticked {
            0 => HeaderState::None,
            n if n == loaded.len() => HeaderState::All,
            _ => HeaderState::Some,
        }
    }

    /// Selects every contact of the scope: `total` of them match now; `loaded` gives the
    /// names a confirmation quotes.
    pub fn select_all_matching(&mut self, total: u64, loaded: &[LoadedRow]) {
        let mut rows: Vec<&LoadedRow> = loaded.iter().collect();
        rows.sort_by_key(|r| r.index);
        self.mode = Mode::AllMatching {
            count: total,
            names: rows.into_iter().take(8).map(|r| r.name.clone()).collect(),
        };
        self.anchor = None;
    }

    /// Whether to offer "Select all N matching": something is ticked, but fewer than the
    /// `total` the list holds, and a set of ids could not say them all.
    pub fn offers_all_matching(&self, total: u64) -> bool {
        !self.is_all_matching() && self.count() > 0 && self.count() < total
    }

    /// Whether the ids may be sent as they are (a larger set has to be a query).
    pub fn fits_in_one_request(&self) -> bool {
        self.is_all_matching() || self.count() <= MAX_BULK_IDS as u64
    }

    /// Unselects everything (the scope stays). Returns whether anything was selected.
    pub fn clear(&mut self) -> bool {
        let had = !self.is_empty();
        self.mode = Mode::Ids(BTreeMap::new());
        self.anchor = None;
        had
    }

    /// The list now shows `scope`: a different one clears the selection. Returns whether a
    /// selection was thrown away, so that the page can say so.
    pub fn follow_scope(&mut self, scope: &ContactSelector) -> bool {
        if &self.scope == scope {
            return false;
        }
        self.scope = scope.clone();
        self.clear()
    }

    /// Forgets the anchor (the rows' order changed).
    pub fn forget_anchor(&mut self) {
        self.anchor = None;
    }

    fn tick(&mut self, row: &LoadedRow) {
        self.ticks += 1;
        let tick = self.ticks;
        if let Mode::Ids(ids) = &mut self.mode {
            ids.entry(row.id)
                .or_insert_with(|| (tick, row.name.clone()));
        }
    }

    fn untick(&mut self, id: i64) {
        if let Mode::Ids(ids) = &mut self.mode {
            ids.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use novatalks_model::filter::FilterCondition;
    use serde_json::json;

    use super::*;

    /// Rows 0..n loaded, contact ids 100 + index, named "C<index>".
    fn rows(n: u64) -> Vec<LoadedRow> {
        (0..n)
            .map(|i| LoadedRow::new(i, 100 + i as i64, format!("C{i}")))
            .collect()
    }

    fn vip() -> ContactSelector {
        ContactSelector {
            labels: vec!["vip".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_click_toggles_one_row_and_the_count_follows() {
        let loaded = rows(5);
        let mut s = Selection::default();
        assert!(s.is_empty());
        assert_eq!(s.target(), None);
        s.toggle(&loaded[1], &loaded);
        s.toggle(&loaded[3], &loaded);
        assert_eq!(s.count(), 2);
        assert!(s.contains(101) && s.contains(103) && !s.contains(102));
        s.toggle(&loaded[1], &loaded);
        assert_eq!(s.count(), 1);
        assert_eq!(s.target(), Some(BulkTarget::Ids(vec![103])));
    }

    #[test]
    fn shift_selects_the_range_from_the_anchor_both_ways() {
        let loaded = rows(10);
        let mut s = Selection::default();
        s.toggle(&loaded[2], &loaded);
        s.extend_to(&loaded[5], &loaded);
        assert_eq!(s.ids(), vec![102, 103, 104, 105]);
        // The anchor stays at 2: a range upwards from it replaces nothing, it adds.
        s.extend_to(&loaded[0], &loaded);
        assert_eq!(s.count(), 6);
        assert!((100..=105).all(|id| s.contains(id)));
        assert!(!s.contains(106));
    }

    #[test]
    fn a_range_from_an_unticked_anchor_unticks() {
        let loaded = rows(10);
        let mut s = Selection::default();
        s.toggle_loaded(&loaded);
        assert_eq!(s.count(), 10);
        s.toggle(&loaded[7], &loaded); // unticked: the anchor is unticked
        s.extend_to(&loaded[4], &loaded);
        assert_eq!(s.ids(), vec![100, 101, 102, 103, 108, 109]);
    }

    #[test]
    fn shift_without_an_anchor_is_a_toggle_and_skips_rows_not_loaded() {
        let mut loaded = rows(10);
        let mut s = Selection::default();
        s.extend_to(&loaded[4], &loaded);
        assert_eq!(s.ids(), vec![104]);
        // Rows 6 and 7 were dropped from the cache: the range has only what is loaded.
        loaded.retain(|r| r.index != 6 && r.index != 7);
        s.extend_to(&loaded[7], &loaded); // index 9
        assert_eq!(s.ids(), vec![104, 105, 108, 109]);
    }

    #[test]
    fn the_header_ticks_the_loaded_rows_then_unticks_them() {
        let loaded = rows(4);
        let mut s = Selection::default();
        assert_eq!(s.header_state(&loaded), HeaderState::None);
        s.toggle(&loaded[0], &loaded);
        assert_eq!(s.header_state(&loaded), HeaderState::Some);
        s.toggle_loaded(&loaded);
        assert_eq!(s.header_state(&loaded), HeaderState::All);
        assert_eq!(s.count(), 4);
        s.toggle_loaded(&loaded);
        assert_eq!(s.header_state(&loaded), HeaderState::None);
        assert!(s.is_empty());
        assert_eq!(s.header_state(&[]), HeaderState::None);
    }

    #[test]
    fn the_selection_survives_rows_leaving_the_cache() {
        let loaded = rows(6);
        let mut s = Selection::default();
        s.toggle(&loaded[0], &loaded);
        s.toggle(&loaded[5], &loaded);
        // Scrolled far away: those rows are no longer loaded, the ids stay selected.
        let later: Vec<_> = (300..310)
            .map(|i| LoadedRow::new(i, i as i64, "x"))
            .collect();
        assert_eq!(s.header_state(&later), HeaderState::None);
        assert_eq!(s.count(), 2);
        assert_eq!(s.target(), Some(BulkTarget::Ids(vec![100, 105])));
    }

    #[test]
    fn all_matching_means_the_scope_not_the_loaded_rows() {
        let loaded = rows(3);
        let mut s = Selection::new(vip());
        s.toggle(&loaded[0], &loaded);
        assert!(s.offers_all_matching(1_204));
        assert!(!s.offers_all_matching(1), "one of one is all already");
        s.select_all_matching(1_204, &loaded);
        assert!(s.is_all_matching());
        assert!(!s.offers_all_matching(1_204));
        assert_eq!(s.count(), 1_204);
        assert!(s.contains(99_999), "a row loaded later is selected too");
        assert_eq!(s.header_state(&loaded), HeaderState::All);
        assert_eq!(s.target(), Some(BulkTarget::Query(vip())));
        assert_eq!(s.first_names(2), vec!["C0", "C1"]);
        assert!(s.fits_in_one_request());
    }

    #[test]
    fn unticking_a_row_of_all_matching_keeps_the_other_loaded_rows() {
        let loaded = rows(4);
        let mut s = Selection::new(vip());
        s.select_all_matching(500, &loaded);
        s.toggle(&loaded[2], &loaded);
        assert!(!s.is_all_matching());
        assert_eq!(s.ids(), vec![100, 101, 103]);
        // The header clears "all matching" in one click.
        s.select_all_matching(500, &loaded);
        s.toggle_loaded(&loaded);
        assert!(s.is_empty());
    }

    #[test]
    fn a_new_scope_clears_and_says_so_but_the_same_scope_does_not() {
        let loaded = rows(3);
        let mut s = Selection::new(vip());
        s.toggle(&loaded[1], &loaded);
        assert!(!s.follow_scope(&vip()), "same scope: nothing cleared");
        assert_eq!(s.count(), 1);

        let filtered = ContactSelector {
            payload: vec![FilterCondition {
                attribute_key: "blocked".into(),
                filter_operator: "equal_to".into(),
                values: vec![json!(true)],
                query_operator: None,
                custom_attribute_type: None,
            }],
            ..vip()
        };
        assert!(s.follow_scope(&filtered), "a selection was thrown away");
        assert!(s.is_empty());
        assert_eq!(s.scope(), &filtered);
        assert!(
            !s.follow_scope(&ContactSelector::default()),
            "nothing to throw away"
        );

        let mut all = Selection::new(vip());
        all.select_all_matching(10, &loaded);
        assert!(all.follow_scope(&ContactSelector::default()));
        assert!(!all.is_all_matching());
    }

    #[test]
    fn the_scope_of_a_list_ignores_its_order_and_blank_search() {
        let a = ListQuery::from_search("q=ole%20&labels=vip&sort=name");
        let b = ListQuery::from_search("q=ole&labels=vip");
        assert_eq!(scope_of(&a), scope_of(&b));
        assert_eq!(scope_of(&a).q.as_deref(), Some("ole"));
        assert_eq!(scope_of(&ListQuery::from_search("q=%20")).q, None);
    }

    #[test]
    fn names_are_quoted_in_the_order_ticked() {
        let loaded = rows(5);
        let mut s = Selection::default();
        s.toggle(&loaded[4], &loaded);
        s.toggle(&loaded[1], &loaded);
        s.toggle(&loaded[3], &loaded);
        assert_eq!(s.first_names(2), vec!["C4", "C1"]);
        assert_eq!(s.ids(), vec![104, 101, 103]);
        assert!(s.clear());
        assert!(!s.clear());
    }
}
