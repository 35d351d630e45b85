//! A row's labels: two chips, then one "+N" chip naming the rest.

use leptos::prelude::*;
use novatalks_contacts::components::table::RowLabels;
use novatalks_contacts::logic::label_colour::LabelColours;
use novatalks_model::Label;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{demo_session, mount, text, FakeServer};

fn titles(all: &[&str]) -> Vec<String> {
    all.iter().map(|t| t.to_string()).collect()
}

#[wasm_bindgen_test]
async fn a_row_shows_two_labels_and_counts_the_rest_naming_them() {
    let colours: LabelColours = [Label {
        id: 1,
        title: "vip".into(),
        description: None,
        color: Some("#f5a623".into()),
        show_on_sidebar: None,
    }]
    .into_iter()
    .collect();
    let server = FakeServer::new();
    let many = mount(&server, Some(demo_session()), move || {
        view! {
            <RowLabels titles=titles(&["vip", "billing", "lead", "partner"]) label_colours=Signal::stored(colours) />
        }
    });
    let chips: Vec<String> = many
        .all("[data-testid=label-chip]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(chips, ["vip", "billing"]);
    let more = many.get("[data-testid=more-labels]");
    assert_eq!(text(&more), "+2");
    assert_eq!(
        more.get_attribute("data-labels").as_deref(),
        Some("lead,partner")
    );
    assert_eq!(
        more.get_attribute("title").as_deref(),
        Some("2 more labels: lead, partner")
    );
    assert_eq!(
        more.get_attribute("aria-label").as_deref(),
        Some("2 more labels: lead, partner")
    );
    drop(many);

    let few = mount(&server, Some(demo_session()), move || {
        view! { <RowLabels titles=titles(&["vip", "lead"]) label_colours=Signal::stored(LabelColours::default()) /> }
    });
    assert_eq!(few.all("[data-testid=label-chip]").len(), 2);
    assert!(few.find("[data-testid=more-labels]").is_none(), "all fit");
}
