use std::collections::VecDeque;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use novatalks_model::rules;

use super::field_rules::label_title_problem;
use super::LabelTag;
use crate::api::{labels, ApiError};
use crate::components::common::{element_id, load_error_fallback, LoadFailure};
use crate::i18n::t;
use crate::logic::optimistic::{Change, Ticket};
use crate::state::{use_account_labels, use_api, Api, Optimistic};

/// Suggestions shown at most.
const MAX_SUGGESTIONS: usize = 8;

/// What the agent picked in the type-ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelChoice {
    /// An account label.
    Existing(String),
    /// A label to create first (the text typed, lower-cased).
    Create(String),
}

/// A change to the contact's labels, waiting or under way.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LabelOp {
    Add { title: String, create: bool },
    Remove(String),
}

impl Change<Vec<String>> for LabelOp {
    fn apply(&self, titles: &mut Vec<String>) {
        match self {
            LabelOp::Add { title, .. } => {
                if !titles.contains(title) {
                    titles.push(title.clone());
                }
            }
            LabelOp::Remove(title) => titles.retain(|t| t != title),
        }
    }
}

/// The labels of the account matching what is typed (those starting with it first),
/// without the contact's own; then "create" when the text is a new, valid title.
pub fn suggestions(query: &str, account: &[String], chosen: &[String]) -> Vec<LabelChoice> {
    let query = rules::typed_label_title(query);
    let mut matches: Vec<&String> = account
        .iter()
        .filter(|title| !chosen.contains(title) && title.contains(&query))
        .collect();
    matches.sort_by_key(|title| (!title.starts_with(&query), title.as_str()));
    let mut choices: Vec<LabelChoice> = matches
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .cloned()
        .map(LabelChoice::Existing)
        .collect();
    if !query.is_empty()
        && !account.contains(&query)
        && rules::label_title_problem(&query).is_none()
    {
        choices.push(LabelChoice::Create(query));
    }
    choices
}

