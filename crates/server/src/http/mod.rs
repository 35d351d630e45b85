//! HTTP plumbing: what every route shares and no resource owns.
//!
//! - [`error`]: [`AppError`](error::AppError), every failure in the contract's JSON shape.
//! - [`extract`]: extractors whose rejections are that JSON too (bodies, query pairs,
//!   path ids).
//! - [`body`]: reading a JSON body strictly, with refusals in words, and [`body::Field`],
//!   one field as it was sent.
//! - [`form`]: form bodies nested as Rails nests them, read then as JSON is.
//! - [`body_limit`]: 1 MB bodies, 50 MB for the contacts import.
//! - [`json_errors`]: JSON bodies for the errors no handler writes (405, 413, 414…).
//! - [`spa`]: the built SPA with its index.html fallback.
//! - [`openapi`]: the document's frame (the routes add their paths).
//! - [`compat`]: stock-Chatwoot mode.
//! - [`cors`]: cross-origin calls from the configured dashboards.
//! - [`serve`]: the connection loop, and starting a server in the background.

pub mod body;
pub mod body_limit;
pub mod compat;
pub mod cors;
pub mod error;
pub mod extract;
pub mod form;
pub mod json_errors;
pub mod openapi;
pub mod serve;
pub mod spa;
