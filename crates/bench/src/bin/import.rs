//! `cargo xtask bench` (import part): `POST /contacts/import` of a 100,000-row file into
//! an account of N contacts (default 1,000,000; `--contacts`), a dry run then the run,
//! against the real server process over real HTTP.
//!
//! Starts `novatalks-server` (the binary beside this one, same profile) on a fresh
//! database seeded with N synthetic contacts, signs in as the demo agent, and builds the
//! file as a Ukrainian Excel saves it (UTF-8 with BOM, `;`, CRLF, national phone numbers):
//! 90% new contacts (name, email, phone, a label, a city) and 10% rows naming an existing
//! contact by its email (in upper case), which update it. Then times the dry run and the
//! run, with rows per second and the server process's resident memory before and at its
//! peak (VmHWM, reset before each phase), beside the goal (100,000 rows in under
//! 30 s). Figures are printed, never asserted. With NOVATALKS_BENCH_DATABASE_URL the
//! server runs on that PostgreSQL (a fresh database in it).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::Bytes;
use hyper::Method;
use novatalks_bench::http::send_once;
use novatalks_bench::memory::Memory;
use novatalks_bench::server::{fresh_bench_database, Server};
use serde_json::{json, Value};

const USAGE: &str = "usage: novatalks-import [--contacts N] [--rows R]
  --contacts N   synthetic contacts in the demo account (default 1,000,000)
  --rows R       rows of the imported file (default 100,000; at most 200,000)";

const BOUNDARY: &str = "novatalks-bench-import";

fn parse_args() -> Result<(u64, u64), String> {
    let (mut contacts, mut rows) = (1_000_000, 100_000);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut number = |name: &str| {
            it.next()
                .and_then(|v| v.replace(['_', ','], "").parse::<u64>().ok())
                .ok_or(format!("{name} needs a number"))
        };
        match flag.as_str() {
            "--contacts" => contacts = number("--contacts")?.clamp(1, 1_000_000),
            "--rows" => rows = number("--rows")?.clamp(1, 200_000),
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok((contacts, rows))
}

/// One request on a fresh connection; the answer's body parsed as JSON.
async fn send(
    addr: SocketAddr,
    token: &str,
    method: Method,
    path: &str,
    content_type: &str,
    body: Bytes,
) -> Result<(u16, Value), String> {
    let response = send_once(addr, token, method, path, Some((content_type, body))).await?;
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((
        status,
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())),
    ))
}

/// The file: a header, then `rows` rows; every tenth names an existing contact by email.
fn file(rows: u64, existing: &[String]) -> Vec<u8> {
    let mut out = String::with_capacity(rows as usize * 90);
    out.push('\u{FEFF}');
    out.push_str("Ім'я;Ел. пошта;Телефон;Мітки;Місто\r\n");
    for i in 0..rows {
        match existing.get((i / 10) as usize).filter(|_| i % 10 == 9) {
            Some(email) => out.push_str(&format!(
                "Оновлений {i};{};;bench-import;Львів\r\n",
                email.to_uppercase()
            )),
            None => {
                let n = 1_000_000 + i;
                out.push_str(&format!(
                    "Імпорт Контакт {i};import{i}@bench.test;099 {} {} {};bench-import;Київ\r\n",
                    &n.to_string()[..3],
                    &n.to_string()[3..5],
                    &n.to_string()[5..7],
                ));
            }
        }
    }
    out.into_bytes()
}

fn form(file: &[u8], dry_run: bool) -> Bytes {
    let mut body = Vec::with_capacity(file.len() + 512);
    body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"import_file\"; filename=\"bench.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    body.extend_from_slice(file);
    body.extend_from_slice(
        format!(
            "\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\n{dry_run}\r\n--{BOUNDARY}--\r\n"
        )
        .as_bytes(),
    );
    Bytes::from(body)
}

async fn run(contacts: u64, rows: u64) -> Result<(), String> {
    let database = fresh_bench_database().await?;
    let engine = if database.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("import: seeding {contacts} synthetic contacts on {engine} …");
    let seeding = Instant::now();
    let server = Server::start(contacts, database.as_deref())?;
    let (addr, pid, data_dir) = (server.addr, server.pid(), server.data_dir().to_owned());
    server.wait_until_up(Duration::from_secs(3600)).await?;
    println!(
        "import: server up after {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let (status, signed) = send(
        addr,
        "",
        Method::POST,
        "/auth/sign_in",
        "application/json",
        Bytes::from(json!({"email": "agent@demo.test", "password": "novatalks-demo"}).to_string()),
    )
    .await?;
    let token = signed["data"]["access_token"]
        .as_str()
        .ok_or_else(|| format!("sign-in failed ({status}): {signed}"))?
        .to_owned();
    let account = signed["data"]["account_id"]
        .as_i64()
        .ok_or("sign-in gave no account")?;

    let db = novatalks_server::db::connect(database.as_deref(), &data_dir)
        .await
        .map_err(|e| e.to_string())?;
    let total: i64 =
        novatalks_server::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
            .bind(account)
            .fetch_one(&db)
            .await
            .map_err(|e| e.to_string())?;
    let existing: Vec<String> = novatalks_server::db::query_scalar(
        "SELECT email FROM contacts WHERE account_id = ? AND email IS NOT NULL ORDER BY id DESC LIMIT ?",
    )
    .bind(account)
    .bind((rows / 10) as i64)
    .fetch_all(&db)
    .await
    .map_err(|e| e.to_string())?;
    db.close().await;
    let file = file(rows, &existing);
    println!(
        "import: account {account} has {total} contacts; the file has {rows} rows, {:.1} MB",
        file.len() as f64 / 1e6
    );

    let path = format!("/api/v1/accounts/{account}/contacts/import");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    for dry_run in [true, false] {
        let memory = Memory::watch(pid);
        let started = Instant::now();
        let (status, report) = send(
            addr,
            &token,
            Method::POST,
            &path,
            &content_type,
            form(&file, dry_run),
        )
        .await?;
        let secs = started.elapsed().as_secs_f64();
        let (before, peak) = memory.finish();
        if status != 200 {
            return Err(format!("{path} answered {status}: {report}"));
        }
        println!(
            "import {:<8} {:>7} rows: {:>7} created {:>6} updated {:>5} failed  {secs:>7.2} s  {:>8.0} rows/s   server RSS {before:.0} MB, peak {peak:.0} MB (+{:.0})   goal < 30 s: {}",
            if dry_run { "dry run" } else { "run" },
            report["rows"],
            report["created"],
            report["updated"],
            report["failed"],
            rows as f64 / secs,
            peak - before,
            if secs < 30.0 { "goal met" } else { "GOAL MISSED" }
        );
        if report["failed"].as_u64().unwrap_or(0) > 0 {
            println!("import: first problems: {}", report["problems"]);
        }
    }
    drop(server);
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (contacts, rows) = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(contacts, rows).await {
        eprintln!("import: {e}");
        std::process::exit(1);
    }
}
