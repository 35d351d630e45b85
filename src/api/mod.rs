//! The typed client of the Contacts API (`shared/api/CONTRACT.md`): one function per
//! endpoint, grouped by resource, all taking an [`ApiClient`]. Nothing else in the app
//! talks HTTP.

pub mod auth;
mod client;
pub mod contacts;
mod error;
pub mod labels;
mod transport;

pub use client::{ApiClient, Credentials, TOKEN_HEADER};
pub use contacts::ContactQuery;
pub use error::{body_message, ApiError};
pub use transport::{FetchTransport, HttpRequest, HttpResponse, LocalBoxFuture, Method, Transport};
