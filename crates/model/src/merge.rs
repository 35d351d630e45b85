//! Merging two contacts, as pure rules: what the merged contact will be (the server
//! applies [`merge_text`] and [`merge_maps`] itself, so the preview an agent reads is
//! what happens), and which contacts are likely duplicates of one another.
//!
//! The base (the first contact) stays and the mergee (the second) is deleted: the base's
//! non-blank values win, the mergee's fill the blanks (and a phone the mergee has in E.164
//! replaces the same number written the national way), the attribute maps merge key by
//! key the same way, and the labels are the union of both.

use serde_json::{Map, Value};

use crate::contact::{UNVERIFIED_EMAIL, UNVERIFIED_IDENTIFIER, UNVERIFIED_PHONE_NUMBER};
use crate::filter::phone_digits;
use crate::Contact;

/// Whether a text value counts as absent: none, or only whitespace.
pub fn is_blank_text(value: Option<&str>) -> bool {
    value.is_none_or(|s| s.trim().is_empty())
}

/// Whether an attribute value counts as absent: `null` or a blank string.
pub fn is_blank_value(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

/// One field of the merged contact: the base's value unless it is blank, then the
/// mergee's; `None` when both are blank.
pub fn merge_text<'a>(base: Option<&'a str>, mergee: Option<&'a str>) -> Option<&'a str> {
    [base, mergee]
        .into_iter()
        .flatten()
        .find(|s| !s.trim().is_empty())
}

/// Whether `phone` is written in E.164: `+`, then digits only.
pub fn is_e164(phone: &str) -> bool {
    phone
        .trim()
        .strip_prefix('+')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether two phones are one number written two ways: the same digits, or one in E.164
/// and the other its national writing (trunk zeros dropped, the E.164 digits end with it
/// and are longer by a calling code of one to three digits): "+380501234567" and
/// "050 123 45 67", "+12016902761" and "(201) 690-2761".
pub fn same_number(a: &str, b: &str) -> bool {
    let (da, db) = (phone_digits(a), phone_digits(b));
    if da.len() < 6 || db.len() < 6 {
        return false;
    }
    if da == db {
        return true;
    }
    let (international, national) = match (is_e164(a), is_e164(b)) {
        (true, false) => (da, db),
        (false, true) => (db, da),
        _ => return false,
    };
    let national = national.trim_start_matches('0');
    national.len() >= 6
        && international.ends_with(national)
        && (1..=3).contains(&(international.len() - national.len()))
}

/// The phone of the merged contact: as [`merge_text`], except that when both hold the same
/// number ([`same_number`]) and only the mergee's is written in E.164, the E.164 writing
/// stays (a number typed before numbers were normalised gives way to its normal form).
pub fn merge_phone<'a>(base: Option<&'a str>, mergee: Option<&'a str>) -> Option<&'a str> {
    match (base, mergee) {
        (Some(b), Some(m)) if !is_e164(b) && is_e164(m) && same_number(b, m) => Some(m.trim()),
        _ => merge_text(base, mergee),
    }
}

/// Two attribute maps merged key by key: the base's values, and the mergee's where the
/// base has none or a blank one.
pub fn merge_maps(base: &Map<String, Value>, mergee: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = base.clone();
    for (key, value) in mergee {
        if is_blank_value(merged.get(key)) {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

/// The labels of both, each once, in alphabetical order.
pub fn label_union(base: &[String], mergee: &[String]) -> Vec<String> {
    let mut labels: Vec<String> = base.iter().chain(mergee).cloned().collect();
    labels.sort();
    labels.dedup();
    labels
}

/// What a merge does to one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Both have the same value.
    Same,
    /// The base's value stays; the mergee has none.
    Kept,
    /// The base had none: the mergee's value fills it.
    Filled,
    /// Both have a value and they differ: the base's wins and the mergee's is lost.
    Lost,
    /// Both have the same phone number written two ways: its E.164 writing stays.
    SameNumber,
}

/// Which field of the contact a line of the preview is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeField {
    Name,
    Email,
    Phone,
    Identifier,
    /// A key of `additional_attributes` (language, city, company…).
    Additional(String),
    /// A key of `custom_attributes`.
    Custom(String),
}

/// One line of the preview: both values, what the merged contact gets, and why. Attribute
/// values are shown as text (a string as itself, anything else as JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPreview {
    pub field: MergeField,
    pub base: Option<String>,
    pub mergee: Option<String>,
    pub result: Option<String>,
    pub outcome: Outcome,
}

/// The result of merging `mergee` into `base`, before it is done.
#[derive(Debug, Clone, PartialEq)]
pub struct MergePreview {
    /// Every field at least one of the two has, main fields first, then the additional
    /// and the custom attributes by key. Fields both leave blank are not listed.
    pub fields: Vec<FieldPreview>,
    /// The labels of the merged contact.
    pub labels: Vec<String>,
    /// Labels only the mergee had, which the base gains.
    pub labels_gained: Vec<String>,
    /// The contact that stays, as it will be.
    pub merged: Contact,
}

impl MergePreview {
    /// The lines whose values the merge drops (the mergee's, where the base's win).
    pub fn lost(&self) -> impl Iterator<Item = &FieldPreview> {
        self.fields.iter().filter(|f| f.outcome == Outcome::Lost)
    }
}

fn outcome_of(base: Option<&str>, mergee: Option<&str>, same: bool) -> Option<Outcome> {
    match (is_blank_text(base), is_blank_text(mergee)) {
        (true, true) => None,
        (false, true) => Some(Outcome::Kept),
        (true, false) => Some(Outcome::Filled),
        (false, false) if same => Some(Outcome::Same),
        (false, false) => Some(Outcome::Lost),
    }
}

fn text_line(field: MergeField, base: Option<&str>, mergee: Option<&str>) -> Option<FieldPreview> {
    let same = match (base, mergee) {
        (Some(a), Some(b)) if field == MergeField::Email => a.trim().eq_ignore_ascii_case(b.trim()),
        (Some(a), Some(b)) => a.trim() == b.trim(),
        _ => false,
    };
    let is_phone = field == MergeField::Phone;
    let outcome = match outcome_of(base, mergee, same)? {
        Outcome::Lost if is_phone && base.zip(mergee).is_some_and(|(a, b)| same_number(a, b)) => {
            Outcome::SameNumber
        }
        outcome => outcome,
    };
    let result = if is_phone {
        merge_phone(base, mergee)
    } else {
        merge_text(base, mergee)
    };
    let shown = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Some(FieldPreview {
        field,
        base: shown(base),
        mergee: shown(mergee),
        result: shown(result),
        outcome,
    })
}

/// An attribute value as text: a string as itself, anything else as JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn map_lines(
    base: &Map<String, Value>,
    mergee: &Map<String, Value>,
    field: fn(String) -> MergeField,
) -> Vec<FieldPreview> {
    let mut keys: Vec<&String> = base.keys().chain(mergee.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let text = |map: &Map<String, Value>| {
                Some(map.get(key))
                    .filter(|v| !is_blank_value(*v))
                    .flatten()
                    .map(value_text)
            };
            let (b, m) = (text(base), text(mergee));
            let same = base.get(key) == mergee.get(key);
            let outcome = outcome_of(b.as_deref(), m.as_deref(), same)?;
            let result = if b.is_some() { b.clone() } else { m.clone() };
            Some(FieldPreview {
                field: field(key.clone()),
                base: b,
                mergee: m,
                result,
                outcome,
            })
        })
        .collect()
}

