//! The browser part of `cargo xtask bench`: the release SPA in headless Chromium against a
//! real server holding N contacts (default 1,000,000). Prints, never asserts:
//! navigation to the first rows, a keystroke in the search box to the updated rows, and
//! the gzipped size of the wasm and JavaScript the page loads.
//!
//! Times are taken inside the page (`performance.now()`), so WebDriver's own round trips
//! are not counted.

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
            "< 300 ms",
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
