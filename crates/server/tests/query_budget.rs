//! No request stalls the rest: a filter past its time budget is stopped and answered 503
//! in words, a request whose client hangs up stops its statement, and heavy filters take
//! turns so the list is always answered. On a file database with the production pool
//! (`db::open`) or a PostgreSQL database of its own, in-process through the router or over
//! real HTTP (`start`).
//!
//! Speed is never asserted: every wait below is for an effect (a counter, an idle pool),
//! with a generous timeout only so that a broken build fails instead of hanging.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use novatalks_server::budget::{QueryGate, Reads, Work};
use novatalks_server::seed::{self, fixture_account, Fixture};
use novatalks_server::{app, db, AppState, ServerConfig};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

/// Long enough for any effect on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(120);

/// A file database in a temp dir: one account with `contacts` synthetic contacts.
struct Env {
    dir: TempDir,
    db: novatalks_server::db::Db,
    fx: Fixture,
}

async fn env(contacts: u64) -> Env {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db::for_tests(Some(dir.path()))
        .await
        .expect("file database");
    let fx = fixture_account(&db, "Budget", "agent@budget.test")
        .await
        .expect("account");
    seed::synthetic(&db, contacts).await.expect("synthetic");
    // Fresh statistics, as autovacuum soon writes them; on PostgreSQL VACUUM also writes
    // the GIN indexes' own, without which the planner prices them as huge.
    let analyze = db.engine().pick("ANALYZE", "VACUUM ANALYZE");
    novatalks_server::db::query(analyze)
        .execute(&db)
        .await
        .expect("analyze");
    Env { dir, db, fx }
}

impl Env {
    fn config(&self, budget_ms: u64, gate: &QueryGate) -> ServerConfig {
        let mut config = ServerConfig::for_tests(self.dir.path(), "/nonexistent");
        config.query_budget_ms = budget_ms;
        config.query_gate = gate.clone();
        config.database_url = db::url_of(&self.db);
        config
    }

    fn state(&self, budget_ms: u64, gate: &QueryGate) -> AppState {
        AppState::new(self.db.clone(), Arc::new(self.config(budget_ms, gate)))
    }

    fn url(&self, path: &str) -> String {
        format!("/api/v1/accounts/{}{path}", self.fx.account_id)
    }

    async fn contact_count(&self) -> i64 {
        novatalks_server::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
            .bind(self.fx.account_id)
            .fetch_one(&self.db)
            .await
            .expect("count")
    }
}

/// The largest filter the validator allows: 50 name conditions of 100 values each, OR-ed,
/// none matching, so every contact is tested against all 5,000 values and no index helps.
fn heavy_filter() -> Value {
    let payload: Vec<Value> = (0..50)
        .map(|i| {
            let values: Vec<String> = (0..100).map(|j| format!("zq{i}x{j}qz")).collect();
            json!({
                "attribute_key": "name",
                "filter_operator": "contains",
                "values": values,
                "query_operator": if i < 49 { json!("or") } else { Value::Null },
            })
        })
        .collect();
    json!({ "payload": payload })
}

/// A filter an index answers at once.
fn light_filter() -> Value {
    json!({ "payload": [
        {"attribute_key": "blocked", "filter_operator": "equal_to", "values": [true], "query_operator": null}
    ]})
}

struct Reply {
    status: StatusCode,
    body: Value,
}

