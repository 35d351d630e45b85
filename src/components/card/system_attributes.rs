use leptos::prelude::*;
use serde_json::Value;

use super::LanguagePicker;
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::contact_edit::Edit;
use crate::state::use_card_store;

/// The attributes the system knows: the customer's language (picked by name, stored as
/// its ISO 639-1 code in `additional_attributes.language`), and the city, country and
/// company when the contact has them.
#[component]
pub fn SystemAttributes() -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let store = use_card_store();
    let picker_id = element_id("language");
    let error = RwSignal::new(None::<String>);
    let language =
        Signal::derive(move || store.contact().with(|c| c.language().map(str::to_owned)));

    let save = Action::new_local(move |code: &Option<String>| {
        let value = code.clone().map_or(Value::Null, Value::String);
        let request = store.save(Edit::Additional("language".to_owned(), value));
        async move {
            let why = match request.await {
                Ok(Ok(_)) => return,
                Ok(Err(rejection)) => rejection.message,
                Err(error) => strings.describe_error(&error),
            };
            error.try_set(Some((card.save_failed)(&why)));
        }
    });
    let on_change = Callback::new(move |code: Option<String>| {
        error.set(None);
        save.dispatch_local(code);
    });

    // (label, the keys it may be stored under, first found wins)
    let facts: [(&'static str, &'static [&'static str]); 3] = [
        (card.city, &["city"]),
        (card.country, &["country", "country_code"]),
        (card.company, &["company_name", "company"]),
    ];
    let fact_rows = move || {
        store.contact().with(|contact| {
            facts
                .iter()
                .filter_map(|(label, keys)| {
                    let value = keys.iter().find_map(|key| {
                        contact
                            .additional_attributes
                            .get(*key)
                            .and_then(Value::as_str)
                            .map(str::trim)
                            .filter(|v| !v.is_empty())
                            .map(str::to_owned)
                    })?;
                    Some(view! {
                        <div class="facts__row">
                            <dt>{*label}</dt>
                            <dd>{value}</dd>
                        </div>
                    })
                })
                .collect_view()
        })
    };

    view! {
        <section class="card-section" aria-labelledby="card-system-heading">
            <h2 class="card-section__title" id="card-system-heading">{card.system_attributes_heading}</h2>
            <div class="detail">
                <label class="detail__label" for=picker_id.clone()>{card.language}</label>
                <div class="detail__body">
                    <LanguagePicker value=language on_change id=picker_id.clone() />
                    {move || error.get().map(|message| view! {
                        <p class="field-error" role="alert" data-testid="field-error-language">{message}</p>
                    })}
                </div>
            </div>
            <dl class="facts">{fact_rows}</dl>
        </section>
    }
}
