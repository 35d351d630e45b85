use novatalks_model::RelativeAge;

use super::{CardStrings, FilterStrings, Strings};

pub static EN: Strings = Strings {
    app_name: "NovaTalks Contacts",
    not_found: "This page does not exist.",

    sign_in_title: "Sign in to NovaTalks",
    email_label: "Email",
    password_label: "Password",
    sign_in_button: "Sign in",
    signing_in: "Signing in…",

    signed_in_as: "Signed in as",
    sign_out: "Sign out",

    session_ended_title: "Your session has ended — sign in again",
    session_ended_intro: "What you typed on this page stays here. Sign in to carry on, then \
        save again what did not save.",
    session_ended_sign_in: "Sign in and continue",
    session_ended_sign_out: "Sign out",

    contacts_heading: "Contacts",
    loading_contacts: "Loading contacts…",
    no_contacts: "No contacts yet",
    retry: "Retry",
    part_load_failed:
        "This part of the page could not be downloaded. Check the connection and try again.",
    retrying: "Retrying…",
    column_name: "Name",
    column_email: "Email",
    column_phone: "Phone",
    column_labels: "Labels",
    column_last_activity: "Last activity",
    column_created_at: "Created",
    // A soft hyphen: the narrow column's header breaks there, onto two lines.
    column_conversations: "Conver\u{AD}sations",
    column_status: "Status",
    missing_value: "—",
    more_labels: |n| format!("+{n}"),
    more_labels_title: |n, titles| match n {
        1 => format!("1 more label: {titles}"),
        _ => format!("{n} more labels: {titles}"),
    },
    status_active: "Active",
    status_blocked: "Blocked",

    date_format: "%-d %b %Y",
    date_time_format: "%-d %b %Y, %H:%M",
    thousands_separator: ',',

    contacts_count: |strings, count| match count {
        1 => "1 contact".to_owned(),
        n => format!("{} contacts", strings.group_digits(n)),
    },
    contacts_load_failed: |why| format!("Could not load contacts: {why}"),
    blocked_until: |date| format!("Blocked until {date}"),
    block_reason: |reason| format!("Reason: {reason}"),
    relative_age,
    error_unauthorized: "Your session has ended. Please sign in again.",
    error_network: |detail| format!("the server could not be reached ({detail})"),
    error_decode: "the server sent an answer this page cannot read",
    error_status: |status| format!("the server answered with status {status}"),

    search_label: "Search contacts",
    search_placeholder: "Search by name, email or phone",
    clear_search: "Clear search",
    labels_nav: "Labels",
    labels_heading: "Labels",
    all_contacts: "All contacts",
    loading_labels: "Loading labels…",
    labels_load_failed: |why| format!("Could not load labels: {why}"),
    no_labels: "No labels yet",
    free_label_hint: "On contacts, but not one of the account's labels: it has no colour",
    active_labels: "Labels:",
    remove_label: |label| format!("Remove label {label}"),
    clear_labels: "Clear labels",
    no_search_matches: |q| format!("No contacts match “{q}”"),
    no_label_matches: |labels| format!("No contacts have the labels {labels}"),
    clear_search_and_filters: "Clear search and filters",
    rows_load_failed: |why| format!("Some contacts could not be loaded: {why}"),
    rows_not_loaded: "These contacts could not be loaded.",

    block_end_format: "%-d %b, %H:%M",
    block_end_format_other_year: "%-d %b %Y, %H:%M",
    block_preview_format: "%a %-d %b, %H:%M",
    block_preview_format_other_year: "%a %-d %b %Y, %H:%M",
    block_ends: |date| format!("until {date}"),
    reason_prefix: "Reason: ",
    block_button: "Block",
    unblock_button: "Unblock",
    block_contact: |name| format!("Block {name}"),
    unblock_contact: |name| format!("Unblock {name}"),
    block_dialog_title: |name| format!("Block {name}"),
    block_dialog_intro: "While the block lasts, messages from this contact do not reach \
                         NovaTalks. Agents can still write to them.",
    block_duration_legend: "Duration",
    block_duration_hour: "Until an hour from now",
    block_duration_tomorrow: "Until tomorrow",
    block_duration_next_week: "Until next week",
    block_duration_next_month: "Until next month",
    block_duration_forever: "Forever",
    block_duration_custom: "Select time",
    block_until_label: "Block until",
    block_until_missing: "Choose the date and time the block ends.",
    block_until_invalid: "This date and time does not exist here.",
    block_until_past: "The end of the block must be in the future.",
    block_reason_label: "Reason (optional)",
    block_reason_count: |used, max| format!("{used} / {max}"),
    blocked_forever: "Blocked forever",
    block_confirm: "Block",
    blocking: "Blocking…",
    cancel: "Cancel",
    block_failed: |why| format!("Could not block: {why}"),
    unblocked_contact: |name| format!("Unblocked {name}"),
    undo: "Undo",
    unblock_failed: |name, why| format!("Could not unblock {name}: {why}"),
    undo_failed: |name, why| format!("Could not block {name} again: {why}"),
    undo_block_over: |name| format!("The block of {name} has ended meanwhile: nothing to restore."),
    notifications: "Notifications",
    dismiss: "Dismiss",

    card: &CARD,
    filter: &FILTER,
    embed: &super::embed::EMBED_EN,
    merge: &super::merge::MERGE_EN,
    new_conversation: &super::new_conversation::NEW_CONVERSATION_EN,
    stock: &super::stock::STOCK_EN,
    bulk: &super::bulk::BULK_EN,
    import: &super::import::IMPORT_EN,
};

