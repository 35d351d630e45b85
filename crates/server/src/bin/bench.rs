//! `cargo xtask bench`: search and list timings at 1,000,000 contacts.

fn main() {
    eprintln!("novatalks-bench: not written yet");
    std::process::exit(1);
}
