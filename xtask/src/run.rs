//! `cargo xtask run`: install what is missing, build the SPA (release) and the server, and
//! serve both from one origin until Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode};
use std::time::{Duration, Instant};

use crate::cmd;
use crate::dist;
use crate::interrupt;
use crate::tools;
use crate::workspace::{self, Workspace};

// The demo sign-ins the server seeds (novatalks_server::seed); xtask repeats them rather
// than depend on the server crate, to stay quick to build.
const DEMO_SIGN_INS: [&str; 2] = [
    "agent@demo.test / novatalks-demo",
    "agent@other.test / novatalks-demo (a second account)",
];

/// First start creates and seeds the database, which takes a while.
const READY_TIMEOUT: Duration = Duration::from_secs(120);

pub struct Options {
    port: u16,
    /// None: `data` at the repository root.
    data_dir: Option<PathBuf>,
    /// `postgres://…` or `sqlite://…`, passed to the server; None: the SQLite file in the
    /// data directory.
    database_url: Option<String>,
}

impl Options {
    /// Flags win over the environment (NOVATALKS_PORT, NOVATALKS_DATA_DIR,
    /// NOVATALKS_DATABASE_URL, which the server binary reads too), which wins over the
    /// defaults.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        Self::parse_with_env(
            args,
            Env {
                port: std::env::var("NOVATALKS_PORT").ok(),
                data_dir: std::env::var_os("NOVATALKS_DATA_DIR").map(PathBuf::from),
                database_url: std::env::var("NOVATALKS_DATABASE_URL").ok(),
            },
        )
    }

    fn parse_with_env(args: &[String], env: Env) -> Result<Self, String> {
        let port = match env.port.filter(|p| !p.is_empty()) {
            Some(port) => parse_port(&port).map_err(|e| format!("NOVATALKS_PORT: {e}"))?,
            None => 8080,
        };
        let data_dir = env.data_dir.filter(|d| !d.as_os_str().is_empty());
        let database_url = match env.database_url.filter(|u| !u.is_empty()) {
            Some(url) => {
                Some(check_database_url(url).map_err(|e| format!("NOVATALKS_DATABASE_URL: {e}"))?)
            }
            None => None,
        };
        let mut options = Options {
            port,
            data_dir,
            database_url,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag, Some(value.to_string())),
                None => (arg.as_str(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next().cloned())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag {
                "--port" => {
                    options.port = parse_port(&value()?).map_err(|e| format!("--port: {e}"))?
                }
                "--data-dir" => options.data_dir = Some(value()?.into()),
                "--database-url" => {
                    options.database_url = Some(
                        check_database_url(value()?).map_err(|e| format!("--database-url: {e}"))?,
                    )
                }
                _ => return Err(format!("`run` does not know {arg}")),
            }
        }
        Ok(options)
    }

    fn on_postgres(&self) -> bool {
        self.database_url
            .as_deref()
            .is_some_and(|url| !url.starts_with("sqlite:"))
    }
}

/// What the environment says, apart so that tests need not change it.
#[derive(Default)]
struct Env {
    port: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
}

/// A URL the server takes, checked before minutes of building; the server says the rest.
fn check_database_url(url: String) -> Result<String, String> {
    let known = ["postgres://", "postgresql://", "sqlite:"];
    if known.iter().any(|scheme| url.starts_with(scheme)) {
        Ok(url)
    } else {
        Err(format!(
            "`{}` is neither postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE nor sqlite://…",
            cmd::redact_password(&url)
        ))
    }
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a port number (0-65535)"))
}

