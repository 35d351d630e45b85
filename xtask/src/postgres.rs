//! Throwaway PostgreSQL clusters: `initdb` into a fresh temporary directory, `postgres` on a
//! free loopback port, stopped and deleted when dropped. For the server tests on
//! PostgreSQL (`cargo xtask test`), `cargo xtask postgres` and `cargo xtask bench --postgres`.
//!
//! No Docker, no system service, no pg_ctlcluster: the two programs, started here. As
//! root (initdb and postgres refuse to run as root) they run as the `postgres` system user,
//! which owns the directory. The superuser is [`SUPERUSER`], trusted without a password
//! from the loopback address only; durability is off (fsync, full pages): a crash loses
//! nothing worth keeping.

use std::fs::File;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::cmd;
use crate::interrupt;
use crate::report::clock;
use crate::tools::{self, PostgresBin};

/// The cluster's bootstrap superuser (initdb -U), the user of [`Cluster::url`].
pub const SUPERUSER: &str = "novatalks";
/// The database initdb creates; tests connect to it to create their own.
pub const DATABASE: &str = "postgres";
/// The system user initdb and postgres run as when xtask runs as root.
const SERVICE_USER: &str = "postgres";
/// How long postgres may take to accept connections (it takes well under a second).
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a fast shutdown may take before postgres is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(15);
/// Another program may take the free port between our look and postgres' bind.
const PORT_ATTEMPTS: usize = 5;
/// Each test opens pools of its own, and the tests of a binary run at once.
const MAX_CONNECTIONS: u32 = 400;
/// sun_path of a Unix socket holds 108 bytes, its terminating NUL included.
const MAX_SOCKET_PATH: usize = 107;

pub struct Cluster {
    /// Everything: `data/` (initdb's), the logs, the Unix socket.
    dir: PathBuf,
    port: u16,
    postgres: Option<Child>,
    started_in: Duration,
}

impl Cluster {
    /// initdb, then postgres until it accepts connections. On failure nothing is left
    /// behind, and the error carries the end of the log that says why.
    pub fn start(bin: &PostgresBin) -> Result<Cluster, String> {
        let started = Instant::now();
        let owner = owner()?;
        let dir = fresh_dir(owner)?;
        // From here Drop stops what runs and removes the directory, on an error or Ctrl-C.
        interrupt::hold();
        let mut cluster = Cluster {
            dir,
            port: 0,
            postgres: None,
            started_in: Duration::ZERO,
        };
        cluster.initdb(bin, owner)?;
        for attempt in 1..=PORT_ATTEMPTS {
            match cluster.serve(bin, owner)? {
                Started::Ready => {
                    cluster.started_in = started.elapsed();
                    return Ok(cluster);
                }
                Started::PortTaken if attempt < PORT_ATTEMPTS => {
                    println!("port {} was taken meanwhile; another one", cluster.port)
                }
                Started::PortTaken => break,
            }
        }
        Err(format!(
            "postgres found no free port in {PORT_ATTEMPTS} tries; the end of its log:\n{}",
            cluster.log_tail()
        ))
    }

    /// `postgres://novatalks@127.0.0.1:PORT/postgres`
    pub fn url(&self) -> String {
        url(SUPERUSER, self.port, DATABASE)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// From the first initdb step to accepting connections.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// Whether postgres still runs.
    pub fn is_running(&mut self) -> bool {
        self.postgres
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// The last lines postgres logged.
    pub fn log_tail(&self) -> String {
        tail(&self.dir.join("postgres.log"), 20)
    }

    fn initdb(&self, bin: &PostgresBin, owner: Option<Owner>) -> Result<(), String> {
        let locale =
            choose_locale(&cmd::output(Command::new("locale").arg("-a")).unwrap_or_default());
        if locale == "C" {
            println!(
                "no C.UTF-8 locale here: initdb --locale=C (lower() and upper() then fold \
                 ASCII only)"
            );
        }
        let log = self.dir.join("initdb.log");
        let mut initdb = Command::new(&bin.initdb);
        initdb
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["--auth=trust", "-U", SUPERUSER, "--encoding=UTF8"])
            .arg(format!("--locale={locale}"))
            // Nothing here needs to survive a power cut.
            .arg("--no-sync");
        as_owner(&mut initdb, owner);
        echo(&initdb, owner);
        let status = initdb
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log_file(&log)?)
            .stderr(log_file(&log)?)
            .status()
            .map_err(|e| format!("cannot start {}: {e}", bin.initdb.display()))?;
        match status.success() {
            true => Ok(()),
            false => Err(format!(
                "initdb {status}; the end of its output:\n{}",
                tail(&log, 20)
            )),
        }
    }

