//! `cargo xtask bench`: the contacts API at scale, measured through the real router.
//!
//! Seeds the demo data plus N synthetic contacts (default 1,000,000) into a fresh SQLite
//! file, then times each case many times and prints p50 and p95, and for the searches
//! the same searches done the way Chatwoot does them (`LIKE '%q%'` over name, email and
//! phone: no index can serve it) with the ratio, and for the filter's ids the same filter
//! read by testing every contact. Figures are printed, never asserted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use novatalks_model::filter::FilterRequest;
use novatalks_server::contacts::{filter_ids, Reading};
use novatalks_server::{app, db, seed, AppState, ServerConfig};
use tower::ServiceExt;

struct Args {
    contacts: u64,
    iterations: usize,
    baseline_iterations: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        contacts: 1_000_000,
        iterations: 40,
        baseline_iterations: 8,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match flag.as_str() {
            "--contacts" => args.contacts = value("--contacts")?.clamp(1, 1_000_000),
            "--iterations" => args.iterations = value("--iterations")?.max(1) as usize,
            "--baseline-iterations" => {
                args.baseline_iterations = value("--baseline-iterations")?.max(1) as usize
            }
            "--help" | "-h" => return Err(
                "usage: novatalks-bench [--contacts N] [--iterations N] [--baseline-iterations N]"
                    .into(),
            ),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

struct Bench {
    router: axum::Router,
    db: novatalks_server::db::Db,
    token: String,
    account: i64,
}

impl Bench {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> Result<Duration, String> {
        let uri = format!("/api/v1/accounts/{}{path}", self.account);
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("api_access_token", &self.token);
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(body.map(|b| Body::from(b.to_owned())).unwrap_or_default())
            .expect("request");
        let started = Instant::now();
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let took = started.elapsed();
        if !status.is_success() {
            return Err(format!("{status} {}", String::from_utf8_lossy(&bytes)));
        }
        Ok(took)
    }

    async fn repeat(
        &self,
        n: usize,
        method: &Method,
        path: &str,
        body: Option<&str>,
    ) -> Result<Vec<Duration>, String> {
        let mut samples = Vec::with_capacity(n);
        for _ in 0..n {
            samples.push(self.call(method.clone(), path, body).await?);
        }
        Ok(samples)
    }

    /// Chatwoot's search: `ILIKE '%q%'` over name, email and phone, then a page and a count.
    async fn chatwoot_search(&self, q: &str) -> Duration {
        let pattern = format!("%{q}%");
        // SQLite's LIKE ignores ASCII case, as Chatwoot's ILIKE on PostgreSQL.
        let like = self.db.engine().pick("LIKE", "ILIKE");
        let started = Instant::now();
        let _rows: Vec<(i64,)> = novatalks_server::db::query_as(
            format!("SELECT id FROM contacts WHERE account_id = ?1 AND (name {like} ?2 OR email {like} ?2 OR phone_number {like} ?2)
             ORDER BY last_activity_at DESC LIMIT 15"),
        )
        .bind(self.account)
        .bind(&pattern)
        .fetch_all(&self.db)
        .await
        .expect("baseline page");
        let _count: i64 = novatalks_server::db::query_scalar(
            format!("SELECT count(*) FROM contacts WHERE account_id = ?1 AND (name {like} ?2 OR email {like} ?2 OR phone_number {like} ?2)"),
        )
        .bind(self.account)
        .bind(&pattern)
        .fetch_one(&self.db)
        .await
        .expect("baseline count");
        started.elapsed()
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx].as_secs_f64() * 1_000.0
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Search strings an agent would type, taken from real rows so that each finds someone.
async fn sample_queries(
    db: &novatalks_server::db::Db,
    account: i64,
    n: usize,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = novatalks_server::db::query_as(
        "SELECT name, email, phone_number FROM contacts WHERE account_id = ? AND name IS NOT NULL
           AND email IS NOT NULL AND phone_number IS NOT NULL
         ORDER BY id DESC LIMIT ?",
    )
    .bind(account)
    .bind(n as i64 * 50)
    .fetch_all(db)
    .await
    .expect("sample rows");
    let step = (rows.len() / n.max(1)).max(1);
    let picked: Vec<_> = rows.into_iter().step_by(step).take(n).collect();
    let mut names = Vec::new();
    let mut phones = Vec::new();
    let mut emails = Vec::new();
    for (name, email, phone) in picked {
        let name = name.unwrap_or_default();
        // "Olena Kovalenko" -> "ole kova": two word prefixes, as typed.
        let typed: Vec<String> = name
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| w.chars().take(if i == 0 { 3 } else { 4 }).collect())
            .collect();
        names.push(typed.join(" "));
        let digits: String = phone
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let tail = &digits[digits.len().saturating_sub(7)..];
        phones.push(format!(
            "{} {}-{}",
            &tail[..3.min(tail.len())],
            &tail[3.min(tail.len())..5.min(tail.len())],
            &tail[5.min(tail.len())..]
        ));
        let local = email.unwrap_or_default();
        let local = local.split('@').next().unwrap_or_default();
        emails.push(local.chars().skip(2).take(10).collect());
    }
    (names, phones, emails)
}

/// The variable `cargo xtask bench --postgres` sets: a PostgreSQL cluster (`postgres://…`,
/// a user who may create databases) to run the same cases on, beside SQLite.
const POSTGRES_URL: &str = "NOVATALKS_BENCH_DATABASE_URL";

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut engines = vec![(
        "SQLite",
        db::open(dir.path()).await.expect("SQLite database"),
    )];
    match std::env::var(POSTGRES_URL) {
        Ok(url) if !url.trim().is_empty() => engines.push((
            "PostgreSQL",
            db::fresh_postgres_database(url.trim())
                .await
                .expect("PostgreSQL database"),
        )),
        _ => println!("({POSTGRES_URL} is not set: SQLite only; `cargo xtask bench --postgres` adds PostgreSQL)"),
    }
    let mut figures: Vec<(&str, Vec<(String, f64)>)> = Vec::new();
    for (engine, pool) in engines {
        println!();
        println!("=== {engine}");
        let p95s = bench_engine(pool, dir.path(), &args).await;
        figures.push((engine, p95s));
    }
    if figures.len() > 1 {
        println!();
        println!(
            "p95 ms side by side ({} synthetic contacts):",
            args.contacts
        );
        print!("{:<44}", "case");
        for (engine, _) in &figures {
            print!(" {engine:>12}");
        }
        println!(" {:>12}", "goal (PG)");
        for (i, (case, _)) in figures[0].1.iter().enumerate() {
            print!("{case:<44}");
            for (_, p95s) in &figures {
                match p95s.get(i) {
                    Some((_, p95)) => print!(" {p95:>12.2}"),
                    None => print!(" {:>12}", "-"),
                }
            }
            println!(" {:>12}", goal(case));
        }
    }
}

/// The issue's goal for a case on PostgreSQL, as printed beside it.
fn goal(case: &str) -> &'static str {
    if case.starts_with("search") {
        "< 20"
    } else if case.starts_with("filter:") {
        "< 50"
    } else if case.starts_with("list") {
        "< 5"
    } else {
        "-"
    }
}

/// Every case on one engine's database; returns (case, p95 ms) in the order printed.
async fn bench_engine(pool: db::Db, dir: &std::path::Path, args: &Args) -> Vec<(String, f64)> {
    let mut p95s = Vec::new();
    println!(
        "Seeding the demo data and {} synthetic contacts…",
        args.contacts
    );
    seed::demo(&pool).await.expect("demo seed");
    let report = seed::synthetic(&pool, args.contacts)
        .await
        .expect("synthetic seed");
    println!("{report}");
    novatalks_server::db::query(match pool.engine() {
        db::Engine::Sqlite => "ANALYZE",
        db::Engine::Postgres => "VACUUM ANALYZE",
    })
    .execute(&pool)
    .await
    .expect("analyze");

    let account: i64 = novatalks_server::db::query_scalar("SELECT min(id) FROM accounts")
        .fetch_one(&pool)
        .await
        .expect("account");
    let agent: i64 = novatalks_server::db::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(seed::DEMO_AGENT_EMAIL)
        .fetch_one(&pool)
        .await
        .expect("demo agent");
    // The database keeps only token digests: give the agent a new one and use it.
    let token = novatalks_server::auth::renew_access_token(&pool, agent)
        .await
        .expect("token");
    let total: i64 =
        novatalks_server::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
            .bind(account)
            .fetch_one(&pool)
            .await
            .expect("count");
    let state = AppState::new(
        pool.clone(),
        Arc::new({
            let mut config = ServerConfig::for_tests(dir, dir);
            config.database_url = db::url_of(&pool);
            config
        }),
    );
    let bench = Bench {
        router: app(state),
        db: pool.clone(),
        token,
        account,
    };
    let (names, phones, emails) = sample_queries(&pool, account, args.iterations).await;

    println!();
    println!(
        "{total} contacts in the account; {} runs a case ({} for the baselines)",
        args.iterations, args.baseline_iterations
    );
    println!(
        "{:<44} {:>9} {:>9} {:>14} {:>9}",
        "case", "p50 ms", "p95 ms", "baseline p95", "faster"
    );

    let searches = [
        ("search: name prefix", &names),
        ("search: phone fragment", &phones),
        ("search: email fragment", &emails),
    ];
    for (label, queries) in searches {
        let mut ours = Vec::new();
        for i in 0..args.iterations {
            let q = &queries[i % queries.len()];
            match bench
                .call(
                    Method::GET,
                    &format!("/contacts/search?q={}", encode(q)),
                    None,
                )
                .await
            {
                Ok(took) => ours.push(took),
                Err(e) => {
                    println!("{label:<44} failed: {e}");
                    break;
                }
            }
        }
        if ours.len() < args.iterations {
            continue;
        }
        let mut theirs = Vec::new();
        for i in 0..args.baseline_iterations {
            let q = &queries[i % queries.len()];
            theirs.push(bench.chatwoot_search(q).await);
        }
        let p95 = percentile(&mut ours, 0.95);
        let base95 = percentile(&mut theirs, 0.95);
        p95s.push((label.to_owned(), p95));
        println!(
            "{:<44} {:>9.2} {:>9.2} {:>14.1} {:>8.0}x",
            label,
            percentile(&mut ours, 0.50),
            p95,
            base95,
            base95 / p95.max(1e-6)
        );
    }

    let filter = r#"{"payload":[
        {"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":"and"},
        {"attribute_key":"last_activity_at","filter_operator":"is_greater_than","values":["2026-01-01"],"query_operator":"or"},
        {"attribute_key":"blocked","filter_operator":"equal_to","values":[true],"query_operator":null}]}"#;
    let cases: Vec<(&str, Method, String, Option<&str>)> = vec![
        (
            "labels quick filter (vip)",
            Method::GET,
            "/contacts?labels[]=vip".into(),
            None,
        ),
        (
            "labels quick filter (vip or billing)",
            Method::GET,
            "/contacts?labels[]=vip&labels[]=billing".into(),
            None,
        ),
        (
            "filter: vip AND active since 1 Jan OR blocked",
            Method::POST,
            "/contacts/filter".into(),
            Some(filter),
        ),
        (
            "list page 1 by last activity",
            Method::GET,
            "/contacts?sort=-last_activity_at".into(),
            None,
        ),
        (
            "list page 1,000 by last activity",
            Method::GET,
            "/contacts?sort=-last_activity_at&page=1000".into(),
            None,
        ),
        (
            "list page 1 by name",
            Method::GET,
            "/contacts?sort=name".into(),
            None,
        ),
    ];
    for (label, method, path, body) in cases {
        let mut samples = match bench.repeat(args.iterations, &method, &path, body).await {
            Ok(s) => s,
            Err(e) => {
                println!("{label:<44} failed: {e}");
                continue;
            }
        };
        let p95 = percentile(&mut samples, 0.95);
        p95s.push((label.to_owned(), p95));
        println!(
            "{:<44} {:>9.2} {:>9.2} {:>14} {:>9}",
            label,
            percentile(&mut samples, 0.50),
            p95,
            "-",
            "-"
        );
    }

    // The filter's indexed candidates against testing every contact (the reading used
    // before them), on the ids alone.
    let now = db::now();
    let filters = [
        ("filter ids: vip AND since 1 Jan OR blocked", filter),
        (
            "filter ids: vip OR billing OR blocked",
            r#"{"payload":[
        {"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":"or"},
        {"attribute_key":"labels","filter_operator":"equal_to","values":["billing"],"query_operator":"or"},
        {"attribute_key":"blocked","filter_operator":"equal_to","values":[true],"query_operator":null}]}"#,
        ),
    ];
    for (label, body) in filters {
        let payload = match serde_json::from_str::<FilterRequest>(body) {
            Ok(request) => request.payload,
            Err(e) => {
                println!("{label:<44} failed: {e}");
                continue;
            }
        };
        let timed = |reading: Reading, runs: usize| {
            let (pool, payload) = (&pool, &payload);
            async move {
                let mut samples = Vec::new();
                for _ in 0..runs {
                    let started = Instant::now();
                    filter_ids(pool, account, payload, now, reading)
                        .await
                        .map_err(|e| format!("{e:?}"))?;
                    samples.push(started.elapsed());
                }
                Ok::<_, String>(samples)
            }
        };
        let ours = timed(Reading::Candidates, args.iterations).await;
        let theirs = timed(Reading::Scan, args.baseline_iterations).await;
        match (ours, theirs) {
            (Ok(mut ours), Ok(mut theirs)) => {
                let p95 = percentile(&mut ours, 0.95);
                let base95 = percentile(&mut theirs, 0.95);
                p95s.push((label.to_owned(), p95));
                println!(
                    "{:<44} {:>9.2} {:>9.2} {:>14.1} {:>8.0}x",
                    label,
                    percentile(&mut ours, 0.50),
                    p95,
                    base95,
                    base95 / p95.max(1e-6)
                );
            }
            (Err(e), _) | (_, Err(e)) => println!("{label:<44} failed: {e}"),
        }
    }
    println!();
    println!(
        "Baselines: Chatwoot's LIKE search for searches; testing every contact for filter ids."
    );
    println!("Goals (not asserted): search p95 under 20 ms at 1,000,000 contacts, at least 50x faster than LIKE.");
    p95s
}
