//! `sqlx::migrate!` embeds crates/server/migrations at compile time: a migration added
//! (or changed) must rebuild the server, or a stale binary would run without it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
