use leptos::html;
use leptos::prelude::*;
use novatalks_model::filter::{problems, FilterCondition, FilterError};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

use super::value_kind::new_condition;
use super::{Catalog, FilterRow};
use crate::components::common::element_id;
use crate::i18n::{sentence_case, t};
use crate::logic::filter_edit::{remove_condition, swap_conditions};
use crate::logic::filter_url::normalized;

/// The attribute a new row starts on.
const FIRST_ATTRIBUTE: &str = "name";

/// The filter builder: a panel of condition rows (attribute, operator, value) joined by
/// AND / OR, where rows are added, removed, moved up and down and cleared.
///
/// "Apply" checks the conditions with the model's validation (the code the server runs)
/// and hands them over only when they pass; otherwise every refused row shows what is
/// wrong by its side, the first takes focus, and nothing is sent. Applying no rows clears the
/// filter. Enter in a box applies, Escape closes.
#[component]
pub fn FilterBuilder(
    /// The conditions in force: the rows it starts with (one blank row when none).
    applied: Vec<FilterCondition>,
    /// The row to start on (a chip's); the first by default.
    #[prop(default = 0)]
    focus: usize,
    /// The account's custom attribute definitions.
    #[prop(into)]
    catalog: Signal<Catalog>,
    /// The titles of the account's labels.
    #[prop(into)]
    labels: Signal<Vec<String>>,
    /// Why the custom attributes are missing, when their loading failed.
    #[prop(optional, into)]
    catalog_problem: MaybeProp<String>,
    /// The valid conditions to apply (empty: no filter).
    on_apply: Callback<Vec<FilterCondition>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let strings = t().filter;
    let title_id = element_id("filter-builder-title");
    let intro_id = element_id("filter-builder-intro");
    let root: NodeRef<html::Section> = NodeRef::new();

    let next_id = StoredValue::new(0u64);
    let numbered = move |condition: FilterCondition| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        (id, condition)
    };
    let start = if applied.is_empty() {
        catalog
            .with_untracked(|catalog| new_condition(FIRST_ATTRIBUTE, catalog))
            .into_iter()
            .collect()
    } else {
        normalized(&applied)
    };
    let rows = RwSignal::new(start.into_iter().map(numbered).collect::<Vec<_>>());
    let conditions = Memo::new(move |_| {
        rows.with(|rows| normalized(&rows.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>()))
    });
    let count = Memo::new(move |_| rows.with(Vec::len));

    // Checked once the agent tries to apply; from then on as they edit, so a fixed row
    // loses its message at once.
    let attempted = RwSignal::new(false);
    // Every wrong row says so at once, not one after the other.
    let problems = Memo::new(move |_| -> Vec<FilterError> {
        if !attempted.get() || count.get() == 0 {
            return Vec::new();
        }
        let defs = catalog.with(Catalog::defs);
        conditions.with(|c| problems(c, &defs))
    });
    // A problem with the list as a whole (too many conditions) has no row to sit by.
    let list_problem = move || {
        problems.with(|all| {
            all.iter()
                .find(|p| p.index >= count.get())
                .map(|p| p.message.clone())
        })
    };

    let focus_on = move |selector: String| {
        request_animation_frame(move || {
            let element = root
                .get_untracked()
                .and_then(|root| root.query_selector(&selector).ok().flatten())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            if let Some(element) = element {
                let _ = element.focus();
            }
        });
    };
    let row_selector = |index: usize, part: &str| {
        format!("[data-testid=filter-row][data-index=\"{index}\"] [data-testid={part}]")
    };

    // Start on the row asked for.
    Effect::new(move |_| {
        if root.get().is_some() {
            focus_on(row_selector(focus, "filter-attribute"));
        }
    });

    let position =
        move |id: u64| rows.with_untracked(|rows| rows.iter().position(|(i, _)| *i == id));
    let change = move |id: u64, condition: FilterCondition| {
        rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|(i, _)| *i == id) {
                row.1 = condition;
            }
        });
    };
    let remove = move |id: u64| {
        let Some(index) = position(id) else { return };
        let kept = remove_condition(&conditions.get_untracked(), index);
        rows.update(|rows| {
            rows.remove(index);
            for (row, condition) in rows.iter_mut().zip(kept) {
                row.1 = condition;
            }
        });
        let left = count.get_untracked();
        if left == 0 {
            focus_on("[data-testid=filter-add]".to_owned());
        } else {
            focus_on(row_selector(index.min(left - 1), "filter-remove"));
        }
    };
    // Rows move; the AND / OR between positions stay. The moved row keeps the focus.
    let move_row = move |id: u64, down: bool| {
        let Some(from) = position(id) else { return };
        let to = if down { from + 1 } else { from.wrapping_sub(1) };
        let Some(swapped) = swap_conditions(&conditions.get_untracked(), from, to) else {
            return;
        };
        rows.update(|rows| {
            rows.swap(from, to);
            for (row, condition) in rows.iter_mut().zip(swapped) {
                row.1 = condition;
            }
        });
        let button = if down {
            "filter-move-down"
        } else {
            "filter-move-up"
        };
        focus_on(row_selector(to, button));
    };
    let add = move || {
        let Some(condition) =
            catalog.with_untracked(|catalog| new_condition(FIRST_ATTRIBUTE, catalog))
        else {
            return;
        };
        rows.update(|rows| rows.push(numbered(condition)));
        focus_on(row_selector(count.get_untracked() - 1, "filter-attribute"));
    };
    let clear = move || {
        rows.set(Vec::new());
        attempted.set(false);
        focus_on("[data-testid=filter-add]".to_owned());
    };
    let apply = move || {
        attempted.set(true);
        if count.get_untracked() == 0 {
            on_apply.run(Vec::new());
            return;
        }
        match problems.with_untracked(|all| all.first().map(|p| p.index)) {
            None => on_apply.run(conditions.get_untracked()),
            Some(index) if index < count.get_untracked() => {
                focus_on(row_selector(index, "filter-attribute"));
            }
            Some(_) => {}
        }
    };

    let row = move |(id, _): (u64, FilterCondition)| {
        let condition = Memo::new(move |previous: Option<&FilterCondition>| {
            rows.with(|rows| rows.iter().find(|(i, _)| *i == id).map(|(_, c)| c.clone()))
                .or_else(|| previous.cloned())
                .unwrap_or_else(blank)
        });
        let index = Memo::new(move |previous: Option<&usize>| {
            rows.with(|rows| rows.iter().position(|(i, _)| *i == id))
                .or(previous.copied())
                .unwrap_or(0)
        });
        // By the row, what is wrong is enough: "Needs a value".
        let error = Signal::derive(move || {
            problems.with(|all| {
                all.iter()
                    .find(|p| p.index == index.get())
                    .map(|p| sentence_case(&p.reason))
            })
        });
        view! {
            <FilterRow
                condition
                index
                count
                catalog
                labels
                error
                on_change=Callback::new(move |c| change(id, c))
                on_remove=Callback::new(move |()| remove(id))
                on_move_up=Callback::new(move |()| move_row(id, false))
                on_move_down=Callback::new(move |()| move_row(id, true))
            />
        }
    };

    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            on_close.run(());
        }
    };

    let title_id_ref = title_id.clone();
    let intro_id_ref = intro_id.clone();
    view! {
        <section
            class="filter-builder"
            role="dialog"
            aria-labelledby=title_id_ref
            aria-describedby=intro_id_ref
            data-testid="filter-builder"
            node_ref=root
            on:keydown=on_keydown
        >
            <form
                class="filter-builder__form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    apply();
                }
            >
                <header class="filter-builder__header">
                    <h2 class="filter-builder__title" id=title_id>
                        {strings.builder_title}
                    </h2>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=strings.close
                        title=strings.close
                        data-testid="filter-close"
                        on:click=move |_| on_close.run(())
                    >
                        "×"
                    </button>
                </header>
                <p class="filter-builder__intro" id=intro_id>
                    {strings.builder_intro}
                </p>
                {move || {
                    catalog_problem
                        .get()
                        .map(|why| {
                            view! {
                                <p class="filter-builder__notice" role="status">
                                    {(strings.definitions_failed)(&why)}
                                </p>
                            }
                        })
                }}
                {move || {
                    list_problem()
                        .map(|message| {
                            view! {
                                <p class="filter-builder__error" role="alert" data-testid="filter-error">
                                    {message}
                                </p>
                            }
                        })
                }}
                <ol class="filter-builder__rows">
                    <For each=move || rows.get() key=|(id, _)| *id children=row />
                </ol>
                <Show when=move || count.get() == 0>
                    <p class="filter-builder__empty">{strings.no_conditions}</p>
                </Show>
                <footer class="filter-builder__footer">
                    <button
                        type="button"
                        class="button"
                        data-testid="filter-add"
                        on:click=move |_| add()
                    >
                        {strings.add_condition}
                    </button>
                    <button
                        type="button"
                        class="button button--quiet"
                        data-testid="filter-clear"
                        on:click=move |_| clear()
                    >
                        {strings.clear_all}
                    </button>
                    <span class="filter-builder__spacer"></span>
                    <button type="button" class="button button--quiet" on:click=move |_| on_close.run(())>
                        {strings.cancel}
                    </button>
                    <button type="submit" class="button button--primary" data-testid="filter-apply">
                        {strings.apply}
                    </button>
                </footer>
            </form>
        </section>
    }
}

/// What a row shows in the instant between its removal and its disposal.
fn blank() -> FilterCondition {
    FilterCondition {
        attribute_key: FIRST_ATTRIBUTE.to_owned(),
        filter_operator: String::new(),
        values: Vec::new(),
        query_operator: None,
        custom_attribute_type: None,
    }
}
