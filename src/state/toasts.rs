use std::rc::Rc;

use leptos::prelude::*;

/// How long a toast stays when nobody points at it or focuses it.
pub const TOAST_MILLIS: u64 = 8_000;
/// Toasts shown at once; a new one pushes out the oldest.
const MAX_TOASTS: usize = 3;

/// What the button of a toast says and does ("Undo").
#[derive(Clone)]
pub struct ToastAction {
    pub label: &'static str,
    /// Runs once, when the button is pressed; the toast is gone by then. It must not rely on
    /// the component that showed the toast still being there.
    pub run: Rc<dyn Fn()>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastTone {
    Info,
    Error,
}

/// A short message at the edge of the screen, maybe with one action.
#[derive(Clone)]
pub struct Toast {
    pub id: u64,
    pub message: String,
    pub tone: ToastTone,
    pub action: Option<ToastAction>,
    /// How long it stays when nobody points at it or focuses it.
    pub millis: u64,
}

/// The toasts of the app, shared through context. App provides it and shows them;
/// components that may run without it (in tests) take it with [`use_toasts`].
#[derive(Clone, Copy)]
pub struct Toasts {
    // A toast's action is an `Rc`, so the list lives thread-locally.
    items: RwSignal<Vec<Toast>, LocalStorage>,
    next_id: StoredValue<u64>,
}

impl Default for Toasts {
    fn default() -> Self {
        Toasts::new()
    }
}

impl Toasts {
    pub fn new() -> Self {
        Toasts {
            items: RwSignal::new_local(Vec::new()),
            next_id: StoredValue::new(1),
        }
    }

    /// Shows a message, with an action button if given; returns its id.
    pub fn show(&self, message: impl Into<String>, action: Option<ToastAction>) -> u64 {
        self.push(message.into(), ToastTone::Info, action, TOAST_MILLIS)
    }

    /// Shows a message with an action for at least `millis` (an undo that must last).
    pub fn show_for(&self, message: impl Into<String>, action: ToastAction, millis: u64) -> u64 {
        self.push(message.into(), ToastTone::Info, Some(action), millis)
    }

    /// Shows a failure.
    pub fn error(&self, message: impl Into<String>) -> u64 {
        self.push(message.into(), ToastTone::Error, None, TOAST_MILLIS)
    }

    fn push(
        &self,
        message: String,
        tone: ToastTone,
        action: Option<ToastAction>,
        millis: u64,
    ) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                message,
                tone,
                action,
                millis,
            });
            let excess = items.len().saturating_sub(MAX_TOASTS);
            items.drain(..excess);
        });
        id
    }

    pub fn dismiss(&self, id: u64) {
        self.items.try_update(|items| items.retain(|t| t.id != id));
    }

    /// The ids of the toasts shown now, oldest first (tracked).
    pub fn ids(&self) -> Vec<u64> {
        self.items
            .with(|items| items.iter().map(|t| t.id).collect())
    }

    /// A toast shown now (untracked: a toast does not change).
    pub fn get(&self, id: u64) -> Option<Toast> {
        self.items
            .try_with_untracked(|items| items.iter().find(|t| t.id == id).cloned())
            .flatten()
    }
}

pub fn use_toasts() -> Option<Toasts> {
    use_context::<Toasts>()
}
