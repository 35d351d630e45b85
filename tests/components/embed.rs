//! The Dashboard App mode (`/dashboard-app`): configured by its URL or a config file, no
//! sign-in, the card of the contact named by the dashboard's `appContext` messages.
//! The test page is its own parent window, so what it posts to itself arrives as the
//! dashboard's messages do.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::Router;
use novatalks_contacts::api::Method;
use novatalks_contacts::embed::DashboardAppPage;
use novatalks_contacts::logic::app_context::FETCH_INFO;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::card_support::{
    card_server, card_server_with, edit_field, olena, refuse_email_taken_by_ann, CONTACT, NOTES,
};
use crate::support::{json, mount, sleep_ms, wait_until, FakeServer, Mounted};

const CONFIG_FILE: &str = "/novatalks-config.json";

/// The app at `url` (path and query), mounted signed out, as the dashboard frames it.
/// The test page's own address is put back when the returned guard is dropped.
fn open(server: &FakeServer, url: &str) -> (Mounted, AddressGuard) {
    let guard = AddressGuard(window().location().href().expect("href"));
    replace_address(url);
    let app = mount(
        server,
        None,
        || view! { <Router><DashboardAppPage /></Router> },
    );
    (app, guard)
}

struct AddressGuard(String);

impl Drop for AddressGuard {
    fn drop(&mut self) {
        replace_address(&self.0);
    }
}

fn replace_address(url: &str) {
    window()
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(url))
        .expect("replaceState");
}

/// Posts `data` to this window, as the dashboard posts to the app's.
fn post(data: &JsValue) {
    window().post_message(data, "*").expect("postMessage");
}

fn app_context(contact: Value) -> JsValue {
    let message = json!({ "event": "appContext", "data": {
        "conversation": { "id": 7, "inbox_id": 1, "messages": [] },
        "contact": contact,
        "currentAgent": { "id": 1, "name": "Demo Agent", "email": "agent@demo.test" }
    }});
    JsValue::from_str(&message.to_string())
}

/// Every string message this window receives from now on, until dropped.
struct Inbox {
    received: Rc<RefCell<Vec<String>>>,
    listener: Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl Inbox {
    fn listen() -> Self {
        let received = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&received);
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    sink.borrow_mut().push(text);
                }
            });
        window()
            .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .expect("addEventListener");
        Inbox { received, listener }
    }

    fn received(&self) -> Vec<String> {
        self.received.borrow().clone()
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let _ = window()
            .remove_event_listener_with_callback("message", self.listener.as_ref().unchecked_ref());
    }
}

fn card_id(app: &Mounted) -> Option<String> {
    app.find("[data-testid=contact-card]")
        .and_then(|card| card.get_attribute("data-contact-id"))
}

/// Olena (42), and Petro (43) with the endpoints of his card.
fn two_contacts_server() -> FakeServer {
    let server = card_server(&olena(json!({})));
    let petro =
        olena(json!({ "id": 43, "name": "Petro Shevchenko", "email": "petro@example.com" }));
    let base = "/api/v1/accounts/1/contacts/43";
    server
        .on(Method::Get, base, json(200, json!({ "payload": petro })))
        .on(
            Method::Get,
            &format!("{base}/labels"),
            json(200, json!({ "payload": ["vip"] })),
        )
        .on(
            Method::Get,
            &format!("{base}/conversations"),
            json(200, json!({ "payload": [] })),
        )
        .on(Method::Get, &format!("{base}/notes"), json(200, json!([])));
    server
}

