use leptos::prelude::*;
use novatalks_model::merge::{merge_preview, MergeField};
use novatalks_model::Contact;

use super::{labelled, MergeFieldRow};
use crate::api::{custom_attributes, merge};
use crate::components::common::LabelChip;
use crate::i18n::t;
use crate::state::use_api;

/// The chosen pair before it is merged: which contact stays and which is deleted (the
/// card's own contact stays unless the agent swaps them), the remaining contact field by
/// field (what wins, what fills a blank, what is dropped), the union of labels, how many
/// conversations and notes move, and that the other contact will be deleted. The confirm
/// button says what it does; a refusal of the server shows here with nothing done.
#[component]
pub fn MergePreviewPanel(
    /// The card's contact.
    current: Contact,
    /// The contact chosen in the picker.
    other: Contact,
    /// Set while the merge is under way (the dialog then stays open).
    busy: RwSignal<bool>,
    on_back: Callback<()>,
    on_cancel: Callback<()>,
    /// The contact that remains, as the server answered.
    on_done: Callback<Contact>,
) -> impl IntoView {
    let strings = t();
    let m = strings.merge;
    let api = use_api();
    let keep_current = RwSignal::new(true);
    // The picker's button that chose the pair is gone: focus starts on the first choice
    // left, which contact stays.
    let swap_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = swap_button.get() {
            let _ = button.focus();
        }
    });
    let (current_id, other_id) = (current.id, other.id);
    // The labels as the server has them now; until they come (or if they cannot), the
    // contacts' own.
    let fresh_labels = LocalResource::new(move || {
        let client = api.client();
        async move { merge::labels_of_pair(&client, current_id, other_id).await }
    });
    // Custom attributes by their names, once the account's definitions come (by key
    // until then, or if they cannot be read).
    let definitions = LocalResource::new(move || {
        let client = api.client();
        async move { custom_attributes::definitions(&client).await }
    });
    let display_name = move |field: &MergeField| match field {
        MergeField::Custom(key) => definitions.with(|fetched| {
            fetched
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|defs| defs.iter().find(|d| d.attribute_key == *key))
                .map(|d| d.attribute_display_name.clone())
        }),
        _ => None,
    };
    let originals = StoredValue::new((current, other));
    let pair = Memo::new(move |_| {
        let (mut current, mut other) = originals.get_value();
        if let Some(Ok((current_labels, other_labels))) = fresh_labels.get() {
            current.labels = current_labels;
            other.labels = other_labels;
        }
        if keep_current.get() {
            (current, other)
        } else {
            (other, current)
        }
    });
    let preview = Memo::new(move |_| pair.with(|(base, mergee)| merge_preview(base, mergee)));
    let names = Memo::new(move |_| {
        pair.with(|(base, mergee)| (labelled(strings, base), labelled(strings, mergee)))
    });

    let mergee = Memo::new(move |_| {
        let (current, other) = originals.get_value();
        if keep_current.get() {
            other
        } else {
            current
        }
    });
    let moving = LocalResource::new(move || {
        let mergee = mergee.get();
        let client = api.client();
        async move { merge::moving(&client, &mergee).await }
    });

    let submit = Action::new_local(move |(base, mergee): &(i64, i64)| {
        let (base, mergee) = (*base, *mergee);
        let client = api.client();
        let request = async move { merge::merge(&client, base, mergee).await };
        async move {
            let result = request.await;
            busy.try_set(false);
            if let Ok(remaining) = &result {
                on_done.try_run(remaining.clone());
            }
            result
        }
    });
    let pending = submit.pending();
    let error = move || {
        if pending.get() {
            return None;
        }
        submit
            .value()
            .get()
            .and_then(Result::err)
            .map(|why| (m.merge_failed)(&strings.describe_error(&why)))
    };
    let confirm = move |_| {
        if pending.get_untracked() {
            return;
        }
        let (base, mergee) = pair.with_untracked(|(b, m)| (b.id, m.id));
        busy.set(true);
        submit.dispatch_local((base, mergee));
    };
    let swap = move |_| {
        if !pending.get_untracked() {
            submit.value().set(None);
            keep_current.update(|keep| *keep = !*keep);
        }
    };

    let side = move |stays: bool| {
        let (title, class, test_id) = if stays {
            (m.stays, "merge-side merge-side--stays", "merge-stays")
        } else {
            (m.deleted, "merge-side merge-side--deleted", "merge-deleted")
        };
        view! {
            <div class=class data-testid=test_id>
                <span class="merge-side__role">{title}</span>
                <span class="merge-side__name">
                    {move || names.with(|(base, mergee)| if stays { base.clone() } else { mergee.clone() })}
                </span>
            </div>
        }
    };
    let rows = move || {
        preview
            .get()
            .fields
            .into_iter()
            .map(|line| {
                let display_name = display_name(&line.field);
                view! { <MergeFieldRow line display_name /> }
            })
            .collect_view()
    };
    let labels = move || {
        let preview = preview.get();
        let gained = (!preview.labels_gained.is_empty())
            .then(|| (m.labels_gained)(&preview.labels_gained.join(", ")));
        if preview.labels.is_empty() {
            return view! { <span class="muted">{m.no_labels}</span> }.into_any();
        }
        view! {
            <ul class="chips merge-labels__chips">
                {preview
                    .labels
                    .into_iter()
                    .map(|title| view! { <LabelChip title colour=None /> })
                    .collect_view()}
            </ul>
            {gained.map(|gained| view! { <span class="merge-labels__gained">{gained}</span> })}
        }
        .into_any()
    };
    let moving_text = move || {
        let (stays, deleted) = names.get();
        match moving.get() {
            None => m.counting.to_owned(),
            Some(Ok(counts)) => (m.moving)(counts.conversations, counts.notes, &deleted, &stays),
            Some(Err(_)) => (m.moving_uncounted)(&stays),
        }
    };

    view! {
        <div class="merge-preview" data-testid="merge-preview">
            <div class="merge-pair">
                {side(true)}
                <button
                    type="button"
                    class="button button--small merge-pair__swap"
                    data-testid="merge-swap"
                    node_ref=swap_button
                    disabled=move || pending.get()
                    on:click=swap
                >
                    {m.swap}
                </button>
                {side(false)}
            </div>
            <table class="merge-table">
                <caption class="merge-table__caption">{m.preview_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{m.column_field}</th>
                        <th scope="col">{m.column_result}</th>
                        <th scope="col">{m.column_why}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows}
                    <tr class="merge-field" data-testid="merge-labels">
                        <th scope="row">{m.labels}</th>
                        <td colspan="2">{labels}</td>
                    </tr>
                </tbody>
            </table>
            <p class="merge-moving" aria-live="polite" data-testid="merge-moving">{moving_text}</p>
            <p class="merge-warning" data-testid="merge-warning">
                {move || names.with(|(stays, deleted)| (m.will_be_deleted)(deleted, stays))}
            </p>
            {move || error().map(|message| view! {
                <p class="form-error" role="alert" data-testid="merge-error">{message}</p>
            })}
            <div class="modal__actions">
                <button
                    type="button"
                    class="button"
                    data-testid="merge-back"
                    disabled=move || pending.get()
                    on:click=move |_| on_back.run(())
                >
                    {m.back}
                </button>
                <button type="button" class="button" data-testid="merge-cancel" on:click=move |_| on_cancel.run(())>
                    {strings.cancel}
                </button>
                <button
                    type="button"
                    class="button button--danger"
                    data-testid="merge-confirm"
                    disabled=move || pending.get()
                    on:click=confirm
                >
                    {move || if pending.get() {
                        m.merging.to_owned()
                    } else {
                        names.with(|(_, deleted)| (m.confirm)(deleted))
                    }}
                </button>
            </div>
        </div>
    }
}
