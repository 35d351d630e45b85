//! Chatwoot's own dashboard as a client of this server (issue #16). Each test sends the
//! calls one of its API modules makes (`app/javascript/dashboard/api/*.js`: method, path,
//! query keys, body shape, as axios sends them) after signing in as the dashboard does
//! (devise_token_auth headers copied into every call, `helper/APIHelper.js`), and asserts
//! what the matching store module (`store/modules/*`: actions, mutations, getters) reads
//! from the answer. Every test runs against this server and against its stock-Chatwoot
//! mode, as the dashboard talks to a stock Chatwoot.
//!
//! Written from reading Chatwoot's modules; none of their code is here. A test whose
//! call this server answers differently from Chatwoot is `#[ignore = "needs: …"]`, naming
//! the difference.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use http_body_util::BodyExt;
use novatalks_server::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

const DEVISE: [&str; 5] = ["access-token", "token-type", "client", "expiry", "uid"];

/// The dashboard, signed in to account A of a fresh server.
struct Dash {
    t: TestApp,
    /// What `POST /auth/sign_in` answered in its headers, sent on every call.
    headers: Vec<(&'static str, String)>,
    stock: bool,
}

impl Dash {
    async fn sign_in(stock: bool) -> Dash {
        let t = TestApp::with_config(|c| c.stock_chatwoot = stock).await;
        let req = Request::builder()
            .method(Method::POST)
            .uri("/auth/sign_in")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"email": "a@test.test", "password": DEMO_PASSWORD}).to_string(),
            ))
            .expect("request");
        let res = tower::ServiceExt::oneshot(t.app.clone(), req)
            .await
            .expect("response");
        assert_eq!(res.status(), StatusCode::OK, "the dashboard signs in");
        let headers = DEVISE
            .iter()
            .map(|name| {
                let value = res
                    .headers()
                    .get(*name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_else(|| panic!("sign-in answers `{name}`"));
                (*name, value.to_owned())
            })
            .collect();
        let _ = res.into_body().collect().await;
        Dash { t, headers, stock }
    }

    /// `/api/v1/accounts/{a}{path}`: `ApiClient`'s account-scoped URL.
    fn url(&self, path: &str) -> String {
        self.t.a_url(path)
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let mut req = Request::builder()
            .method(method)
            .uri(self.url(path))
            .header("accept", "application/json, text/plain, */*");
        for (name, value) in &self.headers {
            req = req.header(*name, value);
        }
        req
    }

    /// An axios call: a JSON body when given, none otherwise.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let req = self.request(method, path);
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        self.t.send(req).await
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    /// An axios call with a `FormData` body: `fields` as text parts, `file` as a file part.
    async fn form_data(
        &self,
        method: Method,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &str)>,
    ) -> Reply {
        let boundary = "----dashboardFormBoundary7MA4YWxk";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        if let Some((name, filename, content)) = file {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let req = self
            .request(method, path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.t.send(req).await
    }

    async fn contact(&self, fields: Value) -> i64 {
        self.t.insert_contact(self.t.a.account_id, fields).await
    }

    fn inbox(&self, channel: &str) -> i64 {
        self.t
            .a
            .inboxes
            .iter()
            .find(|(_, c)| *c == channel)
            .map(|(id, _)| *id)
            .expect("fixture inbox")
    }

    fn mode(&self) -> &'static str {
        if self.stock {
            "stock mode"
        } else {
            "normal mode"
        }
    }
}

/// Runs `check` against this server, then against its stock-Chatwoot mode.
async fn both<F, Fut>(check: F)
where
    F: Fn(Dash) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    check(Dash::sign_in(false).await).await;
    check(Dash::sign_in(true).await).await;
}

fn ok(d: &Dash, r: &Reply, what: &str) {
    assert!(
        r.status.is_success(),
        "{what} ({}): {} {}",
        d.mode(),
        r.status,
        r.text
    );
}

/// The keys of a contact the contacts table, the card and the `EDIT_CONTACT` mutation
/// (which replaces the stored record with the answer) read: Chatwoot's contact view.
const CONTACT_KEYS: [&str; 11] = [
    "id",
    "name",
    "email",
    "phone_number",
    "identifier",
    "thumbnail",
    "availability_status",
    "blocked",
    "additional_attributes",
    "custom_attributes",
    "created_at",
];

fn assert_contact(d: &Dash, c: &Value, what: &str) {
    for key in CONTACT_KEYS {
        assert!(
            c.get(key).is_some(),
            "{what} ({}): a contact has `{key}`: {c}",
            d.mode()
        );
    }
    assert!(c["id"].is_i64(), "{what}: id is a number: {c}");
    assert!(c["additional_attributes"].is_object(), "{what}: {c}");
    assert!(c["custom_attributes"].is_object(), "{what}: {c}");
    assert!(c["blocked"].is_boolean(), "{what}: {c}");
    assert!(c["created_at"].is_i64(), "{what}: epoch seconds: {c}");
    assert!(
        c["thumbnail"].is_string(),
        "{what}: the avatar reads a text: {c}"
    );
    if let Some(last) = c.get("last_activity_at") {
        assert!(last.is_i64(), "{what}: epoch seconds: {c}");
    }
}