#[wasm_bindgen_test]
async fn asks_the_dashboard_for_the_context_waits_in_words_and_drops_the_token_from_the_address() {
    let inbox = Inbox::listen();
    let server = card_server(&olena(json!({})));
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=tok-embed&lang=en");

    let waiting = app.wait_for("[data-testid=embed-waiting]").await;
    assert!(waiting
        .text_content()
        .unwrap_or_default()
        .contains("Waiting for the dashboard"));
    wait_until("the request for the context", || {
        inbox.received().iter().any(|m| m == FETCH_INFO)
    })
    .await;
    wait_until("the token to leave the address", || {
        window().location().search().unwrap_or_default() == "?account=1&lang=en"
    })
    .await;
    assert_eq!(window().location().pathname().unwrap(), "/dashboard-app");
    // No sign-in page, no request before the dashboard names a contact (and no config
    // file read: the query was enough).
    assert!(app.find("input[name=password]").is_none());
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[wasm_bindgen_test]
async fn an_app_context_shows_its_contacts_card_and_the_next_one_switches_it() {
    let server = two_contacts_server();
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=tok-embed");
    app.wait_for("[data-testid=embed-waiting]").await;

    post(&app_context(json!({ "id": 42, "name": "Olena Kovalenko" })));
    app.wait_for("[data-testid=contact-card][data-contact-id='42']")
        .await;
    assert!(app
        .text("[data-testid=contact-card]")
        .contains("Olena Kovalenko"));
    assert!(app.find("[data-testid=embed-waiting]").is_none());
    let asked = server.requests_to(CONTACT);
    assert_eq!(asked[0].header("api_access_token"), Some("tok-embed"));

    post(&app_context(
        json!({ "id": 43, "name": "Petro Shevchenko" }),
    ));
    wait_until("Petro's card", || card_id(&app).as_deref() == Some("43")).await;
    assert!(app
        .text("[data-testid=contact-card]")
        .contains("Petro Shevchenko"));
    assert_eq!(app.all("[data-testid=contact-card]").len(), 1);

    // Still editable: the card's own controls are there.
    assert!(app.find("[data-testid=contact-card] button").is_some());
}

#[wasm_bindgen_test]
async fn messages_that_are_not_an_app_context_change_nothing() {
    let server = two_contacts_server();
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=tok-embed");
    app.wait_for("[data-testid=embed-waiting]").await;
    post(&app_context(json!({ "id": 42 })));
    app.wait_for("[data-testid=contact-card][data-contact-id='42']")
        .await;
    let requests = server.requests().len();

    // An object (not a JSON string), garbage, another event, no contact, a contact id
    // that is no number.
    let object = js_sys::JSON::parse(r#"{"event":"appContext","data":{"contact":{"id":43}}}"#)
        .expect("an object");
    post(&object);
    post(&JsValue::from_str("garbage"));
    post(&JsValue::from_str(
        r#"{"event":"conversationChanged","data":{"contact":{"id":43}}}"#,
    ));
    post(&JsValue::from_str(
        r#"{"event":"appContext","data":{"contact":null}}"#,
    ));
    post(&JsValue::from_str(
        r#"{"event":"appContext","data":{"contact":{"id":"43"}}}"#,
    ));
    post(&JsValue::NULL);
    sleep_ms(150).await;

    assert_eq!(card_id(&app).as_deref(), Some("42"));
    assert_eq!(server.requests().len(), requests, "{:?}", server.requests());
    // And the app still listens.
    post(&app_context(json!({ "id": 43 })));
    wait_until("Petro's card", || card_id(&app).as_deref() == Some("43")).await;
}

#[wasm_bindgen_test]
async fn without_configuration_it_says_what_to_configure() {
    let server = FakeServer::new();
    server.on(
        Method::Get,
        CONFIG_FILE,
        json(404, json!({ "error": "not found" })),
    );
    let (app, _address) = open(&server, "/dashboard-app?api=https://nova.example");

    let notice = app.wait_for("[data-testid=embed-not-configured]").await;
    let text = notice.text_content().unwrap_or_default();
    assert!(text.contains("not configured"), "{text}");
    assert!(text.contains("Missing: account, token."), "{text}");
    assert!(text.contains("novatalks-config.json"), "{text}");
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    // The file was asked for without anyone's token.
    let asked = server.requests_to(CONFIG_FILE);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].header("api_access_token"), None);
}