/// The contact card and the create-contact form.
pub static CARD: CardStrings = CardStrings {
    back_to_contacts: "Back to contacts",
    new_contact: "New contact",
    new_contact_heading: "New contact",
    loading: "Loading…",
    contact_not_found: "This contact does not exist: it may have been deleted.",
    load_failed: |why| format!("Could not load the contact: {why}"),
    merged_away: "This contact was merged into another one.",
    open_merged: |id| format!("Open contact #{id}"),

    field_name: "Name",
    field_email: "Email",
    field_phone: "Phone",
    field_identifier: "Identifier",
    phone_hint: "Any common writing, e.g. +380 50 123 45 67 or 050 123 45 67 (national numbers \
                 are read in the account's country); saved in international form.",
    phone_saved_as: |e164| format!("Saved as {e164}"),
    phone_saved_nowhere: |e164| {
        format!("Saved as {e164}, but no country has this number: check it")
    },
    email_invalid: "Enter an email address like name@example.com.",
    phone_invalid: "Enter a phone number: digits, spaces, ( ) - . and a + in front only.",
    too_long: |max| format!("At most {max} characters."),
    edit_field: |name| format!("Edit {name}"),
    save: "Save",
    saving: "Saving…",
    edit: "Edit",
    delete: "Delete",
    save_failed: |why| format!("Could not save: {why}"),
    changed_meanwhile: |theirs| {
        format!(
            "Someone else changed this to “{theirs}” while you were editing, so yours was not saved. Save again to replace theirs."
        )
    },
    conflict_prefix: "Already used by",
    conflict_contact: |id| format!("contact #{id}"),
    conflict_named: |name, id| format!("{name} (#{id})"),

    details_heading: "Details",
    created_at: "Created",
    last_activity: "Last activity",
    delete_contact: "Delete contact",
    delete_title: |name| format!("Delete {name}?"),
    delete_intro: "The contact is deleted with its conversations, messages and notes. This \
                   cannot be undone.",
    delete_confirm: "Delete",
    deleting: "Deleting…",
    delete_failed: |why| format!("Could not delete: {why}"),

    system_attributes_heading: "System attributes",
    language: "Language",
    language_not_set: "Not set",
    city: "City",
    country: "Country",
    company: "Company",

    attributes_heading: "Attributes",
    no_attributes: "No attributes yet.",
    no_definitions: "The account has no custom attributes yet.",
    definitions_failed: |why| format!("Could not load the attribute definitions: {why}"),
    add_attribute: "Add attribute",
    attribute: "Attribute",
    choose: "Choose…",
    new_attribute: "New attribute…",
    remove_attribute: |name| format!("Remove {name}"),
    remove_failed: |name, why| format!("Could not remove {name}: {why}"),
    yes: "Yes",
    no: "No",
    value_blank: "Enter a value, or remove the attribute.",
    value_not_a_number: |name| format!("{name} must be a number, e.g. 12 or 12.5."),
    value_not_a_link: |name| format!("{name} must be a web address, e.g. https://example.com."),
    value_not_a_date: |name| format!("{name} must be a date."),
    value_not_in_list: |name, values| format!("{name} must be one of: {values}."),
    value_pattern_mismatch: |name| format!("{name} is not in the expected format."),
    value_too_large: |name| format!("{name} is too long to keep."),
    attributes_too_many: |max| format!("A contact can have at most {max} attributes."),
    kind_text: "Text",
    kind_number: "Number",
    kind_currency: "Currency",
    kind_percent: "Percent",
    kind_link: "Link",
    kind_date: "Date",
    kind_list: "List",
    kind_checkbox: "Checkbox",
    definition_name: "Name",
    definition_key: "Key",
    definition_key_hint: "Letters, digits, _, . and -.",
    definition_type: "Type",
    definition_values: "Choices",
    definition_values_hint: "Separated by commas.",
    definition_pattern: "Pattern (optional regular expression)",
    definition_name_missing: "Give the attribute a name.",
    definition_key_invalid: "The key may only hold letters, digits, _, . and -.",
    definition_key_reserved: "This key is a standard contact field: choose another.",
    definition_values_missing: "A list needs at least one choice.",
    definition_values_too_many: |max| format!("A list has at most {max} choices."),
    definition_value_too_long: |max| format!("A choice has at most {max} characters."),
    definition_pattern_invalid: "This is not a valid regular expression.",
    create_attribute: "Create attribute",

    labels_heading: "Labels",
    add_label: "Add a label",
    add_label_placeholder: "Add a label…",
    create_label: |title| format!("Create label “{title}”"),
    remove_label: |title| format!("Remove label {title}"),
    label_blank: "Type a label.",
    label_too_long: |max| format!("A label has at most {max} characters."),
    label_chars: "A new label may only hold lower-case letters, digits, _ and -.",
    labels_too_many: |max| format!("A contact can have at most {max} labels."),
    labels_failed: |why| format!("Could not load the labels: {why}"),
    label_add_failed: |title, why| format!("Could not add the label {title}: {why}"),
    label_remove_failed: |title, why| format!("Could not remove the label {title}: {why}"),

    conversations_heading: "Conversations",
    no_conversations: "No conversations yet.",
    conversations_failed: |why| format!("Could not load the conversations: {why}"),
    no_messages: "No messages yet.",
    outgoing_excerpt: |text| format!("You: {text}"),
    inbox_number: |id| format!("Inbox #{id}"),
    channel_web_widget: "Website chat",
    channel_api: "API",
    channel_email: "Email",
    channel_whatsapp: "WhatsApp",
    channel_telegram: "Telegram",
    channel_viber: "Viber",
    channel_call: "Phone call",
    channel_other: "Other channel",
    status_open: "Open",
    status_resolved: "Resolved",
    status_pending: "Pending",
    status_snoozed: "Snoozed",

    notes_heading: "Notes",
    no_notes: "No notes yet.",
    add_note: "Add note",
    note_placeholder: "Write a note for your team…",
    note_shortcut: "Ctrl+Enter or ⌘+Enter to save",
    edit_note: "Edit note",
    edited: "(edited)",
    edited_by: |name| format!("(edited by {name})"),
    deleted_agent: "Former agent",
    delete_note_question: "Delete this note?",
    note_too_long: |max| format!("A note has at most {max} characters."),
    notes_failed: |why| format!("Could not load the notes: {why}"),
    note_add_failed: |why| format!("The note was not saved: {why}"),
    note_edit_failed: |why| format!("The note was not changed: {why}"),
    note_delete_failed: |why| format!("The note was not deleted: {why}"),

    create_contact: "Create contact",
    creating: "Creating…",
    contact_needs_something: "Fill in at least a name, an email, a phone number or an identifier.",
    create_failed: |why| format!("Could not create the contact: {why}"),
};

