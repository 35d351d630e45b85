//! The browser part of `cargo xtask bench`: the release SPA in headless Chromium against a
//! real server holding N contacts (default 1,000,000). Prints, never asserts:
//! navigation to the first rows, a keystroke in the search box to the updated rows, the
//! gzipped size of the wasm and JavaScript the page loads, and a load of the contacts page
//! on a slow network (Chromium's own throttling through the DevTools Protocol: 10 Mbit/s,
//! 40 ms round trip), cold (the cache disabled) and warm (a second visit, cache on), with
//! the bytes that crossed the wire for each.
//!
//! Times are taken inside the page (`performance.now()`, from the navigation's start), so
//! WebDriver's own round trips are not counted.

use std::path::Path;
use std::process::Command;

use novatalks_e2e::{dist_dir, Browser, Result};
use novatalks_server::{db, seed, ServerConfig};
use serde_json::json;

/// Resolves with the page's `performance.now()` when the first contact row exists.
const FIRST_ROWS: &str = r#"
const done = arguments[arguments.length - 1];
const ready = () => document.querySelector('[data-testid=contact-row]');
if (ready()) { done(performance.now()); return; }
const obs = new MutationObserver(() => { if (ready()) { obs.disconnect(); done(performance.now()); } });
obs.observe(document.body, { childList: true, subtree: true });
setTimeout(() => { obs.disconnect(); done(-1); }, 30000);
"#;

/// Types `arguments[0]` into the search box as one keystroke (an input event) and
/// resolves with the milliseconds until the table shows different rows.
const KEYSTROKE_TO_ROWS: &str = r#"
const text = arguments[0];
const done = arguments[arguments.length - 1];
const box = document.querySelector('[data-testid=contact-search]');
const firstId = () => { const r = document.querySelector('[data-testid=contact-row]'); return r && r.getAttribute('data-contact-id'); };
const before = firstId();
const t0 = performance.now();
box.value = text;
box.dispatchEvent(new Event('input', { bubbles: true }));
const changed = () => { const now = firstId(); return now !== null && now !== before; };
const obs = new MutationObserver(() => { if (changed()) { obs.disconnect(); done(performance.now() - t0); } });
obs.observe(document.body, { childList: true, subtree: true, attributes: true });
setTimeout(() => { obs.disconnect(); done(-1); }, 30000);
"#;

/// Run in every new document before its own scripts: notes when the first contact row
/// appears, so that a load that is over before WebDriver asks is still timed right.
const NOTE_FIRST_ROWS: &str = r#"
window.__firstRowsAt = -1;
const noteRows = new MutationObserver(() => {
  if (document.querySelector('[data-testid=contact-row]')) {
    window.__firstRowsAt = performance.now();
    noteRows.disconnect();
  }
});
noteRows.observe(document, { childList: true, subtree: true });
"#;

/// Resolves with `[first rows ms, page bytes, api bytes]` once the rows are there: bytes on
/// the wire (`transferSize`, headers included) of the page's own files and of the API.
const LOADED: &str = r#"
const done = arguments[arguments.length - 1];
const started = performance.now();
const check = () => {
  if (window.__firstRowsAt >= 0) {
    const entries = [...performance.getEntriesByType('navigation'),
                     ...performance.getEntriesByType('resource')];
    const api = (e) => e.name.includes('/api/') || e.name.includes('/auth/');
    const sum = (list) => list.reduce((n, e) => n + e.transferSize, 0);
    done([window.__firstRowsAt, sum(entries.filter((e) => !api(e))), sum(entries.filter(api))]);
  } else if (performance.now() - started > 60000) {
    done([-1, 0, 0]);
  } else {
    setTimeout(check, 20);
  }
};
check();
"#;

/// The slow network of the cold and warm loads.
const SLOW_DOWN_BITS: f64 = 10_000_000.0;
const SLOW_UP_BITS: f64 = 5_000_000.0;
const SLOW_RTT_MS: f64 = 40.0;