#[wasm_bindgen_test]
async fn an_account_that_is_no_number_is_named() {
    let server = FakeServer::new();
    let (app, _address) = open(&server, "/dashboard-app?account=acme&token=t");
    let notice = app.wait_for("[data-testid=embed-not-configured]").await;
    assert!(notice
        .text_content()
        .unwrap_or_default()
        .contains("The account “acme” is not a number above 0."));
}

#[wasm_bindgen_test]
async fn the_config_file_beside_the_app_configures_it() {
    let contact = olena(json!({}));
    let base = "https://nova.example/api/v1/accounts/3/contacts/42";
    let server = FakeServer::new();
    server
        .on(
            Method::Get,
            CONFIG_FILE,
            json(
                200,
                json!({ "api": "https://nova.example/", "account": 3, "token": "file-tok" }),
            ),
        )
        .on(Method::Get, base, json(200, json!({ "payload": contact })))
        .on(
            Method::Get,
            &format!("{base}/labels"),
            json(200, json!({ "payload": ["vip"] })),
        )
        .on(
            Method::Get,
            &format!("{base}/conversations"),
            json(200, json!({ "payload": [] })),
        )
        .on(Method::Get, &format!("{base}/notes"), json(200, json!([])));
    let (app, _address) = open(&server, "/dashboard-app");

    app.wait_for("[data-testid=embed-waiting]").await;
    post(&app_context(json!({ "id": 42 })));
    app.wait_for("[data-testid=contact-card][data-contact-id='42']")
        .await;
    let asked = server.requests_to(base);
    assert_eq!(asked[0].header("api_access_token"), Some("file-tok"));
}

#[wasm_bindgen_test]
async fn a_refused_token_is_said_so_instead_of_a_sign_in_page() {
    let server = card_server_with(
        &olena(json!({})),
        vec![(
            Method::Get,
            CONTACT,
            json(401, json!({ "error": "Invalid token" })),
        )],
    );
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=expired");
    app.wait_for("[data-testid=embed-waiting]").await;
    post(&app_context(json!({ "id": 42 })));

    let notice = app.wait_for("[data-testid=embed-token-refused]").await;
    assert!(notice
        .text_content()
        .unwrap_or_default()
        .contains("did not accept the configured access token"));
    assert!(app.find("input[name=password]").is_none());
}

#[wasm_bindgen_test]
async fn a_contact_merged_away_shows_the_one_that_remains() {
    let server = two_contacts_server();
    server.on(
        Method::Get,
        "/api/v1/accounts/1/contacts/44",
        json(
            404,
            json!({ "error": "Contact not found", "merged_into": 43 }),
        ),
    );
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=tok-embed");
    app.wait_for("[data-testid=embed-waiting]").await;

    post(&app_context(json!({ "id": 44 })));
    app.wait_for("[data-testid=contact-card][data-contact-id='43']")
        .await;
    assert!(app
        .text("[data-testid=contact-card]")
        .contains("Petro Shevchenko"));
}

#[wasm_bindgen_test]
async fn a_contact_that_does_not_exist_is_said_so() {
    let server = two_contacts_server();
    server.on(
        Method::Get,
        "/api/v1/accounts/1/contacts/45",
        json(404, json!({ "error": "Contact not found" })),
    );
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=tok-embed");
    app.wait_for("[data-testid=embed-waiting]").await;

    post(&app_context(json!({ "id": 45 })));
    let error = app.wait_for("[data-testid=contacts-error]").await;
    assert!(error
        .text_content()
        .unwrap_or_default()
        .contains("This conversation's contact does not exist any more."));
    // The next conversation's contact shows again.
    post(&app_context(json!({ "id": 42 })));
    app.wait_for("[data-testid=contact-card][data-contact-id='42']")
        .await;
}