fn relative_age(age: RelativeAge) -> String {
    match age {
        RelativeAge::JustNow | RelativeAge::InFuture => "just now".to_owned(),
        RelativeAge::Minutes(n) => format!("{n} min ago"),
        RelativeAge::Hours(n) => format!("{n} h ago"),
        RelativeAge::Days(1) => "1 day ago".to_owned(),
        RelativeAge::Days(n) => format!("{n} days ago"),
        RelativeAge::Months(n) => format!("{n} mo ago"),
        RelativeAge::Years(n) => format!("{n} y ago"),
    }
}

/// The filter builder, its chips and saved segments.
pub static FILTER: FilterStrings = FilterStrings {
    attr_name: "Name",
    attr_email: "Email",
    attr_phone: "Phone number",
    attr_id: "Contact ID",
    attr_identifier: "Identifier",
    attr_created_at: "Created",
    attr_last_activity: "Last activity",
    attr_labels: "Labels",
    attr_labels_chip: "Label",
    attr_blocked: "Blocked",
    attr_city: "City",
    attr_country: "Country",
    attr_company: "Company",
    standard_attributes: "Contact",
    custom_attributes: "Custom attributes",

    op_equal_to: "is",
    op_not_equal_to: "is not",
    op_contains: "contains",
    op_does_not_contain: "does not contain",
    op_starts_with: "starts with",
    op_is_present: "is set",
    op_is_not_present: "is not set",
    op_greater_than: "is greater than",
    op_less_than: "is less than",
    op_date_after: "after",
    op_date_before: "before",
    op_date_on: "on",
    op_days_before: "more than … days ago",
    op_labels_present: "has any label",
    op_labels_not_present: "has no label",
    chip_has_labels: "Has a label",
    chip_has_no_labels: "Has no label",
    days_ago_chip: |attribute, days| match days {
        "1" => format!("{attribute} more than 1 day ago"),
        _ => format!("{attribute} more than {days} days ago"),
    },
    values_or: "or",
    value_true: "true",
    value_false: "false",
    chip_day_format: "%-d %b",
    chip_day_format_other_year: "%-d %b %Y",
    chip_in_zone: |sentence, zone| format!("{sentence} ({zone})"),
    utc_offset_zone: |minutes| match minutes {
        0 => "UTC".to_owned(),
        _ => format!(
            "UTC{}{:02}:{:02}",
            if minutes < 0 { '−' } else { '+' },
            minutes.unsigned_abs() / 60,
            minutes.unsigned_abs() % 60
        ),
    },

    open_filter: "Filter",
    open_filter_count: |n| format!("Filter ({n})"),
    builder_title: "Filter contacts",
    builder_intro: "Contacts matching all conditions joined by AND; OR starts another group.",
    no_conditions: "No conditions: applying shows every contact.",
    condition_label: |n| format!("Condition {n}"),
    attribute_label: "Attribute",
    operator_label: "Operator",
    value_label: "Value",
    days_label: "Days",
    days_ago_suffix: "days ago",
    choose_labels: "Labels",
    no_account_labels: "This account has no labels yet.",
    choose_values: "Values",
    join_and: "AND",
    join_or: "OR",
    join_label: |a, b| format!("How condition {a} joins condition {b}"),
    add_condition: "Add condition",
    remove_condition: |n| format!("Remove condition {n}"),
    move_up: |n| format!("Move condition {n} up"),
    move_down: |n| format!("Move condition {n} down"),
    apply: "Apply",
    clear_all: "Clear all",
    close: "Close",
    definitions_failed: |why| format!("Custom attributes could not be loaded: {why}"),

    active_filters: "Filter:",
    edit_chip: |chip| format!("Edit condition: {chip}"),
    remove_chip: |chip| format!("Remove condition: {chip}"),
    clear_filters: "Clear filter",

    no_filter_matches: "No contacts match these filters:",
    search_in_force: |q| format!("Search: “{q}”"),
    labels_in_force: |labels| format!("Labels: {labels}"),
    clear_everything: "Clear filters and search",

    segments_heading: "Segments",
    loading_segments: "Loading segments…",
    segments_load_failed: |why| format!("Could not load segments: {why}"),
    no_segments: "No saved segments yet. Filter the list, then save it as a segment.",
    save_segment: "Save as segment",
    segment_name: "Segment name",
    save: "Save",
    saving: "Saving…",
    cancel: "Cancel",
    segment_save_failed: |why| format!("Could not save the segment: {why}"),
    segment_saved: |name| format!("Saved segment “{name}”"),
    rename_segment: |name| format!("Rename segment {name}"),
    rename: "Rename",
    segment_rename_failed: |why| format!("Could not rename the segment: {why}"),
    delete_segment: |name| format!("Delete segment {name}"),
    delete_segment_question: |name| format!("Delete segment “{name}”?"),
    delete: "Delete",
    segment_delete_failed: |why| format!("Could not delete the segment: {why}"),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;

    #[test]
    fn counts_are_grouped_and_pluralised() {
        assert_eq!(EN.contacts_count(2000), "2,000 contacts");
        assert_eq!(EN.contacts_count(1), "1 contact");
        assert_eq!(EN.contacts_count(0), "0 contacts");
        assert_eq!(EN.contacts_count(1_234_567), "1,234,567 contacts");
    }

    #[test]
    fn relative_ages_read_as_the_table_shows_them() {
        assert_eq!((EN.relative_age)(RelativeAge::Minutes(5)), "5 min ago");
        assert_eq!((EN.relative_age)(RelativeAge::Days(1)), "1 day ago");
        assert_eq!((EN.relative_age)(RelativeAge::Days(2)), "2 days ago");
        assert_eq!((EN.relative_age)(RelativeAge::InFuture), "just now");
    }

    #[test]
    fn errors_show_the_server_message_or_say_what_happened() {
        let http = |status, message: &str| ApiError::Http {
            status,
            message: message.into(),
        };
        assert_eq!(
            EN.describe_error(&http(401, "Invalid login credentials")),
            "Invalid login credentials"
        );
        assert_eq!(
            EN.describe_error(&http(502, "")),
            "the server answered with status 502"
        );
        assert_eq!(
            EN.describe_error(&ApiError::Network("Failed to fetch".into())),
            "the server could not be reached (Failed to fetch)"
        );
        assert_eq!(
            (EN.contacts_load_failed)(&EN.describe_error(&http(500, "Database is busy"))),
            "Could not load contacts: Database is busy"
        );
    }

    #[test]
    fn every_block_choice_has_its_own_words() {
        use crate::logic::block_choice::{BlockChoice, ChoiceError};

        let mut labels: Vec<_> = BlockChoice::ALL
            .iter()
            .map(|c| EN.block_choice(*c))
            .collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), BlockChoice::ALL.len());
        let problems = [
            ChoiceError::Missing,
            ChoiceError::Invalid,
            ChoiceError::Past,
        ]
        .map(|e| EN.block_until_problem(e));
        assert!(problems.iter().all(|p| !p.is_empty()));
        assert_ne!(problems[0], problems[1]);
        assert_ne!(problems[1], problems[2]);
    }
}