    /// Starts postgres on a free port and waits until it accepts connections.
    fn serve(&mut self, bin: &PostgresBin, owner: Option<Owner>) -> Result<Started, String> {
        self.port = free_port()?;
        let socket_dir = match self.dir.as_os_str().len() + "/.s.PGSQL.65535".len() {
            len if len <= MAX_SOCKET_PATH => self.dir.clone(),
            // Too long a temporary directory: TCP only.
            _ => PathBuf::new(),
        };
        let log = self.dir.join("postgres.log");
        let mut postgres = Command::new(&bin.postgres);
        postgres
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-p")
            .arg(self.port.to_string())
            .args(["-c", "listen_addresses=127.0.0.1", "-k"])
            .arg(&socket_dir)
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off"])
            // Sized as a production server is (the default 128 MB is a tenth of a million
            // contacts with their indexes): what `cargo xtask bench --postgres` measures.
            .args(["-c", "shared_buffers=1GB"])
            .arg("-c")
            .arg(format!("max_connections={MAX_CONNECTIONS}"));
        as_owner(&mut postgres, owner);
        // Its own process group: the terminal's Ctrl-C reaches xtask and what it runs,
        // and xtask stops postgres after them (a server shutting down still has its pool).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut postgres, 0);
        echo(&postgres, owner);
        let child = postgres
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log_file(&log)?)
            .stderr(log_file(&log)?)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.postgres.display()))?;
        self.postgres = Some(child);
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if !self.is_running() {
                self.postgres = None;
                let log = self.log_tail();
                if log.contains("could not bind") || log.contains("already in use") {
                    return Ok(Started::PortTaken);
                }
                return Err(format!(
                    "postgres stopped while starting; the end of its log:\n{log}"
                ));
            }
            if self.accepts_connections(bin) {
                return Ok(Started::Ready);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "postgres did not accept connections within {} s; the end of its log:\n{}",
                    READY_TIMEOUT.as_secs(),
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// pg_isready over TCP; without it, postmaster.pid says "ready" and the port answers.
    fn accepts_connections(&self, bin: &PostgresBin) -> bool {
        match &bin.pg_isready {
            Some(pg_isready) => Command::new(pg_isready)
                .args(["-q", "-h", "127.0.0.1", "-U", SUPERUSER, "-d", DATABASE])
                .args(["-t", "2", "-p"])
                .arg(self.port.to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success()),
            None => {
                let pid_file = std::fs::read_to_string(self.dir.join("data/postmaster.pid"));
                pid_file.is_ok_and(|text| says_ready(&text))
                    && TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok()
            }
        }
    }

    /// Fast shutdown (SIGINT: sessions are ended, nothing is waited for), SIGKILL if it
    /// takes too long.
    fn stop(&mut self) {
        let Some(mut child) = self.postgres.take() else {
            return;
        };
        if matches!(child.try_wait(), Ok(None)) && interrupt::interrupt(child.id()) {
            let deadline = Instant::now() + STOP_TIMEOUT;
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        if matches!(child.try_wait(), Ok(None)) {
            eprintln!("xtask: postgres did not stop within {STOP_TIMEOUT:?}; killing it");
            let _ = child.kill();
        }
        let _ = child.wait();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let was_running = self.postgres.is_some();
        self.stop();
        match std::fs::remove_dir_all(&self.dir) {
            Ok(()) if was_running => println!(
                "stopped PostgreSQL on port {} and removed {}",
                self.port,
                self.dir.display()
            ),
            Ok(()) => {}
            Err(e) => eprintln!("xtask: cannot remove {}: {e}", self.dir.display()),
        }
        // Last: a Ctrl-C that came meanwhile ends xtask now, with nothing left behind.
        interrupt::release();
    }
}

enum Started {
    Ready,
    PortTaken,
}

/// `cargo xtask postgres`: a throwaway cluster until Ctrl-C.
pub fn serve_until_interrupted() -> Result<ExitCode, String> {
    let bin = tools::ensure_postgres()?;
    let mut cluster = Cluster::start(&bin)?;
    let url = cluster.url();
    println!(
        "\n==> PostgreSQL ({}) is up, started in {}:\n\n    {url}\n",
        bin.version(),
        clock(cluster.started_in())
    );
    println!("    try: cargo xtask run --database-url {url}");
    println!(
        "    superuser {SUPERUSER}, no password, 127.0.0.1 only; data in {} (deleted \
         at the end)\n    Ctrl-C stops it",
        cluster.dir().display()
    );
    while !interrupt::caught() {
        if !cluster.is_running() {
            return Err(format!(
                "postgres stopped by itself; the end of its log:\n{}",
                cluster.log_tail()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Ctrl-C is how this command ends: stop, clean up and exit 0.
    interrupt::forget();
    println!();
    drop(cluster);
    Ok(ExitCode::SUCCESS)
}

/// `postgres://USER@127.0.0.1:PORT/DATABASE`; the cluster trusts loopback, no password.
pub fn url(user: &str, port: u16, database: &str) -> String {
    format!("postgres://{user}@127.0.0.1:{port}/{database}")
}

/// A port nothing listens on now, on the loopback address (the kernel's pick).
pub fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))
}

/// C.UTF-8 when `locale -a` lists it (glibc spells it C.utf8): lower(), upper() and ILIKE
/// then fold every script. Else plain C (still UTF8-encoded).
fn choose_locale(locale_a: &str) -> &'static str {
    let has_c_utf8 = locale_a
        .lines()
        .any(|line| line.trim().to_ascii_lowercase().replace('-', "") == "c.utf8");
    if has_c_utf8 {
        "C.UTF-8"
    } else {
        "C"
    }
}

/// postmaster.pid's 8th line is the postmaster's state: "ready" once it takes connections.
fn says_ready(postmaster_pid: &str) -> bool {
    postmaster_pid.lines().nth(7).map(str::trim) == Some("ready")
}

/// The user and group initdb and postgres run as: ours, or the `postgres` system user's
/// when we are root (created if missing).
#[derive(Clone, Copy)]
struct Owner {
    uid: u32,
    gid: u32,
}

fn owner() -> Result<Option<Owner>, String> {
    if !tools::is_root() {
        return Ok(None);
    }
    let ids = || -> Option<Owner> {
        let id = |flag: &str| {
            let out = Command::new("id")
                .args([flag, SERVICE_USER])
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .ok()?;
            out.status.success().then_some(())?;
            String::from_utf8_lossy(&out.stdout).trim().parse().ok()
        };
        Some(Owner {
            uid: id("-u")?,
            gid: id("-g")?,
        })
    };
    if let Some(owner) = ids() {
        return Ok(Some(owner));
    }
    // Debian's postgresql package creates it; a PostgreSQL from elsewhere may not have.
    cmd::run(Command::new("useradd").args([
        "--system",
        "--user-group",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        SERVICE_USER,
    ]))?;
    ids()
        .map(Some)
        .ok_or_else(|| format!("created the system user {SERVICE_USER} but `id` does not know it"))
}

fn as_owner(command: &mut Command, owner: Option<Owner>) {
    #[cfg(unix)]
    if let Some(Owner { uid, gid }) = owner {
        // Real and effective ids, and no supplementary groups (std drops root's).
        std::os::unix::process::CommandExt::uid(command, uid);
        std::os::unix::process::CommandExt::gid(command, gid);
    }
    #[cfg(not(unix))]
    let _ = (command, owner);
}

fn echo(command: &Command, owner: Option<Owner>) {
    match owner {
        Some(_) => println!("$ {}  (as user {SERVICE_USER})", cmd::display(command)),
        None => println!("$ {}", cmd::display(command)),
    }
}

/// A new directory under the system's temporary one, private to `owner`.
fn fresh_dir(owner: Option<Owner>) -> Result<PathBuf, String> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("novatalks-pg-{}-{nanos:08x}", std::process::id()));
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
        let owned = match owner {
            Some(Owner { uid, gid }) => std::os::unix::fs::chown(&dir, Some(uid), Some(gid)),
            None => Ok(()),
        };
        if let Err(e) = private.and(owned) {
            let _ = std::fs::remove_dir(&dir);
            return Err(format!("cannot give {} to postgres: {e}", dir.display()));
        }
    }
    #[cfg(not(unix))]
    let _ = owner;
    Ok(dir)
}

