//! Chatwoot's published swagger (`tests/data/chatwoot-application-swagger.json`, a copy
//! of the one beside the contract; OpenAPI 3.0) as a check of this server (issue #16).
//! For every operation of the contacts area in it, a request is built from the
//! operation's parameters and its examples, sent to this server (normal and
//! stock-Chatwoot mode), and the answer is validated against the response schema the
//! swagger declares for its status, by a small validator of our own below (`$ref`s
//! into `components/schemas`, `allOf`, `type`, `properties`, `required`, `items`,
//! `enum`, `nullable`, `date-time`).
//!
//! The swagger is known to be wrong in places (the contract says so). Its mistakes are
//! listed, each with the Chatwoot view or controller it disagrees with, in [`MISTAKES`]
//! (a schema location whose check is skipped), [`STATUS_MISTAKES`] (a status or schema
//! Chatwoot does not answer) and [`body_mistakes`] (an example request Chatwoot itself
//! would not take as written). A listed mistake that no answer shows any more fails the
//! test, so the list cannot outlive what it excuses.
//!
//! Where this server differs from Chatwoot on a request the swagger describes correctly,
//! the change is in [`needs`] (the main test sends the form this server takes), and on an
//! answer in [`DIFFERS`] (the main test lets it pass);
//! `the_swagger_examples_this_server_does_not_take_yet` (ignored) holds this server to
//! the swagger's own requests and answers there.
//!
//! The contacts area of this swagger has no notes, contact merge, account labels or
//! public API (`/public/api/v1/...`) operations; those are Chatwoot dashboard calls
//! checked in `chatwoot_dashboard.rs`, and the public API in `public_api.rs`.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Map, Value};

/// A copy of the swagger beside the contract (`../shared/api/`), kept with the tests so
/// they run anywhere; replace it with a newer one to check against that.
const SWAGGER: &str = include_str!("data/chatwoot-application-swagger.json");

fn swagger() -> Value {
    serde_json::from_str(SWAGGER).expect("the swagger is JSON")
}

/// The contacts-area operations, in the order they are sent (a contact is created before
/// it is read, a segment before it is changed and deleted, a conversation before the
/// contact's conversations are listed). The test fails when the
/// swagger's contacts area has an operation this list lacks, or lacks one it names.
const OPERATIONS: &[&str] = &[
    "contactList",
    "contactSearch",
    "contactFilter",
    "contactCreate",
    "contactDetails",
    "contactUpdate",
    "list-all-labels-of-a-contact",
    "contact-add-labels",
    "contactInboxCreation",
    "contactableInboxesGet",
    "newConversation",
    "contactConversations",
    "listAllInboxes",
    "list-all-filters",
    "create-a-custom-filter",
    "get-details-of-a-single-custom-filter",
    "update-a-custom-filter",
    "delete-a-custom-filter",
    "get-account-custom-attribute",
    "add-new-custom-attribute-to-account",
    "get-details-of-a-single-custom-attribute",
    "update-custom-attribute-in-account",
    "delete-custom-attribute-from-account",
    "contactDelete",
];

/// Whether a swagger path is of the contacts area: contacts and what hangs off them,
/// segments (custom filters), custom attribute definitions, and the two calls the
/// contact card makes outside `/contacts`: the account's inboxes and a new conversation.
fn contacts_area(method: &str, path: &str) -> bool {
    let account = "/api/v1/accounts/{account_id}";
    let Some(rest) = path.strip_prefix(account) else {
        return false;
    };
    rest.starts_with("/contacts")
        || rest.starts_with("/custom_filters")
        || rest.starts_with("/custom_attribute_definitions")
        || (rest == "/inboxes" && method == "get")
        || (rest == "/conversations" && method == "post")
}

