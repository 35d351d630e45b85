//! The [`Trail`](crate::logic::trail::Trail) of the pages the agent has seen, in context, so that "Back to contacts"
//! returns to the list the agent came from.

use leptos::prelude::*;

use crate::logic::trail::Trail;

/// The trail, shared through context (App provides it; a component without it links to
/// the plain list).
#[derive(Debug, Clone, Copy)]
pub struct NavigationTrail(StoredValue<Trail>);

impl Default for NavigationTrail {
    fn default() -> Self {
        NavigationTrail::new()
    }
}

impl NavigationTrail {
    pub fn new() -> Self {
        NavigationTrail(StoredValue::new(Trail::default()))
    }

    pub fn visit(&self, url: &str) {
        self.0.update_value(|trail| trail.visit(url));
    }

    pub fn expect_replace(&self) {
        self.0.update_value(Trail::expect_replace);
    }

    pub fn came_from_list(&self) -> bool {
        self.0.with_value(Trail::came_from_list)
    }

    pub fn list_url(&self) -> String {
        self.0.with_value(Trail::list_url)
    }
}

pub fn use_trail() -> Option<NavigationTrail> {
    use_context::<NavigationTrail>()
}
