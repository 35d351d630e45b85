use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::common::{element_id, Modal};
use crate::i18n::t;
use crate::state::use_account_labels;

/// Whether the labels chosen are added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelMode {
    Add,
    Remove,
}

/// Chooses labels of the account to add to, or remove from, the selected contacts.
#[component]
pub fn BulkLabelsDialog(
    mode: LabelMode,
    /// How many contacts are selected.
    count: u64,
    /// The titles chosen, once confirmed (never empty).
    on_confirm: Callback<Vec<String>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t().bulk;
    let title_id = element_id("bulk-labels-title");
    let title = match mode {
        LabelMode::Add => (strings.add_labels_title)(count),
        LabelMode::Remove => (strings.remove_labels_title)(count),
    };
    let confirm_text = match mode {
        LabelMode::Add => strings.add_labels,
        LabelMode::Remove => strings.remove_labels,
    };
    let titles = use_account_labels().titles();
    let chosen = RwSignal::new(Vec::<String>::new());
    let tried = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let picked = chosen.get_untracked();
        if picked.is_empty() {
            tried.set(true);
        } else {
            on_confirm.run(picked);
        }
    };
    let options = move || {
        titles
            .get()
            .into_iter()
            .map(|title| {
                let key = title.clone();
                let toggled = title.clone();
                view! {
                    <label class="bulk-label-choice">
                        <input
                            type="checkbox"
                            value=title.clone()
                            data-testid="bulk-label-option"
                            prop:checked=move || chosen.with(|c| c.contains(&key))
                            on:change=move |_| {
                                chosen.update(|c| {
                                    if let Some(at) = c.iter().position(|t| t == &toggled) {
                                        c.remove(at);
                                    } else {
                                        c.push(toggled.clone());
                                    }
                                });
                            }
                        />
                        <span>{title}</span>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <Modal labelled_by=title_id.clone() on_close=on_cancel test_id="bulk-labels-dialog">
            <form class="dialog-form" novalidate on:submit=submit>
                <h2 class="modal__title" id=title_id.clone()>{title.clone()}</h2>
                <fieldset class="bulk-labels">
                    <legend class="field__label">{strings.labels_legend}</legend>
                    {options}
                    <Show when=move || titles.with(Vec::is_empty)>
                        <p class="field__hint">{strings.no_account_labels}</p>
                    </Show>
                </fieldset>
                <Show when=move || tried.get() && chosen.with(Vec::is_empty)>
                    <p class="form-error" role="alert">{strings.choose_a_label}</p>
                </Show>
                <div class="modal__actions">
                    <button type="button" class="button" data-testid="bulk-cancel" on:click=move |_| on_cancel.run(())>
                        {t().cancel}
                    </button>
                    <button type="submit" class="button button--primary" data-testid="bulk-labels-confirm">
                        {confirm_text}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
