//! The API as the page reaches it: a request made by `fetch` in the browser with the
//! signed-in agent's token, to compare what the page shows with what the API says.

use fantoccini::elements::Element;
use serde_json::{json, Value};

use crate::{App, Result};

/// `fetch(/api/v1/accounts/{account}{path})` with the session the app keeps; answers
/// `{status, body}` (the body as text) or `{error}`.
const FETCH: &str = r#"
    const [method, path, body, done] = arguments;
    const session = JSON.parse(localStorage.getItem("novatalks.session"));
    const headers = { api_access_token: session.token, Accept: "application/json" };
    if (body !== null) headers["Content-Type"] = "application/json";
    fetch(`/api/v1/accounts/${session.account_id}${path}`, {
        method, headers, body: body === null ? undefined : JSON.stringify(body),
    })
        .then(async (answer) => ({ status: answer.status, body: await answer.text() }))
        .then(done, (error) => done({ error: String(error) }));
"#;

impl App {
    /// `method /api/v1/accounts/{id}{path}` from the page, as the signed-in agent: the
    /// status and the JSON body (`null` when there is none).
    pub async fn api_answer(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value)> {
        let args = vec![json!(method), json!(path), body.unwrap_or(Value::Null)];
        let answer = self.browser.client.execute_async(FETCH, args).await?;
        if let Some(error) = answer.get("error") {
            return Err(format!("{method} {path}: {error}").into());
        }
        let status = answer["status"].as_u64().unwrap_or_default() as u16;
        let text = answer["body"].as_str().unwrap_or_default();
        Ok((status, serde_json::from_str(text).unwrap_or(Value::Null)))
    }

    /// The same, when only a success will do: its JSON body.
    pub async fn api(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        match self.api_answer(method, path, body).await? {
            (200..=299, body) => Ok(body),
            (status, body) => Err(format!("{method} {path}: {status} {body}").into()),
        }
    }

    /// `GET` from the page; a success's JSON body.
    pub async fn api_get(&self, path: &str) -> Result<Value> {
        self.api("GET", path, None).await
    }

    /// Waits until the displayed text of `css` satisfies `done`; returns it.
    pub async fn wait_for_text(
        &self,
        css: &str,
        what: &str,
        done: impl Fn(&str) -> bool,
    ) -> Result<String> {
        self.browser
            .wait_until(what, || async {
                Ok(self.browser.text_of(css).await?.filter(|t| done(t)))
            })
            .await
    }

    /// The ids of the contact rows in the DOM, top first.
    pub async fn row_ids(&self) -> Result<Vec<i64>> {
        let script = "return [...document.querySelectorAll('[data-testid=contact-row]')]\
                      .map(r => Number(r.dataset.contactId));";
        Ok(serde_json::from_value(self.run(script, vec![]).await?)?)
    }

    /// The number of contacts the list says it shows.
    pub async fn shown_count(&self) -> Result<Option<u64>> {
        let text = self.browser.text_of("[data-testid=contacts-count]").await?;
        Ok(text.as_deref().and_then(crate::largest_number))
    }

    /// Runs `script` in the page and returns what it returns.
    pub async fn run(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.browser.client.execute(script, args).await?)
    }
}

/// Empties an input as an agent does, with Ctrl+A and Backspace (WebDriver's clear fires
/// no `input` event, so the app would not know).
pub async fn empty(element: &Element) -> Result<()> {
    element.send_keys("\u{E009}a\u{E000}\u{E003}").await?;
    Ok(())
}