/// The contact's labels as coloured chips, each removable, and a type-ahead that adds one
/// of the account's labels or creates a new one. Changes show at once and are sent one
/// after the other, each on top of the labels the server has then (another agent's
/// change in between is kept); a refused one is taken back with a message.
#[component]
pub fn LabelPicker(contact_id: i64) -> impl IntoView {
    let strings = t();
    let card = &strings.card;
    let api = use_api();

    let account = use_account_labels();
    let titles = account.titles();
    let colours = account.colours();

    // The contact's labels as the server has them, with the changes on their way.
    let labels = Optimistic::<Vec<String>, LabelOp>::new(Vec::new());
    let shown = Memo::new(move |_| {
        let mut titles = labels.shown().get();
        titles.sort();
        titles
    });
    let error = RwSignal::new(None::<String>);
    let reload = RwSignal::new(0u32);
    let loaded = LocalResource::new(move || {
        reload.track();
        let client = api.client();
        async move { labels::of_contact(&client, contact_id).await }
    });

    // Each change shows at once and waits its turn: it is made on top of what the server
    // has once the one before is answered.
    let queue = StoredValue::new(VecDeque::<(Ticket, LabelOp)>::new());
    let running = StoredValue::new(false);
    let enqueue = move |op: LabelOp| {
        error.set(None);
        let ticket = labels.begin(op.clone());
        queue.update_value(|q| q.push_back((ticket, op)));
        if running.get_value() {
            return;
        }
        running.set_value(true);
        spawn_local(async move {
            while let Some((ticket, op)) = queue.try_update_value(VecDeque::pop_front).flatten() {
                let result = run(api, contact_id, &op).await;
                match result {
                    Ok(titles) => {
                        account.remember(contact_id, titles.clone());
                        labels.settle(ticket, Some(titles));
                    }
                    Err(why) => {
                        labels.settle(ticket, None);
                        let message = match &op {
                            LabelOp::Add { title, .. } => (card.label_add_failed)(title, &why),
                            LabelOp::Remove(title) => (card.label_remove_failed)(title, &why),
                        };
                        error.try_set(Some(message));
                    }
                }
                if matches!(op, LabelOp::Add { create: true, .. }) {
                    account.refresh();
                }
            }
            running.try_set_value(false);
        });
    };

    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let choices = Memo::new(move |_| {
        query.with(|q| shown.with(|chosen| titles.with(|account| suggestions(q, account, chosen))))
    });
    let typed_problem = move || {
        let typed = query.with(|q| rules::typed_label_title(q));
        let known = titles.with(|t| t.contains(&typed));
        (!typed.is_empty() && !known)
            .then(|| label_title_problem(&typed))
            .flatten()
    };
    let pick = move |choice: LabelChoice| {
        query.set(String::new());
        active.set(None);
        let op = match choice {
            LabelChoice::Existing(title) => LabelOp::Add {
                title,
                create: false,
            },
            LabelChoice::Create(title) => LabelOp::Add {
                title,
                create: true,
            },
        };
        enqueue(op);
    };
    let on_remove = Callback::new(move |title: String| enqueue(LabelOp::Remove(title)));

    let (pending, set_pending) = signal(false);
    let retry = Callback::new(move |()| reload.update(|v| *v += 1));
    let load_failed = load_error_fallback(
        LoadFailure::new(card.labels_failed).test_id("labels-load-error"),
        pending,
        retry,
    );
    let chips = move || {
        Suspend::new(async move {
            let titles = loaded.await?;
            account.remember(contact_id, titles.clone());
            labels.replace(titles);
            Ok::<_, ApiError>(view! {
                <ul class="chips" aria-label=card.labels_heading>
                    <For
                        each=move || shown.get()
                        key=|title| title.clone()
                        children=move |title| {
                            let colour = {
                                let title = title.clone();
                                Signal::derive(move || colours.with(|c| c.of(&title)))
                            };
                            view! { <LabelTag title colour on_remove /> }
                        }
                    />
                </ul>
            })
        })
    };

    let listbox_id = element_id("label-options");
    let option_id = {
        let listbox_id = listbox_id.clone();
        move |i: usize| format!("{listbox_id}-{i}")
    };
    let hint_id = element_id("label-hint");
    let on_key = move |event: KeyboardEvent| {
        let count = choices.with(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                event.prevent_default();
                let typed = query.with_untracked(|q| rules::typed_label_title(q));
                let choice = choices.with_untracked(|choices| {
                    active
                        .get_untracked()
                        .and_then(|i| choices.get(i).cloned())
                        .or_else(|| {
                            choices
                                .iter()
                                .find(|c| matches!(c, LabelChoice::Existing(t) | LabelChoice::Create(t) if *t == typed))
                                .cloned()
                        })
                });
                if let Some(choice) = choice {
                    pick(choice);
                }
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let options = {
        let option_id = option_id.clone();
        move || {
            if !open.get() {
                return None;
            }
            let options = choices
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, choice)| {
                    let text = match &choice {
                        LabelChoice::Existing(title) => title.clone(),
                        LabelChoice::Create(title) => (card.create_label)(title),
                    };
                    let swatch = match &choice {
                        LabelChoice::Existing(title) => colours.with(|c| c.of(title)).map(|c| c.css()),
                        LabelChoice::Create(_) => None,
                    };
                    view! {
                        <li
                            role="option"
                            id=option_id(i)
                            class="combobox__option"
                            class:combobox__option--active=move || active.get() == Some(i)
                            aria-selected=move || (active.get() == Some(i)).to_string()
                            data-testid="label-option"
                            on:mousedown=|event| event.prevent_default()
                            on:click=move |_| pick(choice.clone())
                        >
                            <span class="swatch" aria-hidden="true" style=swatch.map(|c| format!("background:{c}"))></span>
                            {text}
                        </li>
                    }
                })
                .collect_view();
            Some(options)
        }
    };

    let problem_id = hint_id.clone();
    view! {
        <section class="card-section" aria-labelledby="card-labels-heading">
            <h2 class="card-section__title" id="card-labels-heading">{card.labels_heading}</h2>
            <div class="label-picker" data-testid="label-picker">
                <Transition
                    fallback=move || view! { <p class="muted" role="status">{card.loading}</p> }
                    set_pending
                >
                    <ErrorBoundary fallback=load_failed>{chips}</ErrorBoundary>
                </Transition>
                <div class="combobox">
                    <input
                        type="text"
                        class="input"
                        role="combobox"
                        autocomplete="off"
                        aria-autocomplete="list"
                        aria-label=card.add_label
                        aria-controls=listbox_id.clone()
                        aria-expanded=move || (open.get() && !choices.with(Vec::is_empty)).to_string()
                        aria-activedescendant=move || active.get().map(option_id.clone())
                        aria-describedby=hint_id.clone()
                        placeholder=card.add_label_placeholder
                        data-testid="label-input"
                        prop:value=move || query.get()
                        on:input=move |event| {
                            query.set(event_target_value(&event));
                            active.set(None);
                            open.set(true);
                        }
                        on:focus=move |_| open.set(true)
                        on:blur=move |_| {
                            open.set(false);
                            active.set(None);
                        }
                        on:keydown=on_key
                    />
                    <ul
                        role="listbox"
                        id=listbox_id.clone()
                        class="combobox__list"
                        aria-label=card.labels_heading
                        hidden=move || !open.get() || choices.with(Vec::is_empty)
                    >
                        {options}
                    </ul>
                </div>
                {move || typed_problem().map(|problem| view! {
                    <p class="field-error" id=problem_id.clone() data-testid="field-error-label">{problem}</p>
                })}
                {move || error.get().map(|message| view! {
                    <p class="form-error" role="alert" data-testid="label-error">{message}</p>
                })}
            </div>
        </section>
    }
}