/// `SET_CONTACTS` + `SET_CONTACT_META`: `payload` is the page, `meta.count` the total
/// the footer pages through, `meta.current_page` the page it shows.
fn assert_page(d: &Dash, r: &Reply, what: &str, count: i64, page: i64) -> Vec<i64> {
    ok(d, r, what);
    let payload = r.body["payload"].as_array().expect("payload list");
    payload.iter().for_each(|c| assert_contact(d, c, what));
    assert_eq!(
        r.body["meta"]["count"],
        count,
        "{what} ({}): {}",
        d.mode(),
        r.text
    );
    assert_eq!(
        r.body["meta"]["current_page"],
        page,
        "{what} ({}): current_page is the page asked for: {}",
        d.mode(),
        r.text
    );
    TestApp::ids(r)
}

/// `ContactAPI.get(page, sortAttr, label)` for the `contacts/get` action, and
/// `ContactAPI.show(id)` for `contacts/show` (`SET_CONTACT_ITEM` from `payload`).
#[tokio::test]
async fn the_contacts_list_and_one_contact_as_the_dashboard_reads_them() {
    both(|d| async move {
        let olena = d
            .contact(json!({"name": "Olena", "email": "olena@example.com", "last_activity_at": 1_800_000_000}))
            .await;
        let bohdan = d.contact(json!({"name": "Bohdan", "phone_number": "+380501234567"})).await;
        d.t.label_contact(d.t.a.account_id, olena, &["vip"]).await;

        let r = d.get("/contacts?include_contact_inboxes=false&page=1&sort=name").await;
        let ids = assert_page(&d, &r, "contacts/get", 2, 1);
        assert_eq!(ids, [bohdan, olena], "sort=name ({})", d.mode());
        let r = d
            .get("/contacts?include_contact_inboxes=false&page=1&sort=-name&labels[]=vip")
            .await;
        assert_eq!(assert_page(&d, &r, "contacts/get by label", 1, 1), [olena]);
        let r = d.get("/contacts?include_contact_inboxes=false&page=2&sort=name").await;
        assert_eq!(assert_page(&d, &r, "contacts/get page 2", 2, 2), Vec::<i64>::new());

        let r = d.get(&format!("/contacts/{olena}?include_contact_inboxes=false")).await;
        ok(&d, &r, "contacts/show");
        assert_contact(&d, &r.body["payload"], "contacts/show");
        assert_eq!(r.body["payload"]["email"], "olena@example.com");
        assert_eq!(r.body["payload"]["last_activity_at"], 1_800_000_000);
    })
    .await;
}

/// `ContactAPI.search(search, page, sortAttr, label)` for the `contacts/search` action.
#[tokio::test]
async fn the_dashboards_search_reads_a_page_of_contacts() {
    both(|d| async move {
        let olena = d.contact(json!({"name": "Olena Kovalenko", "email": "olena@example.com"})).await;
        d.contact(json!({"name": "Bohdan", "email": "bohdan@example.com"})).await;
        d.t.label_contact(d.t.a.account_id, olena, &["vip"]).await;
        let r = d
            .get("/contacts/search?include_contact_inboxes=false&page=1&sort=name&q=olena")
            .await;
        assert_eq!(assert_page(&d, &r, "contacts/search", 1, 1), [olena]);
        let r = d
            .get("/contacts/search?include_contact_inboxes=false&page=1&sort=name&q=example&labels[]=vip")
            .await;
        assert_eq!(assert_page(&d, &r, "contacts/search by label", 1, 1), [olena]);
    })
    .await;
}

/// `ContactAPI.filter(page, sortAttr, queryPayload)` for the `contacts/filter` action:
/// the query string of a list, the advanced filter's `{payload: [...]}` as the body.
#[tokio::test]
async fn the_dashboards_advanced_filter_reads_a_page_of_contacts() {
    both(|d| async move {
        let olena = d
            .contact(json!({"name": "Olena", "email": "olena@example.com"}))
            .await;
        d.contact(json!({"name": "Bohdan", "email": "bohdan@corp.test"}))
            .await;
        let body = json!({"payload": [{
            "attribute_key": "email",
            "filter_operator": "contains",
            "values": ["example"],
            "query_operator": null,
            "attribute_model": "standard",
            "custom_attribute_type": ""
        }]});
        let r = d
            .call(
                Method::POST,
                "/contacts/filter?include_contact_inboxes=false&page=1&sort=name",
                Some(body),
            )
            .await;
        assert_eq!(assert_page(&d, &r, "contacts/filter", 1, 1), [olena]);
    })
    .await;
}

