//! Serving the built SPA: files from dist/, and index.html for every other path so that
//! client-side routes (`/contacts/42`) survive a reload.

use std::path::Path;

use tower_http::services::{ServeDir, ServeFile};

pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")))
}
