//! Reading a JSON request body strictly, with refusals in words.
//!
//! serde_json alone reads a struct from an array by position (`["agent@demo.test", "pw"]`
//! signs in), passes NUL and other control characters into the database, and refuses a
//! wrong field with its own text ("invalid type: integer `5`, expected a string at line 1
//! column 10"). Here the body is parsed to a `Value` first, then:
//!
//! - the top level must be an object, and so must every value read as a struct;
//! - no text anywhere (values or keys) may hold a control character other than tab, line
//!   feed and carriage return;
//! - every refusal names the field by its path (`payload[2].values`) and says what it
//!   must be in words ("must be text, not a number").
//!
//! A form body (`application/x-www-form-urlencoded`, `multipart/form-data`) is nested into
//! the same `Value` first ([`super::form`]: `contact[name]`, `labels[]`, `payload[0][…]`)
//! and read by the same rules, with one difference: a form's values are all text, so where
//! the field read is a number or true/false, its text is read as Rails reads it — `"5"`,
//! `"-2"`, `"2.5"` for numbers, `"true"`/`"1"` and `"false"`/`"0"` for true/false. The
//! parsed body carries whether it is a form ([`Parsed::form`]) down to every field (a
//! [`Field`] included), and only then is a text read as a number: in JSON `"5"` for a
//! number stays "must be a whole number, not text". Text that is not such a value
//! (`"two"`, `"yes"`) is refused in the same words as in JSON. A field read as any value
//! (`custom_attributes`, a filter's `values`) keeps the text as text.
//!
//! A handler that answers every problem of a body at once, each in its own words
//! ("Name must be text, Email is invalid"), reads its fields as [`Field`]s: a wrong type
//! there is not a refusal of the body but a [`Field::Wrong`] the handler words.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Expected, IntoDeserializer, Unexpected};
use serde::{forward_to_deserialize_any, Deserialize, Deserializer};
use serde_json::{Map, Value};
use utoipa::__dev::ComposeSchema;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

/// Why a body was refused, in words, with the path of the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    path: Vec<Segment>,
    what: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl BodyError {
    fn at(mut self, segment: Segment) -> Self {
        self.path.insert(0, segment);
        self
    }

    fn new(what: impl Into<String>) -> Self {
        BodyError {
            path: Vec::new(),
            what: what.into(),
        }
    }

    /// The path of the field, as `payload[2].values`; empty for the body itself.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(k) if out.is_empty() => out.push_str(k),
                Segment::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// The top-level field the refusal concerns, if any (the form field to mark).
    pub fn field(&self) -> Option<&str> {
        match self.path.first() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if path.is_empty() {
            write!(f, "The request body {}", self.what)
        } else {
            write!(f, "The field '{path}' {}", self.what)
        }
    }
}

impl std::error::Error for BodyError {}

impl de::Error for BodyError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let msg = msg.to_string();
        if msg.contains("did not match any variant") {
            return BodyError::new("has a value of the wrong kind");
        }
        BodyError::new(format!("is not right: {msg}"))
    }

    fn invalid_type(unexp: Unexpected, exp: &dyn Expected) -> Self {
        BodyError::new(format!(
            "must be {}, not {}",
            expected_words(exp),
            found_words(&unexp)
        ))
    }

    fn invalid_value(unexp: Unexpected, exp: &dyn Expected) -> Self {
        let expected = expected_words(exp);
        match unexp {
            Unexpected::Signed(_) | Unexpected::Unsigned(_) | Unexpected::Float(_) => {
                BodyError::new(format!("is out of range: it must be {expected}"))
            }
            other => BodyError::new(format!("must be {expected}, not {}", found_words(&other))),
        }
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        BodyError::new(format!("has {len} items, but must have {exp}"))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        BodyError::new(format!(
            "cannot be '{variant}': use one of {}",
            expected.join(", ")
        ))
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        BodyError::new(format!("has a field '{field}' that is not known here"))
    }

    fn missing_field(field: &'static str) -> Self {
        BodyError::new("is required").at(Segment::Key(field.to_owned()))
    }
}

