//! One HTTP/1 request on a fresh connection to the server under test, for the benchmark
//! binaries that send a few large requests (bulk actions, export, import) rather than
//! many small ones over kept connections (the load part's own client).

use std::net::SocketAddr;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;

/// Sends `body` (of `content_type`, when there is one) to `addr` as the holder of
/// `token` (none when empty); the answer comes back with its body still to be read.
pub async fn send_once(
    addr: SocketAddr,
    token: &str,
    method: Method,
    path: &str,
    body: Option<(&str, Bytes)>,
) -> Result<Response<Incoming>, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string());
    if !token.is_empty() {
        request = request.header("api_access_token", token);
    }
    let payload = match body {
        Some((content_type, bytes)) => {
            request = request
                .header("content-type", content_type)
                .header("content-length", bytes.len());
            bytes
        }
        None => Bytes::new(),
    };
    let request = request
        .body(Full::new(payload))
        .map_err(|e| e.to_string())?;
    sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())
}
