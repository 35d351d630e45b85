//! `cargo xtask bench` (bulk part): bulk actions and the CSV export at scale, against the
//! real server process over real HTTP.
//!
//! Starts `novatalks-server` (the binary beside this one, same profile) on a fresh
//! database seeded with N synthetic contacts (default 1,000,000; `--contacts`), signs in
//! as the demo agent, then times:
//!
//! 1. a bulk label of 100,000 matching contacts, named by a query (a filter on id);
//! 2. a bulk block of 100,000 other contacts, by a query too;
//! 3. the export of every contact of the account, read to the end as it streams.
//!
//! For each: the time, the server process's resident memory before, and its peak during
//! the phase (Linux: the peak is reset through `/proc/PID/clear_refs` before each phase,
//! and the resident size is also sampled every 20 ms), with the goals beside.
//! Figures are printed, never asserted. With NOVATALKS_BENCH_DATABASE_URL the server runs
//! on that PostgreSQL (a fresh database in it).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::Bytes;
use hyper::Method;
use novatalks_bench::http::send_once;
use novatalks_bench::memory::Memory;
use novatalks_bench::server::{fresh_bench_database, Server};
use serde_json::{json, Value};

const USAGE: &str = "usage: novatalks-bulk [--contacts N]
  --contacts N   synthetic contacts in the demo account (default 1,000,000)";

/// Contacts a bulk action names (fewer when the account has fewer).
const TARGET: i64 = 100_000;

fn parse_args() -> Result<u64, String> {
    let mut contacts = 1_000_000;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--contacts" => {
                contacts = it
                    .next()
                    .and_then(|v| v.replace(['_', ','], "").parse::<u64>().ok())
                    .ok_or("--contacts needs a number")?
                    .clamp(1, 1_000_000)
            }
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(contacts)
}

struct Client {
    addr: SocketAddr,
    token: String,
}

struct Answer {
    status: u16,
    body: Value,
    bytes: u64,
    lines: u64,
    first: Vec<u8>,
}

impl Client {
    /// One request on a fresh connection; the body is read as it comes and only counted
    /// (its first bytes kept), so the client holds no file in memory.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Answer, String> {
        let body = body.map(|json| ("application/json", Bytes::from(json.to_string())));
        let response = send_once(self.addr, &self.token, method, path, body).await?;
        let status = response.status().as_u16();
        let mut body = response.into_body();
        let (mut bytes, mut lines, mut first) = (0u64, 0u64, Vec::new());
        while let Some(frame) = body.frame().await {
            let frame =
                frame.map_err(|e| format!("the body broke off after {bytes} bytes: {e}"))?;
            if let Some(data) = frame.data_ref() {
                bytes += data.len() as u64;
                lines += data.iter().filter(|b| **b == b'\n').count() as u64;
                if first.len() < 64 * 1024 {
                    first.extend_from_slice(data);
                }
            }
        }
        Ok(Answer {
            status,
            body: serde_json::from_slice(&first).unwrap_or(Value::Null),
            bytes,
            lines,
            first,
        })
    }
}

async fn sign_in(addr: SocketAddr) -> Result<(Client, i64), String> {
    let anonymous = Client {
        addr,
        token: String::new(),
    };
    let signed = anonymous
        .send(
            Method::POST,
            "/auth/sign_in",
            Some(json!({"email": "agent@demo.test", "password": "novatalks-demo"})),
        )
        .await?;
    let token = signed.body["data"]["access_token"]
        .as_str()
        .ok_or_else(|| format!("sign-in failed ({}): {}", signed.status, signed.body))?
        .to_owned();
    let account = signed.body["data"]["account_id"]
        .as_i64()
        .ok_or("sign-in gave no account")?;
    Ok((Client { addr, token }, account))
}

fn id_condition(operator: &str, value: i64) -> Value {
    json!({"attribute_key": "id", "filter_operator": operator, "values": [value], "query_operator": null})
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "goal met"
    } else {
        "GOAL MISSED"
    }
}

/// One phase: the request, its time and the server's memory.
async fn phase(
    client: &Client,
    pid: u32,
    path: &str,
    body: Value,
) -> Result<(Answer, Duration, f64, f64), String> {
    let memory = Memory::watch(pid);
    let started = Instant::now();
    let answer = client.send(Method::POST, path, Some(body)).await?;
    let took = started.elapsed();
    let (before, peak) = memory.finish();
    if answer.status != 200 {
        return Err(format!(
            "{path} answered {}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.first)
        ));
    }
    Ok((answer, took, before, peak))
}

