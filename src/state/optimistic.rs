//! The one way the app shows a change before the server has it: apply it locally, send
//! it, and on the answer either take the server's value or, on a refusal or a failure,
//! roll the change back (the caller says why, where the agent looks). The contact card's
//! fields ([`super::CardStore`]), a contact's labels and its notes all go through it.

use std::future::Future;

use leptos::prelude::*;

use crate::logic::optimistic::{laid_over, Change, Pending, Ticket};

/// A value as the server last gave it, with the changes still on their way laid over it.
pub struct Optimistic<T, C>
where
    T: Send + Sync + 'static,
    C: Send + Sync + 'static,
{
    confirmed: RwSignal<T>,
    pending: RwSignal<Pending<C>>,
    shown: Memo<T>,
}

impl<T: Send + Sync + 'static, C: Send + Sync + 'static> Clone for Optimistic<T, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static, C: Send + Sync + 'static> Copy for Optimistic<T, C> {}

impl<T, C> Optimistic<T, C>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    C: Change<T> + Clone + Send + Sync + 'static,
{
    pub fn new(confirmed: T) -> Self {
        let confirmed = RwSignal::new(confirmed);
        let pending = RwSignal::new(Pending::default());
        let shown = Memo::new(move |_| {
            confirmed.with(|value| pending.with(|p| laid_over(value, p.changes())))
        });
        Optimistic {
            confirmed,
            pending,
            shown,
        }
    }

    /// The value as shown: the server's with the changes under way (tracked).
    pub fn shown(&self) -> Memo<T> {
        self.shown
    }

    /// The value as the server last gave it, without the changes under way (tracked).
    pub fn confirmed(&self) -> ReadSignal<T> {
        self.confirmed.read_only()
    }

    /// Reads the changes under way, oldest first (tracked).
    pub fn with_pending<R>(&self, read: impl FnOnce(&[(Ticket, C)]) -> R) -> R {
        self.pending.with(|p| read(p.changes()))
    }

    /// The same, without subscribing.
    pub fn with_pending_untracked<R>(&self, read: impl FnOnce(&[(Ticket, C)]) -> R) -> R {
        self.pending.with_untracked(|p| read(p.changes()))
    }

    /// Shows `change` at once; its answer is to be [settled](Self::settle) with the ticket.
    pub fn begin(&self, change: C) -> Ticket {
        self.pending
            .try_update(|p| p.push(change))
            .unwrap_or_default()
    }

    /// The change of `ticket` has its answer. It is no longer laid over the value, and the
    /// server's value, if given, becomes the confirmed one, unless the answer to a later
    /// change did already. Without a value the change is rolled back.
    pub fn settle(&self, ticket: Ticket, server_value: Option<T>) {
        let taken = self
            .pending
            .try_update(|p| {
                p.remove(ticket);
                server_value.is_some() && p.take(ticket)
            })
            .unwrap_or(false);
        if let (true, Some(value)) = (taken, server_value) {
            self.confirmed.try_set(value);
        }
    }

    /// The change of `ticket` has its answer, which the server's value takes in by
    /// `update` (the stored note of a new one, say): answers of this kind each change a
    /// part of the value, so each is taken whatever the order they arrive in.
    pub fn settle_with(&self, ticket: Ticket, update: impl FnOnce(&mut T)) {
        self.pending.try_update(|p| p.remove(ticket));
        self.confirmed.try_update(update);
    }

    /// Shows `change` at once, waits for `request`, and settles with what `server_value`
    /// finds in its answer (nothing: roll back). The answer goes back to the caller.
    pub fn run<A, E>(
        &self,
        change: C,
        request: impl Future<Output = Result<A, E>>,
        server_value: impl FnOnce(&A) -> Option<T>,
    ) -> impl Future<Output = Result<A, E>> {
        let store = *self;
        let ticket = self.begin(change);
        async move {
            let answer = request.await;
            store.settle(ticket, answer.as_ref().ok().and_then(server_value));
            answer
        }
    }

    /// A value the server sent otherwise (the answer of another request, a fresh load):
    /// newer than any answer still on its way.
    pub fn replace(&self, value: T) {
        self.pending.try_update(Pending::take_latest);
        self.confirmed.try_set(value);
    }
}
