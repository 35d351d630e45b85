//! What the benchmark binaries share: starting the server binary beside them, watching
//! its memory, and one request on a fresh connection.

pub mod http;
pub mod memory;
pub mod server;
