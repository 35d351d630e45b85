use leptos::ev;
use leptos::html;
use leptos::leptos_dom::helpers::{document, window_event_listener};
use leptos::portal::Portal;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent};

/// What Tab can reach inside a dialog, before the checks of [`focusable_elements`].
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), \
    textarea:not([disabled]), select:not([disabled]), a[href], \
    [tabindex]:not([tabindex=\"-1\"])";

/// The elements of `root` that Tab stops at, in order. Of a radio group only the checked
/// radio is a stop, as in the browser.
pub fn focusable_elements(root: &Element) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    let elements: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect();
    let checked_groups: Vec<String> = elements
        .iter()
        .filter_map(|e| e.dyn_ref::<HtmlInputElement>())
        .filter(|input| input.type_() == "radio" && input.checked())
        .map(HtmlInputElement::name)
        .collect();
    elements
        .into_iter()
        .filter(|e| match e.dyn_ref::<HtmlInputElement>() {
            Some(input) if input.type_() == "radio" => {
                input.checked() || !checked_groups.contains(&input.name())
            }
            _ => true,
        })
        .collect()
}

/// A modal dialog over the page, rendered at the end of `<body>` so that no table cell or
/// scroller around the component that opens it can clip or restyle it.
///
/// While it is open, focus stays inside (Tab and Shift+Tab cycle), Escape closes it, and
/// the rest of the page is marked as covered (`aria-modal`). It starts on the element with
/// `data-autofocus`, else on its first stop; when it goes, focus returns to the element
/// that had it when the dialog opened (the button that opened it), if that is still there.
#[component]
pub fn Modal(
    /// The id of the element that names the dialog (its title).
    #[prop(into)]
    labelled_by: String,
    /// The id of the element that describes it, if any.
    #[prop(optional, into)]
    described_by: Option<String>,
    /// Escape was pressed: the owner decides whether the dialog goes.
    on_close: Callback<()>,
    /// `data-testid` of the dialog element.
    #[prop(optional)]
    test_id: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Div>::new();
    let opener = StoredValue::new_local(document().active_element());

    // Starts inside once the portal has put the dialog in the document.
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            let autofocus = dialog
                .query_selector("[data-autofocus]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            let first = autofocus.or_else(|| focusable_elements(&dialog).into_iter().next());
            if let Some(first) = first {
                let _ = first.focus();
            }
        }
    });

    let keys = window_event_listener(ev::keydown, move |event: KeyboardEvent| {
        let Some(dialog) = dialog.get_untracked() else {
            return;
        };
        match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_close.run(());
            }
            "Tab" => {
                if let Some(target) = next_stop(&dialog, event.shift_key()) {
                    event.prevent_default();
                    let _ = target.focus();
                }
            }
            _ => {}
        }
    });
    // Focus that lands outside (a click on the backdrop, a script) is brought back.
    let focus = window_event_listener(ev::focusin, move |event: ev::FocusEvent| {
        let Some(dialog) = dialog.get_untracked() else {
            return;
        };
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if !dialog.contains(target.as_ref()) {
            if let Some(first) = focusable_elements(&dialog).into_iter().next() {
                let _ = first.focus();
            }
        }
    });
    on_cleanup(move || {
        keys.remove();
        focus.remove();
        let opener = opener.try_get_value().flatten();
        if let Some(opener) = opener.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            if opener.is_connected() {
                let _ = opener.focus();
            }
        }
    });

    view! {
        <Portal>
            <div
                class="modal-backdrop"
                // A click beside the dialog must not take focus out of it.
                on:mousedown=move |event| {
                    if event.target() == event.current_target() {
                        event.prevent_default();
                    }
                }
            >
                <div
                    class="modal"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby=labelled_by.clone()
                    aria-describedby=described_by.clone()
                    data-testid=test_id
                    node_ref=dialog
                >
                    {children()}
                </div>
            </div>
        </Portal>
    }
}

/// Where Tab (or Shift+Tab) must go instead of where the browser would: around from the
/// last stop to the first and back, or into the dialog when focus is outside. `None` lets
/// the browser move focus itself.
fn next_stop(dialog: &Element, backwards: bool) -> Option<HtmlElement> {
    let stops = focusable_elements(dialog);
    let (first, last) = (stops.first()?, stops.last()?);
    let active = document().active_element();
    let inside = active
        .as_ref()
        .is_some_and(|a| dialog.contains(Some(a.unchecked_ref())));
    let at = |stop: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == stop.unchecked_ref::<Element>())
    };
    match (inside, backwards) {
        (false, false) => Some(first.clone()),
        (false, true) => Some(last.clone()),
        (true, false) if at(last) => Some(first.clone()),
        (true, true) if at(first) => Some(last.clone()),
        _ => None,
    }
}
