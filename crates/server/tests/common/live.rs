//! The harness of the concurrency suite: the server as production runs it — a database
//! FILE opened with `db::open` (WAL, the production pool and busy timeout), the real
//! server from `novatalks_server::start` on a loopback port — and a tiny HTTP/1.1 client
//! over `tokio::net::TcpStream`, so many tasks can call it at once.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use novatalks_server::seed::{fixture_account, Fixture};
use novatalks_server::{db, start, RunningServer, ServerConfig};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A running server over a file database in a temporary directory.
pub struct Live {
    pub server: RunningServer,
    /// A second pool on the same file, as another process would have, for checking.
    pub db: novatalks_server::db::Db,
    /// The account under test and a second agent of it; an account that must stay apart.
    pub a: Fixture,
    pub a2_token: String,
    pub b: Fixture,
    _dir: tempfile::TempDir,
}

/// One answer: status, headers (lower-case names), body as JSON (Null when it is none).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn is_5xx(&self) -> bool {
        self.status >= 500
    }
}

impl Live {
    pub async fn start() -> Live {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = db::for_tests(Some(dir.path()))
            .await
            .expect("file database");
        let a = fixture_account(&db, "Account A", "a@test.test")
            .await
            .expect("account a");
        let b = fixture_account(&db, "Account B", "b@test.test")
            .await
            .expect("account b");
        let (_, a2_token) = novatalks_server::auth::create_user_with_token(
            &db,
            a.account_id,
            "Second Agent",
            "a2@test.test",
            "second-agent-pass",
        )
        .await
        .expect("second agent");
        // The accounts exist, so `start` seeds nothing; it opens its own pool on the file.
        let mut config = ServerConfig::for_tests(dir.path(), Path::new("/nonexistent"));
        config.database_url = db::url_of(&db);
        let server = start(config).await.expect("server");
        Live {
            server,
            db,
            a,
            a2_token,
            b,
            _dir: dir,
        }
    }

    /// `/api/v1/accounts/{a}{path}`
    pub fn a_url(&self, path: &str) -> String {
        format!("/api/v1/accounts/{}{path}", self.a.account_id)
    }

    /// Another server on the same database, as a second machine behind a load balancer
    /// would run (its own pool, process state and port).
    pub async fn another_server(&self) -> RunningServer {
        let mut config = ServerConfig::for_tests(self._dir.path(), Path::new("/nonexistent"));
        config.database_url = db::url_of(&self.db);
        start(config).await.expect("second server")
    }

    /// Account A's first agent, calling `server`.
    pub fn agent_on(&self, server: &RunningServer) -> Client {
        Client {
            addr: server.addr,
            prefix: format!("/api/v1/accounts/{}", self.a.account_id),
            token: self.a.token.clone(),
        }
    }

    /// A client that calls the server as account A's first agent.
    pub fn agent(&self) -> Client {
        self.client(&self.a.token)
    }

    /// A client that calls the server as account A's second agent.
    pub fn second_agent(&self) -> Client {
        self.client(&self.a2_token)
    }

    pub fn client(&self, token: &str) -> Client {
        Client {
            addr: self.server.addr,
            prefix: format!("/api/v1/accounts/{}", self.a.account_id),
            token: token.to_owned(),
        }
    }
}

/// Calls account A's API with one agent's token; cheap to clone into tasks.
#[derive(Clone)]
pub struct Client {
    addr: std::net::SocketAddr,
    prefix: String,
    token: String,
}

impl Client {
    /// The same agent, calling the server at `addr`.
    pub fn retarget(&mut self, addr: std::net::SocketAddr) {
        self.addr = addr;
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call("GET", path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call("POST", path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.call("PUT", path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Reply {
        self.call("DELETE", path, None).await
    }

    /// `method` on `/api/v1/accounts/{a}{path}`.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let uri = format!("{}{path}", self.prefix);
        http(self.addr, method, &uri, Some(&self.token), body).await
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read to the end.
pub async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut head = format!(
        "{method} {uri} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept: application/json\r\n"
    );
    if let Some(t) = token {
        head.push_str(&format!("api_access_token: {t}\r\n"));
    }
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut stream = TcpStream::connect(addr)
        .await
        .expect("connect to the server");
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .await
        .expect("send the request");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .unwrap_or_else(|e| panic!("{method} {uri}: reading the answer failed: {e}"));
    parse(&raw).unwrap_or_else(|| {
        panic!(
            "{method} {uri}: not an HTTP answer: {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        body = dechunk(&body)?;
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Some(Reply {
        status,
        headers,
        body: json,
        text,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// Every answer with a 5xx status, described for an assertion message.
pub fn server_errors<'a>(replies: impl IntoIterator<Item = &'a (String, Reply)>) -> Vec<String> {
    replies
        .into_iter()
        .filter(|(_, r)| r.is_5xx())
        .map(|(what, r)| format!("{what}: {} {}", r.status, r.text))
        .collect()
}
