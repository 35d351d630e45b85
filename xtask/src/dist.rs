//! The release SPA in dist/, built from index.html as Trunk would (Trunk stays the tool of
//! `trunk serve`), with one step Trunk 0.21 has not: the wasm is cut at the SPA's split points
//! (`src/split.rs`), so that the contacts page downloads only its own code and each rarely
//! used screen or dialog comes when first opened.
//!
//! 1. `cargo build --release` for wasm32 with `--cfg novatalks_split` (the split points
//!    become wasm-split's imports) and `--emit-relocs` (what wasm-split reads);
//! 2. `novatalks-dist` (crates/dist): the main module, the parts, and their loader;
//! 3. wasm-bindgen on the main module (`--keep-lld-exports`: the parts link to its exports);
//! 4. wasm-opt on every module, with index.html's `data-wasm-opt-params`;
//! 5. into `dist/pkg-HASH/`, HASH over all of it: the loader and the parts find each other
//!    by relative addresses, and the directory's name changes with any of them. Stylesheets
//!    get content names (`base-HASH.css`), the copied files keep theirs;
//! 6. index.html with the page's script, preloads and stylesheets in place of the
//!    `data-trunk` links, and a brotli and a gzip copy of every file that compresses, made
//!    once here so that the server hands browsers the smallest form they accept.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd;
use crate::page::{self, TrunkLink};
use crate::tools;
use crate::workspace::Workspace;

/// What is worth compressing: text and wasm. Images and fonts are compressed already.
const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "html", "svg", "json", "txt"];

/// The wasm32 flags of `.cargo/config.toml` (an environment value replaces them), plus the
/// split build's own.
const SPLIT_RUSTFLAGS: &str =
    "--cfg erase_components --cfg novatalks_split -Clink-args=--emit-relocs";

/// `cargo xtask dist`: the tools, then [`build_release`].
pub fn build_for_deployment() -> Result<std::process::ExitCode, String> {
    let ws = Workspace::locate()?;
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen(&ws)?;
    tools::ensure_wasm_opt(&ws)?;
    build_release(&ws)?;
    println!("dist: {}", ws.dist().display());
    Ok(std::process::ExitCode::SUCCESS)
}

/// The release SPA in dist/ (the steps in this module's header).
pub fn build_release(ws: &Workspace) -> Result<(), String> {
    let index_path = ws.root.join("index.html");
    let html = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let links = page::trunk_links(&html)?;
    let rust = links
        .iter()
        .find(|link| link.get("rel") == Some("rust"))
        .ok_or("index.html has no <link data-trunk rel=\"rust\">")?;
    let bin = rust.get("data-bin").unwrap_or("novatalks-contacts");
    let target = ws.target_dir()?;

    cmd::run(
        cmd::cargo()
            .current_dir(&ws.root)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                SPLIT_RUSTFLAGS,
            )
            .args(["build", "--release", "--target", tools::WASM_TARGET])
            .args(["-p", "novatalks-contacts", "--bin", bin]),
    )?;
    let compiled = target
        .join(tools::WASM_TARGET)
        .join("release")
        .join(format!("{bin}.wasm"));

    // The parts, in a directory of their own under target/ (kept: the size profile reads
    // the main module from it, names and all).
    let stage = target.join("spa");
    remove_dir(&stage)?;
    cmd::run(
        cmd::cargo()
            .current_dir(&ws.root)
            .args([
                "run",
                "--quiet",
                "--profile",
                "bench-native",
                "-p",
                "novatalks-dist",
                "--",
            ])
            .arg(&compiled)
            .arg(&stage),
    )?;
    let pkg = target.join("spa-pkg");
    remove_dir(&pkg)?;
    cmd::run(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle"])
            .args(["--out-name", bin, "--out-dir"])
            .arg(&pkg)
            .arg(stage.join("main.wasm")),
    )?;
    for entry in read_dir(&stage)? {
        let keep = entry.file_name().is_some_and(|name| name != "main.wasm");
        if keep {
            copy(&entry, &pkg.join(file_name(&entry)?))?;
        }
    }
    for entry in read_dir(&pkg)? {
        if file_name(&entry)?.ends_with(".d.ts") {
            std::fs::remove_file(&entry)
                .map_err(|e| format!("cannot remove {}: {e}", entry.display()))?;
        }
    }
    let optimise = rust.get("data-wasm-opt").filter(|level| *level != "0");
    if let Some(level) = optimise {
        let level = if level.is_empty() { "z" } else { level };
        let params: Vec<&str> = rust
            .get("data-wasm-opt-params")
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        for wasm in read_dir(&pkg)? {
            if wasm.extension().is_some_and(|ext| ext == "wasm") {
                cmd::run(
                    Command::new("wasm-opt")
                        .arg(format!("-O{level}"))
                        .args(&params)
                        .arg(&wasm)
                        .arg("-o")
                        .arg(&wasm),
                )?;
            }
        }
    }

    let dist = ws.dist();
    remove_dir(&dist)?;
    let mut contents = Vec::new();
    for file in read_dir(&pkg)? {
        let bytes = read(&file)?;
        contents.push((file_name(&file)?.to_string(), bytes));
    }
    let parts: Vec<&[u8]> = contents
        .iter()
        .flat_map(|(name, bytes)| [name.as_bytes(), bytes.as_slice()])
        .collect();
    let pkg_name = format!("pkg-{}", page::hash_hex(&parts));
    let out_pkg = dist.join(&pkg_name);
    create_dir(&out_pkg)?;
    for (name, bytes) in &contents {
        write(&out_pkg.join(name), bytes)?;
    }

    let script = format!("/{pkg_name}/{bin}.js");
    let wasm = format!("/{pkg_name}/{bin}_bg.wasm");
    let mut page = String::with_capacity(html.len());
    let mut at = 0;
    for link in &links {
        page.push_str(&html[at..link.start]);
        at = link.end;
        page.push_str(&replacement(ws, link, &dist, &script, &wasm)?);
    }
    page.push_str(&html[at..]);
    write(&dist.join("index.html"), page.as_bytes())?;
    compress(&dist)
}