/// One change, made on top of the contact's labels as the server has them now.
async fn run(api: Api, contact_id: i64, op: &LabelOp) -> Result<Vec<String>, String> {
    let strings = t();
    let describe = |error| strings.describe_error(&error);
    let client = api.client();
    if let LabelOp::Add {
        title,
        create: true,
    } = op
    {
        match labels::create(&client, title).await {
            Ok(Ok(_)) => {}
            // Someone created it meanwhile: it can be added all the same.
            Ok(Err(rejection)) if rejection.message.contains("taken") => {}
            Ok(Err(rejection)) => return Err(rejection.message),
            Err(error) => return Err(describe(error)),
        }
    }
    let current = labels::of_contact(&client, contact_id)
        .await
        .map_err(describe)?;
    let mut next = current;
    op.apply(&mut next);
    match labels::set_for_contact(&client, contact_id, &next).await {
        Ok(Ok(titles)) => Ok(titles),
        Ok(Err(rejection)) => Err(rejection.message),
        Err(error) => Err(describe(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn suggestions_match_anywhere_prefixes_first_without_the_chosen() {
        let account = titles(&["billing", "vip", "vip-gold", "service-vip", "lead"]);
        assert_eq!(
            suggestions("VI", &account, &titles(&["vip-gold"])),
            vec![
                LabelChoice::Existing("vip".into()),
                LabelChoice::Existing("service-vip".into()),
                LabelChoice::Create("vi".into()),
            ]
        );
        assert_eq!(
            suggestions("", &account, &[]).len(),
            5,
            "all, with nothing typed"
        );
        assert_eq!(
            suggestions("vip", &account, &titles(&["vip"]))[0],
            LabelChoice::Existing("vip-gold".into())
        );
    }

    #[test]
    fn only_valid_new_titles_can_be_created() {
        let account = titles(&["vip"]);
        assert_eq!(
            suggestions("vip", &account, &[]),
            vec![LabelChoice::Existing("vip".into())]
        );
        assert_eq!(suggestions("two words", &account, &[]), vec![]);
        assert_eq!(
            suggestions(" New_1 ", &account, &[]),
            vec![LabelChoice::Create("new_1".into())]
        );
        // As the server has it: letters without case are letters, 64 characters at most.
        assert_eq!(
            suggestions("客户", &account, &[]),
            vec![LabelChoice::Create("客户".into())]
        );
        assert_eq!(suggestions(&"a".repeat(100), &account, &[]), vec![]);
    }

    #[test]
    fn ops_add_once_and_remove() {
        let mut list = titles(&["vip"]);
        LabelOp::Add {
            title: "vip".into(),
            create: false,
        }
        .apply(&mut list);
        LabelOp::Add {
            title: "lead".into(),
            create: true,
        }
        .apply(&mut list);
        LabelOp::Remove("vip".into()).apply(&mut list);
        assert_eq!(list, titles(&["lead"]));
    }
}
