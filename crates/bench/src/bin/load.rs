//! `cargo xtask bench` (load part): a shift of agents against the real server process.
//!
//! Starts `novatalks-server` (the binary beside this one, same profile) on a fresh file
//! database, or uses `--url` of a running server, signs in as the demo agent, then runs
//! phases of concurrent clients, each on its own keep-alive connection as a browser tab
//! is, for a fixed time:
//!
//! 1. one agent alone: the baseline of each kind of request;
//! 2. K agents at once, mixing what agents do in a shift (list, search, open a card,
//!    edit, label, note, block/unblock, create and merge);
//! 3. the list while eight clients send the largest filter the API allows;
//! 4. the list while eight clients sign in over and over.
//!
//! Each phase prints requests/s, p50/p95/p99 per kind, the ratio of p95 against the
//! baseline, and errors by status. Figures are printed, never asserted.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use novatalks_bench::server::Server;
use serde_json::{json, Value};
use tokio::sync::Mutex;

const USAGE: &str = "usage: novatalks-load [--clients K] [--seconds T] [--contacts N] [--url URL]
  --clients K    concurrent agents in the mixed phase (default 64)
  --seconds T    length of the mixed phase; the others take a quarter each (default 20)
  --contacts N   synthetic contacts added to the demo data of the started server (default 0)
  --url URL      load a running server instead (it is written to: contacts are edited,
                 labelled, blocked, created and merged)";

struct Args {
    clients: usize,
    seconds: u64,
    contacts: u64,
    url: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        clients: 64,
        seconds: 20,
        contacts: 0,
        url: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--clients" => args.clients = number(&value()?)?.clamp(1, 1024) as usize,
            "--seconds" => args.seconds = number(&value()?)?.clamp(1, 3600),
            "--contacts" => args.contacts = number(&value()?)?.min(1_000_000),
            "--url" => args.url = Some(value()?.trim_end_matches('/').to_owned()),
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn number(text: &str) -> Result<u64, String> {
    text.replace('_', "")
        .parse()
        .map_err(|_| format!("'{text}' is no number"))
}

/// How long a client waits for an answer before it gives up (counted as status 0).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// One HTTP/1.1 connection, as one browser tab keeps.
struct Client {
    addr: SocketAddr,
    host: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// What a request came back with: its status (0 when the connection failed) and body.
struct Answer {
    status: u16,
    body: Value,
}

impl Client {
    fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            host: addr.to_string(),
            sender: None,
        }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, String> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = tokio::net::TcpStream::connect(self.addr)
                .await
                .map_err(|e| e.to_string())?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| e.to_string())?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            self.sender = Some(sender);
        }
        self.sender
            .as_mut()
            .ok_or_else(|| "no connection".to_owned())
    }

    async fn send(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let attempt = self.try_send(method, path, token, body);
        match tokio::time::timeout(REQUEST_TIMEOUT, attempt).await {
            Ok(Ok(answer)) => answer,
            // Failed or unanswered in time: a browser gives up too.
            Ok(Err(_)) | Err(_) => {
                self.sender = None;
                Answer {
                    status: 0,
                    body: Value::Null,
                }
            }
        }
    }

    async fn try_send(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Answer, String> {
        let host = self.host.clone();
        let sender = self.connect().await?;
        sender.ready().await.map_err(|e| e.to_string())?;
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", host);
        if let Some(token) = token {
            request = request.header("api_access_token", token);
        }
        let payload = match body {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Bytes::from(json.to_string())
            }
            None => Bytes::new(),
        };
        let request = request
            .body(Full::new(payload))
            .map_err(|e| e.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }
}

/// Latencies and statuses per kind of request.
#[derive(Default)]
struct Tally {
    kinds: BTreeMap<&'static str, Kind>,
}

#[derive(Default)]
struct Kind {
    samples: Vec<Duration>,
    errors: BTreeMap<u16, usize>,
}

impl Tally {
    fn record(&mut self, kind: &'static str, took: Duration, status: u16) {
        let entry = self.kinds.entry(kind).or_default();
        entry.samples.push(took);
        if !(200..400).contains(&status) {
            *entry.errors.entry(status).or_default() += 1;
        }
    }

