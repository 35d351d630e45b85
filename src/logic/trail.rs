//! Where the agent has been in the app, so that "Back to contacts" returns to the list
//! the agent came from: through the browser's history when the list is the page just
//! before (the list then restores its scroll position), else to the last list seen.

/// The path of the contact list.
pub const LIST_PATH: &str = "/contacts";

/// The last pages seen, by URL (path and query).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trail {
    current: Option<String>,
    previous: Option<String>,
    last_list: Option<String>,
    replacing: bool,
}

impl Trail {
    /// The app is now at `url` (`/contacts?q=ole`).
    pub fn visit(&mut self, url: &str) {
        if self.current.as_deref() == Some(url) {
            return;
        }
        if !std::mem::take(&mut self.replacing) {
            self.previous = self.current.take();
        }
        if is_list(url) {
            self.last_list = Some(url.to_owned());
        }
        self.current = Some(url.to_owned());
    }

    /// The next visit replaces the current page in the history (the form of a created
    /// contact gives way to its card): the page before stays the page before.
    pub fn expect_replace(&mut self) {
        self.replacing = true;
    }

    /// Whether the page before this one, in the history, is the list.
    pub fn came_from_list(&self) -> bool {
        self.previous.as_deref().is_some_and(is_list)
    }

    /// The list as the agent last saw it (search, labels, order), or the plain list.
    pub fn list_url(&self) -> String {
        self.last_list
            .clone()
            .unwrap_or_else(|| LIST_PATH.to_owned())
    }
}

fn is_list(url: &str) -> bool {
    url.split(['?', '#']).next() == Some(LIST_PATH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_the_list_to_a_card_goes_back_through_history() {
        let mut trail = Trail::default();
        trail.visit("/contacts?q=ole&sort=name");
        trail.visit("/contacts/42");
        assert!(trail.came_from_list());
        assert_eq!(trail.list_url(), "/contacts?q=ole&sort=name");
    }

    #[test]
    fn a_card_opened_directly_links_to_the_plain_list() {
        let mut trail = Trail::default();
        trail.visit("/contacts/42");
        assert!(!trail.came_from_list());
        assert_eq!(trail.list_url(), "/contacts");
    }

    #[test]
    fn from_card_to_card_links_to_the_last_list() {
        let mut trail = Trail::default();
        trail.visit("/contacts?labels=vip");
        trail.visit("/contacts/42");
        trail.visit("/contacts/7");
        assert!(!trail.came_from_list());
        assert_eq!(trail.list_url(), "/contacts?labels=vip");
        trail.visit("/contacts/7");
        assert!(!trail.came_from_list(), "the same URL again is no visit");
    }

    #[test]
    fn a_replaced_page_leaves_the_page_before_in_place() {
        let mut trail = Trail::default();
        trail.visit("/contacts");
        trail.visit("/contacts/new");
        assert!(trail.came_from_list());
        trail.expect_replace();
        trail.visit("/contacts/43");
        assert!(trail.came_from_list(), "the form was replaced by the card");
        assert!(!is_list("/contacts/new"));
        assert!(is_list("/contacts#top"));
    }
}