async fn run(contacts: u64) -> Result<(), String> {
    let database = fresh_bench_database().await?;
    println!(
        "bulk: seeding {contacts} synthetic contacts on {} …",
        if database.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let seeding = Instant::now();
    let server = Server::start(contacts, database.as_deref())?;
    let (addr, pid, data_dir) = (server.addr, server.pid(), server.data_dir().to_owned());
    server.wait_until_up(Duration::from_secs(3600)).await?;
    println!(
        "bulk: server up after {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let (client, account) = sign_in(addr).await?;
    let base = format!("/api/v1/accounts/{account}");

    // The account's id range, read beside the server (its file, or its database).
    let db = novatalks_server::db::connect(database.as_deref(), &data_dir)
        .await
        .map_err(|e| e.to_string())?;
    let mut range = Vec::new();
    for aggregate in ["min(id)", "max(id)", "count(*)"] {
        let value: i64 = novatalks_server::db::query_scalar(format!(
            "SELECT {aggregate} FROM contacts WHERE account_id = ?"
        ))
        .bind(account)
        .fetch_one(&db)
        .await
        .map_err(|e| e.to_string())?;
        range.push(value);
    }
    let (low, high, total) = (range[0], range[1], range[2]);
    db.close().await;
    let target = TARGET.min(total).max(1);
    println!("bulk: account {account} has {total} contacts; each action names {target}");

    let label = client
        .send(
            Method::POST,
            &format!("{base}/labels"),
            Some(json!({"title": "bulk-bench"})),
        )
        .await?;
    if label.status != 200 {
        return Err(format!(
            "creating the label: {} {}",
            label.status, label.body
        ));
    }

    // 1. Label the `target` highest ids (a filter on id: the query form).
    let (answer, took, before, peak) = phase(
        &client,
        pid,
        &format!("{base}/bulk_actions"),
        json!({"type": "Contact", "query": {"payload": [id_condition("is_greater_than", high - target)]},
               "labels": {"add": ["bulk-bench"]}}),
    )
    .await?;
    let secs = took.as_secs_f64();
    println!(
        "bulk label   {:>8} matched {:>8} affected  {secs:>7.2} s   server RSS {before:.0} MB, peak {peak:.0} MB (+{:.0})   goal < 5 s for 100,000: {}",
        answer.body["matched"], answer.body["affected"], peak - before,
        verdict(secs < 5.0)
    );

    // 2. Block the `target` lowest ids, until tomorrow, with a reason.
    let tomorrow = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64 + 86_400)
        .unwrap_or(0);
    let (answer, took, before, peak) = phase(
        &client,
        pid,
        &format!("{base}/bulk_actions"),
        json!({"type": "Contact", "query": {"payload": [id_condition("is_less_than", low + target)]},
               "action_name": "block", "blocked_until": tomorrow, "block_reason": "bench: spam wave"}),
    )
    .await?;
    println!(
        "bulk block   {:>8} matched {:>8} affected  {:>7.2} s   server RSS {before:.0} MB, peak {peak:.0} MB (+{:.0})",
        answer.body["matched"],
        answer.body["affected"],
        took.as_secs_f64(),
        peak - before
    );

    // 3. Export everything, streamed.
    let (answer, took, before, peak) =
        phase(&client, pid, &format!("{base}/contacts/export"), json!({})).await?;
    let secs = took.as_secs_f64();
    let growth = peak - before;
    let bom = answer.first.starts_with(&[0xEF, 0xBB, 0xBF]);
    println!(
        "export       {:>8} rows {:>9.1} MB      {secs:>7.2} s   server RSS {before:.0} MB, peak {peak:.0} MB (+{growth:.0})   goals < 30 s: {}, < 100 MB growth: {}{}",
        answer.lines.saturating_sub(1),
        answer.bytes as f64 / 1e6,
        verdict(secs < 30.0),
        verdict(growth < 100.0),
        if bom { "" } else { "  (NO BOM!)" }
    );
    if answer.lines.saturating_sub(1) != total as u64 {
        println!(
            "export: {} rows for {total} contacts!",
            answer.lines.saturating_sub(1)
        );
    }
    drop(server);
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let contacts = match parse_args() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(contacts).await {
        eprintln!("bulk: {e}");
        std::process::exit(1);
    }
}