/// `ContactAPI.create(data)` for `contacts/create` (`SET_CONTACT_ITEM` from
/// `payload.contact`; a 422 raises `DuplicateContactException(data.attributes)`), and
/// `ContactAPI.update(id, data)` for `contacts/update` (`EDIT_CONTACT` from `payload`,
/// which replaces the record whole, so it must be the whole contact).
#[tokio::test]
async fn creating_and_updating_a_contact_as_the_dashboard_does() {
    both(|d| async move {
        let r = d
            .call(
                Method::POST,
                "/contacts",
                Some(json!({
                    "name": "Olena",
                    "email": "olena@example.com",
                    "phone_number": "+380501234567",
                    "additional_attributes": {"company_name": "Nova", "city": "Kyiv", "description": "", "social_profiles": {"github": "olena"}}
                })),
            )
            .await;
        ok(&d, &r, "contacts/create");
        let created = &r.body["payload"]["contact"];
        assert_contact(&d, created, "contacts/create");
        let id = created["id"].as_i64().expect("id");
        assert_eq!(created["additional_attributes"]["social_profiles"]["github"], "olena");

        let dup = d
            .call(Method::POST, "/contacts", Some(json!({"name": "Again", "email": "OLENA@example.com"})))
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", dup.text);
        assert_eq!(dup.body["attributes"], json!(["email"]), "{}", dup.text);
        assert!(dup.body["message"].is_string(), "{}", dup.text);

        let r = d
            .call(
                Method::PATCH,
                &format!("/contacts/{id}?include_contact_inboxes=false"),
                Some(json!({"name": "Olena K.", "additional_attributes": {"city": "Lviv"}})),
            )
            .await;
        ok(&d, &r, "contacts/update");
        assert_contact(&d, &r.body["payload"], "contacts/update");
        assert_eq!(r.body["payload"]["name"], "Olena K.");
        assert_eq!(r.body["payload"]["email"], "olena@example.com");
        assert_eq!(r.body["payload"]["additional_attributes"]["city"], "Lviv");

        // The card's "Block contact" toggle is the same update with `blocked` alone.
        for blocked in [true, false] {
            let r = d
                .call(
                    Method::PATCH,
                    &format!("/contacts/{id}?include_contact_inboxes=false"),
                    Some(json!({ "blocked": blocked })),
                )
                .await;
            ok(&d, &r, "contacts/update blocked");
            assert_eq!(r.body["payload"]["blocked"], blocked, "{}", r.text);
            assert_eq!(r.body["payload"]["name"], "Olena K.");
        }

        let other = d.contact(json!({"name": "Bohdan", "email": "bohdan@example.com"})).await;
        let dup = d
            .call(
                Method::PATCH,
                &format!("/contacts/{other}?include_contact_inboxes=false"),
                Some(json!({"email": "olena@example.com"})),
            )
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", dup.text);
        assert_eq!(dup.body["attributes"], json!(["email"]), "{}", dup.text);
    })
    .await;
}

/// `contacts/update` and `contacts/create` with `isFormData` (the card's form when an
/// avatar is chosen): `FormData` with the contact's fields at the top level and
/// `additional_attributes[key]`, `additional_attributes[social_profiles][key]`.
#[tokio::test]
async fn a_contact_sent_as_form_data_is_read_as_the_json_one() {
    both(|d| async move {
        let r = d
            .form_data(
                Method::POST,
                "/contacts",
                &[
                    ("name", "Olena"),
                    ("email", "olena@example.com"),
                    ("additional_attributes[company_name]", "Nova"),
                    ("additional_attributes[social_profiles][twitter]", "olena_k"),
                ],
                None,
            )
            .await;
        ok(&d, &r, "contacts/create with FormData");
        let created = &r.body["payload"]["contact"];
        assert_contact(&d, created, "contacts/create with FormData");
        assert_eq!(created["additional_attributes"]["company_name"], "Nova");
        assert_eq!(
            created["additional_attributes"]["social_profiles"]["twitter"],
            "olena_k"
        );
        let id = created["id"].as_i64().expect("id");

        let r = d
            .form_data(
                Method::PATCH,
                &format!("/contacts/{id}?include_contact_inboxes=false"),
                &[
                    ("name", "Olena K."),
                    ("additional_attributes[city]", "Kyiv"),
                ],
                None,
            )
            .await;
        ok(&d, &r, "contacts/update with FormData");
        assert_eq!(r.body["payload"]["name"], "Olena K.");
        assert_eq!(r.body["payload"]["additional_attributes"]["city"], "Kyiv");
        assert_eq!(
            r.body["payload"]["additional_attributes"]["company_name"],
            "Nova"
        );
    })
    .await;
}