/// Schema locations (`schema name.property…`, `[]` for an array's items) where the
/// swagger disagrees with Chatwoot's own views; their checks are skipped.
///
/// A location ending in `.*` stands for everything under it. A declared property absent
/// from an answer is a problem too, unless listed here or in [`DIFFERS`].
const MISTAKES: &[(&str, &str)] = &[
    (
        "contact_list_item.last_activity_at",
        "declared as always there (nullable); models/_contact.json.jbuilder writes it only \
         when the contact has had activity (the contract: left out when there has been none)",
    ),
    (
        "contact_list_item.additional_attributes.*",
        "city, country, country_code, created_at_ip declared as always there; the view \
         writes additional_attributes as stored, with the keys a client or a channel set",
    ),
    (
        "custom_filter.type",
        "declared `type`; models/_custom_filter.json.jbuilder writes `filter_type`",
    ),
    (
        "contact_meta.current_page",
        "declared a string; contacts/index.json.jbuilder writes @current_page, a number \
         (the contract: a number when no page was sent, and so it is here always)",
    ),
    (
        "custom_attribute.attribute_values",
        "declared a string; models/_custom_attribute_definition.json.jbuilder writes the \
         stored jsonb list (an array of texts)",
    ),
    (
        "custom_attribute.attribute_description",
        "not declared nullable; the view writes the column, null for a definition made \
         without one (the controller does not require it)",
    ),
    (
        "custom_attribute.regex_pattern",
        "not declared nullable; the view writes the column, null for a definition without one",
    ),
    (
        "custom_attribute.regex_cue",
        "not declared nullable; the view writes the column, null for a definition without one",
    ),
    (
        "custom_attribute.default_value",
        "declared a string, not nullable; the view writes the column, null unless set (and \
         the controller permits no default_value, so through the API it stays null)",
    ),
    (
        "contact_conversations_response.payload[].meta.sender.last_activity_at",
        "declared as always there; meta.sender is models/_contact.json.jbuilder, which \
         writes it only when the contact has had activity (as contact_list_item's)",
    ),
    (
        "contact_conversations_response.payload[].meta.assignee",
        "declared as always there; conversations/partials/_conversation.json.jbuilder \
         writes meta.assignee only when the conversation has an assignee",
    ),
    (
        "conversation.timestamp",
        "declared a string; conversations/partials/_conversation.json.jbuilder writes \
         last_activity_at.to_i, a number of epoch seconds",
    ),
    (
        "inbox.provider",
        "not declared nullable; models/_inbox.json.jbuilder writes the channel's provider, \
         null for a channel without one",
    ),
    (
        "inbox_contact.provider",
        "not declared nullable; models/_inbox_slim.json.jbuilder writes the channel's \
         provider, null for a channel without one (all but WhatsApp and some email ones)",
    ),
];

/// Schema locations where the swagger is right (it says what Chatwoot's view writes) and
/// this server answers otherwise; the main test lets them pass, the ignored one does not.
const DIFFERS: &[(&str, &str)] = &[
    (
        "inbox.*",
        "models/_inbox.json.jbuilder writes the channel's settings (widget, greeting, \
         working hours, CSAT, website_url, phone_number, medium…, some only for certain \
         channel types); inboxes.rs answers the contract's id, name, channel_type, \
         can_write_first, inbox_identifier and _inbox_slim's avatar_url, channel_id, \
         provider, and keeps none of those settings",
    ),
    (
        "conversation.*",
        "contacts/conversations/index.json.jbuilder renders Chatwoot's conversation partial; \
         conversations.rs answers the contract's short conversation and the partial's \
         account_id, meta, messages, timestamp, unread_count, labels, muted, \
         additional_attributes, custom_attributes, but not uuid, can_reply, the seen-at \
         times, snoozed_until, first_reply_created_at, priority, waiting_since, SLA keys \
         (nothing of them is stored)",
    ),
    (
        "message.*",
        "the partial's messages[] is Message#push_event_data (status, source_id, \
         content_type, content_attributes, sender_type, sender_id, sender, updated_at, \
         conversation, attachments…); conversations.rs writes what is stored of a message: \
         id, content, account_id, inbox_id, conversation_id, message_type, created_at, private",
    ),
];

/// Operations whose declared answer Chatwoot does not give: (operationId, the status
/// Chatwoot answers, the schema it answers with, why).
const STATUS_MISTAKES: &[(&str, u16, &str, &str)] = &[
    (
        "delete-a-custom-filter",
        204,
        "",
        "declared 200; custom_filters_controller#destroy answers head :no_content",
    ),
    (
        "delete-custom-attribute-from-account",
        204,
        "",
        "declared 200; custom_attribute_definitions_controller#destroy answers head :no_content",
    ),
    (
        "contactUpdate",
        200,
        "contact_show_response",
        "declared 204 with contact_base; contacts_controller#update renders \
         contacts/update.json.jbuilder, 200 {payload: contact} (the contract says so too)",
    ),
    (
        "contactCreate",
        200,
        "contact_create_response",
        "declared extended_contact (a {payload: [contact]} list); contacts/create.json.jbuilder \
         answers {payload: {contact, contact_inbox: {inbox, source_id}}}",
    ),
];

