use leptos::prelude::*;

use crate::components::common::LabelChip;
use crate::i18n::t;
use crate::logic::label_colour::LabelColours;

/// Label chips a row shows; the rest are counted on one more chip.
pub const ROW_CHIPS: usize = 2;

/// A row's labels as chips in the labels' colours: the first [`ROW_CHIPS`], then one
/// "+N" chip that names the others on hover and to a screen reader, so a contact with
/// many labels never hides one silently.
#[component]
pub fn RowLabels(
    titles: Vec<String>,
    /// Colours of the account's labels; they may arrive after the contacts.
    #[prop(into)]
    label_colours: Signal<LabelColours>,
) -> impl IntoView {
    let strings = t();
    let hidden = titles.get(ROW_CHIPS..).unwrap_or_default().to_vec();
    let more = (!hidden.is_empty()).then(|| {
        let title = (strings.more_labels_title)(hidden.len(), &hidden.join(", "));
        // Label titles hold no comma: the list for scripts and tests.
        let listed = hidden.join(",");
        view! {
            <li class="chip chip--more" data-testid="more-labels"
                data-labels=listed title=title.clone() aria-label=title>
                {(strings.more_labels)(hidden.len())}
            </li>
        }
    });
    let shown: Vec<String> = titles.into_iter().take(ROW_CHIPS).collect();
    let chips = move || {
        label_colours.with(|colours| {
            shown
                .iter()
                .map(|title| view! { <LabelChip title=title.clone() colour=colours.of(title) /> })
                .collect_view()
        })
    };
    view! { <ul class="chips">{chips} {more}</ul> }
}
