use leptos::prelude::*;

/// Present (as a context) under the Dashboard App session: links to other pages of the
/// app open in a new tab instead of replacing the dashboard's panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Embedded;

/// Whether the component runs inside the Dashboard App.
pub fn is_embedded() -> bool {
    use_context::<Embedded>().is_some()
}
