use chrono::{DateTime, SecondsFormat};
use leptos::prelude::*;
use novatalks_model::RelativeAge;

use crate::i18n::t;

/// A moment as a `<time>`: the date, or with `relative_to` how long before it ("5 min
/// ago"); the exact date and time on hover. "—" when there is none.
#[component]
pub fn TimeStamp(
    /// Unix seconds.
    at: Option<i64>,
    /// "Now" in Unix seconds, to show the age instead of the date.
    #[prop(optional)]
    relative_to: Option<i64>,
) -> impl IntoView {
    let strings = t();
    let Some(at) = at else {
        return view! { <span class="missing">{strings.missing_value}</span> }.into_any();
    };
    let text = match relative_to {
        Some(now) => (strings.relative_age)(RelativeAge::between(at, now)),
        None => strings.format_date(at),
    };
    let machine =
        DateTime::from_timestamp(at, 0).map(|utc| utc.to_rfc3339_opts(SecondsFormat::Secs, true));
    view! {
        <time datetime=machine title=strings.format_date_time(at)>
            {text}
        </time>
    }
    .into_any()
}
