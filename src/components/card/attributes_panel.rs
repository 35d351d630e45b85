use leptos::prelude::*;
use novatalks_model::CustomAttributeDefinition;

use super::{AddAttribute, AttributeRow};
use crate::api::custom_attributes;
use crate::i18n::t;
use crate::logic::contact_edit::Edit;
use crate::state::{use_api, use_card_store};

/// The contact's custom attributes, in the order of the account's definitions (then the
/// undefined ones by key), each edited by type and removable, and "Add attribute".
#[component]
pub fn AttributesPanel() -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let store = use_card_store();
    let api = use_api();
    let fetched = LocalResource::new(move || {
        let client = api.client();
        async move { custom_attributes::definitions(&client).await }
    });
    // Definitions created on this card, until (and after) the account's list has them.
    let created = RwSignal::new(Vec::<CustomAttributeDefinition>::new());
    let definitions = Memo::new(move |_| {
        let mut all = fetched.get().and_then(Result::ok).unwrap_or_default();
        created.with(|created| {
            for definition in created {
                if !all
                    .iter()
                    .any(|d| d.attribute_key == definition.attribute_key)
                {
                    all.push(definition.clone());
                }
            }
        });
        all
    });
    // The rows wait for the definitions (or their failure): their names and types.
    let keys = Memo::new(move |_| {
        if fetched.with(Option::is_none) {
            return Vec::new();
        }
        let present: Vec<String> = store
            .contact()
            .with(|c| c.custom_attributes.keys().cloned().collect());
        definitions.with(|defs| ordered_keys(present, defs))
    });
    let load_error = move || {
        fetched
            .get()
            .and_then(Result::err)
            .map(|why| (card.definitions_failed)(&strings.describe_error(&why)))
    };

    let notice = RwSignal::new(None::<String>);
    let remove = Action::new_local(move |key: &String| {
        let name = definitions.with_untracked(|defs| {
            defs.iter()
                .find(|d| d.attribute_key == *key)
                .map_or_else(|| key.clone(), |d| d.attribute_display_name.clone())
        });
        let request = store.save(Edit::RemoveCustom(key.clone()));
        async move {
            let why = match request.await {
                Ok(Ok(_)) => return,
                Ok(Err(rejection)) => rejection.message,
                Err(error) => strings.describe_error(&error),
            };
            notice.try_set(Some((card.remove_failed)(&name, &why)));
        }
    });
    let on_remove = Callback::new(move |key: String| {
        notice.set(None);
        remove.dispatch_local(key);
    });
    let on_definition_created = Callback::new(move |definition: CustomAttributeDefinition| {
        created.update(|c| c.push(definition));
    });

    view! {
        <section class="card-section" aria-labelledby="card-attributes-heading">
            <h2 class="card-section__title" id="card-attributes-heading">{card.attributes_heading}</h2>
            {move || load_error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <For
                each=move || keys.get()
                key=|key| key.clone()
                children=move |key| view! { <AttributeRow key definitions on_remove /> }
            />
            <Show when=move || keys.with(Vec::is_empty) && fetched.with(Option::is_some)>
                <p class="muted">{card.no_attributes}</p>
            </Show>
            {move || notice.get().map(|message| view! {
                <p class="form-error" role="alert" data-testid="attribute-notice">{message}</p>
            })}
            <AddAttribute definitions on_definition_created />
        </section>
    }
}

/// The keys in the order of their definitions, then the keys without one, by key.
fn ordered_keys(
    mut present: Vec<String>,
    definitions: &[CustomAttributeDefinition],
) -> Vec<String> {
    present.sort_by_key(|key| {
        let position = definitions.iter().position(|d| d.attribute_key == *key);
        (position.unwrap_or(usize::MAX), key.clone())
    });
    present
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::card::attribute_value::undefined_attribute;

    #[test]
    fn defined_keys_come_in_definition_order_then_the_rest_by_key() {
        let def = |key: &str| undefined_attribute(key, &serde_json::Value::Null);
        let defs = [def("plan"), def("orders"), def("website")];
        let keys = ["zeta", "website", "alpha", "plan"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            ordered_keys(keys, &defs),
            ["plan", "website", "alpha", "zeta"]
        );
    }
}