/// Example requests Chatwoot itself would not take as the swagger writes them: (operation,
/// JSON pointer into the body or `?name` for a query parameter, the value sent instead,
/// why).
fn body_mistakes(ctx: &Ctx) -> Vec<(&'static str, &'static str, Value, &'static str)> {
    vec![
        (
            "create-a-custom-filter",
            "/type",
            Value::Null,
            "the swagger names the field `type`; custom_filters_controller permits \
             `filter_type` (and the view answers `filter_type`)",
        ),
        (
            "create-a-custom-filter",
            "/filter_type",
            json!("contact"),
            "`filter_type`, the field Chatwoot reads; contact for the contacts area",
        ),
        (
            "create-a-custom-filter",
            "/query",
            json!({"payload": [{"attribute_key": "name", "filter_operator": "contains", "values": ["alice"], "query_operator": null}]}),
            "the example's {} is no query; a saved contacts segment holds a filter payload",
        ),
        (
            "update-a-custom-filter",
            "/type",
            Value::Null,
            "as for create: the field is filter_type",
        ),
        (
            "update-a-custom-filter",
            "/query",
            json!({"payload": [{"attribute_key": "email", "filter_operator": "contains", "values": ["acme"], "query_operator": null}]}),
            "as for create",
        ),
        (
            "list-all-filters",
            "?filter_type",
            json!("contact"),
            "the enum's first value, conversation, is not the contacts area",
        ),
        (
            "contactCreate",
            "/inbox_id",
            json!(ctx.api_inbox),
            "the example's inbox 1 is an id of Chatwoot's demo; the account's API inbox",
        ),
        (
            "contactCreate",
            "/avatar_url",
            Value::Null,
            "Chatwoot fetches it in a background job; this server keeps no avatars",
        ),
        ("contactUpdate", "/avatar_url", Value::Null, "as for create"),
        (
            "contactInboxCreation",
            "/inbox_id",
            json!(ctx.api_inbox),
            "the example's inbox 1 is an id of Chatwoot's demo; the account's API inbox",
        ),
        (
            "contactInboxCreation",
            "/source_id",
            json!("crm-alice-1"),
            "no example; an API inbox takes any source id",
        ),
        (
            "newConversation",
            "/inbox_id",
            json!(ctx.email_inbox),
            "the example's inbox 1; the account's email inbox, which may write first",
        ),
        (
            "newConversation",
            "/source_id",
            json!("alice@acme.inc"),
            "an email inbox's source id is the contact's address (the create example's)",
        ),
        (
            "newConversation",
            "/contact_id",
            json!(ctx.contact),
            "the example's contact 1; the one the create example made",
        ),
        (
            "newConversation",
            "/assignee_id",
            json!(ctx.user),
            "the example's agent 1",
        ),
        (
            "newConversation",
            "/team_id",
            Value::Null,
            "the example's team 1 does not exist here (this server keeps no teams)",
        ),
        (
            "newConversation",
            "/message/template_params",
            Value::Null,
            "WhatsApp template parameters: not for an email inbox",
        ),
        (
            "contactSearch",
            "?q",
            json!("alice"),
            "no example; the contact the swagger's create example makes",
        ),
    ]
}

/// Requests the swagger writes as Chatwoot takes them but this server does not yet:
/// (operation, pointer or `?name`, the value this server takes, what differs).
fn needs() -> Vec<(&'static str, &'static str, Value, &'static str)> {
    vec![
        (
            "get-account-custom-attribute",
            "?attribute_model",
            json!("contact_attribute"),
            "the swagger's enum number is taken too (\"0\" lists conversation attributes); \
             the contacts area lists the contact attributes, which the MISTAKES above are about",
        ),
        (
            "contactCreate",
            "/phone_number",
            json!("+14155550123"),
            "the example +123456789 has Chatwoot's E.164 shape (+ and up to 15 digits) but is \
             no number; this server checks numbers with a phone library (the contract's 422)",
        ),
        (
            "contactUpdate",
            "/phone_number",
            json!("+14155550123"),
            "as for create",
        ),
        (
            "contactFilter",
            "/payload/0/query_operator",
            json!("and"),
            "the example's upper-case AND: Chatwoot pastes the operator into its SQL, so any \
             case works; this server reads and/or in lower case only",
        ),
    ]
}

