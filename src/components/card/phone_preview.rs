use std::time::Duration;

use leptos::prelude::*;
use novatalks_model::filter::phone_digits;

use crate::api::contact::{self, PhoneCheck};
use crate::i18n::t;
use crate::state::{use_api, Debounce};

/// How long typing pauses before the number is checked.
const CHECK_AFTER: Duration = Duration::from_millis(350);
/// Fewer digits than this are not a number yet: nothing is asked.
const MIN_DIGITS: usize = 3;

/// Under the phone field: the number as it will be stored ("Saved as +380677654321"), a
/// warning when no country has it (stored all the same, as Chatwoot does), or why it is
/// no number, asked of the server once typing pauses (blank asks nothing). A
/// server that cannot tell (a stock Chatwoot) and a failed request show nothing: the
/// form's own checks and the server's answer on saving still hold.
#[component]
pub fn PhonePreview(
    /// The phone field's text as typed.
    #[prop(into)]
    number: Signal<String>,
    /// The id the field's `aria-describedby` names.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let card = &t().card;
    let api = use_api();
    let settled = RwSignal::new(String::new());
    let debounce = Debounce::new(CHECK_AFTER);
    Effect::new(move |_| {
        let typed = number.get().trim().to_owned();
        // What is being typed is not judged yet.
        settled.set(String::new());
        debounce.schedule(move || {
            settled.try_set(typed);
        });
    });
    let check = LocalResource::new(move || {
        let typed = settled.get();
        let client = api.client();
        async move {
            if phone_digits(&typed).len() < MIN_DIGITS {
                return Ok(PhoneCheck::Unknown);
            }
            contact::check_phone(&client, &typed).await
        }
    });
    let shown = move || {
        let (outcome, class, text) = match check.get()? {
            Ok(PhoneCheck::Normalized(e164)) => (
                "normalized",
                "field__hint field__hint--ok",
                (card.phone_saved_as)(&e164),
            ),
            Ok(PhoneCheck::Nowhere(e164)) => (
                "nowhere",
                "field__hint field__hint--warning",
                (card.phone_saved_nowhere)(&e164),
            ),
            Ok(PhoneCheck::Invalid(why)) => ("invalid", "field__hint field__hint--warning", why),
            Ok(PhoneCheck::Unknown) | Err(_) => return None,
        };
        Some(view! {
            <span class=class data-testid="phone-preview" data-outcome=outcome>{text}</span>
        })
    };
    view! { <span id=id aria-live="polite">{shown}</span> }
}
