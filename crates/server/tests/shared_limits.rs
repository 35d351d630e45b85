//! Rate limits and sign-in throttling shared by every server of one database.
//!
//! On PostgreSQL (`NOVATALKS_TEST_DATABASE_URL` set) two real servers run on one
//! database: the sixth wrong password, spread over both, is a 429 on either, and public
//! API calls for one inbox spread over both hit the inbox limit at the configured total.
//! On SQLite the same calls go to the one server a file has (and the test says so), and
//! the table store those servers use is checked on both engines against the in-memory one
//! with a fake clock: the same answers, step by step.

#[path = "common/live.rs"]
mod live;

use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use live::{http, Reply};
use novatalks_server::auth::throttle::{
    Policy, SignInAttempt, SignInThrottle, TableThrottle, Throttle, ATTEMPT_TIMEOUT,
};
use novatalks_server::db::{self, Db, Engine};
use novatalks_server::rate_limit::{self, Rate, RateLimiter, TableBuckets};
use novatalks_server::seed::{fixture_account, Fixture, DEMO_PASSWORD};
use novatalks_server::{start, RunningServer, ServerConfig};
use serde_json::json;

/// Written to stderr itself (not `println!`, which the test harness keeps for failures),
/// so a run on SQLite says what it did not check.
fn say_once_that_two_servers_need_postgres() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "shared_limits: on SQLite the server tests run ONE server (a file has one); \
             the two-server part needs PostgreSQL: set {}",
            db::TEST_DATABASE_URL
        );
    });
}

/// Servers on one database: two on PostgreSQL, one on SQLite (a file has one server).
struct Servers {
    servers: Vec<RunningServer>,
    db: Db,
    a: Fixture,
    b: Fixture,
    _dir: tempfile::TempDir,
}

impl Servers {
    async fn start(adjust: impl Fn(&mut ServerConfig)) -> Servers {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = db::for_tests(Some(dir.path())).await.expect("database");
        let a = fixture_account(&db, "Account A", "a@test.test")
            .await
            .expect("account a");
        let b = fixture_account(&db, "Account B", "b@test.test")
            .await
            .expect("account b");
        let count = match db.engine() {
            Engine::Postgres => 2,
            Engine::Sqlite => {
                say_once_that_two_servers_need_postgres();
                1
            }
        };
        let mut servers = Vec::new();
        for _ in 0..count {
            let mut config = ServerConfig::for_tests(dir.path(), Path::new("/nonexistent"));
            config.database_url = db::url_of(&db);
            adjust(&mut config);
            servers.push(start(config).await.expect("server"));
        }
        Servers {
            servers,
            db,
            a,
            b,
            _dir: dir,
        }
    }

    /// The server the `i`-th call goes to: round robin, as a load balancer.
    fn nth(&self, i: usize) -> std::net::SocketAddr {
        self.servers[i % self.servers.len()].addr
    }
}

async fn sign_in(addr: std::net::SocketAddr, email: &str, password: &str) -> Reply {
    http(
        addr,
        "POST",
        "/auth/sign_in",
        None,
        Some(json!({"email": email, "password": password})),
    )
    .await
}

fn retry_after(r: &Reply) -> u64 {
    r.headers
        .get("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After in seconds: {:?}", r.headers))
}

fn assert_signin_429(r: &Reply, what: &str) -> u64 {
    assert_eq!(r.status, 429, "{what}: {}", r.text);
    let seconds = retry_after(r);
    assert_eq!(
        r.body,
        json!({"error": format!("Too many sign-in attempts; try again in {seconds} seconds")}),
        "{what}"
    );
    seconds
}