/// What the requests refer to.
struct Ctx {
    account: i64,
    contact: i64,
    doomed: i64,
    api_inbox: i64,
    email_inbox: i64,
    user: i64,
    definition: i64,
    segment: Option<i64>,
    created_definition: Option<i64>,
}

/// A swagger operation: its method, path, the path item's and its own parameters.
struct Op {
    id: String,
    method: String,
    path: String,
    op: Value,
    params: Vec<Value>,
}

fn operations(doc: &Value) -> Vec<Op> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let shared: Vec<Value> = item["parameters"].as_array().cloned().unwrap_or_default();
        for (method, op) in item.as_object().expect("path item") {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            if !contacts_area(method, path) {
                continue;
            }
            let mut params: Vec<Value> = shared.iter().map(|p| resolve(doc, p).clone()).collect();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let p = resolve(doc, p).clone();
                params.retain(|q| !(q["name"] == p["name"] && q["in"] == p["in"]));
                params.push(p);
            }
            out.push(Op {
                id: op["operationId"].as_str().unwrap_or_default().to_owned(),
                method: method.clone(),
                path: path.clone(),
                op: op.clone(),
                params,
            });
        }
    }
    out
}

/// A `$ref` followed to what it names (`#/components/...` or `#/definitions/...`).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = schema;
    for _ in 0..16 {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.strip_prefix('#').expect("a local $ref");
                s = doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("the swagger defines {r}"));
            }
            None => return s,
        }
    }
    panic!("a $ref loop at {schema}")
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
}

/// A body built from a schema's examples: the schema's own `example` when it has one,
/// else an object of its properties that have one (recursively).
fn example(doc: &Value, schema: &Value) -> Option<Value> {
    let s = resolve(doc, schema);
    if let Some(e) = s.get("example") {
        return Some(e.clone());
    }
    if let Some(all) = s["allOf"].as_array() {
        let mut out = Map::new();
        for part in all {
            if let Some(Value::Object(m)) = example(doc, part) {
                out.extend(m);
            }
        }
        return Some(Value::Object(out));
    }
    let props = s["properties"].as_object()?;
    let mut out = Map::new();
    for (k, p) in props {
        if resolve(doc, p).get("format").and_then(Value::as_str) == Some("binary") {
            continue; // a file part: only in a form body
        }
        if let Some(v) = example(doc, p) {
            out.insert(k.clone(), v);
        }
    }
    Some(Value::Object(out))
}

/// Sets (or with null removes) what a pointer names, making objects on the way.
fn set_pointer(body: &mut Value, pointer: &str, value: Value) {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let mut at = body;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if let Ok(index) = part.parse::<usize>() {
            let items = at.as_array_mut().expect("an array on the way");
            if last {
                items[index] = value;
                return;
            }
            at = &mut items[index];
            continue;
        }
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let map = at.as_object_mut().expect("an object");
        if last {
            if value.is_null() {
                map.remove(*part);
            } else {
                map.insert((*part).to_owned(), value);
            }
            return;
        }
        at = map
            .entry((*part).to_owned())
            .or_insert(Value::Object(Map::new()));
    }
}

