//! The server binary (`novatalks-server`, built beside the benchmarks in the same profile)
//! started on a free port with a fresh data directory, and killed when dropped.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process.
pub struct Server {
    child: Child,
    data: tempfile::TempDir,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts the server on its demo data plus `contacts` synthetic ones, on the SQLite
    /// file in its data directory or on `database_url`. It may still be seeding: see
    /// [`Server::wait_until_up`].
    pub fn start(contacts: u64, database_url: Option<&str>) -> Result<Server, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let binary =
            exe.with_file_name(format!("novatalks-server{}", std::env::consts::EXE_SUFFIX));
        if !binary.exists() {
            return Err(format!(
                "{} is missing: build it with `cargo build -p novatalks-server --bin novatalks-server` in the same profile",
                binary.display()
            ));
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let data = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut command = Command::new(&binary);
        command
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .arg("--data-dir")
            .arg(data.path())
            .arg("--dist")
            .arg(data.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        if contacts > 0 {
            command.args(["--seed-synthetic", &contacts.to_string()]);
        }
        if let Some(url) = database_url {
            command.args(["--database-url", url]);
        }
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        Ok(Server {
            child,
            data,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        })
    }

    /// The process id, to read its memory.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its data directory (where its SQLite file is).
    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// Waits until the server accepts connections, at most `patience`.
    pub async fn wait_until_up(&self, patience: Duration) -> Result<(), String> {
        let deadline = Instant::now() + patience;
        while tokio::net::TcpStream::connect(self.addr).await.is_err() {
            if Instant::now() > deadline {
                return Err(format!(
                    "the server at {} did not start within {} s",
                    self.addr,
                    patience.as_secs()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The database a benchmark's server runs on: with NOVATALKS_BENCH_DATABASE_URL (a
/// PostgreSQL cluster), the URL of a fresh database of its own in it, migrated; without
/// it `None`, the SQLite file in the server's data directory.
pub async fn fresh_bench_database() -> Result<Option<String>, String> {
    let Some(cluster) = std::env::var("NOVATALKS_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        return Ok(None);
    };
    let db = novatalks_server::db::fresh_postgres_database(cluster.trim())
        .await
        .map_err(|e| e.to_string())?;
    let url = novatalks_server::db::url_of(&db).ok_or("no URL of the database")?;
    db.close().await;
    Ok(Some(url))
}