/// What merging `mergee` into `base` gives, field by field, as the server does it
/// (`POST /actions/contact_merge`). The conversations count of the merged contact is the
/// sum when both counts are known.
pub fn merge_preview(base: &Contact, mergee: &Contact) -> MergePreview {
    let main = [
        (
            MergeField::Name,
            base.name.as_deref(),
            mergee.name.as_deref(),
        ),
        (
            MergeField::Email,
            base.email.as_deref(),
            mergee.email.as_deref(),
        ),
        (
            MergeField::Phone,
            base.phone_number.as_deref(),
            mergee.phone_number.as_deref(),
        ),
        (
            MergeField::Identifier,
            base.identifier.as_deref(),
            mergee.identifier.as_deref(),
        ),
    ];
    let mut fields: Vec<FieldPreview> = main
        .into_iter()
        .filter_map(|(field, b, m)| text_line(field, b, m))
        .collect();
    fields.extend(map_lines(
        &base.additional_attributes,
        &mergee.additional_attributes,
        MergeField::Additional,
    ));
    fields.extend(map_lines(
        &base.custom_attributes,
        &mergee.custom_attributes,
        MergeField::Custom,
    ));

    let labels = label_union(&base.labels, &mergee.labels);
    let labels_gained = labels
        .iter()
        .filter(|l| !base.labels.contains(l))
        .cloned()
        .collect();
    let owned = |v: Option<&str>| v.map(str::to_owned);
    let merged = Contact {
        name: owned(merge_text(base.name.as_deref(), mergee.name.as_deref())),
        email: owned(merge_text(base.email.as_deref(), mergee.email.as_deref())),
        phone_number: owned(merge_phone(
            base.phone_number.as_deref(),
            mergee.phone_number.as_deref(),
        )),
        identifier: owned(merge_text(
            base.identifier.as_deref(),
            mergee.identifier.as_deref(),
        )),
        additional_attributes: merge_maps(
            &base.additional_attributes,
            &mergee.additional_attributes,
        ),
        custom_attributes: merge_maps(&base.custom_attributes, &mergee.custom_attributes),
        labels: labels.clone(),
        conversations_count: base
            .conversations_count
            .zip(mergee.conversations_count)
            .map(|(a, b)| a + b),
        last_activity_at: base.last_activity_at.max(mergee.last_activity_at),
        // The mergee's identities move to the contact that stays.
        contact_inboxes: base
            .contact_inboxes
            .iter()
            .chain(&mergee.contact_inboxes)
            .cloned()
            .collect(),
        ..base.clone()
    };
    MergePreview {
        fields,
        labels,
        labels_gained,
        merged,
    }
}