/// What serde expected, as a person would say it.
fn expected_words(exp: &dyn Expected) -> String {
    let text = exp.to_string();
    let t = text.as_str();
    if t.contains("string") || t.contains("char") {
        "text".to_owned()
    } else if t.contains("bool") {
        "true or false".to_owned()
    } else if (t.starts_with('i') || t.starts_with('u'))
        && t.len() > 1
        && t[1..].chars().all(|c| c.is_ascii_digit())
        || t.contains("integer")
    {
        "a whole number".to_owned()
    } else if t == "f32" || t == "f64" || t.contains("float") || t.contains("number") {
        "a number".to_owned()
    } else if t.contains("sequence") || t.contains("tuple") || t.contains("array") {
        "a list".to_owned()
    } else if t.starts_with("struct ") || t.contains("map") || t.contains("object") {
        "an object".to_owned()
    } else if t.contains("variant") || t.starts_with("enum ") {
        "one of the allowed values".to_owned()
    } else {
        t.to_owned()
    }
}

/// What was found instead, as a person would say it.
fn found_words(unexp: &Unexpected) -> String {
    match unexp {
        Unexpected::Bool(b) => format!("{b}"),
        Unexpected::Unsigned(n) => format!("the number {n}"),
        Unexpected::Signed(n) => format!("the number {n}"),
        Unexpected::Float(n) => format!("the number {n}"),
        Unexpected::Char(_) | Unexpected::Str(_) => "text".to_owned(),
        Unexpected::Unit | Unexpected::Option => "null".to_owned(),
        Unexpected::Seq => "a list".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        other => other.to_string(),
    }
}

/// Whether `c` may be stored in a text field: anything but control characters, except
/// tab, line feed and carriage return (notes and messages have lines).
pub fn allowed_char(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// The first control character of `text` that may not be stored, if any.
pub fn forbidden_char(text: &str) -> Option<char> {
    text.chars().find(|c| !allowed_char(*c))
}

/// Words for a refused control character: "a control character (U+0000)".
pub fn control_char_words(c: char) -> String {
    format!(
        "contains a control character (U+{:04X}) that cannot be stored; remove it",
        c as u32
    )
}

fn check_text(value: &Value) -> Result<(), BodyError> {
    match value {
        Value::String(s) => match forbidden_char(s) {
            Some(c) => Err(BodyError::new(control_char_words(c))),
            None => Ok(()),
        },
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_text(v).map_err(|e| e.at(Segment::Index(i)))),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            if let Some(c) = forbidden_char(k) {
                return Err(BodyError::new(format!(
                    "has a key that {}",
                    control_char_words(c)
                )));
            }
            check_text(v).map_err(|e| e.at(Segment::Key(k.clone())))
        }),
        _ => Ok(()),
    }
}

/// A request body as it was parsed: the `Value`, and whether it came from a form (every
/// value text, so a number or true/false may be read from its text) or from JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub value: Value,
    pub form: bool,
}

impl Parsed {
    /// A JSON body: read strictly.
    pub fn json(value: Value) -> Self {
        Parsed { value, form: false }
    }

    /// A form body (see [`super::form`]): its text may be read as a number or true/false.
    pub fn form(value: Value) -> Self {
        Parsed { value, form: true }
    }
}

/// Reads `T` from a parsed body: an object at the top, no control characters in any text,
/// structs only from objects; every refusal in words with the field's path.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, BodyError> {
    from_parsed(Parsed::json(value))
}

/// [`from_value`] for a JSON or form body.
pub fn from_parsed<T: DeserializeOwned>(body: Parsed) -> Result<T, BodyError> {
    check_body(&body.value)?;
    T::deserialize(Strict::new(body.value, body.form))
}

/// [`from_value`] for a body Chatwoot's dashboard sends in an envelope (Rails' wrapped
/// parameters: `{"label": {…}}`): when the body has the key `envelope`, `T` is read from
/// its value (refusals name `label.title`), otherwise from the body itself.
pub fn from_enveloped<T: DeserializeOwned>(value: Value, envelope: &str) -> Result<T, BodyError> {
    from_parsed_enveloped(Parsed::json(value), envelope)
}