/// One load of the contacts page: time to the first rows and bytes on the wire.
struct Load {
    first_rows_ms: f64,
    page_bytes: f64,
    api_bytes: f64,
}

/// Opens `url` from a blank page (a new navigation, as an agent opening the app).
async fn load(browser: &Browser, url: &str) -> Result<Load> {
    browser.client.goto("about:blank").await?;
    browser.client.goto(url).await?;
    let answer = browser.client.execute_async(LOADED, vec![]).await?;
    let at = |i: usize| answer.get(i).and_then(|v| v.as_f64()).unwrap_or(-1.0);
    Ok(Load {
        first_rows_ms: at(0),
        page_bytes: at(1),
        api_bytes: at(2),
    })
}

/// Cold loads (cache disabled), then warm ones (cache on, after one visit to fill it), each
/// on the slow network; the network and cache as they were afterwards.
async fn slow_network_loads(
    browser: &Browser,
    url: &str,
    iterations: usize,
) -> Result<(Vec<Load>, Vec<Load>)> {
    browser.cdp("Network.enable", json!({})).await?;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": NOTE_FIRST_ROWS }),
        )
        .await?;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": SLOW_RTT_MS,
                "downloadThroughput": SLOW_DOWN_BITS / 8.0,
                "uploadThroughput": SLOW_UP_BITS / 8.0,
            }),
        )
        .await?;
    browser
        .cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await?;
    let mut cold = Vec::new();
    for _ in 0..iterations {
        cold.push(load(browser, url).await?);
    }
    browser
        .cdp(
            "Network.setCacheDisabled",
            json!({ "cacheDisabled": false }),
        )
        .await?;
    load(browser, url).await?;
    let mut warm = Vec::new();
    for _ in 0..iterations {
        warm.push(load(browser, url).await?);
    }
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await?;
    Ok((cold, warm))
}

