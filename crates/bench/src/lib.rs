//! What the benchmark binaries share: starting the server binary beside them.

pub mod server;