pub fn run(options: &Options) -> Result<ExitCode, String> {
    let ws = Workspace::locate()?;
    cmd::put_cargo_bin_first_on_path();
    // Relative paths from flags or the environment are the caller's, from where they typed.
    let data_dir = workspace::absolute(
        &options
            .data_dir
            .clone()
            .unwrap_or_else(|| ws.root.join("data")),
    )?;

    // Fail before minutes of building, and again before starting (it may have changed).
    port_is_free(options)?;

    println!("==> tools");
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen(&ws)?;
    tools::ensure_wasm_opt(&ws)?;

    println!("\n==> the SPA (release)");
    dist::build_release(&ws)?;

    println!("\n==> the server");
    cmd::run(
        cmd::cargo()
            .args(["build", "-p", "novatalks-server"])
            .current_dir(&ws.root),
    )?;
    let server = ws.target_dir()?.join("debug").join("novatalks-server");

    port_is_free(options)?;
    let mut command = Command::new(&server);
    command
        .arg("--port")
        .arg(options.port.to_string())
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--dist")
        .arg(ws.dist())
        .current_dir(&ws.root);
    if let Some(url) = &options.database_url {
        command.arg("--database-url").arg(url);
    }
    println!("\n==> serving");
    println!("$ {}", cmd::display(&command));
    interrupt::leave_to_child(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;

    // The server prints its own banner; this one adds where the data lives. (With port 0,
    // any free port, only the server knows where it listens.)
    if options.port != 0 && wait_until_listening(&mut child, options.port) {
        println!("\n==> ready: http://127.0.0.1:{}/", options.port);
        println!("    sign in as {}", DEMO_SIGN_INS.join(", or "));
        match &options.database_url {
            Some(url) if options.on_postgres() => {
                println!("    database: {} (PostgreSQL)", cmd::redact_password(url))
            }
            Some(url) => println!("    database: {url} (kept between runs)"),
            None => println!("    data: {} (kept between runs)", data_dir.display()),
        }
    }
    // Ctrl-C reaches the server too (one process group); it shuts down and we wait for it.
    let status = child
        .wait()
        .map_err(|e| format!("lost the server process: {e}"))?;
    if status.success() && options.on_postgres() {
        println!("Stopped. The data stays in the PostgreSQL database.");
    } else if status.success() {
        println!("Stopped. The data stays in {}.", data_dir.display());
    } else {
        eprintln!("xtask: the server {status}");
    }
    Ok(cmd::exit_code(status))
}

fn port_is_free(options: &Options) -> Result<(), String> {
    let port = options.port;
    if port != 0 && TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
        return Err(format!(
            "something already listens on port {port}; stop it or pick another port: \
             cargo xtask run --port {}",
            port.wrapping_add(1)
        ));
    }
    Ok(())
}

/// True once the server accepts connections; false if it exited or took too long.
fn wait_until_listening(child: &mut Child, port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + READY_TIMEOUT;
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return false;
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

/// Ctrl-C in a terminal goes to the whole foreground process group: xtask and the server.
/// The server handles it (graceful shutdown); xtask must outlive it, or the shell prompt
/// returns while the server is still running.
#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        Options::parse_with_env(&args, Env::default())
    }

    #[test]
    fn flags_in_both_spellings() {
        let options = parse(&["--port", "9000", "--data-dir=/tmp/x"]).unwrap();
        assert_eq!(options.port, 9000);
        assert_eq!(options.data_dir, Some(PathBuf::from("/tmp/x")));
        let options = parse(&["--port=9001", "--data-dir", "d"]).unwrap();
        assert_eq!(options.port, 9001);
        assert_eq!(options.data_dir, Some(PathBuf::from("d")));
    }

    #[test]
    fn flags_win_over_the_environment() {
        let env = || Env {
            port: Some("7000".into()),
            data_dir: Some("/env".into()),
            database_url: Some("postgres://env@db/contacts".into()),
        };
        let options = Options::parse_with_env(&[], env()).unwrap();
        assert_eq!(
            (options.port, options.data_dir),
            (7000, Some("/env".into()))
        );
        assert_eq!(
            options.database_url.as_deref(),
            Some("postgres://env@db/contacts")
        );
        let args = ["--port=7001", "--database-url", "sqlite://./x.db"].map(String::from);
        let options = Options::parse_with_env(&args, env()).unwrap();
        assert_eq!(
            (options.port, options.data_dir),
            (7001, Some("/env".into()))
        );
        assert_eq!(options.database_url.as_deref(), Some("sqlite://./x.db"));
        let bad_port = Env {
            port: Some("x".into()),
            ..Env::default()
        };
        assert!(Options::parse_with_env(&[], bad_port).is_err());
        let empty_url = Env {
            database_url: Some(String::new()),
            ..Env::default()
        };
        assert_eq!(
            Options::parse_with_env(&[], empty_url)
                .unwrap()
                .database_url,
            None
        );
    }

    #[test]
    fn takes_a_database_url_in_both_spellings() {
        let url = "postgres://novatalks@127.0.0.1:5433/postgres";
        let options = parse(&["--database-url", url]).unwrap();
        assert_eq!(options.database_url.as_deref(), Some(url));
        assert!(options.on_postgres());
        let options = parse(&["--database-url=postgresql://u:p@h/db?sslmode=require"]).unwrap();
        assert_eq!(
            options.database_url.as_deref(),
            Some("postgresql://u:p@h/db?sslmode=require")
        );
        let options = parse(&["--database-url=sqlite://data/contacts.db"]).unwrap();
        assert!(!options.on_postgres());
        assert!(!parse(&[]).unwrap().on_postgres());
    }

    #[test]
    fn an_unknown_database_url_is_an_error_without_its_password() {
        let err = parse(&["--database-url", "mysql://root:hunter2@h/db"])
            .err()
            .unwrap();
        assert!(err.starts_with("--database-url: "), "{err}");
        assert!(err.contains("mysql://root:***@h/db"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(parse(&["--database-url"]).is_err());
    }

    #[test]
    fn bad_flags_are_errors() {
        assert!(parse(&["--port", "http"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }
}
