use leptos::prelude::*;

use crate::logic::label_colour::HexColour;

/// One label of a contact, in the label's colour (neutral when the account has none for it).
#[component]
pub fn LabelChip(#[prop(into)] title: String, colour: Option<HexColour>) -> impl IntoView {
    let style = colour.map(|c| format!("--chip-bg:{};--chip-fg:{}", c.css(), c.readable_text()));
    let class = if colour.is_some() {
        "chip chip--coloured"
    } else {
        "chip"
    };
    let name = title.clone();
    view! {
        <li class=class style=style data-testid="label-chip" title=title>
            {name}
        </li>
    }
}
