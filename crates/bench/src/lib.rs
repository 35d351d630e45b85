//! What the benchmark binaries share: starting the server binary beside them, and
//! watching its memory.

pub mod memory;
pub mod server;
