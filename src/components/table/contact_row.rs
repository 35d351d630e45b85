use std::rc::Rc;
use std::time::Duration;

use leptos::leptos_dom::helpers::{document, request_animation_frame, set_timeout_with_handle};
use leptos::prelude::*;
use leptos::task::spawn_local;
use novatalks_model::Contact;
use wasm_bindgen::JsCast;

use super::{FetchedLabels, RowLabels};
use crate::api::contacts;
use crate::components::bulk::RowCheckbox;
use crate::components::common::now_secs;
use crate::components::common::{Avatar, Later, StatusBadge, TimeStamp};
use crate::i18n::t;
use crate::logic::block_state::BlockState;
use crate::logic::label_colour::LabelColours;
use crate::logic::selection::LoadedRow;
use crate::split;
use crate::state::{
    use_api, use_list_selection, use_server_capabilities, use_toasts, Api, ToastAction, Toasts,
};

/// The longest delay `setTimeout` takes (about 24.8 days); a longer one fires at once. A
/// block ending later is looked at again when this one fires.
const MAX_TIMEOUT_MILLIS: i64 = i32::MAX as i64;

/// One contact in the table, with its block state and the button that blocks (through the
/// block dialog) or unblocks it. Every value is rendered as text, never as markup.
///
/// The row keeps the contact as the last block action left it, shows a block as over the
/// second it ends, and tells `on_change` of every change so the table can patch its copy.
#[component]
pub fn ContactRow(
    contact: Contact,
    /// Colours of the account's labels; they may arrive after the contacts.
    #[prop(into)]
    label_colours: Signal<LabelColours>,
    /// Unix seconds the ages are counted to.
    now: i64,
    /// The contact as it is after a block, an unblock or an undo.
    #[prop(optional)]
    on_change: Option<Callback<Contact>>,
    /// The row's place in the list: with a selection in context, the row has a checkbox.
    #[prop(optional)]
    index: Option<u64>,
) -> impl IntoView {
    let strings = t();
    let api = use_api();
    let toasts = use_toasts();
    let or_dash = |value: Option<String>| {
        value
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| strings.missing_value.to_owned())
    };
    let id = contact.id;
    let name = contact.display_name();

    // The block state lives here: the table's list need not re-render for a row to change.
    let current = RwSignal::new(contact.clone());
    let clock = RwSignal::new(now);
    let state = Memo::new(move |_| current.with(|c| BlockState::of(c, clock.get())));
    let blocked = Memo::new(move |_| matches!(state.get(), BlockState::Blocked { .. }));
    let update = RowUpdate {
        current,
        clock,
        on_change,
    };
    expire_blocks(current, clock);

    let dialog_open = RwSignal::new(false);
    let unblock = Action::new_local(move |previous: &Contact| {
        let previous = previous.clone();
        let client = api.client();
        let request = async move { contacts::unblock(&client, id).await };
        async move {
            let name = previous.display_name();
            match request.await {
                Ok(unblocked) => {
                    update.apply(unblocked);
                    if let Some(toasts) = toasts {
                        let undo = undo_unblock(previous, update, api, toasts);
                        toasts.show(
                            (strings.unblocked_contact)(&name),
                            Some(ToastAction {
                                label: strings.undo,
                                run: Rc::new(undo),
                            }),
                        );
                    }
                }
                Err(error) => {
                    if let Some(toasts) = toasts {
                        let why = strings.describe_error(&error);
                        toasts.error((strings.unblock_failed)(&name, &why));
                    }
                }
            }
        }
    });
    let busy = unblock.pending();
    let on_action = move |_| {
        if busy.get_untracked() {
            return;
        }
        if blocked.get_untracked() {
            unblock.dispatch_local(current.get_untracked());
        } else {
            dialog_open.set(true);
        }
    };
    let on_done = Callback::new(move |contact: Contact| {
        dialog_open.try_set(false);
        update.apply(contact);
    });
    let on_cancel = Callback::new(move |()| {
        dialog_open.try_set(false);
    });

    // A stock Chatwoot sends no labels with the contact: the row reads them itself (the
    // kind may be learned after the row is shown).
    let capabilities = use_server_capabilities();
    let has_extensions = Memo::new(move |_| capabilities.has_extensions());
    let titles = contact.labels.clone();
    let labels_cell = move || {
        if has_extensions.get() {
            view! { <RowLabels titles=titles.clone() label_colours /> }.into_any()
        } else {
            view! { <FetchedLabels contact_id=id label_colours /> }.into_any()
        }
    };
    let conversations = contact.conversations_count.map(|n| strings.group_digits(n));
    let status = move || {
        let (reason, now) = (current.with(|c| c.block_reason.clone()), clock.get());
        view! { <StatusBadge state=state.get() reason now /> }
    };
    let button_label = {
        let name = name.clone();
        move || {
            if blocked.get() {
                (strings.unblock_contact)(&name)
            } else {
                (strings.block_contact)(&name)
            }
        }
    };

    let select = index.zip(use_list_selection()).map(|(index, list)| {
        let row = LoadedRow::new(index, id, name.clone());
        let label = (strings.bulk.select_row)(&name);
        (list, row, label)
    });
    let selected = {
        let list = select.as_ref().map(|(list, ..)| *list);
        move || list.is_some_and(|list| list.contains(id))
    };
    let on_row_key = {
        let select = select.clone();
        move |event: web_sys::KeyboardEvent| {
            // Space on the focused row itself (not on its link, button or checkbox).
            if event.key() != " " || event.target() != event.current_target() {
                return;
            }
            if let Some((list, row, _)) = &select {
                event.prevent_default();
                list.toggle(row.clone(), event.shift_key());
            }
        }
    };
    let select_cell = select.map(|(list, row, label)| {
        view! {
            <td class="cell cell--select">
                <RowCheckbox list row label />
            </td>
        }
    });

    view! {
        <tr
            class="contact-row"
            class:contact-row--selected=selected
            data-testid="contact-row"
            data-contact-id=id
            tabindex="-1"
            on:keydown=on_row_key
        >
            {select_cell}
            <th scope="row" class="cell cell--name">
                <span class="contact-identity">
                    <Avatar id=id name=name.clone() />
                    <a
                        class="contact-name contact-link"
                        href=format!("/contacts/{id}")
                        data-testid="contact-link"
                    >
                        {name}
                    </a>
                </span>
            </th>
            <td class="cell cell--email">{or_dash(contact.email)}</td>
            <td class="cell cell--phone">{or_dash(contact.phone_number)}</td>
            <td class="cell cell--labels">{labels_cell}</td>
            <td class="cell cell--activity">
                <TimeStamp at=contact.last_activity_at relative_to=now />
            </td>
            <td class="cell cell--created">
                <TimeStamp at=contact.created_at />
            </td>
            <td class="cell cell--conversations">{or_dash(conversations)}</td>
            <td class="cell cell--status">
                <div class="status-cell">
                    {status}
                    // One button for both actions: focus stays on it across block, unblock
                    // and undo, and the dialog gives focus back to it.
                    <button
                        type="button"
                        class="button button--small row-action"
                        class:row-action--unblock=move || blocked.get()
                        data-testid=move || if blocked.get() { "unblock-button" } else { "block-button" }
                        aria-label=button_label
                        aria-disabled=move || busy.get().then_some("true")
                        on:click=on_action
                    >
                        {move || if blocked.get() { strings.unblock_button } else { strings.block_button }}
                    </button>
                </div>
                <Show when=move || dialog_open.get()>
                    <Later load=move || split::block_dialog(current.get_untracked(), on_done, on_cancel) />
                </Show>
            </td>
        </tr>
    }
}