#[tokio::test]
async fn the_sixth_wrong_password_spread_over_the_servers_is_429_on_either() {
    let s = Servers::start(|_| {}).await;
    for i in 0..5 {
        let r = sign_in(s.nth(i), "a@test.test", "wrong").await;
        assert_eq!(
            r.status,
            401,
            "attempt {} on server {}: {}",
            i + 1,
            i % 2,
            r.text
        );
        assert_eq!(r.body, json!({"error": "Invalid login credentials"}));
    }
    for i in 5..7 {
        let r = sign_in(s.nth(i), "a@test.test", "wrong").await;
        let seconds = assert_signin_429(&r, &format!("server {}", i % 2));
        assert!((29..=30).contains(&seconds), "the first lockout: {seconds}");
    }
    let r = sign_in(s.nth(1), "A@Test.TEST", DEMO_PASSWORD).await;
    assert_signin_429(&r, "the right password waits too, whatever the case");
    let r = sign_in(s.nth(0), "b@test.test", DEMO_PASSWORD).await;
    assert_eq!(r.status, 200, "another account signs in: {}", r.text);
    // A success on one server forgives the failures on every server.
    let r = sign_in(s.nth(0), "b@test.test", "wrong").await;
    assert_eq!(r.status, 401);
    let r = sign_in(s.nth(1), "b@test.test", DEMO_PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn a_burst_of_guesses_over_the_servers_gets_no_more_tries_than_a_sequence() {
    let s = Servers::start(|_| {}).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..12 {
        let addr = s.nth(i);
        tasks.spawn(async move { sign_in(addr, "a@test.test", "wrong").await });
    }
    let mut statuses = Vec::new();
    while let Some(r) = tasks.join_next().await {
        let r = r.expect("task");
        if r.status == 429 {
            assert!(retry_after(&r) >= 1);
        }
        statuses.push(r.status);
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        7,
        "{statuses:?}"
    );
    let r = sign_in(s.nth(0), "a@test.test", DEMO_PASSWORD).await;
    assert_signin_429(&r, "locked after the burst's five failures");
}

fn public_contacts(f: &Fixture) -> String {
    format!("/public/api/v1/inboxes/{}/contacts", f.api_inbox_identifier)
}

async fn count(db: &Db, sql: &str) -> i64 {
    db::query_scalar(sql).fetch_one(db).await.expect("count")
}

#[tokio::test]
async fn public_calls_for_one_inbox_over_the_servers_stop_at_the_configured_total() {
    let s = Servers::start(|c| c.public_rate_inbox = Rate::per_minute(10)).await;
    let url = public_contacts(&s.a);
    for i in 0..10 {
        let r = http(s.nth(i), "POST", &url, None, Some(json!({}))).await;
        assert_eq!(
            r.status,
            200,
            "call {} on server {}: {}",
            i + 1,
            i % 2,
            r.text
        );
    }
    for i in 10..12 {
        let r = http(s.nth(i), "POST", &url, None, Some(json!({}))).await;
        assert_eq!(r.status, 429, "server {}: {}", i % 2, r.text);
        let seconds = retry_after(&r);
        assert!((1..=6).contains(&seconds), "one call every 6 s: {seconds}");
        assert_eq!(
            r.body,
            json!({"error": format!("Too many requests for this inbox; try again in {seconds} {}",
                if seconds == 1 { "second" } else { "seconds" })})
        );
    }
    assert_eq!(count(&s.db, "SELECT count(*) FROM contacts").await, 10);
    // Another inbox has its own allowance, on every server.
    for i in 0..2 {
        let r = http(
            s.nth(i),
            "POST",
            &public_contacts(&s.b),
            None,
            Some(json!({})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
}

#[tokio::test]
async fn concurrent_public_calls_over_the_servers_never_pass_more_than_the_limit() {
    let s = Servers::start(|c| c.public_rate_inbox = Rate::per_minute(10)).await;
    let url = public_contacts(&s.a);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let (addr, url) = (s.nth(i), url.clone());
        tasks.spawn(async move { http(addr, "POST", &url, None, Some(json!({}))).await });
    }
    let mut passed = 0;
    while let Some(r) = tasks.join_next().await {
        let r = r.expect("task");
        match r.status {
            200 => passed += 1,
            429 => assert!(retry_after(&r) >= 1),
            other => panic!("{other}: {}", r.text),
        }
    }
    assert_eq!(passed, 10, "the limit, not the limit per server");
    assert_eq!(count(&s.db, "SELECT count(*) FROM contacts").await, 10);
}

#[tokio::test]
async fn one_identity_over_the_servers_is_limited_at_its_total() {
    let s = Servers::start(|c| {
        c.public_rate_contact = Rate::per_minute(3);
        c.public_rate_inbox = Rate::per_minute(1_000);
    })
    .await;
    let r = http(
        s.nth(0),
        "POST",
        &public_contacts(&s.a),
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let source = r.body["source_id"].as_str().expect("source_id").to_owned();
    let conversations = format!("{}/{source}/conversations", public_contacts(&s.a));
    let r = http(s.nth(1), "POST", &conversations, None, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let messages = format!("{conversations}/{}/messages", r.body["id"]);
    for i in 0..2 {
        let r = http(
            s.nth(i),
            "POST",
            &messages,
            None,
            Some(json!({"content": "hi"})),
        )
        .await;
        assert_eq!(r.status, 200, "message {i}: {}", r.text);
    }
    let r = http(
        s.nth(0),
        "POST",
        &messages,
        None,
        Some(json!({"content": "hi"})),
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.text);
    assert!(
        r.body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("Too many requests for this contact")),
        "{}",
        r.text
    );
    assert_eq!(count(&s.db, "SELECT count(*) FROM messages").await, 2);
}

// ---------------------------------------------------------------------------------------
// The table store, on the engine of the run (SQLite or PostgreSQL), against memory.

/// Microseconds of a fake clock that starts at an ordinary Unix time.
const T0: i64 = 1_800_000_000_000_000;

fn at(t0: Instant, us: i64) -> Instant {
    t0 + Duration::from_micros(u64::try_from(us - T0).expect("after T0"))
}

async fn test_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db::for_tests(Some(dir.path())).await.expect("database");
    (db, dir)
}

#[tokio::test]
async fn table_buckets_answer_as_the_memory_bucket_step_by_step() {
    let (db, _dir) = test_db().await;
    let rate = Rate::per_minute(3);
    let table = TableBuckets::new("inbox", rate);
    let memory = RateLimiter::new(rate, 100);
    let t0 = Instant::now();
    // (seconds after T0, key): a burst, refusals, one refill, a long pause, another key.
    let steps: &[(f64, &str)] = &[
        (0.0, "1"),
        (0.0, "1"),
        (0.0, "1"),
        (0.0, "1"),
        (19.9, "1"),
        (20.0, "1"),
        (20.5, "1"),
        (0.0, "2"),
        (25.0, "1"),
        (3_600.0, "1"),
        (3_600.0, "1"),
        (3_600.0, "1"),
        (3_600.0, "1"),
        (3_600.0, "2"),
    ];
    let mut answers = Vec::new();
    for (secs, key) in steps {
        let now = T0 + (secs * 1e6) as i64;
        let got = table.check(&db, key, now).await.expect("check");
        let want = memory.check(&key.to_string(), at(t0, now));
        let ms = |r: Result<(), Duration>| r.map_err(|d| d.as_millis());
        assert_eq!(ms(got), ms(want), "{key} at {secs} s");
        answers.push(got.is_ok());
    }
    assert_eq!(
        answers,
        [true, true, true, false, false, true, false, true, false, true, true, true, false, true]
    );
    let wait = table
        .check(&db, "1", T0 + 3_600_000_000)
        .await
        .expect("check")
        .expect_err("refused");
    assert_eq!(wait, Duration::from_secs(20), "one token every 20 s");
    assert_eq!(
        TableBuckets::new("inbox", Rate::OFF)
            .check(&db, "1", T0)
            .await
            .expect("off"),
        Ok(())
    );
}

/// A step of the sign-in throttle: the time (seconds after T0), the key and what is done.
#[derive(Debug, Clone, Copy)]
enum Op {
    Begin,
    Fail,
    Succeed,
    End,
}

#[tokio::test]
async fn the_table_throttle_answers_as_the_memory_throttle_step_by_step() {
    use Op::*;
    let (db, _dir) = test_db().await;
    let policy = Policy {
        free_failures: 3,
        first_delay: Duration::from_secs(30),
        max_delay: Duration::from_secs(240),
        forget_after: Duration::from_secs(3_600),
        max_keys: 100,
    };
    let table = TableThrottle::new("signin-email", policy.clone());
    let memory: Throttle<String> = Throttle::new(policy);
    let t0 = Instant::now();
    let mut steps: Vec<(f64, &str, Op)> = Vec::new();
    // Three failures, then lockouts that double up to the cap.
    for _ in 0..3 {
        steps.extend([(0.0, "k", Begin), (0.0, "k", Fail)]);
    }
    steps.extend([(0.0, "k", Begin), (10.0, "k", Begin), (30.0, "k", Begin)]);
    steps.extend([(30.0, "k", Fail), (30.0, "k", Begin), (89.0, "k", Begin)]);
    steps.extend([(90.0, "k", Begin), (90.0, "k", Fail), (90.0, "k", Begin)]);
    let mut t = 90.0;
    for _ in 0..4 {
        t += 240.0;
        steps.extend([(t, "k", Begin), (t, "k", Fail)]);
    }
    steps.push((t, "k", Begin));
    // A success forgives; attempts running count; another key is apart.
    t += 240.0;
    steps.extend([
        (t, "k", Begin),
        (t, "k", Succeed),
        (t, "k", Begin),
        (t, "k", Begin),
    ]);
    steps.extend([
        (t, "k", Begin),
        (t, "k", Begin),
        (t, "k", End),
        (t, "k", Begin),
    ]);
    steps.extend([(t, "other", Begin), (t, "other", Fail)]);
    for _ in 0..3 {
        steps.push((t, "k", Fail));
    }
    steps.extend([(t + 1.0, "k", Begin), (t + 3_700.0, "k", Begin)]);
    let mut refused = 0;
    for (i, (secs, key, op)) in steps.iter().enumerate() {
        let now = T0 + (secs * 1e6) as i64;
        let row = table.key(key);
        let key = key.to_string();
        match op {
            Begin => {
                let got = table.begin(&db, &row, now).await.expect("begin");
                let want = memory.begin(&key, at(t0, now));
                assert_eq!(got, want, "step {i}: begin {key} at {secs} s");
                refused += usize::from(got.is_err());
            }
            Fail => {
                table.fail(&db, &row, now).await.expect("fail");
                memory.fail(&key, at(t0, now));
            }
            Succeed => {
                TableThrottle::succeed_and_reset(&db, &row)
                    .await
                    .expect("succeed");
                memory.succeed_and_reset(&key);
            }
            End => {
                TableThrottle::end_uncounted(&db, &row).await.expect("end");
                memory.end_uncounted(&key);
            }
        }
    }
    assert_eq!(
        refused, 8,
        "lockouts, attempts running, and none once forgotten"
    );
}

#[tokio::test]
async fn an_attempt_a_server_never_ended_gives_its_place_back_after_the_timeout() {
    let (db, _dir) = test_db().await;
    let table = TableThrottle::new("signin-email", Policy::per_email());
    let key = table.key("a@test.test");
    for _ in 0..5 {
        table
            .begin(&db, &key, T0)
            .await
            .expect("begin")
            .expect("within the free failures");
    }
    let busy = table.begin(&db, &key, T0).await.expect("begin");
    assert_eq!(busy.map_err(|w| w.seconds()), Err(1), "five run already");
    let later = T0 + i64::try_from(ATTEMPT_TIMEOUT.as_micros()).expect("µs") + 1;
    table
        .begin(&db, &key, later)
        .await
        .expect("begin")
        .expect("the stopped server's attempts no longer count");
}

async fn in_flight(db: &Db, key: &str) -> i64 {
    db::query_scalar("SELECT in_flight FROM limit_state WHERE key = ?")
        .bind(key)
        .fetch_one(db)
        .await
        .expect("row")
}

#[tokio::test]
async fn a_dropped_table_attempt_ends_uncounted() {
    let (db, _dir) = test_db().await;
    // The real clock: an attempt's failure is counted at the time it ends.
    let now = rate_limit::now_us();
    let throttle = SignInThrottle::default();
    let ip: IpAddr = "192.0.2.7".parse().expect("ip");
    let email_key = rate_limit::table_key("signin-email", "a@test.test");
    let address_key = rate_limit::table_key("signin-addr", "192.0.2.7");
    let attempt = throttle
        .begin_in_table(&db, " A@Test.test ", Some(ip), now)
        .await
        .expect("database")
        .expect("allowed");
    assert!(matches!(attempt, SignInAttempt::Table(_)));
    assert_eq!(in_flight(&db, &email_key).await, 1);
    assert_eq!(in_flight(&db, &address_key).await, 1);
    drop(attempt);
    for _ in 0..100 {
        if in_flight(&db, &email_key).await == 0 && in_flight(&db, &address_key).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(in_flight(&db, &email_key).await, 0);
    assert_eq!(in_flight(&db, &address_key).await, 0);
    // Failed attempts count against both keys, through the same calls the server makes.
    for _ in 0..5 {
        throttle
            .begin_in_table(&db, "a@test.test", Some(ip), now)
            .await
            .expect("database")
            .expect("allowed")
            .failed()
            .await
            .expect("counted");
    }
    let refused = throttle
        .begin_in_table(&db, "a@test.test", Some(ip), rate_limit::now_us())
        .await
        .expect("database")
        .expect_err("locked");
    assert_eq!(refused.seconds(), 30);
    let failures: Vec<i64> =
        db::query_scalar("SELECT failures FROM limit_state WHERE key IN (?, ?) ORDER BY key")
            .bind(&address_key)
            .bind(&email_key)
            .fetch_all(&db)
            .await
            .expect("rows");
    assert_eq!(failures, [5, 5], "the address and the email");
}

#[tokio::test]
async fn concurrent_checks_on_two_pools_never_both_pass_the_last_token() {
    let (db, dir) = test_db().await;
    // A second pool on the same database, as a second server has.
    let other = db::connect(db::url_of(&db).as_deref(), dir.path())
        .await
        .expect("second pool");
    let table = TableBuckets::new("inbox", Rate::per_minute(10));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..40 {
        let pool = if i % 2 == 0 {
            db.clone()
        } else {
            other.clone()
        };
        tasks.spawn(async move { table.check(&pool, "7", T0).await });
    }
    let mut passed = 0;
    while let Some(r) = tasks.join_next().await {
        if r.expect("task").expect("check").is_ok() {
            passed += 1;
        }
    }
    assert_eq!(passed, 10);
}

#[tokio::test]
async fn the_purge_keeps_the_table_bounded_and_the_live_rows() {
    let (db, _dir) = test_db().await;
    let buckets = TableBuckets::new("identity", Rate::per_minute(60));
    for i in 0..20 {
        // Each row is forgotten one second after its call: rows 0..9 before T0 + 10 s.
        let now = T0 + i * 1_000_000;
        buckets
            .check(&db, &format!("1:{i}"), now)
            .await
            .expect("check")
            .expect("a new key");
    }
    let throttle = TableThrottle::new("signin-email", Policy::per_email());
    let locked = throttle.key("locked@test.test");
    for _ in 0..5 {
        throttle
            .begin(&db, &locked, T0)
            .await
            .expect("begin")
            .expect("allowed");
        throttle.fail(&db, &locked, T0).await.expect("fail");
    }
    let now = T0 + 10_500_000;
    let gone = rate_limit::purge(&db, "identity", 100, now)
        .await
        .expect("purge");
    assert_eq!(gone, 10, "the refilled buckets");
    let gone = rate_limit::purge(&db, "identity", 4, now)
        .await
        .expect("purge");
    assert_eq!(gone, 6, "down to the cap");
    let left: Vec<String> =
        db::query_scalar("SELECT key FROM limit_state WHERE kind = 'identity' ORDER BY key")
            .fetch_all(&db)
            .await
            .expect("keys");
    assert_eq!(
        left,
        [
            "identity:1:16",
            "identity:1:17",
            "identity:1:18",
            "identity:1:19"
        ],
        "the stalest went first"
    );
    let gone = rate_limit::purge(&db, "signin-email", 10, now)
        .await
        .expect("purge");
    assert_eq!(gone, 0, "a locked email is remembered");
    assert!(throttle
        .begin(&db, &locked, now)
        .await
        .expect("begin")
        .is_err());
}

#[tokio::test]
async fn a_long_key_is_stored_by_its_digest() {
    let (db, _dir) = test_db().await;
    let long = "x".repeat(10_000);
    let key = rate_limit::table_key("identity", &long);
    assert!(key.len() < 100, "{key}");
    assert_ne!(key, rate_limit::table_key("identity", &"y".repeat(10_000)));
    assert_eq!(rate_limit::table_key("inbox", "12"), "inbox:12");
    let buckets = TableBuckets::new("identity", Rate::per_minute(1));
    assert_eq!(buckets.check(&db, &long, T0).await.expect("check"), Ok(()));
    assert!(buckets.check(&db, &long, T0).await.expect("check").is_err());
    let stored: Vec<String> = db::query_scalar("SELECT key FROM limit_state")
        .fetch_all(&db)
        .await
        .expect("keys");
    assert_eq!(stored, [key]);
}