/// Through the router, as the tests of the other routes do.
async fn call(
    state: &AppState,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<Value>,
) -> Reply {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("api_access_token", token);
    let req = match body {
        Some(json) => req
            .header("content-type", "application/json")
            .body(Body::from(json.to_string())),
        None => req.body(Body::empty()),
    }
    .expect("request");
    let res = app(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Reply {
        status,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// Writes one HTTP/1.1 request on a fresh connection and returns the connection, for the
/// caller to read the answer from or to hang up on.
async fn send_raw(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let body = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\napi_access_token: {token}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body.as_bytes()).await.expect("write body");
    stream.flush().await.expect("flush");
    stream
}

/// Reads the whole answer (the server closes after it: `connection: close`).
async fn read_reply(mut stream: TcpStream) -> Reply {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw);
    let status: u16 = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Reply {
        status: StatusCode::from_u16(status).expect("status"),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

/// Polls `done` until it holds, or fails the test after [`PATIENCE`].
async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = tokio::time::Instant::now();
    while !done() {
        assert!(started.elapsed() < PATIENCE, "still waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_past_its_budget_is_stopped_and_answered_503_in_words() {
    // The heavy filter reads for well over a second here.
    let env = env(5_000).await;
    let gate = QueryGate::new(2);
    let state = env.state(50, &gate);

    let reply = call(
        &state,
        Method::POST,
        &env.url("/contacts/filter"),
        &env.fx.token,
        Some(heavy_filter()),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    let error = reply.body["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("This filter is too broad to answer within 50 milliseconds")
            && error.contains("Narrow it")
            && error.contains("fewer conditions"),
        "the words say what happened and how to narrow it: {}",
        reply.body
    );
    assert_eq!(
        reply.body.as_object().map(|o| o.len()),
        Some(1),
        "the contract's error shape: {}",
        reply.body
    );
    assert!(
        gate.snapshot().over_budget >= 1,
        "the statement itself was interrupted: {:?}",
        gate.snapshot()
    );

    // Every connection goes back to the pool, without the progress handler: a statement
    // of many steps runs to its end on each of them, although the deadline armed on
    // whichever served the filter is long past.
    wait_for("the pool's connections to be idle", || {
        gate.snapshot().reading == 0 && env.db.num_idle() == env.db.size() as usize
    })
    .await;
    let size = env.db.size() as usize;
    let mut conns = Vec::new();
    for _ in 0..size {
        conns.push(env.db.acquire().await.expect("connection"));
    }
    for conn in &mut conns {
        let folded: i64 = novatalks_server::db::query_scalar(
            "SELECT count(*) FROM contacts WHERE fold(coalesce(name, '')) NOT LIKE '%zzzz%' AND account_id = ?",
        )
        .bind(env.fx.account_id)
        .fetch_one(&mut *conn)
        .await
        .expect("a long statement on a returned connection is not interrupted");
        assert_eq!(folded, env.contact_count().await);
    }
    drop(conns);

    // And the next requests are answered as usual.
    let list = call(
        &state,
        Method::GET,
        &env.url("/contacts"),
        &env.fx.token,
        None,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["meta"]["count"], json!(env.contact_count().await));
    let light = call(
        &state,
        Method::POST,
        &env.url("/contacts/filter"),
        &env.fx.token,
        Some(light_filter()),
    )
    .await;
    assert_eq!(light.status, StatusCode::OK, "{}", light.body);
    let search = call(
        &state,
        Method::GET,
        &env.url("/contacts/search?q=a"),
        &env.fx.token,
        None,
    )
    .await;
    assert_eq!(search.status, StatusCode::OK, "{}", search.body);

    // The statement that was interrupted is prepared again as good as new: with time
    // enough, the same filter answers (nothing matches its values).
    let patient = env.state(600_000, &gate);
    let whole = call(
        &patient,
        Method::POST,
        &env.url("/contacts/filter"),
        &env.fx.token,
        Some(heavy_filter()),
    )
    .await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.body);
    assert_eq!(whole.body["meta"]["count"], json!(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_that_finds_no_turn_within_its_budget_is_answered_503_busy() {
    let env = env(100).await;
    let gate = QueryGate::new(1);
    // Another request holds the only turn, with all the time in the world.
    let patient = env.state(600_000, &gate);
    let held = Reads::begin(&patient, Work::Filter).await.expect("turn");
    assert_eq!(gate.snapshot().running, 1);

    let hurried = env.state(100, &gate);
    let reply = call(
        &hurried,
        Method::POST,
        &env.url("/contacts/filter"),
        &env.fx.token,
        Some(light_filter()),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    let error = reply.body["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("busy answering other large filters")
            && error.contains("within 100 milliseconds")
            && error.contains("Try again"),
        "{}",
        reply.body
    );
    // Lists never wait for a turn.
    let list = call(
        &hurried,
        Method::GET,
        &env.url("/contacts"),
        &env.fx.token,
        None,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);

    held.finish().await;
    assert_eq!(gate.snapshot().running, 0);
    let reply = call(
        &hurried,
        Method::POST,
        &env.url("/contacts/filter"),
        &env.fx.token,
        Some(light_filter()),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "the turn is free again: {}",
        reply.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_whose_client_hangs_up_stops_its_statement() {
    // The heavy filter reads for many seconds here.
    let env = env(20_000).await;
    let gate = QueryGate::new(2);
    // A budget that never runs out: only the hang-up can stop the statement.
    let server = novatalks_server::start(env.config(600_000, &gate))
        .await
        .expect("server");
    let filter_path = env.url("/contacts/filter");

    let stream = send_raw(
        server.addr,
        "POST",
        &filter_path,
        &env.fx.token,
        Some(&heavy_filter()),
    )
    .await;
    wait_for("the filter to be reading", || gate.snapshot().reading == 1).await;
    // Let the statement get going on its worker thread (it runs for many seconds).
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gate.snapshot().cancelled, 0);
    drop(stream);

    wait_for("the hung-up filter's statement to be interrupted", || {
        let now = gate.snapshot();
        now.cancelled >= 1 && now.reading == 0 && now.running == 0
    })
    .await;
    assert_eq!(
        gate.snapshot().over_budget,
        0,
        "stopped by the hang-up, not the budget"
    );

    let list = read_reply(
        send_raw(
            server.addr,
            "GET",
            &env.url("/contacts"),
            &env.fx.token,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["meta"]["count"], json!(env.contact_count().await));
    server.stop().await.expect("stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_eight_heavy_filters_run_the_list_and_a_card_are_answered() {
    // Each of these filters alone reads for many seconds here.
    let env = env(20_000).await;
    let gate = QueryGate::new(2);
    let server = novatalks_server::start(env.config(600_000, &gate))
        .await
        .expect("server");
    let filter_path = env.url("/contacts/filter");
    let heavy = heavy_filter();

    let mut filters = Vec::new();
    for _ in 0..8 {
        let stream = send_raw(
            server.addr,
            "POST",
            &filter_path,
            &env.fx.token,
            Some(&heavy),
        )
        .await;
        filters.push(tokio::spawn(read_reply(stream)));
    }
    wait_for(
        "two filters running and the others waiting for a turn",
        || {
            let now = gate.snapshot();
            now.running == 2 && now.waiting >= 1
        },
    )
    .await;

    // The generous timeout only keeps a broken build from hanging: without turns, the
    // filters would hold all eight connections for minutes.
    let list = tokio::time::timeout(
        PATIENCE / 4,
        read_reply(
            send_raw(
                server.addr,
                "GET",
                &env.url("/contacts"),
                &env.fx.token,
                None,
            )
            .await,
        ),
    )
    .await
    .expect("the list is answered while the filters run");
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["meta"]["count"], json!(env.contact_count().await));
    let id = list.body["payload"][0]["id"].as_i64().expect("a contact");
    let card = tokio::time::timeout(
        PATIENCE / 4,
        read_reply(
            send_raw(
                server.addr,
                "GET",
                &env.url(&format!("/contacts/{id}")),
                &env.fx.token,
                None,
            )
            .await,
        ),
    )
    .await
    .expect("a card is answered while the filters run");
    assert_eq!(card.status, StatusCode::OK, "{}", card.body);
    let still = gate.snapshot();
    assert_eq!(
        still.running, 2,
        "the filters were still running: {still:?}"
    );

    // Hanging up on all of them stops them all.
    for filter in &filters {
        filter.abort();
    }
    wait_for("every filter to stop", || {
        let now = gate.snapshot();
        now.running == 0 && now.waiting == 0 && now.reading == 0
    })
    .await;
    assert!(gate.snapshot().cancelled >= 2, "{:?}", gate.snapshot());
    server.stop().await.expect("stop");
}