    fn merge(&mut self, other: Tally) {
        for (kind, k) in other.kinds {
            let entry = self.kinds.entry(kind).or_default();
            entry.samples.extend(k.samples);
            for (status, n) in k.errors {
                *entry.errors.entry(status).or_default() += n;
            }
        }
    }

    fn p95(&self, kind: &str) -> Option<f64> {
        self.kinds
            .get(kind)
            .map(|k| percentile(&mut k.samples.clone(), 0.95))
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

fn print_phase(title: &str, tally: &Tally, elapsed: Duration, baseline: Option<&Tally>) {
    let total: usize = tally.kinds.values().map(|k| k.samples.len()).sum();
    let errors: usize = tally.kinds.values().flat_map(|k| k.errors.values()).sum();
    println!();
    println!(
        "{title}: {total} requests in {:.1} s, {:.0} requests/s, {errors} errors",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    println!(
        "  {:<12} {:>7} {:>8} {:>8} {:>8} {:>10}  errors by status",
        "kind", "count", "p50 ms", "p95 ms", "p99 ms", "p95 ratio"
    );
    for (kind, k) in &tally.kinds {
        let mut samples = k.samples.clone();
        let p95 = percentile(&mut samples, 0.95);
        let ratio = baseline
            .and_then(|b| b.p95(kind))
            .map(|b| format!("{:.1}x", p95 / b.max(1e-6)))
            .unwrap_or_else(|| "-".to_owned());
        let errors = if k.errors.is_empty() {
            "none".to_owned()
        } else {
            k.errors
                .iter()
                .map(|(status, n)| {
                    if *status == 0 {
                        format!("no answer (failed or over 20 s): {n}")
                    } else {
                        format!("{status}: {n}")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "  {:<12} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>10}  {errors}",
            kind,
            samples.len(),
            percentile(&mut samples, 0.50),
            p95,
            percentile(&mut samples, 0.99),
            ratio
        );
    }
}

/// What every client knows: the server, the session, the contacts and labels to act on.
struct World {
    addr: SocketAddr,
    token: String,
    account: i64,
    ids: Vec<i64>,
    labels: Vec<String>,
    names: Vec<String>,
}

impl World {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/accounts/{}{rest}", self.account)
    }
}

/// A small deterministic generator (xorshift), one per client.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One agent's shift: a request after another until `until`, chosen as agents work.
async fn agent(world: Arc<World>, seed: u64, until: Instant) -> Tally {
    let mut client = Client::new(world.addr);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut tally = Tally::default();
    let token = world.token.clone();
    let mut serial = 0u64;
    while Instant::now() < until {
        let id = world.ids[rng.below(world.ids.len())];
        let roll = rng.below(100);
        let started = Instant::now();
        let (kind, answer) = match roll {
            0..=19 => {
                let page = 1 + rng.below(20);
                let path = world.path(&format!("/contacts?page={page}&sort=-last_activity_at"));
                (
                    "list",
                    client.send(Method::GET, &path, Some(&token), None).await,
                )
            }
            20..=34 => {
                let name = &world.names[rng.below(world.names.len())];
                let path = world.path(&format!("/contacts/search?q={}", encode(name)));
                (
                    "search",
                    client.send(Method::GET, &path, Some(&token), None).await,
                )
            }
            35..=54 => {
                let path = world.path(&format!("/contacts/{id}"));
                (
                    "card",
                    client.send(Method::GET, &path, Some(&token), None).await,
                )
            }
            55..=66 => {
                serial += 1;
                let body = json!({"additional_attributes": {"company_name": format!("Load {seed}-{serial}")}});
                let path = world.path(&format!("/contacts/{id}"));
                (
                    "edit",
                    client
                        .send(Method::PUT, &path, Some(&token), Some(&body))
                        .await,
                )
            }
            67..=76 => {
                let title = &world.labels[rng.below(world.labels.len())];
                let body = json!({"labels": [title]});
                let path = world.path(&format!("/contacts/{id}/labels"));
                (
                    "label",
                    client
                        .send(Method::POST, &path, Some(&token), Some(&body))
                        .await,
                )
            }
            77..=86 => {
                serial += 1;
                let body = json!({"content": format!("Called back, load {seed}-{serial}")});
                let path = world.path(&format!("/contacts/{id}/notes"));
                (
                    "note",
                    client
                        .send(Method::POST, &path, Some(&token), Some(&body))
                        .await,
                )
            }
            87..=94 => {
                let body = if rng.below(2) == 0 {
                    json!({"blocked": true, "blocked_until": now() + 3600, "block_reason": "load test"})
                } else {
                    json!({"blocked": false})
                };
                let path = world.path(&format!("/contacts/{id}"));
                (
                    "block",
                    client
                        .send(Method::PUT, &path, Some(&token), Some(&body))
                        .await,
                )
            }
            _ => {
                // Two new contacts (a duplicate pair), then the merge.
                let mut made = Vec::new();
                for _ in 0..2 {
                    serial += 1;
                    let body = json!({"name": format!("Load duplicate {seed}-{serial}")});
                    let started = Instant::now();
                    let answer = client
                        .send(
                            Method::POST,
                            &world.path("/contacts"),
                            Some(&token),
                            Some(&body),
                        )
                        .await;
                    tally.record("create", started.elapsed(), answer.status);
                    if let Some(id) = answer.body["payload"]["contact"]["id"].as_i64() {
                        made.push(id);
                    }
                }
                let [base, mergee] = made[..] else {
                    continue;
                };
                let body = json!({"base_contact_id": base, "mergee_contact_id": mergee});
                let started = Instant::now();
                let answer = client
                    .send(
                        Method::POST,
                        &world.path("/actions/contact_merge"),
                        Some(&token),
                        Some(&body),
                    )
                    .await;
                tally.record("merge", started.elapsed(), answer.status);
                continue;
            }
        };
        tally.record(kind, started.elapsed(), answer.status);
    }
    tally
}

/// The list, page after page, until `until`.
async fn lister(world: Arc<World>, until: Instant) -> Tally {
    let mut client = Client::new(world.addr);
    let mut tally = Tally::default();
    let mut page = 0;
    while Instant::now() < until {
        page = page % 20 + 1;
        let path = world.path(&format!("/contacts?page={page}&sort=-last_activity_at"));
        let started = Instant::now();
        let answer = client
            .send(Method::GET, &path, Some(&world.token), None)
            .await;
        tally.record("list", started.elapsed(), answer.status);
    }
    tally
}

/// The largest filter the API accepts: 50 conditions of 100 values, joined by OR.
fn heaviest_filter() -> Value {
    let conditions: Vec<Value> = (0..50)
        .map(|c| {
            let values: Vec<Value> = (0..100)
                .map(|v| Value::String(format!("zq{c}x{v}")))
                .collect();
            json!({
                "attribute_key": if c % 2 == 0 { "name" } else { "email" },
                "filter_operator": "contains",
                "values": values,
                "query_operator": if c == 49 { Value::Null } else { json!("or") },
            })
        })
        .collect();
    json!({ "payload": conditions })
}

async fn heavy_filterer(world: Arc<World>, until: Instant) -> Tally {
    let mut client = Client::new(world.addr);
    let mut tally = Tally::default();
    let body = heaviest_filter();
    let path = world.path("/contacts/filter");
    while Instant::now() < until {
        let started = Instant::now();
        let answer = client
            .send(Method::POST, &path, Some(&world.token), Some(&body))
            .await;
        tally.record("heavy filter", started.elapsed(), answer.status);
    }
    tally
}

async fn signer_in(world: Arc<World>, until: Instant) -> Tally {
    let mut client = Client::new(world.addr);
    let mut tally = Tally::default();
    let body = json!({"email": "agent@demo.test", "password": "novatalks-demo"});
    while Instant::now() < until {
        let started = Instant::now();
        let answer = client
            .send(Method::POST, "/auth/sign_in", None, Some(&body))
            .await;
        tally.record("sign-in", started.elapsed(), answer.status);
        // A sign-in answered 429 is the throttle working: back off as a client would.
        if answer.status == 429 {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    tally
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

async fn world(addr: SocketAddr) -> Result<World, String> {
    let mut client = Client::new(addr);
    let signed = client
        .send(
            Method::POST,
            "/auth/sign_in",
            None,
            Some(&json!({"email": "agent@demo.test", "password": "novatalks-demo"})),
        )
        .await;
    let token = signed.body["data"]["access_token"]
        .as_str()
        .ok_or_else(|| format!("sign-in failed ({}): {}", signed.status, signed.body))?
        .to_owned();
    let account = signed.body["data"]["account_id"]
        .as_i64()
        .ok_or("sign-in gave no account")?;
    let base = format!("/api/v1/accounts/{account}");
    let mut ids = Vec::new();
    let mut names = Vec::new();
    for page in 1..=10 {
        let list = client
            .send(
                Method::GET,
                &format!("{base}/contacts?page={page}&sort=name"),
                Some(&token),
                None,
            )
            .await;
        for contact in list.body["payload"].as_array().into_iter().flatten() {
            if let Some(id) = contact["id"].as_i64() {
                ids.push(id);
            }
            if let Some(name) = contact["name"].as_str() {
                let prefix: String = name.chars().take(3).collect();
                if prefix.chars().count() == 3 {
                    names.push(prefix);
                }
            }
        }
    }
    let labels = client
        .send(Method::GET, &format!("{base}/labels"), Some(&token), None)
        .await;
    let labels: Vec<String> = labels.body["payload"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["title"].as_str().map(str::to_owned))
        .collect();
    if ids.is_empty() || names.is_empty() || labels.is_empty() {
        return Err("the account has no contacts, names or labels to work on".to_owned());
    }
    Ok(World {
        addr,
        token,
        account,
        ids,
        labels,
        names,
    })
}

/// What eight clients do beside the one that reads the list.
#[derive(Clone, Copy)]
enum Pressure {
    HeavyFilters,
    SignIns,
}

/// One client reading the list while eight others press the server.
async fn beside_the_list(
    world: &Arc<World>,
    length: Duration,
    pressure: Pressure,
) -> (Tally, Duration) {
    phase(9, length, |i, until| {
        let world = Arc::clone(world);
        async move {
            match (i, pressure) {
                (0, _) => lister(world, until).await,
                (_, Pressure::HeavyFilters) => heavy_filterer(world, until).await,
                (_, Pressure::SignIns) => signer_in(world, until).await,
            }
        }
    })
    .await
}

async fn phase<F, Fut>(clients: usize, length: Duration, make: F) -> (Tally, Duration)
where
    F: Fn(usize, Instant) -> Fut,
    Fut: std::future::Future<Output = Tally> + Send + 'static,
{
    let started = Instant::now();
    let until = started + length;
    let tally = Arc::new(Mutex::new(Tally::default()));
    let mut tasks = Vec::new();
    for i in 0..clients {
        let fut = make(i, until);
        let tally = Arc::clone(&tally);
        tasks.push(tokio::spawn(async move {
            let mine = fut.await;
            tally.lock().await.merge(mine);
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed();
    let tally = std::mem::take(&mut *tally.lock().await);
    (tally, elapsed)
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(args).await {
        eprintln!("load: {e}");
        std::process::exit(1);
    }
}

/// The mixed shift on PostgreSQL: against one server, then spread over two servers on the
/// same database (as behind a load balancer), with the throughput of each and their ratio.
async fn two_servers_on_postgres(args: &Args, cluster_url: &str) -> Result<(), String> {
    let db = novatalks_server::db::fresh_postgres_database(cluster_url)
        .await
        .map_err(|e| format!("PostgreSQL database: {e:?}"))?;
    let url = novatalks_server::db::url_of(&db).ok_or("no PostgreSQL URL")?;
    db.close().await;
    println!();
    println!("=== PostgreSQL: the shift against one server, then over two on one database");
    let patience = Duration::from_secs(60 + args.contacts / 1_000);
    let one = Server::start(args.contacts, Some(&url))?;
    one.wait_until_up(patience).await?;
    let addr_one = one.addr;
    let first = Arc::new(world(addr_one).await?);
    let length = Duration::from_secs(args.seconds);
    let (alone, took_one) = phase(args.clients, length, |i, until| {
        agent(Arc::clone(&first), i as u64 + 1, until)
    })
    .await;
    print_phase(
        &format!("PostgreSQL, one server: {} agents", args.clients),
        &alone,
        took_one,
        None,
    );
    let two = Server::start(0, Some(&url))?;
    two.wait_until_up(patience).await?;
    let addr_two = two.addr;
    let second = Arc::new(world(addr_two).await?);
    let (both, took_two) = phase(args.clients, length, |i, until| {
        let world = if i % 2 == 0 { &first } else { &second };
        agent(Arc::clone(world), i as u64 + 1, until)
    })
    .await;
    print_phase(
        &format!(
            "PostgreSQL, two servers: {} agents split over both",
            args.clients
        ),
        &both,
        took_two,
        Some(&alone),
    );
    let rate = |t: &Tally, took: Duration| {
        t.kinds.values().map(|k| k.samples.len()).sum::<usize>() as f64
            / took.as_secs_f64().max(1e-9)
    };
    let (one_rps, two_rps) = (rate(&alone, took_one), rate(&both, took_two));
    println!(
        "Throughput: one server {one_rps:.0} requests/s, two servers {two_rps:.0} requests/s: {:.2}x (goal: at least 1.5x at zero errors; both servers and PostgreSQL share this machine's 2 cores)",
        two_rps / one_rps.max(1e-9)
    );
    Ok(())
}

async fn run(args: Args) -> Result<(), String> {
    let (_server, addr) = match &args.url {
        Some(url) => {
            let hostport = url
                .strip_prefix("http://")
                .ok_or("--url must start with http://")?;
            let addr = tokio::net::lookup_host(hostport)
                .await
                .map_err(|e| e.to_string())?
                .next()
                .ok_or("--url names no address")?;
            (None, addr)
        }
        None => {
            println!(
                "Starting the server (demo data{}) on a file database…",
                if args.contacts > 0 {
                    format!(" and {} synthetic contacts", args.contacts)
                } else {
                    String::new()
                }
            );
            let server = Server::start(args.contacts, None)?;
            let patience = Duration::from_secs(60 + args.contacts / 2_000);
            server.wait_until_up(patience).await?;
            let addr = server.addr;
            (Some(server), addr)
        }
    };
    let world = Arc::new(world(addr).await?);
    let length = Duration::from_secs(args.seconds);
    let quarter = Duration::from_secs(args.seconds.div_ceil(4).max(2));
    println!(
        "Load against {addr}: {} contacts to act on, {} clients for {} s",
        world.ids.len(),
        args.clients,
        args.seconds
    );

    let (alone, took) = phase(1, quarter, |i, until| {
        agent(Arc::clone(&world), i as u64 + 1, until)
    })
    .await;
    print_phase("One agent alone (baseline)", &alone, took, None);

    let (shift, took) = phase(args.clients, length, |i, until| {
        agent(Arc::clone(&world), i as u64 + 1, until)
    })
    .await;
    print_phase(
        &format!("{} agents at once", args.clients),
        &shift,
        took,
        Some(&alone),
    );

    let (heavy, took) = beside_the_list(&world, quarter, Pressure::HeavyFilters).await;
    print_phase(
        "The list while 8 clients send the largest filter (50 conditions x 100 values)",
        &heavy,
        took,
        Some(&alone),
    );
    let (signing, took) = beside_the_list(&world, quarter, Pressure::SignIns).await;
    print_phase(
        "The list while 8 clients sign in over and over",
        &signing,
        took,
        Some(&alone),
    );

    if args.url.is_none() {
        if let Ok(url) = std::env::var("NOVATALKS_BENCH_DATABASE_URL") {
            if !url.trim().is_empty() {
                two_servers_on_postgres(&args, url.trim()).await?;
            }
        }
    }

    println!();
    println!("Baseline: one agent alone. Goals (not asserted), 2 cores: 64 clients, no errors,");
    println!("write p99 under 100 ms, read p95 under 50 ms; the list under 50 ms p95 while");
    println!("heavy filters or sign-ins run (a heavy filter may be refused in time: 503).");
    Ok(())
}
