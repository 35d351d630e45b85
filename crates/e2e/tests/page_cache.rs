//! What the browser receives for the page itself: the wasm compressed, and on a second
//! visit the content-named files from its cache without asking, while the page is asked
//! for again (so a new build reaches the agent at once).

use novatalks_e2e::{App, Result};
use serde::Deserialize;
use serde_json::Value;

const ROWS: &str = "[data-testid=contact-row]";

/// One entry of the browser's Resource Timing: what it fetched and what crossed the wire.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fetched {
    name: String,
    /// Bytes on the wire, headers included; 0 when it came from the cache unasked.
    transfer_size: u64,
    /// The body as sent (compressed).
    encoded_body_size: u64,
    /// The body after decoding.
    decoded_body_size: u64,
    /// The response's `Content-Encoding` ("br", "gzip"; "" for none).
    content_encoding: Option<String>,
}

async fn fetched(app: &App) -> Result<Vec<Fetched>> {
    let entries: Value = app
        .browser
        .client
        .execute(
            "return [...performance.getEntriesByType('navigation'), \
                     ...performance.getEntriesByType('resource')] \
             .map(e => ({name: e.name, transferSize: e.transferSize, \
                         encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize, \
                         contentEncoding: e.contentEncoding}));",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(entries)?)
}

fn the<'a>(entries: &'a [Fetched], suffix: &str) -> Result<&'a Fetched> {
    entries
        .iter()
        .find(|e| e.name.ends_with(suffix))
        .ok_or_else(|| format!("nothing fetched ends with {suffix}: {entries:#?}").into())
}

#[tokio::test]
async fn the_wasm_arrives_compressed_and_a_second_visit_takes_it_from_the_cache() -> Result<()> {
    let app = App::start().await?;
    app.sign_in_as_demo_agent().await?;
    app.browser.wait_for_all(ROWS).await?;

    let first = fetched(&app).await?;
    let wasm = the(&first, "_bg.wasm")?;
    println!(
        "first visit: wasm {} bytes on the wire for {} bytes of code",
        wasm.transfer_size, wasm.decoded_body_size
    );
    assert!(
        matches!(wasm.content_encoding.as_deref(), Some("br" | "gzip")),
        "the wasm must come with Content-Encoding br or gzip: {wasm:?}"
    );
    assert!(
        wasm.encoded_body_size * 2 < wasm.decoded_body_size,
        "the wasm must come compressed: {wasm:?}"
    );

    // A second visit to the page (a new navigation, as an agent opening it tomorrow).
    app.browser.client.goto(&app.url("/")).await?;
    app.browser.wait_for_all(ROWS).await?;
    let second = fetched(&app).await?;
    let wasm = the(&second, "_bg.wasm")?;
    assert_eq!(
        wasm.transfer_size, 0,
        "the content-named wasm must come from the cache unasked: {wasm:?}"
    );
    for code in second
        .iter()
        .filter(|e| e.name.ends_with(".js") || e.name.ends_with(".css"))
    {
        assert_eq!(code.transfer_size, 0, "from the cache: {code:?}");
    }
    let page = second.first().ok_or("the browser recorded no navigation")?;
    assert!(
        page.transfer_size > 0,
        "the page itself is asked for again (no-cache): {page:?}"
    );
    let on_the_wire: u64 = second
        .iter()
        .filter(|e| !e.name.contains("/api/") && !e.name.contains("/auth/"))
        .map(|e| e.transfer_size)
        .sum();
    println!("second visit: {on_the_wire} bytes of page on the wire");
    app.close().await
}