/// [`from_enveloped`] for a JSON or form body (`label[title]=vip`).
pub fn from_parsed_enveloped<T: DeserializeOwned>(
    body: Parsed,
    envelope: &str,
) -> Result<T, BodyError> {
    let Parsed { mut value, form } = body;
    check_body(&value)?;
    if let Value::Object(map) = &mut value {
        if let Some(inner) = map.remove(envelope) {
            return T::deserialize(Strict::new(inner, form))
                .map_err(|e| e.at(Segment::Key(envelope.to_owned())));
        }
    }
    T::deserialize(Strict::new(value, form))
}

/// An object at the top, and no control characters in any of its text.
fn check_body(value: &Value) -> Result<(), BodyError> {
    if !value.is_object() {
        return Err(BodyError::new(format!(
            "must be a JSON object ({{\"field\": value, …}}), not {}",
            kind_words(value)
        )));
    }
    check_text(value)
}

/// One field of a request body as it was sent: left out, `null`, a `T`, or something that
/// is not a `T` (a number for a text, a list for an object…).
///
/// Absent and null differ (an update leaves an absent field as it is and clears a null
/// one), and a wrong type is the handler's to refuse in its own words, together with the
/// body's other problems. Each `Field` of a body takes `#[serde(default)]` (absent);
/// unknown keys beside them are ignored as usual.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    #[default]
    Absent,
    Null,
    Value(T),
    Wrong,
}

impl<T: DeserializeOwned> Field<T> {
    fn read(value: Value, form: bool) -> Self {
        match value {
            Value::Null => Field::Null,
            value => T::deserialize(Strict::new(value, form)).map_or(Field::Wrong, Field::Value),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(FIELD_MARKER, FieldVisitor(PhantomData))
    }
}

struct FieldVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> de::Visitor<'de> for FieldVisitor<T> {
    type Value = Field<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    /// From [`Strict`]: the value, and whether the body is a form.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Field<T>, A::Error> {
        let value: Value = seq.next_element()?.unwrap_or(Value::Null);
        let form: bool = seq.next_element()?.unwrap_or(false);
        Ok(Field::read(value, form))
    }

    /// From any other deserializer: read as JSON.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Field<T>, D::Error> {
        Ok(Field::read(Value::deserialize(d)?, false))
    }
}

/// In the OpenAPI document a `Field<T>` is a `T` or null. utoipa's derive composes a
/// generic field type from its arguments' schemas through `ComposeSchema` (its
/// `PartialSchema` follows), as it composes `Option<T>`: a body's document is derived
/// from the very types it is read with.
impl<T: ComposeSchema> ComposeSchema for Field<T> {
    fn compose(schemas: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let inner = schemas
            .into_iter()
            .next()
            .unwrap_or_else(|| T::compose(Vec::new()));
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .item(inner)
            .into()
    }
}

/// Named `Field_String`, `Field_bool`… among the document's schemas.
impl<T: ToSchema + ComposeSchema> ToSchema for Field<T> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Field")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        T::schemas(schemas);
    }
}