fn gzipped_size(path: &Path) -> Result<u64> {
    let out = Command::new("gzip").args(["-9", "-c"]).arg(path).output()?;
    if !out.status.success() {
        return Err(format!("gzip failed on {}", path.display()).into());
    }
    Ok(out.stdout.len() as u64)
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut contacts = 1_000_000u64;
    let mut iterations = 10usize;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match (flag.as_str(), value) {
            ("--contacts", Some(n)) => contacts = n.clamp(1, 1_000_000),
            ("--iterations", Some(n)) => iterations = n.max(1) as usize,
            _ => return Err("usage: browser_bench [--contacts N] [--iterations N]".into()),
        }
    }
    let dist = dist_dir()?;

    let mut wasm = 0;
    let mut js = 0;
    for entry in std::fs::read_dir(&dist)? {
        let path = entry?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => wasm += gzipped_size(&path)?,
            Some("js") => js += gzipped_size(&path)?,
            _ => {}
        }
    }

    let data = tempfile::Builder::new()
        .prefix("novatalks-bench-")
        .tempdir()?;
    let pool = db::open(data.path()).await?;
    seed::demo(&pool).await?;
    println!("{}", seed::synthetic(&pool, contacts).await?);
    novatalks_server::db::query("ANALYZE")
        .execute(&pool)
        .await?;
    let sample: Vec<String> = names(&pool, iterations).await?;
    pool.close().await;
    let server =
        novatalks_server::start(ServerConfig::for_tests(data.path(), dist.clone())).await?;
    let url = server.url();

    let browser = Browser::start().await?;
    browser.client.goto(&format!("{url}/sign-in")).await?;
    browser
        .wait_for("input[name=email]")
        .await?
        .send_keys(seed::DEMO_AGENT_EMAIL)
        .await?;
    browser
        .wait_for("input[name=password]")
        .await?
        .send_keys(seed::DEMO_PASSWORD)
        .await?;
    browser
        .wait_for("button[type=submit]")
        .await?
        .click()
        .await?;
    browser.wait_for("[data-testid=contact-row]").await?;

    let mut first_rows = Vec::new();
    for _ in 0..iterations {
        browser.client.goto(&format!("{url}/contacts")).await?;
        let at = browser.client.execute_async(FIRST_ROWS, vec![]).await?;
        first_rows.push(at.as_f64().unwrap_or(-1.0));
    }
    let mut keystrokes = Vec::new();
    for name in &sample {
        browser.client.goto(&format!("{url}/contacts")).await?;
        browser.wait_for("[data-testid=contact-row]").await?;
        let took = browser
            .client
            .execute_async(KEYSTROKE_TO_ROWS, vec![json!(name)])
            .await?;
        keystrokes.push(took.as_f64().unwrap_or(-1.0));
    }
    let loads = iterations.min(5);
    let (cold, warm) = slow_network_loads(&browser, &format!("{url}/contacts"), loads).await?;
    browser.close().await?;
    server.stop().await?;

    println!();
    println!(
        "Browser benchmark: release SPA, headless Chromium, {contacts} synthetic contacts (+ demo)"
    );
    println!("{:<40} {:>9} {:>9}   goal", "case", "p50 ms", "p95 ms");
    for (label, samples, goal) in [
        ("navigation to first rows", &mut first_rows, "< 1000 ms"),
        (
            "keystroke to updated rows (incl. debounce)",
            &mut keystrokes,
            "< 100 ms",
        ),
    ] {
        if samples.iter().any(|t| *t < 0.0) {
            println!("{label:<40} timed out in at least one run");
            continue;
        }
        println!(
            "{:<40} {:>9.0} {:>9.0}   {goal}",
            label,
            percentile(samples, 0.5),
            percentile(samples, 0.95)
        );
    }
    println!();
    println!(
        "Contacts page on a slow network ({} Mbit/s down, {} up, {SLOW_RTT_MS} ms RTT), {loads} loads each",
        SLOW_DOWN_BITS / 1e6,
        SLOW_UP_BITS / 1e6
    );
    println!(
        "{:<40} {:>9} {:>9} {:>10} {:>10}   goal",
        "case", "p50 ms", "p95 ms", "page KB", "api KB"
    );
    for (label, loads, goal) in [
        ("cold: cache disabled", cold, "< 1500 ms"),
        ("warm: second visit, cache on", warm, "< 300 ms"),
    ] {
        if loads.iter().any(|l| l.first_rows_ms < 0.0) {
            println!("{label:<40} timed out in at least one run");
            continue;
        }
        let mut times: Vec<f64> = loads.iter().map(|l| l.first_rows_ms).collect();
        let mut page: Vec<f64> = loads.iter().map(|l| l.page_bytes).collect();
        let mut api: Vec<f64> = loads.iter().map(|l| l.api_bytes).collect();
        println!(
            "{:<40} {:>9.0} {:>9.0} {:>10.1} {:>10.1}   {goal}",
            label,
            percentile(&mut times, 0.5),
            percentile(&mut times, 0.95),
            percentile(&mut page, 0.5) / 1024.0,
            percentile(&mut api, 0.5) / 1024.0,
        );
    }
    println!();
    println!(
        "{:<40} {:>9.1} KB gzipped (wasm {:.1} KB + js {:.1} KB)   goal < 400 KB",
        "page code size",
        (wasm + js) as f64 / 1024.0,
        wasm as f64 / 1024.0,
        js as f64 / 1024.0
    );
    Ok(())
}

/// Names to type, as an agent would: a first name and the start of a surname.
async fn names(pool: &novatalks_server::db::Db, n: usize) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = novatalks_server::db::query_as(
        "SELECT name FROM contacts WHERE name LIKE '% %' ORDER BY id DESC LIMIT ?",
    )
    .bind(n as i64 * 37)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .step_by(37)
        .take(n)
        .map(|(name,)| {
            let mut words = name.split_whitespace();
            let first = words.next().unwrap_or_default();
            let last: String = words.next().unwrap_or_default().chars().take(4).collect();
            format!("{first} {last}")
        })
        .collect())
}