/// Why a contact looks like a duplicate of another. The order is the ranking: a shared
/// phone number first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DuplicateReason {
    SamePhone,
    SameEmail,
    SameIdentifier,
    SimilarName,
}

/// How many trailing digits of a phone number identify it whatever its format: the
/// national number without its trunk prefix or country code (+380 50 123 45 67, 050 123 45
/// 67 and 0501234567 all end in 501234567).
pub const PHONE_MATCH_DIGITS: usize = 9;

/// The digits that identify a phone number across formats: its last
/// [`PHONE_MATCH_DIGITS`] digits, or all of them (without leading zeros) when it has fewer.
/// `None` when it has fewer than 6 digits: too short to tell anything.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = if digits.len() > PHONE_MATCH_DIGITS {
        &digits[digits.len() - PHONE_MATCH_DIGITS..]
    } else {
        digits.trim_start_matches('0')
    };
    (digits.len() >= 6).then(|| digits.to_owned())
}

/// The words of a name, lower-cased, without punctuation.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether two names look like the same person: the same words in any order, or the same
/// first word and last words of which one starts the other ("Olena K." and "Olena
/// Kovalenko"). A single word must match whole.
pub fn similar_names(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (name_words(a), name_words(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let starts = |x: &str, y: &str| x.starts_with(y) || y.starts_with(x);
    let first_and_last =
        a.len() >= 2 && b.len() >= 2 && a[0] == b[0] && starts(&a[a.len() - 1], &b[b.len() - 1]);
    a.sort();
    b.sort();
    first_and_last || a == b
}

/// Why `candidate` looks like a duplicate of `contact`, the strongest reason; `None` when
/// it does not (or is the contact itself).
pub fn duplicate_reason(contact: &Contact, candidate: &Contact) -> Option<DuplicateReason> {
    if contact.id == candidate.id {
        return None;
    }
    let shared = |a: Vec<String>, b: Vec<String>| a.iter().any(|x| b.contains(x));
    if shared(phone_keys(contact), phone_keys(candidate)) {
        return Some(DuplicateReason::SamePhone);
    }
    if shared(emails(contact), emails(candidate)) {
        return Some(DuplicateReason::SameEmail);
    }
    if shared(identifiers(contact), identifiers(candidate)) {
        return Some(DuplicateReason::SameIdentifier);
    }
    match (contact.name.as_deref(), candidate.name.as_deref()) {
        (Some(a), Some(b)) if similar_names(a, b) => Some(DuplicateReason::SimilarName),
        _ => None,
    }
}

/// A contact's value and the one a visitor gave unverified (`unverified_*` in
/// `additional_attributes`, see [`crate::contact::UNVERIFIED_EMAIL`]): both point to the
/// same person.
fn with_unverified<'a>(own: Option<&'a str>, contact: &'a Contact, key: &str) -> Vec<&'a str> {
    [own, contact.additional_text(key)]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn phone_keys(c: &Contact) -> Vec<String> {
    with_unverified(c.phone_number.as_deref(), c, UNVERIFIED_PHONE_NUMBER)
        .into_iter()
        .filter_map(phone_key)
        .collect()
}

fn emails(c: &Contact) -> Vec<String> {
    with_unverified(c.email.as_deref(), c, UNVERIFIED_EMAIL)
        .into_iter()
        .map(str::to_lowercase)
        .collect()
}

fn identifiers(c: &Contact) -> Vec<String> {
    with_unverified(c.identifier.as_deref(), c, UNVERIFIED_IDENTIFIER)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The searches (`GET /contacts/search?q=`) that find a contact's likely duplicates: its
/// phone's identifying digits, its email, and its first name with the initial of its last
/// name (which finds "Olena K." and "Olena Kovalenko" alike); and what a visitor gave
/// unverified (the phone, email or identifier another contact has).
pub fn duplicate_queries(contact: &Contact) -> Vec<String> {
    let mut queries = Vec::new();
    if let Some(key) = contact.phone_number.as_deref().and_then(phone_key) {
        queries.push(key);
    }
    if let Some(email) = contact.email.as_deref().map(str::trim) {
        if !email.is_empty() {
            queries.push(email.to_owned());
        }
    }
    if let Some(name) = contact.name.as_deref() {
        let words: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        match words.as_slice() {
            [] => {}
            [one] => queries.push((*one).to_owned()),
            [first, .., last] => {
                let initial: String = last.chars().take(1).collect();
                queries.push(format!("{first} {initial}"));
            }
        }
    }
    if let Some(key) = contact
        .additional_text(UNVERIFIED_PHONE_NUMBER)
        .and_then(phone_key)
    {
        queries.push(key);
    }
    for key in [UNVERIFIED_EMAIL, UNVERIFIED_IDENTIFIER] {
        if let Some(value) = contact.additional_text(key) {
            queries.push(value.to_owned());
        }
    }
    let mut seen = Vec::new();
    queries.retain(|q| {
        let new = !seen.contains(q);
        if new {
            seen.push(q.clone());
        }
        new
    });
    queries
}

/// The likely duplicates of `contact` among `found` (the answers of its
/// [`duplicate_queries`], in any order, repeats allowed): each once, the contact itself
/// and contacts that only share a word left out, strongest reason first, then by id.
pub fn rank_duplicates(contact: &Contact, found: Vec<Contact>) -> Vec<(Contact, DuplicateReason)> {
    let mut ranked: Vec<(Contact, DuplicateReason)> = Vec::new();
    for candidate in found {
        if ranked.iter().any(|(c, _)| c.id == candidate.id) {
            continue;
        }
        if let Some(reason) = duplicate_reason(contact, &candidate) {
            ranked.push((candidate, reason));
        }
    }
    ranked.sort_by(|(a, ra), (b, rb)| ra.cmp(rb).then(a.id.cmp(&b.id)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_written_two_ways_is_the_same_number() {
        assert!(same_number("+380501234567", "050 123 45 67"));
        assert!(same_number("(050) 123-45-67", "+380501234567"));
        assert!(same_number("+12016902761", "(201) 690-2761"));
        assert!(same_number("+447911123456", "07911 123456"));
        assert!(
            same_number("0501234567", "050-123-45-67"),
            "the same digits"
        );
        assert!(
            !same_number("+380501234567", "+7501234567"),
            "two countries"
        );
        assert!(!same_number("+380501234567", "0631234567"));
        assert!(
            !same_number("+380501234567", "1234567"),
            "a calling code of four digits"
        );
        assert!(!same_number("+3801234", "01234"), "too short to tell");
        assert!(is_e164(" +380501234567 "));
        assert!(!is_e164("+380 50 123"));
        assert!(!is_e164("+"));
    }

    #[test]
    fn the_merged_phone_is_the_e164_writing_of_a_shared_number() {
        assert_eq!(
            merge_phone(Some("050 123 45 67"), Some("+380501234567")),
            Some("+380501234567")
        );
        assert_eq!(
            merge_phone(Some("+380501234567"), Some("050 123 45 67")),
            Some("+380501234567")
        );
        assert_eq!(
            merge_phone(Some("063 000 11 22"), Some("+380501234567")),
            Some("063 000 11 22"),
            "another number: the base's wins"
        );
        assert_eq!(
            merge_phone(None, Some("+380501234567")),
            Some("+380501234567")
        );
        assert_eq!(merge_phone(Some(" "), None), None);
    }

    #[test]
    fn the_preview_says_a_phone_written_two_ways_is_one_number() {
        for (base, mergee) in [(legacy(), channel()), (channel(), legacy())] {
            let preview = merge_preview(&base, &mergee);
            let phone = line(&preview, MergeField::Phone);
            assert_eq!(phone.outcome, Outcome::SameNumber);
            assert_eq!(phone.result.as_deref(), Some("+380501234567"));
            assert_eq!(
                preview.merged.phone_number.as_deref(),
                Some("+380501234567")
            );
        }
    }
    use serde_json::json;

    fn contact(value: Value) -> Contact {
        serde_json::from_value(value).expect("a contact")
    }

    fn legacy() -> Contact {
        contact(json!({
            "id": 1, "name": "Olha Hnatiuk", "email": "o.hnatiuk@ukr.net",
            "phone_number": "0501234567", "identifier": null,
            "additional_attributes": {"city": "Lviv", "company_name": ""},
            "custom_attributes": {"plan": "gold", "orders": 3},
            "labels": ["vip", "billing"], "conversations_count": 1,
            "last_activity_at": 100
        }))
    }

    fn channel() -> Contact {
        contact(json!({
            "id": 2, "name": "Olha H.", "email": null,
            "phone_number": "+380501234567", "identifier": "wa-380501234567",
            "additional_attributes": {"city": "Kyiv", "company_name": "Nova", "language": "uk"},
            "custom_attributes": {"orders": 3},
            "labels": ["support", "vip"], "conversations_count": 2,
            "last_activity_at": 200
        }))
    }

    fn line(preview: &MergePreview, field: MergeField) -> FieldPreview {
        preview
            .fields
            .iter()
            .find(|f| f.field == field)
            .cloned()
            .unwrap_or_else(|| panic!("no line for {field:?}"))
    }

    #[test]
    fn the_base_wins_the_mergee_fills_blanks_and_labels_join() {
        let preview = merge_preview(&legacy(), &channel());
        let name = line(&preview, MergeField::Name);
        assert_eq!(name.outcome, Outcome::Lost);
        assert_eq!(name.result.as_deref(), Some("Olha Hnatiuk"));
        assert_eq!(name.mergee.as_deref(), Some("Olha H."));
        assert_eq!(line(&preview, MergeField::Email).outcome, Outcome::Kept);
        let identifier = line(&preview, MergeField::Identifier);
        assert_eq!(identifier.outcome, Outcome::Filled);
        assert_eq!(identifier.result.as_deref(), Some("wa-380501234567"));
        assert_eq!(
            line(&preview, MergeField::Additional("company_name".into())).outcome,
            Outcome::Filled,
            "a blank string is filled"
        );
        assert_eq!(
            line(&preview, MergeField::Additional("city".into())).outcome,
            Outcome::Lost
        );
        assert_eq!(
            line(&preview, MergeField::Custom("orders".into())).outcome,
            Outcome::Same
        );
        let orders = line(&preview, MergeField::Custom("orders".into()));
        assert_eq!(orders.result.as_deref(), Some("3"), "numbers read as text");
        assert_eq!(preview.labels, ["billing", "support", "vip"]);
        assert_eq!(preview.labels_gained, ["support"]);

        let merged = &preview.merged;
        assert_eq!(merged.id, 1, "the base stays");
        assert_eq!(
            merged.phone_number.as_deref(),
            Some("+380501234567"),
            "one number: its E.164 writing"
        );
        assert_eq!(merged.identifier.as_deref(), Some("wa-380501234567"));
        assert_eq!(merged.additional_attributes["company_name"], json!("Nova"));
        assert_eq!(merged.additional_attributes["city"], json!("Lviv"));
        assert_eq!(merged.additional_attributes["language"], json!("uk"));
        assert_eq!(merged.conversations_count, Some(3));
        assert_eq!(merged.last_activity_at, Some(200));
        assert_eq!(preview.lost().count(), 2, "name and city are lost");
    }

    #[test]
    fn swapping_the_two_changes_who_wins() {
        let preview = merge_preview(&channel(), &legacy());
        assert_eq!(preview.merged.id, 2);
        assert_eq!(preview.merged.name.as_deref(), Some("Olha H."));
        assert_eq!(preview.merged.email.as_deref(), Some("o.hnatiuk@ukr.net"));
        assert_eq!(
            preview.merged.phone_number.as_deref(),
            Some("+380501234567")
        );
        assert_eq!(preview.labels_gained, ["billing"]);
        assert_eq!(line(&preview, MergeField::Email).outcome, Outcome::Filled);
    }

    #[test]
    fn fields_both_leave_blank_are_not_listed_and_counts_unknown_stay_unknown() {
        let a = contact(json!({"id": 1, "name": "A", "email": "  "}));
        let b = contact(json!({"id": 2, "name": "a", "conversations_count": 4}));
        let preview = merge_preview(&a, &b);
        assert_eq!(preview.fields.len(), 1, "{:?}", preview.fields);
        assert_eq!(
            preview.fields[0].outcome,
            Outcome::Lost,
            "case matters in a name"
        );
        assert_eq!(preview.merged.conversations_count, None);
        assert_eq!(merge_text(Some(" "), None), None);
        let emails = merge_preview(
            &contact(json!({"id": 1, "email": "A@x.io"})),
            &contact(json!({"id": 2, "email": "a@X.io"})),
        );
        assert_eq!(
            emails.fields[0].outcome,
            Outcome::Same,
            "emails ignore case"
        );
    }

    #[test]
    fn maps_merge_key_by_key_with_null_and_blank_filled() {
        let base = json!({"a": "x", "b": "", "c": null, "d": 0, "e": false});
        let mergee = json!({"a": "y", "b": "y", "c": "y", "d": 1, "e": true, "f": "new"});
        let merged = merge_maps(
            base.as_object().expect("map"),
            mergee.as_object().expect("map"),
        );
        assert_eq!(
            Value::Object(merged),
            json!({"a": "x", "b": "y", "c": "y", "d": 0, "e": false, "f": "new"})
        );
    }

    #[test]
    fn phone_keys_agree_across_formats() {
        let key = phone_key("+380501234567");
        assert_eq!(key.as_deref(), Some("501234567"));
        assert_eq!(phone_key("050 123 45 67"), key);
        assert_eq!(phone_key("0501234567"), key);
        assert_eq!(phone_key("+38 (050) 123-45-67"), key);
        assert_ne!(phone_key("+380501234568"), key);
        assert_eq!(phone_key("0123456").as_deref(), Some("123456"));
        assert_eq!(phone_key("12345"), None);
    }

    #[test]
    fn similar_names_match_initials_and_order_but_not_a_shared_first_name() {
        assert!(similar_names("Olha H.", "Olha Hnatiuk"));
        assert!(similar_names("hnatiuk olha", "Olha Hnatiuk"));
        assert!(similar_names("Олена Коваленко", "олена К"));
        assert!(!similar_names("Olha Petrenko", "Olha Hnatiuk"));
        assert!(!similar_names("Olha", "Olha Hnatiuk"));
        assert!(similar_names("Olha", "olha"));
        assert!(!similar_names("", ""));
    }

    #[test]
    fn duplicates_rank_phone_then_email_then_name_without_the_contact_itself() {
        let me = legacy();
        let same_name = contact(json!({"id": 3, "name": "Olha Hnatiuk"}));
        let same_email = contact(json!({"id": 9, "name": "Someone", "email": "O.Hnatiuk@ukr.net"}));
        let stranger = contact(json!({"id": 4, "name": "Olha Petrenko"}));
        let ranked = rank_duplicates(
            &me,
            vec![
                same_name.clone(),
                me.clone(),
                stranger,
                channel(),
                same_email,
                same_name,
            ],
        );
        let order: Vec<(i64, DuplicateReason)> = ranked.iter().map(|(c, r)| (c.id, *r)).collect();
        assert_eq!(
            order,
            [
                (2, DuplicateReason::SamePhone),
                (9, DuplicateReason::SameEmail),
                (3, DuplicateReason::SimilarName)
            ]
        );
    }

    #[test]
    fn what_a_visitor_gave_unverified_finds_and_ranks_the_contact_that_has_it() {
        let visitor = contact(json!({
            "id": 50, "name": "Visitor",
            "additional_attributes": {
                "unverified_email": "olena@example.com",
                "unverified_phone_number": "+380501234567",
                "unverified_identifier": "crm-7"
            }
        }));
        assert_eq!(
            duplicate_queries(&visitor),
            ["Visitor", "501234567", "olena@example.com", "crm-7"]
        );
        let by_email = contact(json!({"id": 2, "email": "Olena@Example.com"}));
        let by_phone = contact(json!({"id": 3, "phone_number": "050 123 45 67"}));
        let by_identifier = contact(json!({"id": 4, "identifier": "crm-7"}));
        let stranger = contact(json!({"id": 5, "email": "x@example.com", "identifier": "crm-8"}));
        let order: Vec<(i64, DuplicateReason)> = rank_duplicates(
            &visitor,
            vec![
                by_identifier.clone(),
                stranger,
                by_email.clone(),
                by_phone.clone(),
            ],
        )
        .iter()
        .map(|(c, r)| (c.id, *r))
        .collect();
        assert_eq!(
            order,
            [
                (3, DuplicateReason::SamePhone),
                (2, DuplicateReason::SameEmail),
                (4, DuplicateReason::SameIdentifier)
            ]
        );
        // And the other way round: the customer's card finds the visitor's contact too.
        assert_eq!(
            duplicate_reason(&by_email, &visitor),
            Some(DuplicateReason::SameEmail)
        );
    }

    #[test]
    fn duplicate_queries_use_phone_digits_email_and_first_name_with_initial() {
        assert_eq!(
            duplicate_queries(&legacy()),
            ["501234567", "o.hnatiuk@ukr.net", "Olha H"]
        );
        assert_eq!(
            duplicate_queries(&contact(json!({"id": 1, "name": "Cher"}))),
            ["Cher"]
        );
        assert!(duplicate_queries(&contact(json!({"id": 1}))).is_empty());
    }
}
