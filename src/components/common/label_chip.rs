use leptos::prelude::*;

use crate::logic::label_colour::HexColour;

/// One label of a contact, in the label's colour; a title without one (a free title, none
/// of the account's labels) is a neutral chip, `chip--free`, styled in table.css.
#[component]
pub fn LabelChip(#[prop(into)] title: String, colour: Option<HexColour>) -> impl IntoView {
    let style = colour.map(|c| format!("--chip-bg:{};--chip-fg:{}", c.css(), c.readable_text()));
    let class = if colour.is_some() {
        "chip chip--coloured"
    } else {
        "chip chip--free"
    };
    let name = title.clone();
    view! {
        <li class=class style=style data-testid="label-chip" title=title>
            {name}
        </li>
    }
}