/// The request of one operation: its path with ids filled in, its query from the
/// parameters' examples, enums or defaults, its body from the examples; then the
/// documented changes: the swagger's mistakes, and (unless `as_written`) what this server
/// needs.
fn build(
    doc: &Value,
    op: &Op,
    ctx: &Ctx,
    as_written: bool,
    missing_id: bool,
) -> (Method, String, Option<Value>) {
    let mut query: Vec<(String, String)> = Vec::new();
    for p in &op.params {
        if p["in"] != "query" {
            continue;
        }
        let schema = &p["schema"];
        let value = p
            .get("example")
            .or_else(|| schema.get("example"))
            .or_else(|| schema["enum"].get(0))
            .or_else(|| schema.get("default"))
            .cloned();
        if let Some(v) = value {
            let name = p["name"].as_str().expect("a name").to_owned();
            query.push((name, text(&v)));
        }
    }
    let mut body = op.op["requestBody"]["content"]["application/json"]["schema"]
        .as_object()
        .map(|_| {
            example(
                doc,
                &op.op["requestBody"]["content"]["application/json"]["schema"],
            )
            .unwrap_or(json!({}))
        });
    let mut changes = body_mistakes(ctx);
    if !as_written {
        changes.extend(needs());
    }
    for (id, at, value, _) in changes {
        if id != op.id {
            continue;
        }
        if let Some(name) = at.strip_prefix('?') {
            query.retain(|(n, _)| n != name);
            if !value.is_null() {
                query.push((name.to_owned(), text(&value)));
            }
        } else if let Some(b) = body.as_mut() {
            set_pointer(b, at, value);
        }
    }
    let mut path = String::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closing brace") + start;
        let name = &rest[start + 1..end];
        let id = if missing_id && name != "account_id" {
            999_999_999
        } else {
            match (name, op.path.as_str()) {
                ("account_id", _) => ctx.account,
                ("custom_filter_id", _) => ctx.segment.unwrap_or(999_999_999),
                ("id", p) if p.contains("custom_attribute_definitions") => {
                    ctx.created_definition.unwrap_or(ctx.definition)
                }
                ("id", _) if op.id == "contactDelete" => ctx.doomed,
                ("id", _) => ctx.contact,
                (other, _) => panic!("no value for the path parameter {other}"),
            }
        };
        path.push_str(&id.to_string());
        rest = &rest[end + 1..];
    }
    path.push_str(rest);
    if !query.is_empty() {
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        path = format!("{path}?{}", q.join("&"));
    }
    let method = Method::from_bytes(op.method.to_uppercase().as_bytes()).expect("a method");
    (method, path, body)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The validator: every disagreement between an answer and a schema, with where in the
/// schema (`schema.property[]…`) and where in the answer.
struct Validator<'a> {
    doc: &'a Value,
    problems: Vec<(String, String)>,
}

impl Validator<'_> {
    fn check(&mut self, schema: &Value, value: &Value, at: &str, path: &str) {
        let named;
        let (schema, at) = match ref_name(schema) {
            Some(name) => {
                named = name.to_owned();
                (resolve(self.doc, schema), named.as_str())
            }
            None => (schema, at),
        };
        if let Some(all) = schema["allOf"].as_array() {
            for part in all {
                self.check(part, value, at, path);
            }
        }
        if value.is_null() {
            if schema["nullable"] != true && schema.get("type").is_some() {
                self.problem(
                    at,
                    format!("{path} is null; the schema does not say nullable"),
                );
            }
            return;
        }
        if let Some(kind) = schema["type"].as_str() {
            let fits = match kind {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                _ => true,
            };
            if !fits {
                self.problem(at, format!("{path} is {value}, not a {kind}"));
                return;
            }
        }
        if let Some(options) = schema["enum"].as_array() {
            if !options.contains(value) {
                self.problem(at, format!("{path} is {value}, not one of {options:?}"));
            }
        }
        if schema["format"] == "date-time" {
            if let Some(s) = value.as_str() {
                if chrono::DateTime::parse_from_rfc3339(s).is_err() {
                    self.problem(at, format!("{path} is {s}, not a date-time"));
                }
            }
        }
        if let Some(map) = value.as_object() {
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                if !map.contains_key(name) {
                    self.problem(
                        &format!("{at}.{name}"),
                        format!("{path} lacks the required {name}"),
                    );
                }
            }
            for (name, sub) in schema["properties"].as_object().into_iter().flatten() {
                match map.get(name) {
                    Some(v) => {
                        self.check(sub, v, &format!("{at}.{name}"), &format!("{path}.{name}"))
                    }
                    None => self.problem(
                        &format!("{at}.{name}"),
                        format!("{path} lacks the declared {name}"),
                    ),
                }
            }
        }
        if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
            for (i, v) in list.iter().enumerate() {
                self.check(items, v, &format!("{at}[]"), &format!("{path}[{i}]"));
            }
        }
    }

    fn problem(&mut self, at: &str, what: String) {
        self.problems.push((at.to_owned(), what));
    }
}

/// Whether a listed location (`a.b`, or `a.*` for all under `a`) covers a problem's.
fn covers(listed: &str, at: &str) -> bool {
    match listed.strip_suffix(".*") {
        Some(prefix) => at.starts_with(prefix) && at[prefix.len()..].starts_with(['.', '[']),
        None => listed == at,
    }
}

