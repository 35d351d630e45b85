use std::net::IpAddr;
use std::path::PathBuf;

pub use crate::rate_limit::Rate;

/// How the server is started. The binary fills it from flags and environment variables.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "novatalks-server",
    about = "NovaTalks Contacts: API and SPA on one origin"
)]
pub struct ServerConfig {
    /// Address to listen on.
    #[arg(long, env = "NOVATALKS_HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "NOVATALKS_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Directory of the SQLite database (created and migrated on start), when no
    /// `--database-url` says otherwise.
    #[arg(long, env = "NOVATALKS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Where the data lives: `postgres://USER:PASSWORD@HOST:PORT/DATABASE` for PostgreSQL
    /// (several servers may share it), `sqlite://PATH` for a SQLite file; none for the
    /// SQLite file in the data directory. Migrated on start.
    #[arg(long = "database-url", env = "NOVATALKS_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Directory of the built SPA (Trunk's dist/), served with an index.html fallback.
    #[arg(long = "dist", env = "NOVATALKS_DIST", default_value = "dist")]
    pub dist_dir: PathBuf,
    /// Add this many synthetic contacts to the demo account (benchmarks; up to 1,000,000).
    #[arg(long = "seed-synthetic", env = "NOVATALKS_SEED_SYNTHETIC", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub synthetic_contacts: Option<u64>,
    /// Answer as a stock Chatwoot server would: leave out every [ext] field and ignore
    /// [ext] inputs (`per_page`, `blocked_until`, `block_reason`). For testing the SPA's
    /// graceful degradation.
    #[arg(long = "stock-chatwoot", env = "NOVATALKS_STOCK_CHATWOOT")]
    pub stock_chatwoot: bool,
    /// Origins (scheme://host[:port]) of NovaTalks dashboards that may call the API from a
    /// browser, e.g. when the app is embedded as a Dashboard App. Comma-separated in the
    /// environment variable. No other origin gets CORS headers.
    #[arg(
        long = "dashboard-origin",
        env = "NOVATALKS_DASHBOARD_ORIGINS",
        value_delimiter = ','
    )]
    pub dashboard_origins: Vec<String>,
    /// Milliseconds the reads of one list, search or filter request may take, waiting for
    /// a turn included; past it the database work stops and the request is answered 503
    /// saying the filter or search is too broad.
    #[arg(long = "query-budget-ms", env = "NOVATALKS_QUERY_BUDGET_MS", default_value_t = crate::budget::DEFAULT_QUERY_BUDGET_MS, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    pub query_budget_ms: u64,
    /// Not a flag: the turns of heavy reads (filters) shared by every request of one
    /// server, and its counters. A clone shares them.
    #[arg(skip)]
    pub query_gate: crate::budget::QueryGate,
    /// Calls the public API takes for one API inbox, all its customers together
    /// (`N/s`, `N/min` or `N/h`, also the largest burst; `off` for no limit). Above it:
    /// 429 with Retry-After.
    #[arg(
        long = "public-rate-inbox",
        env = "NOVATALKS_PUBLIC_RATE_INBOX",
        default_value = DEFAULT_PUBLIC_RATE_INBOX
    )]
    pub public_rate_inbox: Rate,
    /// Calls the public API takes for one contact's identity in an inbox (its
    /// `source_id`): what one customer can send, however many customers share the
    /// channel gateway's address. Same forms as `--public-rate-inbox`.
    #[arg(
        long = "public-rate-contact",
        env = "NOVATALKS_PUBLIC_RATE_CONTACT",
        default_value = DEFAULT_PUBLIC_RATE_CONTACT
    )]
    pub public_rate_contact: Rate,
    /// How long a signed-in session lasts, in hours from sign-in (fixed: using it does not
    /// extend it). Personal access tokens do not expire.
    #[arg(long = "session-ttl-hours", env = "NOVATALKS_SESSION_TTL_HOURS", default_value_t = 168,
        value_parser = clap::value_parser!(u64).range(1..=87_600))]
    pub session_ttl_hours: u64,
    /// The server is behind a reverse proxy: take the client's address for sign-in
    /// throttling from the last `X-Forwarded-For` entry (the one the proxy added) instead
    /// of the connection's peer.
    #[arg(long = "behind-proxy", env = "NOVATALKS_BEHIND_PROXY")]
    pub behind_proxy: bool,
}

/// A busy channel gateway: 20 calls a second sustained, for thousands of customers.
pub const DEFAULT_PUBLIC_RATE_INBOX: &str = "1200/min";
/// One customer: a message a second sustained, more than a person types.
pub const DEFAULT_PUBLIC_RATE_CONTACT: &str = "60/min";

impl ServerConfig {
    /// A config for tests: loopback, a free port, the given data and dist directories.
    pub fn for_tests(data_dir: impl Into<PathBuf>, dist_dir: impl Into<PathBuf>) -> Self {
        ServerConfig {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            data_dir: data_dir.into(),
            database_url: None,
            dist_dir: dist_dir.into(),
            synthetic_contacts: None,
            stock_chatwoot: false,
            dashboard_origins: Vec::new(),
            query_budget_ms: crate::budget::DEFAULT_QUERY_BUDGET_MS,
            query_gate: crate::budget::QueryGate::default(),
            public_rate_inbox: Rate::per_minute(1200),
            public_rate_contact: Rate::per_minute(60),
            session_ttl_hours: 168,
            behind_proxy: false,
        }
    }
}