/// `ContactAPI.delete(id)` for `contacts/delete`, `ContactAPI.destroyCustomAttributes`
/// for `contacts/deleteCustomAttributes` and `ContactAPI.destroyAvatar` for
/// `contacts/deleteAvatar` (both `EDIT_CONTACT` from `payload`).
#[tokio::test]
async fn deleting_a_contact_its_attributes_and_its_avatar() {
    both(|d| async move {
        let id = d
            .contact(json!({"name": "Olena", "custom_attributes": {"plan": "gold", "seats": 3}}))
            .await;
        let r = d
            .call(
                Method::POST,
                &format!("/contacts/{id}/destroy_custom_attributes"),
                Some(json!({"custom_attributes": ["plan"]})),
            )
            .await;
        ok(&d, &r, "contacts/deleteCustomAttributes");
        assert_contact(&d, &r.body["payload"], "contacts/deleteCustomAttributes");
        assert_eq!(r.body["payload"]["custom_attributes"], json!({"seats": 3}));

        let r = d
            .call(Method::DELETE, &format!("/contacts/{id}/avatar"), None)
            .await;
        ok(&d, &r, "contacts/deleteAvatar");
        assert_contact(&d, &r.body["payload"], "contacts/deleteAvatar");
        assert_eq!(r.body["payload"]["thumbnail"], "");

        let r = d
            .call(Method::DELETE, &format!("/contacts/{id}"), None)
            .await;
        ok(&d, &r, "contacts/delete");
        let r = d
            .get(&format!("/contacts/{id}?include_contact_inboxes=false"))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert_eq!(r.body["error"], "Resource could not be found");
    })
    .await;
}

/// `ContactAPI.importContacts(file)` for `contacts/import` (a `FormData` with
/// `import_file`; the action reads nothing but success) and `ContactAPI.exportContacts`
/// for `contacts/export` (`{payload, label}`; success is all it reads either).
#[tokio::test]
async fn importing_and_exporting_as_the_dashboard_does() {
    both(|d| async move {
        let r = d
            .form_data(
                Method::POST,
                "/contacts/import",
                &[],
                Some(("import_file", "contacts.csv", "name,email\nOlena,olena@example.com\n")),
            )
            .await;
        ok(&d, &r, "contacts/import");
        let r = d.get("/contacts/search?q=olena&page=1&sort=name").await;
        assert_eq!(r.body["meta"]["count"], 1, "the import ran ({}): {}", d.mode(), r.text);

        let r = d
            .call(Method::POST, "/contacts/export", Some(json!({"payload": [], "label": ""})))
            .await;
        ok(&d, &r, "contacts/export");
        let r = d
            .call(
                Method::POST,
                "/contacts/export",
                Some(json!({"payload": [{"attribute_key": "name", "filter_operator": "contains", "values": ["ole"], "query_operator": null}], "label": ""})),
            )
            .await;
        ok(&d, &r, "contacts/export of a filter");
    })
    .await;
}

/// `ContactAPI.getContactableInboxes(id)` for `contacts/fetchContactableInbox`
/// (`SET_CONTACT_ITEM` with `contactableInboxes: payload`; the new-conversation form
/// lists `inbox.id`, `inbox.name`, `inbox.channel_type` and keeps `source_id`).
#[tokio::test]
async fn the_inboxes_a_contact_can_be_written_from() {
    both(|d| async move {
        let id = d
            .contact(json!({"name": "Olena", "email": "olena@example.com"}))
            .await;
        let r = d.get(&format!("/contacts/{id}/contactable_inboxes")).await;
        ok(&d, &r, "contacts/fetchContactableInbox");
        let items = r.body["payload"].as_array().expect("payload list");
        assert!(
            !items.is_empty(),
            "an email inbox can write to her: {}",
            r.text
        );
        for item in items {
            assert!(item["inbox"]["id"].is_i64(), "{item}");
            assert!(item["inbox"]["name"].is_string(), "{item}");
            assert!(item["inbox"]["channel_type"].is_string(), "{item}");
            assert!(item.get("source_id").is_some(), "{item}");
            assert_slim_inbox_keys(&item["inbox"]);
        }
        let email = d.inbox("Channel::Email");
        assert!(
            items
                .iter()
                .any(|i| i["inbox"]["id"] == email && i["source_id"] == "olena@example.com"),
            "{}",
            r.text
        );
    })
    .await;
}

/// The keys of Chatwoot's `models/_inbox_slim.json.jbuilder` beside the contract's: the
/// avatar (`""` here: no inbox avatars are kept, as Chatwoot's for none), the channel's
/// id (an inbox is its own channel here: its id) and the provider (null: none here).
fn assert_slim_inbox_keys(i: &Value) {
    assert_eq!(i["avatar_url"], "", "{i}");
    assert_eq!(i["channel_id"], i["id"], "{i}");
    assert!(i.get("provider").is_some_and(Value::is_null), "{i}");
}