fn kind_words(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A `Value` read as serde_json reads it, except that a struct comes only from an object
/// and errors carry the path of the field they concern. `form`: the value came from a
/// form body, whose values are all text, so a number or true/false may be read from its
/// text (see the module's docs); never for JSON.
struct Strict {
    value: Value,
    form: bool,
}

impl Strict {
    fn new(value: Value, form: bool) -> Self {
        Strict { value, form }
    }
}

/// The whole number a form sent as text (`"5"`, `"-2"`), as Rails reads it.
fn form_integer(text: &str) -> Option<Value> {
    if let Ok(u) = text.parse::<u64>() {
        return Some(Value::from(u));
    }
    text.parse::<i64>().ok().map(Value::from)
}

/// The number a form sent as text (`"2.5"`); not `NaN` or `inf`.
fn form_number(text: &str) -> Option<Value> {
    form_integer(text).or_else(|| {
        text.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
    })
}

/// true or false as a form sends it: `true`/`1`, `false`/`0`.
fn form_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Reads a scalar that a form may send as text: the text is read as `read` says when
/// the body is a form and the text fits; otherwise the value as it is (a refusal in
/// words when it is not what the visitor takes).
macro_rules! form_scalar {
    ($($method:ident => $read:ident),* $(,)?) => {
        $(
            fn $method<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, BodyError> {
                let read = match &self.value {
                    Value::String(s) if self.form => $read(s),
                    _ => None,
                };
                match read {
                    Some(read) => Strict::new(read, false).deserialize_any(visitor),
                    None => self.deserialize_any(visitor),
                }
            }
        )*
    };
}

fn form_bool_value(text: &str) -> Option<Value> {
    form_bool(text).map(Value::Bool)
}

impl<'de> de::Deserializer<'de> for Strict {
    type Error = BodyError;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, BodyError> {
        let form = self.form;
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.into_iter(),
                index: 0,
                form,
            }),
            Value::Object(map) => visitor.visit_map(Fields::new(map, form)),
        }
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, BodyError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Strict::new(other, self.form)),
        }
    }

    fn deserialize_newtype_struct<V: de::Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, BodyError> {
        if name == FIELD_MARKER {
            // A `Field<T>`: hand it the value with the body's kind, so that a form's
            // `Field<bool>` reads "true" as a form's plain `bool` does.
            return visitor.visit_seq(FieldParts {
                value: Some(self.value),
                form: Some(self.form),
            });
        }
        visitor.visit_newtype_struct(self)
    }

    form_scalar! {
        deserialize_bool => form_bool_value,
        deserialize_i8 => form_integer,
        deserialize_i16 => form_integer,
        deserialize_i32 => form_integer,
        deserialize_i64 => form_integer,
        deserialize_i128 => form_integer,
        deserialize_u8 => form_integer,
        deserialize_u16 => form_integer,
        deserialize_u32 => form_integer,
        deserialize_u64 => form_integer,
        deserialize_u128 => form_integer,
        deserialize_f32 => form_number,
        deserialize_f64 => form_number,
    }

    fn deserialize_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BodyError> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Fields::new(map, self.form)),
            other => Err(BodyError::new(format!(
                "must be an object, not {}",
                kind_words(&other)
            ))),
        }
    }

    fn deserialize_enum<V: de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BodyError> {
        match self.value {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            // An enum with data ({"variant": ...}): serde_json's own reading, in words.
            other => other
                .deserialize_enum(name, variants, visitor)
                .map_err(|_| BodyError::new("has a value of the wrong kind")),
        }
    }

    fn deserialize_ignored_any<V: de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, BodyError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

/// The name a `Field<T>` asks its deserializer for: [`Strict`] answers it with the value
/// and whether the body is a form ([`FieldParts`]); any other deserializer reads it as
/// the newtype it looks like, and the field as JSON.
const FIELD_MARKER: &str = "$novatalks::body::Field";

/// A `Field`'s value, then whether it came from a form.
struct FieldParts {
    value: Option<Value>,
    form: Option<bool>,
}