/// How a row takes in a changed contact. Every part may outlive the row (an undo toast
/// does), so each is reached with `try_`.
#[derive(Clone, Copy)]
struct RowUpdate {
    current: RwSignal<Contact>,
    clock: RwSignal<i64>,
    on_change: Option<Callback<Contact>>,
}

impl RowUpdate {
    fn apply(&self, contact: Contact) {
        let id = contact.id;
        self.clock.try_set(now_secs());
        self.current.try_set(contact.clone());
        if let Some(on_change) = self.on_change {
            on_change.try_run(contact);
        }
        refocus_row_action(id);
    }
}

/// Puts focus back on the row's button once the change has rendered, if focus was lost on
/// the way: the dialog or the toast that had it is gone, or the table rendered the
/// patched row anew (a new button). Focus the agent moved elsewhere stays there.
fn refocus_row_action(id: i64) {
    request_animation_frame(move || {
        let document = document();
        let lost = document
            .active_element()
            .is_none_or(|active| Some(active) == document.body().map(Into::into));
        if !lost {
            return;
        }
        let selector = format!("tr[data-contact-id=\"{id}\"] .row-action");
        if let Some(button) = document
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    });
}

/// Moves the row's clock to the end of its block when that comes, so that the row reads
/// "Active" then without a reload. The timer goes with the row.
fn expire_blocks(current: RwSignal<Contact>, clock: RwSignal<i64>) {
    Effect::new(move |_| {
        let at = clock.get();
        let BlockState::Blocked { until: Some(until) } = current.with(|c| BlockState::of(c, at))
        else {
            return;
        };
        let wait = (until * 1_000 - js_sys::Date::now() as i64).clamp(0, MAX_TIMEOUT_MILLIS);
        let timer = set_timeout_with_handle(
            move || {
                clock.try_set(now_secs());
            },
            Duration::from_millis(wait as u64),
        );
        on_cleanup(move || {
            if let Ok(timer) = timer {
                timer.clear();
            }
        });
    });
}

/// What "Undo" on the unblock toast does: blocks the contact again as it was (same end,
/// same reason). A block whose end has passed meanwhile would be over anyway: nothing to
/// restore, and the agent is told so.
fn undo_unblock(previous: Contact, update: RowUpdate, api: Api, toasts: Toasts) -> impl Fn() {
    let strings = t();
    move || {
        let name = previous.display_name();
        let (id, until, reason) = (
            previous.id,
            previous.blocked_until,
            previous.block_reason.clone(),
        );
        if until.is_some_and(|until| until <= now_secs()) {
            toasts.show((strings.undo_block_over)(&name), None);
            refocus_row_action(id);
            return;
        }
        let client = api.client();
        let request = async move { contacts::block(&client, id, until, reason).await };
        spawn_local(async move {
            match request.await {
                Ok(blocked) => update.apply(blocked),
                Err(error) => {
                    let why = strings.describe_error(&error);
                    toasts.error((strings.undo_failed)(&name, &why));
                }
            }
        });
    }
}