#[wasm_bindgen_test]
async fn the_dashboards_agent_edits_any_note_on_the_card_a_colleagues_too() {
    let note = |id: i64, author: (i64, &str)| {
        json!({
            "id": id, "content": format!("note {id}"), "contact_id": 42,
            "user": { "id": author.0, "name": author.1 },
            "created_at": 1_764_500_000, "updated_at": 1_764_500_000
        })
    };
    let server = card_server_with(
        &olena(json!({})),
        vec![(
            Method::Get,
            NOTES,
            json(
                200,
                json!([note(7, (1, "Demo Agent")), note(5, (2, "Other Agent"))]),
            ),
        )],
    );
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=tok-embed");
    app.wait_for("[data-testid=embed-waiting]").await;

    // The context's currentAgent is user 1, "Demo Agent".
    post(&app_context(json!({ "id": 42 })));
    app.wait_for("[data-testid=note-item]").await;
    wait_until("both notes", || {
        app.all("[data-testid=note-item]").len() == 2
    })
    .await;
    let editable: Vec<Option<String>> = app
        .all("[data-testid=note-item]")
        .iter()
        .filter(|item| {
            item.query_selector("[data-testid=note-edit]")
                .ok()
                .flatten()
                .is_some()
        })
        .map(|item| item.get_attribute("data-note-id"))
        .collect();
    // As in Chatwoot, any agent of the account edits any note.
    assert_eq!(editable, vec![Some("7".to_owned()), Some("5".to_owned())]);
}

#[wasm_bindgen_test]
async fn with_a_dashboard_origin_configured_only_that_dashboards_context_counts() {
    let own_origin = window().location().origin().expect("origin");

    // This page is the configured dashboard: its context shows the card.
    let server = two_contacts_server();
    let url = format!("/dashboard-app?account=1&token=tok-embed&dashboard={own_origin}/");
    let (app, address) = open(&server, &url);
    app.wait_for("[data-testid=embed-waiting]").await;
    post(&app_context(json!({ "id": 42 })));
    app.wait_for("[data-testid=contact-card][data-contact-id='42']")
        .await;
    drop((app, address));

    // Framed by another page: nothing of the account is shown or fetched, and the notice
    // names the page's origin and the one configured.
    let server = two_contacts_server();
    let url = "/dashboard-app?account=1&token=tok-embed&dashboard=https://app.novatalks.example";
    let (app, _address) = open(&server, url);
    app.wait_for("[data-testid=embed-waiting]").await;
    post(&app_context(json!({ "id": 42 })));
    let notice = app.wait_for("[data-testid=embed-origin-refused]").await;
    let text = notice.text_content().unwrap_or_default();
    assert!(text.contains("https://app.novatalks.example"), "{text}");
    assert!(text.contains(&own_origin), "{text}");
    assert!(app.find("[data-testid=contact-card]").is_none());
    assert!(
        server.requests_to(CONTACT).is_empty(),
        "no contact was asked for"
    );
}

#[wasm_bindgen_test]
async fn a_dashboard_origin_that_is_no_origin_is_named() {
    let server = FakeServer::new();
    let (app, _address) = open(
        &server,
        "/dashboard-app?account=1&token=t&dashboard=app.novatalks.example/x",
    );
    let notice = app.wait_for("[data-testid=embed-not-configured]").await;
    let text = notice.text_content().unwrap_or_default();
    assert!(
        text.contains("The dashboard origin “app.novatalks.example/x” must be"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn a_taken_value_links_its_owner_in_a_new_tab_not_in_the_panel() {
    let server = card_server(&olena(json!({})));
    refuse_email_taken_by_ann(&server);
    let (app, _address) = open(&server, "/dashboard-app?account=1&token=tok-embed");
    app.wait_for("[data-testid=embed-waiting]").await;
    post(&app_context(json!({ "id": 42 })));
    app.wait_for("[data-testid=card-email]").await;

    edit_field(&app, "email", "ann@example.com").await;
    let link = app.wait_for("[data-testid=conflict-link]").await;
    assert_eq!(link.get_attribute("href").as_deref(), Some("/contacts/7"));
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener"));
}