impl<'de> de::SeqAccess<'de> for FieldParts {
    type Error = BodyError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, BodyError> {
        if let Some(value) = self.value.take() {
            return seed.deserialize(Strict::new(value, false)).map(Some);
        }
        match self.form.take() {
            Some(form) => seed.deserialize(form.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }
}

struct Items {
    items: std::vec::IntoIter<Value>,
    index: usize,
    form: bool,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = BodyError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, BodyError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Strict::new(item, self.form))
            .map(Some)
            .map_err(|e| e.at(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Fields {
    entries: serde_json::map::IntoIter,
    pending: Option<(String, Value)>,
    form: bool,
}

impl Fields {
    fn new(map: Map<String, Value>, form: bool) -> Self {
        Fields {
            entries: map.into_iter(),
            pending: None,
            form,
        }
    }
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = BodyError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, BodyError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let read = seed
            .deserialize(key.clone().into_deserializer())
            .map_err(|e: BodyError| e.at(Segment::Key(key.clone())))?;
        self.pending = Some((key, value));
        Ok(Some(read))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, BodyError> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| BodyError::new("is not right: a value without its key"))?;
        seed.deserialize(Strict::new(value, self.form))
            .map_err(|e| e.at(Segment::Key(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct SignIn {
        email: String,
        password: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Condition {
        attribute_key: String,
        values: Vec<Value>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Filter {
        payload: Vec<Condition>,
        #[serde(default)]
        page: Option<u32>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Text,
        Number,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct WithKind {
        kind: Kind,
    }

    fn refusal<T: DeserializeOwned + fmt::Debug>(value: Value) -> String {
        from_value::<T>(value).unwrap_err().to_string()
    }

    #[test]
    fn an_object_reads_as_serde_would() {
        let read: Filter = from_value(json!({
            "payload": [{"attribute_key": "name", "values": ["Ann", 5]}],
            "page": 2,
            "unknown": {"deep": [1, 2]}
        }))
        .unwrap();
        assert_eq!(read.payload[0].attribute_key, "name");
        assert_eq!(read.payload[0].values, vec![json!("Ann"), json!(5)]);
        assert_eq!(read.page, Some(2));
        let value: Value =
            from_value(json!({"a": [1, {"b": null}], "c": "line\nbreak\ttab"})).unwrap();
        assert_eq!(
            value,
            json!({"a": [1, {"b": null}], "c": "line\nbreak\ttab"})
        );
    }

    #[test]
    fn an_array_is_never_an_object() {
        assert_eq!(
            refusal::<SignIn>(json!(["agent@demo.test", "novatalks-demo"])),
            "The request body must be a JSON object ({\"field\": value, …}), not a list"
        );
        assert_eq!(
            refusal::<Value>(json!([1])),
            "The request body must be a JSON object ({\"field\": value, …}), not a list"
        );
        assert_eq!(
            refusal::<Filter>(json!({"payload": [["name", []]]})),
            "The field 'payload[0]' must be an object, not a list"
        );
    }

    #[test]
    fn control_characters_are_refused_with_their_path() {
        assert_eq!(
            refusal::<SignIn>(json!({"email": "a\u{0}b", "password": "x"})),
            "The field 'email' contains a control character (U+0000) that cannot be stored; remove it"
        );
        assert_eq!(
            refusal::<Value>(json!({"custom_attributes": {"plan": ["ok", "x\u{1b}"]}})),
            "The field 'custom_attributes.plan[1]' contains a control character (U+001B) that cannot be stored; remove it"
        );
        assert!(refusal::<Value>(json!({"a\u{7f}": 1}))
            .contains("has a key that contains a control character (U+007F)"));
        assert!(refusal::<Value>(json!({"a": "\u{85}"})).contains("U+0085"));
        let err = from_value::<Value>(json!({"name": "\u{0}"})).unwrap_err();
        assert_eq!(err.field(), Some("name"));
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Patch {
        #[serde(default)]
        name: Field<String>,
        #[serde(default)]
        blocked: Field<bool>,
        #[serde(default)]
        tags: Field<Vec<Field<String>>>,
    }

    #[test]
    fn a_field_tells_absent_null_value_and_wrong_apart() {
        let read: Patch = from_value(json!({"name": null, "blocked": true, "extra": 1})).unwrap();
        assert_eq!(read.name, Field::Null);
        assert_eq!(read.blocked, Field::Value(true));
        assert_eq!(read.tags, Field::Absent);
        let read: Patch = from_value(
            json!({"name": {"first": "Olena"}, "blocked": "yes", "tags": ["a", 5, null]}),
        )
        .unwrap();
        assert_eq!(
            read.name,
            Field::Wrong,
            "a wrong type is the handler's to word"
        );
        assert_eq!(read.blocked, Field::Wrong);
        assert_eq!(
            read.tags,
            Field::Value(vec![Field::Value("a".into()), Field::Wrong, Field::Null])
        );
        assert_eq!(
            from_value::<Patch>(json!({"tags": "a"})).unwrap().tags,
            Field::Wrong
        );
        // The body's own rules still come first.
        assert_eq!(
            refusal::<Patch>(json!({"name": "a\u{0}"})),
            "The field 'name' contains a control character (U+0000) that cannot be stored; remove it"
        );
    }

    #[test]
    fn an_enveloped_body_is_read_bare_or_from_its_envelope() {
        let bare: SignIn =
            from_enveloped(json!({"email": "a@b.c", "password": "x"}), "user").unwrap();
        let wrapped: SignIn = from_enveloped(
            json!({"user": {"email": "a@b.c", "password": "x"}, "other": 1}),
            "user",
        )
        .unwrap();
        assert_eq!(bare, wrapped);
        assert_eq!(
            from_enveloped::<SignIn>(json!({"user": {"email": 5, "password": "x"}}), "user")
                .unwrap_err()
                .to_string(),
            "The field 'user.email' must be text, not the number 5"
        );
        assert_eq!(
            from_enveloped::<SignIn>(json!({"user": "a@b.c"}), "user")
                .unwrap_err()
                .to_string(),
            "The field 'user' must be an object, not text"
        );
        assert_eq!(
            from_enveloped::<SignIn>(json!(["user"]), "user")
                .unwrap_err()
                .to_string(),
            "The request body must be a JSON object ({\"field\": value, …}), not a list"
        );
    }

    #[test]
    fn wrong_types_are_named_in_words() {
        assert_eq!(
            refusal::<SignIn>(json!({"email": 5, "password": "x"})),
            "The field 'email' must be text, not the number 5"
        );
        assert_eq!(
            refusal::<SignIn>(json!({"email": "a@b.c"})),
            "The field 'password' is required"
        );
        assert_eq!(
            refusal::<Filter>(json!({"payload": [{"attribute_key": "name", "values": "Ann"}]})),
            "The field 'payload[0].values' must be a list, not text"
        );
        assert_eq!(
            refusal::<Filter>(json!({"payload": [], "page": -1})),
            "The field 'page' is out of range: it must be a whole number"
        );
        assert_eq!(
            refusal::<Filter>(json!({"payload": [], "page": "two"})),
            "The field 'page' must be a whole number, not text"
        );
        assert_eq!(
            refusal::<WithKind>(json!({"kind": "colour"})),
            "The field 'kind' cannot be 'colour': use one of text, number"
        );
        assert_eq!(
            refusal::<Filter>(json!({"payload": null})),
            "The field 'payload' must be a list, not null"
        );
    }

    #[test]
    fn a_form_reads_numbers_and_true_or_false_from_text_and_json_does_not() {
        let form = |v: Value| from_parsed::<Patch>(Parsed::form(v));
        let read = form(json!({"blocked": "true", "tags": ["5"]})).unwrap();
        assert_eq!(read.blocked, Field::Value(true));
        assert_eq!(read.tags, Field::Value(vec![Field::Value("5".into())]));
        for (text, want) in [("1", true), ("false", false), ("0", false)] {
            assert_eq!(
                form(json!({"blocked": text})).unwrap().blocked,
                Field::Value(want)
            );
        }
        assert_eq!(
            form(json!({"blocked": "yes"})).unwrap().blocked,
            Field::Wrong
        );
        let page = |v: Value| from_parsed::<Filter>(Parsed::form(v));
        assert_eq!(
            page(json!({"payload": [], "page": "5"})).unwrap().page,
            Some(5)
        );
        assert_eq!(
            page(json!({"payload": [], "page": "two"}))
                .unwrap_err()
                .to_string(),
            "The field 'page' must be a whole number, not text"
        );
        assert_eq!(
            page(json!({"payload": [], "page": "-1"}))
                .unwrap_err()
                .to_string(),
            "The field 'page' is out of range: it must be a whole number"
        );
        // A field read as any value keeps its text.
        assert_eq!(
            page(json!({"payload": [{"attribute_key": "n", "values": ["5"]}]}))
                .unwrap()
                .payload[0]
                .values,
            vec![json!("5")]
        );
        // JSON stays strict.
        assert_eq!(
            from_value::<Patch>(json!({"blocked": "true"}))
                .unwrap()
                .blocked,
            Field::Wrong
        );
        assert_eq!(
            refusal::<Filter>(json!({"payload": [], "page": "5"})),
            "The field 'page' must be a whole number, not text"
        );
    }
}