/// `AccountActionsAPI.merge(parentId, childId)` for `contacts/merge`: the body names
/// `base_contact_id` and `mergee_contact_id`; `SET_CONTACT_ITEM` reads the answer itself
/// (not a `payload`) as the merged contact.
#[tokio::test]
async fn merging_two_contacts_as_the_dashboard_does() {
    both(|d| async move {
        let base = d
            .contact(json!({"name": "Olena", "email": "olena@example.com"}))
            .await;
        let mergee = d
            .contact(json!({"name": "Olena K", "phone_number": "+380501234567"}))
            .await;
        let r = d
            .call(
                Method::POST,
                "/actions/contact_merge",
                Some(json!({"base_contact_id": base, "mergee_contact_id": mergee})),
            )
            .await;
        ok(&d, &r, "contacts/merge");
        assert_eq!(r.body["id"], base, "{}", r.text);
        assert_contact(&d, &r.body, "contacts/merge");
        assert_eq!(r.body["phone_number"], "+380501234567");
        let gone = d.get(&format!("/contacts/{mergee}")).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// `ContactAPI.getContactLabels(id)` for `contactLabels/get` and
/// `ContactAPI.updateContactLabels(id, labels)` for `contactLabels/update`: both
/// `SET_CONTACT_LABELS` from `payload`, a list of titles.
#[tokio::test]
async fn a_contacts_labels_as_the_dashboard_reads_them() {
    both(|d| async move {
        let id = d.contact(json!({"name": "Olena"})).await;
        d.t.label_contact(d.t.a.account_id, id, &["vip"]).await;
        let r = d.get(&format!("/contacts/{id}/labels")).await;
        ok(&d, &r, "contactLabels/get");
        assert_eq!(r.body["payload"], json!(["vip"]));
        let r = d
            .call(
                Method::POST,
                &format!("/contacts/{id}/labels"),
                Some(json!({"labels": ["vip", "billing"]})),
            )
            .await;
        ok(&d, &r, "contactLabels/update");
        let mut titles: Vec<String> =
            serde_json::from_value(r.body["payload"].clone()).expect("titles");
        titles.sort();
        assert_eq!(titles, ["billing", "vip"]);
    })
    .await;
}

/// `ContactNotesAPI.get(contactId)` for `contactNotes/get` (`SET_CONTACT_NOTES` from
/// the answer itself, a list), `create(contactId, content)` for `contactNotes/create`
/// (`ADD_CONTACT_NOTE` from the answer, the note) and `delete(contactId, id)` for
/// `contactNotes/delete`. The note view reads `id`, `content`, `user.name` and
/// `created_at`; the getter sorts by `created_at`.
#[tokio::test]
async fn a_contacts_notes_as_the_dashboard_reads_them() {
    both(|d| async move {
        let id = d.contact(json!({"name": "Olena"})).await;
        let r = d
            .call(
                Method::POST,
                &format!("/contacts/{id}/notes"),
                Some(json!({"content": "Called her"})),
            )
            .await;
        ok(&d, &r, "contactNotes/create");
        let note = r.body.clone();
        assert!(note["id"].is_i64(), "{note}");
        assert_eq!(note["content"], "Called her");
        assert_eq!(note["contact_id"], id);
        assert_eq!(note["user"]["name"], "Test Agent");
        assert!(note["created_at"].is_i64(), "{note}");

        let r = d.get(&format!("/contacts/{id}/notes")).await;
        ok(&d, &r, "contactNotes/get");
        assert_eq!(r.body, json!([note]));

        let r = d
            .call(
                Method::DELETE,
                &format!("/contacts/{id}/notes/{}", note["id"]),
                None,
            )
            .await;
        ok(&d, &r, "contactNotes/delete");
        let r = d.get(&format!("/contacts/{id}/notes")).await;
        assert_eq!(r.body, json!([]));
    })
    .await;
}

/// `ContactAPI.getConversations(id)` for `contactConversations/get`
/// (`SET_CONTACT_CONVERSATIONS` from `payload`), and `ConversationAPI.create(params)` for
/// `contactConversations/create`: `{inbox_id, contact_id, source_id, message: {content}}`,
/// `ADD_CONTACT_CONVERSATION` from the answer itself (the conversation, its `id` and
/// `inbox_id`).
#[tokio::test]
async fn a_contacts_conversations_and_a_new_one_from_the_dashboard() {
    both(|d| async move {
        let id = d
            .contact(json!({"name": "Olena", "email": "olena@example.com"}))
            .await;
        let r = d.get(&format!("/contacts/{id}/conversations")).await;
        ok(&d, &r, "contactConversations/get");
        assert_eq!(r.body["payload"], json!([]));

        let email = d.inbox("Channel::Email");
        let inboxes = d.get(&format!("/contacts/{id}/contactable_inboxes")).await;
        let source_id = inboxes.body["payload"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["inbox"]["id"] == email))
            .map(|i| i["source_id"].clone())
            .expect("the email inbox");
        let r = d
            .call(
                Method::POST,
                "/conversations",
                Some(json!({
                    "inbox_id": email,
                    "contact_id": id,
                    "source_id": source_id,
                    "additional_attributes": {"mail_subject": "Hello"},
                    "message": {"content": "Hello from support"},
                    "assignee_id": null
                })),
            )
            .await;
        ok(&d, &r, "contactConversations/create");
        let conversation = r.body["id"].as_i64().expect("conversation id");
        assert_eq!(r.body["inbox_id"], email);

        let r = d.get(&format!("/contacts/{id}/conversations")).await;
        assert_eq!(TestApp::ids(&r), [conversation]);
        assert_eq!(r.body["payload"][0]["inbox_id"], email);
        assert!(r.body["payload"][0]["status"].is_string(), "{}", r.text);
    })
    .await;
}

/// `CustomViewsAPI.getCustomViewsByFilterType('contact')` for `customViews/get`,
/// `create(obj)` for `customViews/create` and `update(id, obj)` for `customViews/update`
/// (each reads the answer itself: the list, the segment), `deleteCustomViews(id, type)`
/// for `customViews/delete`. The segments list reads `id`, `name`, `filter_type` and
/// `query.payload`.
#[tokio::test]
async fn saved_segments_as_the_dashboard_reads_them() {
    both(|d| async move {
        let query = json!({"payload": [{"attribute_key": "name", "filter_operator": "contains", "values": ["ole"], "query_operator": null}]});
        let r = d
            .call(
                Method::POST,
                "/custom_filters",
                Some(json!({"name": "Olenas", "filter_type": "contact", "query": query})),
            )
            .await;
        ok(&d, &r, "customViews/create");
        let id = r.body["id"].as_i64().expect("segment id");
        assert_eq!(r.body["name"], "Olenas");
        assert_eq!(r.body["filter_type"], "contact");
        assert_eq!(r.body["query"], query);

        let r = d.get("/custom_filters?filter_type=contact").await;
        ok(&d, &r, "customViews/get");
        let list = r.body.as_array().expect("a list");
        assert_eq!(list.len(), 1, "{}", r.text);
        assert_eq!(list[0]["id"], id);
        assert_eq!(list[0]["query"], query);

        let r = d
            .call(
                Method::PATCH,
                &format!("/custom_filters/{id}"),
                Some(json!({"id": id, "name": "Olenas 2", "filter_type": "contact", "query": query})),
            )
            .await;
        ok(&d, &r, "customViews/update");
        assert_eq!(r.body["name"], "Olenas 2");

        let r = d
            .call(Method::DELETE, &format!("/custom_filters/{id}?filter_type=contact"), None)
            .await;
        ok(&d, &r, "customViews/delete");
        let r = d.get("/custom_filters?filter_type=contact").await;
        assert_eq!(r.body, json!([]));
    })
    .await;
}

/// The contacts page's segment dialog (`FILTER_TYPE_CONTACT = 1`) sends the filter type
/// as Rails' enum number: `customViews/get` asks `?filter_type=1` and `customViews/create`
/// posts `"filter_type": 1`. Rails' enum takes the number as well as the name and
/// answers the name.
#[tokio::test]
async fn saved_segments_with_the_filter_type_as_a_number() {
    both(|d| async move {
        let query = json!({"payload": [{"attribute_key": "name", "filter_operator": "contains", "values": ["ole"], "query_operator": null}]});
        let r = d
            .call(
                Method::POST,
                "/custom_filters",
                Some(json!({"name": "Olenas", "filter_type": 1, "query": query})),
            )
            .await;
        ok(&d, &r, "customViews/create with filter_type 1");
        assert_eq!(r.body["filter_type"], "contact");
        let r = d.get("/custom_filters?filter_type=1").await;
        ok(&d, &r, "customViews/get with filter_type=1");
        assert_eq!(r.body.as_array().map(Vec::len), Some(1), "{}", r.text);
    })
    .await;
}

/// `AttributeAPI.get()` for `attributes/get` (`SET_CUSTOM_ATTRIBUTE` from the answer, a
/// list; the getter `getAttributesByModel` keeps the records whose `attribute_model` is
/// `contact_attribute`), and `update(id, obj)` for `attributes/update`.
#[tokio::test]
async fn custom_attribute_definitions_as_the_dashboard_reads_them() {
    both(|d| async move {
        let r = d.get("/custom_attribute_definitions").await;
        ok(&d, &r, "attributes/get");
        let list = r.body.as_array().expect("a list").clone();
        assert!(!list.is_empty(), "the fixture defines some: {}", r.text);
        for def in &list {
            for key in [
                "id",
                "attribute_key",
                "attribute_display_name",
                "attribute_display_type",
                "attribute_description",
                "attribute_values",
                "attribute_model",
                "regex_pattern",
                "regex_cue",
            ] {
                assert!(def.get(key).is_some(), "a definition has `{key}`: {def}");
            }
        }
        let contact_defs: Vec<&Value> = list
            .iter()
            .filter(|def| def["attribute_model"] == "contact_attribute")
            .collect();
        assert!(!contact_defs.is_empty(), "{}", r.text);
        let id = contact_defs[0]["id"].as_i64().expect("id");
        let r = d
            .call(
                Method::PATCH,
                &format!("/custom_attribute_definitions/{id}"),
                Some(json!({"attribute_display_name": "Renamed", "attribute_description": "Changed"})),
            )
            .await;
        ok(&d, &r, "attributes/update");
        assert_eq!(r.body["attribute_display_name"], "Renamed");
        assert_eq!(r.body["id"], id);
        let r = d.call(Method::DELETE, &format!("/custom_attribute_definitions/{id}"), None).await;
        ok(&d, &r, "attributes/delete");
    })
    .await;
}

/// The settings page's attribute form (`AddAttribute.vue`) for `attributes/create`: its
/// selects hold the enums' numbers, so `attribute_model` is `1` (contact) and
/// `attribute_display_type` `6` (list); Rails' enum casts both and the answer names them.
#[tokio::test]
async fn a_custom_attribute_definition_created_as_the_settings_form_sends_it() {
    both(|d| async move {
        let r = d
            .call(
                Method::POST,
                "/custom_attribute_definitions",
                Some(json!({
                    "attribute_display_name": "Tier",
                    "attribute_description": "Support tier",
                    "attribute_model": 1,
                    "attribute_display_type": 6,
                    "attribute_key": "tier",
                    "attribute_values": ["gold", "silver"],
                    "regex_pattern": null,
                    "regex_cue": null
                })),
            )
            .await;
        ok(&d, &r, "attributes/create");
        assert_eq!(r.body["attribute_model"], "contact_attribute");
        assert_eq!(r.body["attribute_display_type"], "list");
    })
    .await;
}

/// The same create with the enums by name, as the API's own clients send it.
#[tokio::test]
async fn a_custom_attribute_definition_created_by_name() {
    both(|d| async move {
        let r = d
            .call(
                Method::POST,
                "/custom_attribute_definitions",
                Some(json!({
                    "attribute_display_name": "Tier",
                    "attribute_description": "Support tier",
                    "attribute_model": "contact_attribute",
                    "attribute_display_type": "list",
                    "attribute_key": "tier",
                    "attribute_values": ["gold", "silver"],
                    "regex_pattern": null,
                    "regex_cue": null
                })),
            )
            .await;
        ok(&d, &r, "attributes/create by name");
        assert!(r.body["id"].is_i64(), "{}", r.text);
        assert_eq!(r.body["attribute_key"], "tier");
        assert_eq!(r.body["attribute_values"], json!(["gold", "silver"]));
    })
    .await;
}

/// `LabelsAPI.get()` (a `CacheEnabledApiClient`) for `labels/get` (`SET_LABELS` from
/// `payload`; the sidebar reads `id`, `title`, `color`, `show_on_sidebar`),
/// `create(obj)` for `labels/create` (`ADD_LABEL` from the answer itself), and the cache
/// check before a cached read: `AccountAPI.getCacheKeys()` reads `cache_keys.label`,
/// which must change when a label is created.
#[tokio::test]
async fn account_labels_and_their_cache_key_as_the_dashboard_reads_them() {
    both(|d| async move {
        let before = d.get("/cache_keys").await;
        ok(&d, &before, "getCacheKeys");
        let key = before.body["cache_keys"]["label"].clone();
        assert!(key.is_string(), "{}", before.text);
        assert!(before.body["cache_keys"]["inbox"].is_string(), "{}", before.text);

        let r = d
            .call(
                Method::POST,
                "/labels",
                Some(json!({"title": "dashboard-made", "description": "From the dashboard", "color": "#1f93ff", "show_on_sidebar": true})),
            )
            .await;
        ok(&d, &r, "labels/create");
        assert!(r.body["id"].is_i64(), "{}", r.text);
        assert_eq!(r.body["title"], "dashboard-made");
        assert_eq!(r.body["color"], "#1f93ff");

        let r = d.get("/labels").await;
        ok(&d, &r, "labels/get");
        let labels = r.body["payload"].as_array().expect("payload");
        for l in labels {
            for k in ["id", "title", "description", "color", "show_on_sidebar"] {
                assert!(l.get(k).is_some(), "a label has `{k}`: {l}");
            }
        }
        assert!(labels.iter().any(|l| l["title"] == "dashboard-made"));

        let after = d.get("/cache_keys").await;
        assert_ne!(after.body["cache_keys"]["label"], key, "the label key moved ({})", d.mode());
    })
    .await;
}

/// `InboxesAPI.get()` (a `CacheEnabledApiClient`) for `inboxes/get`: `SET_INBOXES` from
/// `payload`; the contact card and the new-conversation form read `id`, `name` and
/// `channel_type`.
#[tokio::test]
async fn the_accounts_inboxes_as_the_dashboard_reads_them() {
    both(|d| async move {
        let r = d.get("/inboxes").await;
        ok(&d, &r, "inboxes/get");
        let inboxes = r.body["payload"].as_array().expect("payload");
        assert_eq!(inboxes.len(), d.t.a.inboxes.len(), "{}", r.text);
        for i in inboxes {
            assert!(i["id"].is_i64(), "{i}");
            assert!(i["name"].is_string(), "{i}");
            assert!(i["channel_type"].is_string(), "{i}");
            assert_slim_inbox_keys(i);
        }
    })
    .await;
}

/// `BulkActionsAPI.create(payload)` for `bulkActions/process` from the contacts page:
/// `{type: "Contact", ids, labels: {add}}` and `{type: "Contact", ids, action_name:
/// "delete"}`; the store reads only success.
#[tokio::test]
async fn bulk_actions_on_contacts_as_the_dashboard_sends_them() {
    both(|d| async move {
        let one = d.contact(json!({"name": "One"})).await;
        let two = d.contact(json!({"name": "Two"})).await;
        let r = d
            .call(
                Method::POST,
                "/bulk_actions",
                Some(json!({"type": "Contact", "ids": [one, two], "labels": {"add": ["vip"]}})),
            )
            .await;
        ok(&d, &r, "bulkActions/process labels");
        let r = d.get(&format!("/contacts/{two}/labels")).await;
        assert_eq!(r.body["payload"], json!(["vip"]), "{}", r.text);
        let r = d
            .call(
                Method::POST,
                "/bulk_actions",
                Some(json!({"type": "Contact", "ids": [one], "action_name": "delete"})),
            )
            .await;
        ok(&d, &r, "bulkActions/process delete");
        let r = d.get(&format!("/contacts/{one}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    })
    .await;
}

/// `ContactAPI.getConversations(id)` for the contact panel's conversation list, whose
/// cards (`components-next/Conversation/ConversationCard/ConversationCard.vue`,
/// `CardMessagePreview.vue`) read Chatwoot's conversation partial
/// (`conversations/partials/_conversation.json.jbuilder`): `meta.sender` (the contact's
/// name, thumbnail, availability), `timestamp` (the time shown), `labels`,
/// `last_non_activity_message.content` (the preview), `meta.assignee` (absent without
/// one) and `unread_count`; the store also keeps `messages`, `account_id`, `inbox_id`,
/// `status`. The contract's keys stay beside them.
#[tokio::test]
async fn a_contacts_conversations_carry_what_the_conversation_card_reads() {
    both(|d| async move {
        let id = d.contact(json!({"name": "Olena", "email": "olena@example.com"})).await;
        let email = d.inbox("Channel::Email");
        let r = d
            .call(
                Method::POST,
                "/conversations",
                Some(json!({"inbox_id": email, "contact_id": id, "source_id": "olena@example.com", "message": {"content": "Hello"}})),
            )
            .await;
        ok(&d, &r, "contactConversations/create");
        let created = r.body.clone();
        assert_eq!(created["account_id"], d.t.a.account_id, "{created}");
        assert_eq!(created["meta"]["sender"]["id"], id, "{created}");
        let r = d.get(&format!("/contacts/{id}/conversations")).await;
        ok(&d, &r, "contactConversations/get");
        let c = &r.body["payload"][0];
        assert_eq!(c["id"], created["id"], "{c}");
        assert_eq!(c["meta"]["sender"]["id"], id, "{c}");
        assert_eq!(c["meta"]["sender"]["name"], "Olena", "{c}");
        assert_eq!(c["meta"]["sender"]["email"], "olena@example.com", "{c}");
        assert!(c["meta"]["sender"]["thumbnail"].is_string(), "{c}");
        assert_eq!(c["meta"]["channel"], "Channel::Email", "{c}");
        assert!(c["meta"].get("assignee").is_none(), "nobody is assigned: {c}");
        assert_eq!(c["meta"]["hmac_verified"], false, "{c}");
        assert_eq!(c["account_id"], d.t.a.account_id, "{c}");
        assert_eq!(c["inbox_id"], email, "{c}");
        assert_eq!(c["status"], "open", "{c}");
        let messages = c["messages"].as_array().expect("messages");
        assert_eq!(messages.len(), 1, "the last message only: {c}");
        assert_eq!(messages[0]["content"], "Hello", "{c}");
        assert_eq!(messages[0]["message_type"], 1, "the agent's: {c}");
        assert_eq!(messages[0]["conversation_id"], c["id"], "{c}");
        assert_eq!(messages[0]["private"], false, "{c}");
        assert_eq!(c["last_non_activity_message"], messages[0], "{c}");
        assert_eq!(c["timestamp"], c["last_activity_at"], "{c}");
        assert!(c["timestamp"].as_i64().is_some_and(|t| t > 1_600_000_000), "{c}");
        assert_eq!(c["unread_count"], 0, "{c}");
        assert_eq!(c["labels"], json!([]), "{c}");
        assert_eq!(c["muted"], false, "{c}");
        // The contract's short conversation is still there, for this SPA.
        assert_eq!(c["inbox"]["id"], email, "{c}");
        assert_eq!(c["last_message"]["content"], "Hello", "{c}");
        assert_eq!(created["last_message"]["content"], "Hello", "{created}");
    })
    .await;
}

/// `ContactAPI.active(page, sortAttr)` for the contacts page's "active" view
/// (`contacts/active`): `GET /contacts/active` with the list's query, answered as a list
/// (`payload`, `meta.count`, `meta.current_page`): the contacts online now, none on a
/// server that keeps no presence.
#[tokio::test]
async fn the_active_contacts_view_reads_a_page() {
    both(|d| async move {
        d.contact(json!({"name": "Olena"})).await;
        let r = d
            .get("/contacts/active?include_contact_inboxes=false&page=1&sort=name")
            .await;
        assert_page(&d, &r, "contacts/active", 0, 1);
    })
    .await;
}
