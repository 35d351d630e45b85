use std::collections::HashMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use novatalks_model::{Contact, CustomAttributeDefinition};
use serde_json::{Map, Value};

use super::attribute_value::{parse_value, AttributeKind};
use super::field_rules::field_problem;
use super::pattern::browser_matches;
use super::{AttributeInput, ConflictNotice, LanguagePicker, PhonePreview};
use crate::api::contact::{self, NewContact};
use crate::api::{custom_attributes, Rejection};
use crate::components::common::element_id;
use crate::i18n::t;
use crate::logic::contact_edit::ContactField;
use crate::state::use_api;

/// Where problems that belong to no one field are kept.
const FORM: &str = "form";
/// Where problems with the custom attributes as a whole are kept.
const ATTRIBUTES: &str = "custom_attributes";

/// The form of a new contact: name, email, phone (any common writing; the server stores
/// it in E.164), identifier, language and the account's custom attributes. What the
/// server refuses shows next to its field, with what was typed kept; a value another
/// contact has names that contact, with a link to it. `on_created` gets the new contact.
#[component]
pub fn NewContactForm(on_created: Callback<Contact>) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let api = use_api();
    let fields: HashMap<ContactField, RwSignal<String>> = ContactField::ALL
        .into_iter()
        .map(|field| (field, RwSignal::new(String::new())))
        .collect();
    let fields = StoredValue::new(fields);
    let field = move |f: ContactField| fields.with_value(|all| all[&f]);
    let language = RwSignal::new(None::<String>);
    let attribute_values = StoredValue::new(HashMap::<String, RwSignal<String>>::new());
    let attribute_value = move |key: &str| {
        attribute_values
            .try_update_value(|all| {
                *all.entry(key.to_owned())
                    .or_insert_with(|| RwSignal::new(String::new()))
            })
            .expect("the form's values live as long as the form")
    };
    // Problems by field (`email`, `phone`…, an attribute key, `form`), and the contact
    // holding a value that must be unique, with the field it is about.
    let errors = RwSignal::new(HashMap::<String, String>::new());
    let conflict = RwSignal::new(None::<(String, i64)>);

    let definitions = LocalResource::new(move || {
        let client = api.client();
        async move { custom_attributes::definitions(&client).await }
    });

    let create = Action::new_local(move |new: &NewContact| {
        let new = new.clone();
        let client = api.client();
        let request = async move { contact::create(&client, &new).await };
        async move {
            match request.await {
                Ok(Ok(created)) => on_created.run(created),
                Ok(Err(rejection)) => {
                    let (found, taken) = problems_of(&rejection);
                    errors.set(found);
                    conflict.set(taken.zip(rejection.conflict_contact_id));
                }
                Err(error) => {
                    let message = (card.create_failed)(&strings.describe_error(&error));
                    errors.set(HashMap::from([(FORM.to_owned(), message)]));
                    conflict.set(None);
                }
            }
        }
    });
    let pending = create.pending();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let mut found = HashMap::new();
        let mut new = NewContact::default();
        for f in ContactField::ALL {
            let text = field(f).get_untracked().trim().to_owned();
            if let Some(problem) = field_problem(f, &text) {
                found.insert(f.test_key().to_owned(), problem);
            }
            let value = Some(text).filter(|t| !t.is_empty());
            match f {
                ContactField::Name => new.name = value,
                ContactField::Email => new.email = value,
                ContactField::Phone => new.phone_number = value,
                ContactField::Identifier => new.identifier = value,
            }
        }
        if new.name.is_none()
            && new.email.is_none()
            && new.phone_number.is_none()
            && new.identifier.is_none()
        {
            found.insert(FORM.to_owned(), card.contact_needs_something.to_owned());
        }
        if let Some(code) = language.get_untracked() {
            new.additional_attributes
                .insert("language".to_owned(), Value::String(code));
        }
        let defs = definitions
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default();
        new.custom_attributes = attribute_map(&defs, &attribute_value, &mut found);
        conflict.set(None);
        let ready = found.is_empty();
        errors.set(found);
        if ready {
            create.dispatch_local(new);
        }
    };

    let error_for = move |key: String| {
        move || {
            errors.with(|all| all.get(&key).cloned()).map(|message| {
                view! {
                    <p class="field-error" id=format!("new-contact-error-{key}") role="alert" data-testid=format!("field-error-{key}")>
                        {message}
                    </p>
                }
            })
        }
    };
    let conflict_for = move |key: &'static str| {
        move || {
            conflict
                .get()
                .filter(|(field, _)| field == key)
                .map(|(_, id)| view! { <ConflictNotice contact_id=id /> })
        }
    };
    let text_field = move |f: ContactField| {
        let key = f.test_key();
        let id = format!("new-contact-{key}");
        let value = field(f);
        let input_type = match f {
            ContactField::Email => "email",
            ContactField::Phone => "tel",
            _ => "text",
        };
        let hint = (f == ContactField::Phone).then(|| {
            view! {
                <span class="field__hint" id="new-contact-phone-hint">{card.phone_hint}</span>
                <PhonePreview number=value id="new-contact-phone-preview" />
            }
        });
        let described_by = match f {
            ContactField::Phone => {
                format!("new-contact-error-{key} new-contact-phone-hint new-contact-phone-preview")
            }
            _ => format!("new-contact-error-{key}"),
        };
        view! {
            <div class="field">
                <label class="field__label" for=id.clone()>{card.field_label(f)}</label>
                <input
                    id=id
                    name=f.api_key()
                    type=input_type
                    class="input"
                    autocomplete="off"
                    data-testid=format!("new-contact-{key}")
                    aria-invalid=move || errors.with(|all| all.contains_key(key)).then_some("true")
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |event| value.set(event_target_value(&event))
                />
                {hint}
                {error_for(key.to_owned())}
                {conflict_for(key)}
            </div>
        }
    };
    let language_id = element_id("new-contact-language");
    let attribute_fields = move || {
        Suspend::new(async move {
            let defs = match definitions.await {
                Ok(defs) => defs,
                Err(why) => {
                    let message = (card.definitions_failed)(&strings.describe_error(&why));
                    return view! { <p class="form-error" role="alert">{message}</p> }.into_any();
                }
            };
            if defs.is_empty() {
                return view! { <p class="muted">{card.no_definitions}</p> }.into_any();
            }
            defs.into_iter()
                .map(|definition| {
                    let key = definition.attribute_key.clone();
                    let id = format!("new-contact-attribute-{key}");
                    let kind = definition.kind();
                    let error_key = key.clone();
                    view! {
                        <div class="field" class:field--inline=kind == AttributeKind::Checkbox data-testid=format!("new-attribute-{key}")>
                            <label class="field__label" for=id.clone()>{definition.attribute_display_name.clone()}</label>
                            <AttributeInput
                                kind
                                options=definition.attribute_values.clone()
                                value=attribute_value(&key)
                                id=id
                                described_by=format!("new-contact-error-{key}")
                                invalid=Signal::derive(move || errors.with(|all| all.contains_key(&error_key)))
                            />
                            {error_for(key.clone())}
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        })
    };

    view! {
        <form class="contact-form" data-testid="new-contact-form" novalidate on:submit=submit>
            <div class="contact-form__grid">
                {text_field(ContactField::Name)}
                {text_field(ContactField::Email)}
                {text_field(ContactField::Phone)}
                {text_field(ContactField::Identifier)}
                <div class="field">
                    <label class="field__label" for=language_id.clone()>{card.language}</label>
                    <LanguagePicker value=language on_change=Callback::new(move |code| language.set(code)) id=language_id.clone() />
                </div>
            </div>
            <fieldset class="contact-form__attributes">
                <legend class="field__label">{card.attributes_heading}</legend>
                <Suspense fallback=move || view! { <p class="muted" role="status">{card.loading}</p> }>
                    {attribute_fields}
                </Suspense>
                {error_for(ATTRIBUTES.to_owned())}
            </fieldset>
            {move || errors.with(|all| all.get(FORM).cloned()).map(|message| view! {
                <p class="form-error" role="alert" data-testid="new-contact-error">{message}</p>
            })}
            <div class="contact-form__actions">
                <button type="submit" class="button button--primary" data-testid="new-contact-submit" disabled=move || pending.get()>
                    {move || if pending.get() { card.creating } else { card.create_contact }}
                </button>
            </div>
        </form>
    }
}

/// The custom attributes filled in, checked; problems go to `found` under their key. A
/// blank field or an unticked checkbox is left out.
fn attribute_map(
    definitions: &[CustomAttributeDefinition],
    value_of: &dyn Fn(&str) -> RwSignal<String>,
    found: &mut HashMap<String, String>,
) -> Map<String, Value> {
    let mut map = Map::new();
    for definition in definitions {
        let key = &definition.attribute_key;
        let text = value_of(key).get_untracked();
        let unset = match definition.kind() {
            AttributeKind::Checkbox => text != "true",
            _ => text.trim().is_empty(),
        };
        if unset {
            continue;
        }
        match parse_value(definition, &text, &browser_matches) {
            Ok(value) => {
                map.insert(key.clone(), value);
            }
            Err(problem) => {
                found.insert(
                    key.clone(),
                    problem.message(&definition.attribute_display_name),
                );
            }
        }
    }
    map
}

/// The server's refusal, field by field (by the keys the form shows errors under), and
/// the field whose value another contact already has.
fn problems_of(rejection: &Rejection) -> (HashMap<String, String>, Option<String>) {
    let mut found = HashMap::new();
    for f in ContactField::ALL {
        if let Some(message) = rejection.message_for(f.api_key()) {
            found.insert(f.test_key().to_owned(), message);
        }
    }
    if let Some(message) = rejection.message_for(ATTRIBUTES) {
        found.insert(ATTRIBUTES.to_owned(), message);
    }
    if found.is_empty() {
        found.insert(FORM.to_owned(), rejection.message.clone());
    }
    let taken = rejection.taken_field().and_then(|api_key| {
        ContactField::ALL
            .into_iter()
            .find(|f| f.api_key() == api_key)
            .map(|f| f.test_key().to_owned())
    });
    (found, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_land_on_their_fields_and_the_taken_one_is_named() {
        let rejection = Rejection {
            message: "Email has already been taken, Phone number '1' is not a valid phone number"
                .into(),
            attributes: vec!["email".into(), "phone_number".into()],
            conflict_contact_id: Some(9),
        };
        let (found, taken) = problems_of(&rejection);
        assert_eq!(found["email"], "Email has already been taken");
        assert_eq!(
            found["phone"],
            "Phone number '1' is not a valid phone number"
        );
        assert_eq!(taken.as_deref(), Some("email"));

        let odd = Rejection {
            message: "Something else".into(),
            attributes: vec!["blocked".into()],
            conflict_contact_id: None,
        };
        let (found, taken) = problems_of(&odd);
        assert_eq!(found[FORM], "Something else");
        assert_eq!(taken, None);
    }
}