/// Chatwoot's create answer, which the swagger does not define (contacts/create.json.jbuilder).
fn contact_create_response() -> Value {
    json!({
        "type": "object",
        "required": ["payload"],
        "properties": {"payload": {
            "type": "object",
            "required": ["contact"],
            "properties": {
                "contact": {"$ref": "#/components/schemas/contact_list_item"},
                "contact_inbox": {"type": "object", "nullable": true}
            }
        }}
    })
}

/// Every contacts-area operation in order, sent to a fresh server in the given mode (as
/// this server takes them, or with `as_written` as the swagger writes them): the
/// problems no list excuses, and the listed locations that excused one.
async fn run(stock: bool, as_written: bool) -> (Vec<String>, BTreeSet<String>) {
    let doc = swagger();
    let app = TestApp::with_config(|c| c.stock_chatwoot = stock).await;
    let inbox = |channel: &str| {
        app.a
            .inboxes
            .iter()
            .find(|(_, c)| *c == channel)
            .map(|(id, _)| *id)
            .expect("fixture inbox")
    };
    let contact = app
        .insert_contact(
            app.a.account_id,
            json!({"name": "Alice Acme", "email": "alice.acme@acme.test"}),
        )
        .await;
    let doomed = app
        .insert_contact(app.a.account_id, json!({"name": "Doomed"}))
        .await;
    let definitions = app.get("/custom_attribute_definitions").await;
    let definition = definitions.body[0]["id"]
        .as_i64()
        .expect("a fixture definition");
    let mut ctx = Ctx {
        account: app.a.account_id,
        contact,
        doomed,
        api_inbox: inbox("Channel::Api"),
        email_inbox: inbox("Channel::Email"),
        user: app.a.user_id,
        definition,
        segment: None,
        created_definition: None,
    };
    let ops = operations(&doc);
    let mut failures = Vec::new();
    let mut excused = BTreeSet::new();
    let mode = if stock { "stock" } else { "normal" };
    for id in OPERATIONS {
        let op = ops
            .iter()
            .find(|o| o.id == *id)
            .expect("listed operations exist");
        let (method, uri, body) = build(&doc, op, &ctx, as_written, false);
        let reply: Reply = app
            .request(method.clone(), &uri, Some(&app.a.token), body.clone())
            .await;
        let what = format!(
            "{mode}: {id} {method} {uri} {}",
            body.map(|b| b.to_string()).unwrap_or_default()
        );
        if !reply.status.is_success() {
            failures.push(format!("{what}\n  -> {} {}", reply.status, reply.text));
            continue;
        }
        match *id {
            "create-a-custom-filter" => ctx.segment = reply.body["id"].as_i64(),
            // What follows reads and changes the contact the swagger's example made.
            "contactCreate" => {
                ctx.contact = reply.body["payload"]["contact"]["id"]
                    .as_i64()
                    .unwrap_or(ctx.contact)
            }
            "add-new-custom-attribute-to-account" => {
                ctx.created_definition = reply.body["id"].as_i64()
            }
            _ => {}
        }
        let status = reply.status.as_u16();
        let override_ = STATUS_MISTAKES
            .iter()
            .find(|(o, s, _, _)| o == id && *s == status);
        let schema = match override_ {
            Some((_, _, "", _)) => {
                excused.insert(format!("status:{id}"));
                assert!(
                    reply.text.is_empty(),
                    "{what}: 204 has no body: {}",
                    reply.text
                );
                None
            }
            Some((_, _, "contact_create_response", _)) => {
                excused.insert(format!("status:{id}"));
                Some(contact_create_response())
            }
            Some((_, _, name, _)) => {
                excused.insert(format!("status:{id}"));
                Some(json!({"$ref": format!("#/components/schemas/{name}")}))
            }
            None => {
                let Some(response) = op.op["responses"].get(status.to_string()) else {
                    failures.push(format!(
                        "{what}\n  -> {status}: the swagger declares no such status"
                    ));
                    continue;
                };
                response["content"]["application/json"]["schema"]
                    .as_object()
                    .map(|_| response["content"]["application/json"]["schema"].clone())
            }
        };
        let Some(schema) = schema else { continue };
        let mut v = Validator {
            doc: &doc,
            problems: Vec::new(),
        };
        v.check(&schema, &reply.body, id, "answer");
        for (at, problem) in v.problems {
            let differs = !as_written && DIFFERS.iter().any(|(m, _)| covers(m, &at));
            if let Some((m, _)) = MISTAKES.iter().find(|(m, _)| covers(m, &at)) {
                excused.insert((*m).to_owned());
            } else if differs {
                if let Some((m, _)) = DIFFERS.iter().find(|(m, _)| covers(m, &at)) {
                    excused.insert((*m).to_owned());
                }
            } else {
                failures.push(format!(
                    "{what}\n  -> at {at}: {problem}\n  answer: {}",
                    reply.text
                ));
            }
        }
    }
    (failures, excused)
}

