use leptos::prelude::*;
use novatalks_model::Contact;

use super::{MergePicker, MergePreviewPanel};
use crate::components::common::{element_id, Modal};
use crate::i18n::t;

/// The merge dialog: first the picker (likely duplicates, a search), then the preview of
/// the chosen pair, from which Back returns to the picker. Escape or Cancel closes it,
/// except while the merge is under way.
#[component]
pub fn MergeDialog(
    /// The contact of the card.
    contact: Contact,
    /// The contact that remains, as the server answered.
    on_done: Callback<Contact>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let strings = t();
    let title_id = element_id("merge-title");
    let title = (strings.merge.dialog_title)(&contact.display_name());
    let picked = RwSignal::new(None::<Contact>);
    let busy = RwSignal::new(false);
    let close = Callback::new(move |()| {
        if !busy.get_untracked() {
            on_cancel.run(());
        }
    });
    let on_pick = Callback::new(move |other: Contact| picked.set(Some(other)));
    let on_back = Callback::new(move |()| picked.set(None));
    let current = StoredValue::new(contact);

    let body = move || match picked.get() {
        None => {
            view! { <MergePicker contact=current.get_value() on_pick on_cancel=close /> }.into_any()
        }
        Some(other) => view! {
            <MergePreviewPanel
                current=current.get_value()
                other
                busy
                on_back
                on_cancel=close
                on_done
            />
        }
        .into_any(),
    };
    view! {
        <Modal labelled_by=title_id.clone() on_close=close test_id="merge-dialog">
            <div class="merge-dialog">
                <h2 class="modal__title" id=title_id.clone()>{title.clone()}</h2>
                {body}
            </div>
        </Modal>
    }
}
