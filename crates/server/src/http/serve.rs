//! Serving: [`start`] opens the database and runs a server in the background, and the
//! connection loop under it. `axum::serve` gives hyper no timer, so a client that sends half a
//! request head holds its connection (and a task) forever; here every connection must send
//! its request head within [`HEADER_READ_TIMEOUT`], keep-alive included. Each request
//! carries the peer's address (`ConnectInfo<SocketAddr>`), and a shutdown lets in-flight
//! requests finish.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tower::ServiceExt;

use crate::{app, db, seed, AppError, AppState, ServerConfig};

/// A server running in the background; dropped or [`RunningServer::stop`]ped, it shuts down.
pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests, and waits for the server to end.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await.unwrap_or(Ok(()))
    }

    /// Runs until the server ends by itself or the future completes, then stops it.
    pub async fn run_until(
        self,
        signal: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        signal.await;
        self.stop().await
    }
}

/// Opens (creating and migrating) the database (`config.database_url`, or the SQLite file
/// in `config.data_dir`), seeds the demo data once per database, binds `config.host:config.port` (port 0 picks a free one) and serves.
pub async fn start(config: ServerConfig) -> Result<RunningServer, AppError> {
    let db = db::connect(config.database_url.as_deref(), &config.data_dir).await?;
    if seed::demo_once(&db).await? {
        tracing::info!("seeded the demo accounts");
    }
    if let Some(n) = config.synthetic_contacts {
        let report = seed::synthetic(&db, n).await?;
        tracing::info!("{report}");
    }
    let listener = tokio::net::TcpListener::bind((config.host, config.port))
        .await
        .map_err(|e| {
            AppError::internal(format!(
                "cannot listen on {}:{}: {e}",
                config.host, config.port
            ))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| AppError::internal(e.to_string()))?;
    let state = AppState::new(db, Arc::new(config));
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, app(state), async {
        let _ = rx.await;
    }));
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        task,
    })
}

/// How long a connection may take to send a request's head (line and headers).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting and
/// waits for the connections' in-flight requests to end.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_with(listener, router, shutdown, HEADER_READ_TIMEOUT).await
}

/// [`serve`] with another header-read timeout (tests).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
    header_read_timeout: Duration,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    // Each connection waits for a change: the one `true` sent at shutdown.
    // Every connection task holds a clone; `closed()` resolves when the last one ends.
    let (done_tx, done_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let mut stop = stop_rx.clone();
        let done = done_rx.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.as_mut().await
                }
            };
            if let Err(e) = result {
                tracing::debug!("connection from {peer} ended: {e}");
            }
            drop(done);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(done_rx);
    done_tx.closed().await;
    Ok(())
}