/// Every contacts-area operation of the swagger, sent as its parameters and examples
/// describe it, is answered 2xx with what its response schema declares (less the
/// swagger's own listed mistakes), in both modes.
#[tokio::test]
async fn every_contacts_operation_of_the_swagger_is_answered_as_it_declares() {
    let doc = swagger();
    let listed: BTreeSet<&str> = OPERATIONS.iter().copied().collect();
    let found: BTreeSet<String> = operations(&doc).into_iter().map(|o| o.id).collect();
    let found: BTreeSet<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(
        listed, found,
        "the swagger's contacts area is the list of OPERATIONS"
    );

    let mut excused = BTreeSet::new();
    let mut failures = Vec::new();
    for stock in [false, true] {
        let (f, e) = run(stock, false).await;
        failures.extend(f);
        excused.extend(e);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let stale: Vec<String> = MISTAKES
        .iter()
        .map(|(at, _)| (*at).to_owned())
        .chain(DIFFERS.iter().map(|(at, _)| (*at).to_owned()))
        .chain(
            STATUS_MISTAKES
                .iter()
                .map(|(id, ..)| format!("status:{id}")),
        )
        .filter(|at| !excused.contains(at))
        .collect();
    assert!(
        stale.is_empty(),
        "listed swagger mistakes no answer shows any more: {stale:?}"
    );
}

/// The swagger's requests as written, and its answers as declared, where this server
/// does not follow Chatwoot yet: each `needs()` and `DIFFERS` entry names the difference.
#[tokio::test]
#[ignore = "needs: the rest of Chatwoot's conversation partial and message \
            push_event_data (uuid, can_reply, seen-at times, a message's sender and status: \
            not stored); the inbox's channel settings (inboxes.rs keeps none); a contact's \
            own contact_inboxes without _inbox_slim's keys (contacts/row.rs); an upper-case \
            query_operator (contacts/filter.rs); the example phone +123456789 (refused by \
            the phone library: the contract's choice)"]
async fn the_swagger_examples_this_server_does_not_take_yet() {
    let (failures, _) = run(false, true).await;
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every contacts-area operation is a route here: the swagger's (method, path) is an
/// operation of this server's own OpenAPI document (which the router is built from, so a
/// path missing there is a route missing), and an operation on an id that does not exist
/// answers the JSON 404 `{"error": "Resource could not be found"}`.
#[tokio::test]
async fn every_contacts_operation_is_served_and_a_missing_id_is_a_json_404() {
    let doc = swagger();
    for stock in [false, true] {
        let app = TestApp::with_config(|c| c.stock_chatwoot = stock).await;
        let ours = app
            .request(Method::GET, "/api/v1/openapi.json", None, None)
            .await
            .body;
        let shape = |path: &str| {
            let mut out = String::new();
            let mut depth = 0;
            for ch in path.trim_end_matches('/').chars() {
                match ch {
                    '{' => {
                        depth += 1;
                        out.push('*');
                    }
                    '}' => depth -= 1,
                    c if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            out
        };
        let served: BTreeSet<(String, String)> = ours["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(p, item)| {
                item.as_object()
                    .into_iter()
                    .flatten()
                    .map(move |(m, _)| (m.clone(), shape(p)))
            })
            .collect();
        let ctx = Ctx {
            account: app.a.account_id,
            contact: 0,
            doomed: 0,
            api_inbox: 0,
            email_inbox: 0,
            user: app.a.user_id,
            definition: 0,
            segment: None,
            created_definition: None,
        };
        for op in operations(&doc) {
            assert!(
                served.contains(&(op.method.clone(), shape(&op.path))),
                "{} {} ({}) is a route of this server",
                op.method,
                op.path,
                op.id
            );
            let has_id = op.path.matches('{').count() > 1;
            if !has_id {
                continue;
            }
            let (method, uri, body) = build(&doc, &op, &ctx, false, true);
            let r = app.request(method, &uri, Some(&app.a.token), body).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{} {uri}: {}",
                op.id,
                r.text
            );
            assert_eq!(
                r.body,
                json!({"error": "Resource could not be found"}),
                "{} {uri}",
                op.id
            );
        }
    }
}

/// Our own OpenAPI document says what every JSON route reads: the same body as
/// `application/x-www-form-urlencoded` and `multipart/form-data` (http/form.rs), with
/// the JSON body's schema; the import's upload stays multipart only.
#[tokio::test]
async fn our_openapi_document_declares_form_bodies_beside_json() {
    let app = TestApp::new().await;
    let doc = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let mut json_bodies = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(content) = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            else {
                continue;
            };
            let Some(json_body) = content.get("application/json") else {
                assert!(
                    !content.contains_key("application/x-www-form-urlencoded"),
                    "{method} {path}: a form body only beside a JSON one: {content:?}"
                );
                continue;
            };
            json_bodies += 1;
            for form in ["application/x-www-form-urlencoded", "multipart/form-data"] {
                assert_eq!(
                    content.get(form),
                    Some(json_body),
                    "{method} {path} declares {form} with the JSON body's schema"
                );
            }
        }
    }
    assert!(
        json_bodies >= 20,
        "the document has the JSON routes: {json_bodies}"
    );
    let import = &doc["paths"]["/api/v1/accounts/{account_id}/contacts/import"]["post"]
        ["requestBody"]["content"];
    assert!(import.get("multipart/form-data").is_some(), "{import}");
    assert!(import.get("application/json").is_none(), "{import}");

    // And a form body is indeed read on a route the document says takes one.
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(app.a_url("/contacts"))
        .header("api_access_token", &app.a.token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(
            "name=Olena&additional_attributes%5Bcity%5D=Kyiv",
        ))
        .expect("request");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["payload"]["contact"]["additional_attributes"]["city"],
        "Kyiv"
    );
}

/// The validator itself finds what it is for: a wrong type, a null not declared
/// nullable, a missing required or declared property, a value outside an enum, a bad
/// item, through a `$ref` and an `allOf`.
#[test]
fn the_validator_finds_each_kind_of_disagreement() {
    let doc = json!({"components": {"schemas": {
        "thing": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "nullable": true},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "at": {"type": "string", "format": "date-time"}
        }},
        "more": {"allOf": [{"$ref": "#/components/schemas/thing"},
                           {"type": "object", "properties": {"extra": {"type": "boolean"}}}]}
    }}});
    let problems = |value: Value| {
        let mut v = Validator {
            doc: &doc,
            problems: Vec::new(),
        };
        v.check(
            &json!({"$ref": "#/components/schemas/more"}),
            &value,
            "x",
            "answer",
        );
        v.problems.into_iter().map(|(at, _)| at).collect::<Vec<_>>()
    };
    let good = json!({"id": 1, "name": null, "kind": "a", "tags": ["t"], "at": "2024-01-02T03:04:05Z", "extra": true});
    assert_eq!(problems(good.clone()), Vec::<String>::new());
    let mut bad = good.clone();
    bad["id"] = json!("1");
    assert_eq!(problems(bad), ["thing.id"]);
    let mut bad = good.clone();
    bad["kind"] = json!(null);
    assert_eq!(problems(bad), ["thing.kind"]);
    let mut bad = good.clone();
    bad["kind"] = json!("c");
    assert_eq!(problems(bad), ["thing.kind"]);
    let mut bad = good.clone();
    bad["tags"] = json!(["t", 2]);
    assert_eq!(problems(bad), ["thing.tags[]"]);
    let mut bad = good.clone();
    bad["at"] = json!("yesterday");
    assert_eq!(problems(bad), ["thing.at"]);
    let mut bad = good.clone();
    bad["extra"] = json!("yes");
    assert_eq!(problems(bad), ["more.extra"]);
    let mut bad = good.clone();
    bad.as_object_mut().map(|m| m.remove("id"));
    assert_eq!(
        problems(bad),
        ["thing.id", "thing.id"],
        "required, and declared"
    );
    assert_eq!(problems(json!([])), ["thing", "more"]);
    assert!(covers("inbox.*", "inbox.name") && covers("inbox.*", "inbox.x[]"));
    assert!(!covers("inbox.*", "inbox_contact.name") && !covers("inbox.*", "inbox"));
}
