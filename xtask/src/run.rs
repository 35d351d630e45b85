//! `cargo xtask run`: install what is missing, build the SPA (release) and the server, and
//! serve both from one origin until Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode};
use std::time::{Duration, Instant};

use crate::cmd;
use crate::dist;
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
}

impl Options {
    /// Flags win over the environment (NOVATALKS_PORT, NOVATALKS_DATA_DIR, which the server
    /// binary reads too), which wins over the defaults.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        Self::parse_with_env(
            args,
            std::env::var("NOVATALKS_PORT").ok(),
            std::env::var_os("NOVATALKS_DATA_DIR").map(PathBuf::from),
        )
    }

    fn parse_with_env(
        args: &[String],
        env_port: Option<String>,
        env_data_dir: Option<PathBuf>,
    ) -> Result<Self, String> {
        let port = match env_port.filter(|p| !p.is_empty()) {
            Some(port) => parse_port(&port).map_err(|e| format!("NOVATALKS_PORT: {e}"))?,
            None => 8080,
        };
        let data_dir = env_data_dir.filter(|d| !d.as_os_str().is_empty());
        let mut options = Options { port, data_dir };
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
                _ => return Err(format!("`run` does not know {arg}")),
            }
        }
        Ok(options)
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
    tools::ensure_trunk()?;
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
        println!("    data: {} (kept between runs)", data_dir.display());
    }
    // Ctrl-C reaches the server too (one process group); it shuts down and we wait for it.
    let status = child
        .wait()
        .map_err(|e| format!("lost the server process: {e}"))?;
    if status.success() {
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
#[cfg(unix)]
mod interrupt {
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    const SIGINT: i32 = 2;
    const SIG_DFL: usize = 0;
    const SIG_IGN: usize = 1;

    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }

    /// From now on xtask ignores SIGINT; `child` starts with the default disposition (an
    /// ignored signal would stay ignored across exec), so it behaves as if run by hand.
    pub fn leave_to_child(child: &mut Command) {
        // SAFETY: signal(2) with SIG_IGN/SIG_DFL installs no handler code; it is
        // async-signal-safe, as pre_exec requires between fork and exec.
        unsafe {
            signal(SIGINT, SIG_IGN);
            child.pre_exec(|| {
                signal(SIGINT, SIG_DFL);
                Ok(())
            });
        }
    }
}

#[cfg(not(unix))]
mod interrupt {
    pub fn leave_to_child(_child: &mut std::process::Command) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        Options::parse_with_env(&args, None, None)
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
        let env = || (Some("7000".to_string()), Some(PathBuf::from("/env")));
        let (port, dir) = env();
        let options = Options::parse_with_env(&[], port, dir).unwrap();
        assert_eq!(
            (options.port, options.data_dir),
            (7000, Some("/env".into()))
        );
        let (port, dir) = env();
        let args = ["--port=7001".to_string()];
        let options = Options::parse_with_env(&args, port, dir).unwrap();
        assert_eq!(
            (options.port, options.data_dir),
            (7001, Some("/env".into()))
        );
        assert!(Options::parse_with_env(&[], Some("x".into()), None).is_err());
    }

    #[test]
    fn bad_flags_are_errors() {
        assert!(parse(&["--port", "http"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }
}
