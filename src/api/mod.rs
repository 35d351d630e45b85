//! The typed client of the Contacts API (`shared/api/CONTRACT.md`): one function per
//! endpoint, grouped by resource, all taking an [`ApiClient`]. Nothing else in the app
//! talks HTTP.

pub mod auth;
pub mod bulk;
mod client;
pub mod contact;
pub mod contacts;
pub mod conversations;
pub mod custom_attributes;
pub mod custom_filters;
pub mod dashboard_config;
mod error;
pub mod filter;
pub mod imports;
pub mod inboxes;
pub mod labels;
pub mod merge;
pub mod notes;
mod rejection;
mod transport;

pub use client::{ApiClient, Credentials, TOKEN_HEADER};
pub use contacts::ContactQuery;
pub use error::{body_message, ApiError};
pub use rejection::{Checked, Rejection};
pub use transport::{
    FetchTransport, FormPart, FormValue, HttpRequest, HttpResponse, LocalBoxFuture, Method,
    Transport,
};
