//! The rules a contact's fields obey, written once: the SPA's forms check with these
//! functions before sending, the server's handlers check with them on arrival (and the
//! importer will check its rows with them). Each check answers a typed [`FieldProblem`];
//! the words are each side's own (the server's API English, the SPA's `i18n`).
//!
//! What only the server can know stays on the server: whether a phone number of the right
//! shape exists (its phone library is too big for the page), whether a value is already
//! taken, and how the server's regex engine reads a definition's pattern.

mod attribute;
mod contact;
mod label;

pub use attribute::{
    attribute_count_problem, attribute_key_problem, attribute_map_problem, attribute_value_problem,
    choices, choices_problem, definition_key_char, definition_key_problem, definition_name_problem,
    free_value_problem, pattern_problem, MAX_ATTRIBUTE_KEYS, MAX_ATTRIBUTE_KEY_CHARS,
    MAX_ATTRIBUTE_VALUE_BYTES, MAX_CHOICES, MAX_DEFINITION_KEY_CHARS, MAX_PATTERN_CHARS,
    STANDARD_CONTACT_KEYS,
};
pub use contact::{
    e164_shaped, identifier_problem, name_problem, normalize_email, phone_shape_problem,
    text_problem, MAX_EMAIL_CHARS, MAX_PHONE_DIGITS, MAX_PHONE_INPUT_CHARS, MAX_TEXT_CHARS,
    MIN_PHONE_DIGITS,
};
pub use label::{
    contact_label_problem, contact_label_titles, contact_labels_problem, label_count_problem,
    label_title_problem, typed_label_title, MAX_CONTACT_LABEL_CHARS, MAX_LABELS_PER_CONTACT,
    MAX_LABEL_TITLE_CHARS,
};

/// The longest description of a label or a custom attribute definition, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// Why a field's value cannot be stored. Each check says which of these it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// Nothing (or only spaces) where something is required.
    Blank,
    /// More than `max` characters (after trimming).
    TooLong { max: usize },
    /// Not `local@domain.tld`.
    EmailInvalid,
    /// Not written like a phone number: digits and the usual separators, a `+` only in
    /// front, [`MIN_PHONE_DIGITS`] to [`MAX_PHONE_DIGITS`] digits.
    PhoneShape,
    /// A label title with upper-case letters (its lower-case form may be fine).
    LabelUpperCase,
    /// A label title with characters a title may not hold: the distinct ones, in order.
    LabelChars { not_allowed: Vec<char> },
    /// More labels on one contact than `max`.
    TooManyLabels { max: usize },
    /// An attribute map with more than `max` keys.
    TooManyKeys { max: usize },
    /// An attribute map key that is blank or longer than `max` characters.
    KeyLength { max: usize },
    /// An attribute value larger than `max_bytes` bytes of JSON.
    ValueTooLarge { key: String, max_bytes: usize },
    /// A definition key with characters other than `a-z`, `0-9` and `_`.
    KeyChars,
    /// A definition key that is one of the [`STANDARD_CONTACT_KEYS`].
    KeyReserved,
    /// A list attribute with more than `max` choices.
    TooManyChoices { max: usize },
    /// A choice that is not a non-blank text of up to `max` characters.
    ChoiceLength { max: usize },
    /// A list attribute without any choice.
    NoChoices,
    /// A value of a text attribute that is not text.
    NotText,
    /// A value of a number, currency or percent attribute that is not a number.
    NotANumber,
    /// A value of a checkbox attribute that is not true or false.
    NotTrueFalse,
    /// A value of a date attribute that is not a day.
    NotADate,
    /// A value of a link attribute that is not an http(s) link.
    NotALink,
    /// A value of a list attribute that is not one of its `choices`.
    NotAChoice { choices: Vec<String> },
    /// A value of an attribute without a definition that is an object or a list.
    NotPlain,
}