fn log_file(path: &Path) -> Result<File, String> {
    File::options()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))
}

/// The last `lines` lines of the file at `path` (empty if unreadable).
fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_superuser_the_loopback_port_and_database() {
        assert_eq!(
            url(SUPERUSER, 54321, DATABASE),
            "postgres://novatalks@127.0.0.1:54321/postgres"
        );
    }

    #[test]
    fn a_free_port_can_be_listened_on() {
        let port = free_port().unwrap();
        assert_ne!(port, 0);
        // Free as said: nothing answers there, and we may bind it.
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err());
        assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok());
    }

    #[test]
    fn prefers_c_utf8_in_any_spelling() {
        assert_eq!(choose_locale("C\nC.utf8\nPOSIX\n"), "C.UTF-8");
        assert_eq!(choose_locale("C.UTF-8\n"), "C.UTF-8");
        assert_eq!(choose_locale("C\nPOSIX\nen_US.utf8\n"), "C");
        assert_eq!(choose_locale(""), "C");
    }

    #[test]
    fn reads_the_postmasters_state() {
        let pid = |state: &str| {
            format!("4242\n/tmp/x/data\n1700000000\n5432\n/tmp/x\n127.0.0.1\n  1234  5\n{state}\n")
        };
        assert!(says_ready(&pid("ready   ")));
        assert!(!says_ready(&pid("starting")));
        assert!(!says_ready("4242\n"));
    }

    #[test]
    fn tails_the_last_lines() {
        let path = std::env::temp_dir().join(format!("xtask-tail-{}", std::process::id()));
        std::fs::write(&path, "1\n2\n3\n4\n").unwrap();
        assert_eq!(tail(&path, 2), "3\n4");
        assert_eq!(tail(&path, 10), "1\n2\n3\n4");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(tail(&path, 2), "");
    }
}
