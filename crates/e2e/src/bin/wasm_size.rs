//! The size part of `cargo xtask bench`: what the contacts page downloads (the wasm and
//! JavaScript in dist/, raw and as the server sends them, brotli and gzip) beside the
//! goals, then a size profile of the release wasm: code bytes by crate, by generic
//! function (with its number of copies) and by function. Prints, never asserts.
//!
//! The release wasm is split (`cargo xtask dist`, src/split.rs): the page loads the main
//! module of `dist/pkg-HASH/`, its script and the split loader; the parts (`split_*.wasm`,
//! and the code several parts share, `chunk_*.wasm`) come when a screen or dialog first
//! opens, and are listed apart. The profile reads the main module as wasm-split wrote it
//! (target/spa/main.wasm): the release profile keeps the `name` section there, and wasm-opt
//! drops it from what dist/ ships (`--strip-debug` in index.html). It is the code before
//! wasm-bindgen and wasm-opt, so its sizes are a little above the shipped ones; the shares
//! are what matters. `--wasm target/wasm32-unknown-unknown/release/novatalks-contacts.wasm`
//! profiles the whole, before the split.
//!
//! `wasm_size [--top N] [--wasm PATH]`

use std::path::{Path, PathBuf};
use std::process::Command;

use novatalks_e2e::wasm_size::Profile;
use novatalks_e2e::{dist_dir, target_dir, Result};

const GOAL_GZIP: u64 = 400 * 1024;
const GOAL_BROTLI: u64 = 250 * 1024;

/// Raw, gzip and brotli bytes of one file of dist/.
#[derive(Default, Clone, Copy)]
struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, other: Sizes) {
        self.raw += other.raw;
        self.gzip += other.gzip;
        self.brotli += other.brotli;
    }
}

/// The `.gz` and `.br` copies `cargo xtask dist` wrote beside the file; made here the same
/// way (gzip -9, brotli -q 11) when missing.
fn sizes(path: &Path) -> Result<Sizes> {
    let beside = |ext: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(ext);
        std::fs::metadata(PathBuf::from(name)).ok().map(|m| m.len())
    };
    let compressed = |program: &str, args: &[&str]| -> Result<u64> {
        let out = Command::new(program).args(args).arg(path).output()?;
        if !out.status.success() {
            return Err(format!("{program} failed on {}", path.display()).into());
        }
        Ok(out.stdout.len() as u64)
    };
    Ok(Sizes {
        raw: std::fs::metadata(path)?.len(),
        gzip: match beside(".gz") {
            Some(n) => n,
            None => compressed("gzip", &["-9", "-n", "-c"])?,
        },
        brotli: match beside(".br") {
            Some(n) => n,
            None => compressed("brotli", &["-q", "11", "-c"]).unwrap_or(0),
        },
    })
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn main() -> Result<()> {
    let mut top = 15usize;
    let mut wasm = target_dir().join("spa/main.wasm");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--top", Some(n)) if n.parse::<usize>().is_ok() => top = n.parse()?,
            ("--wasm", Some(path)) => wasm = PathBuf::from(path),
            _ => return Err("usage: wasm_size [--top N] [--wasm PATH]".into()),
        }
    }

    let dist = dist_dir()?;
    let pkg = std::fs::read_dir(&dist)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| {
            path.is_dir()
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("pkg-"))
        })
        .ok_or_else(|| {
            format!(
                "{} has no pkg-HASH directory: build it with `cargo xtask dist`",
                dist.display()
            )
        })?;
    let (mut code, mut script) = (Sizes::default(), Sizes::default());
    let (mut later, mut parts) = (Sizes::default(), Vec::new());
    let mut names: Vec<PathBuf> = std::fs::read_dir(&pkg)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") if name.starts_with("split_") || name.starts_with("chunk_") => {
                let size = sizes(&path)?;
                later += size;
                if let Some(part) = name.strip_prefix("split_") {
                    parts.push((part.trim_end_matches(".wasm").to_owned(), size));
                }
            }
            Some("wasm") => code += sizes(&path)?,
            Some("js") => script += sizes(&path)?,
            _ => {}
        }
    }
    let mut page = code;
    page += script;
    println!();
    println!(
        "Page code in {}: what the contacts page downloads",
        pkg.display()
    );
    println!("{:<10} {:>12} {:>12} {:>12}", "", "raw", "gzip", "brotli");
    for (label, s) in [("wasm", code), ("js", script), ("total", page)] {
        println!(
            "{label:<10} {:>12} {:>12} {:>12}",
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
    }
    println!(
        "{:<10} {:>12} {:>12} {:>12}",
        "goal",
        "",
        format!("< {}", kb(GOAL_GZIP)),
        format!("< {}", kb(GOAL_BROTLI))
    );
    println!();
    println!("Later parts, fetched when first shown (their own code; shared chunks apart):");
    for (part, s) in &parts {
        println!(
            "{part:<22} {:>12} {:>12} {:>12}",
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
    }
    let own = parts.iter().fold(Sizes::default(), |mut all, (_, s)| {
        all += *s;
        all
    });
    let shared = Sizes {
        raw: later.raw - own.raw,
        gzip: later.gzip - own.gzip,
        brotli: later.brotli - own.brotli,
    };
    for (label, s) in [("shared chunks", shared), ("all later parts", later)] {
        println!(
            "{label:<22} {:>12} {:>12} {:>12}",
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
    }

    let bytes = std::fs::read(&wasm)
        .map_err(|e| format!("cannot read {} ({e}); build the SPA first", wasm.display()))?;
    let profile = Profile::read(&bytes)?;
    println!();
    println!("Size profile of {}", wasm.display());
    println!(
        "{} in all: code {} in {} functions, data {}, custom sections {}",
        kb(profile.total),
        kb(profile.code),
        profile.functions.len(),
        kb(profile.data),
        kb(profile.custom)
    );
    if !profile.has_names() {
        println!("(no name section: a stripped module; the profile needs the one in target/, built without strip)");
        return Ok(());
    }
    let share = |size: u64| 100.0 * size as f64 / profile.code.max(1) as f64;
    println!();
    println!("{:>10} {:>6} {:>7}  by crate", "code", "%", "fns");
    for s in profile.by_crate().iter().take(top) {
        println!(
            "{:>10} {:>5.1}% {:>7}  {}",
            kb(s.size),
            share(s.size),
            s.count,
            s.name
        );
    }
    println!();
    println!(
        "{:>10} {:>6} {:>7}  by generic function (copies)",
        "code", "%", "copies"
    );
    for s in profile.by_generic_function().iter().take(top) {
        println!(
            "{:>10} {:>5.1}% {:>7}  {}",
            kb(s.size),
            share(s.size),
            s.count,
            shorten(&s.name)
        );
    }
    println!();
    println!("{:>10} {:>6}  by function", "code", "%");
    for f in profile.largest_functions(top) {
        println!(
            "{:>10} {:>5.1}%  {}",
            kb(f.size),
            share(f.size),
            shorten(&f.name)
        );
    }
    Ok(())
}

/// Names of nested generics run to hundreds of characters: the start says enough.
fn shorten(name: &str) -> String {
    const MAX: usize = 150;
    match name.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_string(),
    }
}