/// What stands in index.html for one `data-trunk` link, after copying what it names.
fn replacement(
    ws: &Workspace,
    link: &TrunkLink,
    dist: &Path,
    script: &str,
    wasm: &str,
) -> Result<String, String> {
    let source = |link: &TrunkLink| -> Result<PathBuf, String> {
        let href = link
            .get("href")
            .ok_or("index.html: a data-trunk link without href")?;
        Ok(ws.root.join(href))
    };
    match link.get("rel") {
        Some("rust") => Ok(format!(
            "<link rel=\"modulepreload\" href=\"{script}\" />\n    \
             <link rel=\"preload\" href=\"{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin />\n    \
             <script type=\"module\">import init from \"{script}\"; init({{ module_or_path: \"{wasm}\" }});</script>"
        )),
        Some("css") => {
            let path = source(link)?;
            let bytes = read(&path)?;
            let name = page::content_name(&path, &bytes)?;
            write(&dist.join(&name), &bytes)?;
            Ok(format!("<link rel=\"stylesheet\" href=\"/{name}\" />"))
        }
        Some("copy-file") => {
            let path = source(link)?;
            copy(&path, &dist.join(file_name(&path)?))?;
            Ok(String::new())
        }
        other => Err(format!(
            "index.html: cargo xtask dist does not build data-trunk rel={other:?}"
        )),
    }
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut paths = Vec::new();
    for entry in
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?
    {
        paths.push(
            entry
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                .path(),
        );
    }
    paths.sort();
    Ok(paths)
}

fn file_name(path: &Path) -> Result<&str, String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{} has no name", path.display()))
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Empties `dir` (made if missing).
fn remove_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    create_dir(dir)
}

/// `FILE.br` (brotli at its best quality) and `FILE.gz` (gzip -9) beside every compressible
/// FILE in `dist`. Without the brotli program (and no way to install it), gzip only: the
/// server then serves gzip to every browser.
pub fn compress(dist: &Path) -> Result<(), String> {
    let files = compressible_files(dist)?;
    let brotli = tools::ensure_brotli();
    if let Err(why) = &brotli {
        println!("no brotli copies ({why}); gzip only");
    }
    for file in &files {
        cmd::run(
            Command::new("gzip")
                .args(["-9", "-n", "-k", "-f"])
                .arg(file),
        )?;
        if brotli.is_ok() {
            cmd::run(
                Command::new("brotli")
                    .args(["-q", "11", "-k", "-f"])
                    .arg(file),
            )?;
        }
    }
    println!(
        "compressed {} files in {} (gzip{})",
        files.len(),
        dist.display(),
        if brotli.is_ok() { " and brotli" } else { "" }
    );
    Ok(())
}

fn compressible_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            files.extend(compressible_files(&path)?);
        } else if is_compressible(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| COMPRESSIBLE.contains(&ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compresses_code_and_styles_not_what_is_compressed_already() {
        for yes in [
            "a/app-0123456789abcdef_bg.wasm",
            "index.html",
            "x.css",
            "x.js",
        ] {
            assert!(is_compressible(Path::new(yes)), "{yes}");
        }
        for no in [
            "app.wasm.br",
            "app.js.gz",
            "logo.png",
            "font.woff2",
            "README",
        ] {
            assert!(!is_compressible(Path::new(no)), "{no}");
        }
    }
}
