//! Test helpers: a fake API server behind a closure transport, mounting, waiting, DOM access.

use std::any::Any;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::mount::mount_to;
use leptos::prelude::*;
use novatalks_contacts::api::{ApiClient, ApiError, HttpRequest, HttpResponse, Method};
use novatalks_contacts::state::{Api, Session, SessionContext};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

pub type Answer = Result<HttpResponse, ApiError>;

/// A JSON answer.
pub fn json(status: u16, body: serde_json::Value) -> Answer {
    Ok(HttpResponse {
        status,
        body: body.to_string(),
    })
}

/// An in-memory API: answers by method and path (the query is ignored) and records
/// every request. Answers queued for a route are used in order; the last one repeats.
#[derive(Clone, Default)]
pub struct FakeServer {
    inner: Rc<RefCell<FakeState>>,
}

#[derive(Default)]
struct FakeState {
    routes: Vec<(Method, String, VecDeque<Answer>)>,
    requests: Vec<HttpRequest>,
    delay_ms: i32,
}

impl FakeServer {
    pub fn new() -> Self {
        FakeServer::default()
    }

    pub fn on(&self, method: Method, path: &str, answer: Answer) -> &Self {
        let mut state = self.inner.borrow_mut();
        match state
            .routes
            .iter_mut()
            .find(|(m, p, _)| *m == method && p == path)
        {
            Some((_, _, answers)) => answers.push_back(answer),
            None => state
                .routes
                .push((method, path.to_owned(), VecDeque::from([answer]))),
        }
        self
    }

    /// Answers only after `ms`, to observe what the page shows meanwhile.
    pub fn delay(&self, ms: i32) -> &Self {
        self.inner.borrow_mut().delay_ms = ms;
        self
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.inner.borrow().requests.clone()
    }

    pub fn requests_to(&self, path: &str) -> Vec<HttpRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path() == path)
            .collect()
    }

    fn answer(&self, request: HttpRequest) -> Answer {
        let mut state = self.inner.borrow_mut();
        let answer = state
            .routes
            .iter_mut()
            .find(|(m, p, _)| *m == request.method && p == request.path())
            .map(|(_, _, answers)| {
                if answers.len() > 1 {
                    answers.pop_front().expect("non-empty")
                } else {
                    answers[0].clone()
                }
            })
            .unwrap_or_else(|| {
                json(
                    404,
                    serde_json::json!({ "error": format!("no fake for {:?} {}", request.method, request.path()) }),
                )
            });
        state.requests.push(request);
        answer
    }

    /// A client whose transport is this fake.
    pub fn client(&self) -> ApiClient {
        let server = self.clone();
        ApiClient::new(
            "",
            Rc::new(move |request: HttpRequest| {
                let delay = server.inner.borrow().delay_ms;
                let answer = server.answer(request);
                async move {
                    if delay > 0 {
                        sleep_ms(delay).await;
                    }
                    answer
                }
            }),
        )
    }
}

pub fn demo_session() -> Session {
    Session {
        token: "tok-123".into(),
        account_id: 1,
        user_name: "Demo Agent".into(),
        user_id: Some(1),
        email: Some("agent@demo.test".into()),
    }
}

/// A component mounted in its own element of the test page, with a session and the fake
/// API in context. Unmounted and removed when dropped.
pub struct Mounted {
    pub root: HtmlElement,
    pub session: SessionContext,
    _handle: Box<dyn Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

pub fn mount<F, V>(server: &FakeServer, session: Option<Session>, view: F) -> Mounted
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let document = document();
    let root: HtmlElement = document
        .create_element("div")
        .expect("create a div")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append the root");
    let session = SessionContext::in_memory(session);
    let client = server.client();
    let handle = mount_to(root.clone(), move || {
        provide_context(session);
        provide_context(Api::new(client, session));
        view()
    });
    Mounted {
        root,
        session,
        _handle: Box::new(handle),
    }
}

impl Mounted {
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root
            .query_selector(selector)
            .expect("a valid selector")
    }

    pub fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no {selector} in {}", self.root.inner_html()))
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self
            .root
            .query_selector_all(selector)
            .expect("a valid selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|node| node.unchecked_into())
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        text(&self.get(selector))
    }

    pub fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
    }

    /// Types like a user: sets the value and fires `input`.
    pub fn type_into(&self, selector: &str, value: &str) {
        let input: HtmlInputElement = self.get(selector).unchecked_into();
        input.set_value(value);
        input
            .dispatch_event(&web_sys::Event::new("input").expect("an event"))
            .expect("dispatch input");
    }

    pub fn value_of(&self, selector: &str) -> String {
        self.get(selector)
            .unchecked_into::<HtmlInputElement>()
            .value()
    }

    /// Waits (up to 3 s) until `selector` matches.
    pub async fn wait_for(&self, selector: &str) -> Element {
        let mut found = None;
        wait_until(&format!("{selector} to appear"), || {
            found = self.find(selector);
            found.is_some()
        })
        .await;
        found.expect("found")
    }
}

pub fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default().trim().to_owned()
}

/// Polls `done` every 10 ms for up to 3 s: data arrives through futures and effects, so
/// the DOM settles a few turns of the event loop later.
pub async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..300 {
        if done() {
            return;
        }
        sleep_ms(10).await;
    }
    panic!("timed out waiting for {what}");
}

pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("the timeout resolves");
}
