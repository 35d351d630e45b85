//! Changes that show before the server has them: the value as the server last gave it,
//! with every change still on its way laid over it, oldest first. A change leaves the
//! list when its answer comes; if the server refused it, the value shown is simply the
//! server's again (it is rolled back), and if it took it, the server's answer becomes the
//! confirmed value. The reactive store over this is `state::Optimistic`.

/// A change that can be laid over a value to show it before the server confirms it.
pub trait Change<T> {
    fn apply(&self, value: &mut T);
}

/// Which change an answer belongs to: changes are numbered in the order they are made.
pub type Ticket = u64;

/// `confirmed` with the `pending` changes laid over it, in the order they were made.
pub fn laid_over<T: Clone, C: Change<T>>(confirmed: &T, pending: &[(Ticket, C)]) -> T {
    let mut value = confirmed.clone();
    for (_, change) in pending {
        change.apply(&mut value);
    }
    value
}

/// The changes under way and the order of their answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending<C> {
    changes: Vec<(Ticket, C)>,
    /// The ticket of the last change made.
    issued: Ticket,
    /// The ticket of the newest change whose answer replaced the confirmed value.
    taken: Ticket,
}

impl<C> Default for Pending<C> {
    fn default() -> Self {
        Pending {
            changes: Vec::new(),
            issued: 0,
            taken: 0,
        }
    }
}

impl<C> Pending<C> {
    /// The changes under way, oldest first.
    pub fn changes(&self) -> &[(Ticket, C)] {
        &self.changes
    }

    /// Adds a change; its ticket comes back with its answer.
    pub fn push(&mut self, change: C) -> Ticket {
        self.issued += 1;
        self.changes.push((self.issued, change));
        self.issued
    }

    /// The change of `ticket` has its answer: it is no longer laid over the value.
    pub fn remove(&mut self, ticket: Ticket) {
        self.changes.retain(|(t, _)| *t != ticket);
    }

    /// Whether the answer to `ticket` may replace the confirmed value: not when the
    /// answer to a later change already has (a late response never overwrites a newer
    /// one). When it may, it is the newest taken from now on.
    pub fn take(&mut self, ticket: Ticket) -> bool {
        let newer = ticket >= self.taken;
        if newer {
            self.taken = ticket;
        }
        newer
    }

    /// A value the server sent for another reason is newer than any answer so far.
    pub fn take_latest(&mut self) {
        self.taken = self.issued;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Push(&'static str);

    impl Change<Vec<&'static str>> for Push {
        fn apply(&self, value: &mut Vec<&'static str>) {
            value.push(self.0);
        }
    }

    #[test]
    fn changes_are_laid_over_in_the_order_they_were_made() {
        let mut pending = Pending::default();
        let a = pending.push(Push("a"));
        let b = pending.push(Push("b"));
        assert_eq!(laid_over(&vec!["x"], pending.changes()), ["x", "a", "b"]);
        pending.remove(a);
        assert_eq!(
            laid_over(&vec!["x"], pending.changes()),
            ["x", "b"],
            "a refused change is simply gone"
        );
        pending.remove(b);
        assert!(pending.changes().is_empty());
    }

    #[test]
    fn a_late_answer_never_replaces_a_newer_one() {
        let mut pending = Pending::default();
        let first = pending.push(Push("a"));
        let second = pending.push(Push("b"));
        assert!(pending.take(second));
        assert!(!pending.take(first), "older than the answer taken");
        let third = pending.push(Push("c"));
        pending.take_latest();
        assert!(
            pending.take(third),
            "the answer to the latest change still counts"
        );
        assert!(!pending.take(second));
    }
}
