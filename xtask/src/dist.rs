//! The release SPA in dist/: Trunk's build, then a brotli and a gzip copy of every file
//! that compresses (wasm, js, css, html), made once at build time so that the server hands
//! browsers the smallest form they accept without compressing on each request.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd;
use crate::tools;
use crate::workspace::Workspace;

/// What is worth compressing: text and wasm. Images and fonts are compressed already.
const COMPRESSIBLE: &[&str] = &["wasm", "js", "css", "html", "svg", "json", "txt"];

/// `cargo xtask dist`: the tools, then [`build_release`].
pub fn build_for_deployment() -> Result<std::process::ExitCode, String> {
    let ws = Workspace::locate()?;
    tools::ensure_wasm_target()?;
    tools::ensure_trunk()?;
    tools::ensure_wasm_bindgen(&ws)?;
    tools::ensure_wasm_opt(&ws)?;
    build_release(&ws)?;
    println!("dist: {}", ws.dist().display());
    Ok(std::process::ExitCode::SUCCESS)
}

/// `trunk build --release --offline`, then the compressed copies.
pub fn build_release(ws: &Workspace) -> Result<(), String> {
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release", "--offline"])
            .current_dir(&ws.root),
    )?;
    let index = ws.dist().join("index.html");
    if !index.is_file() {
        return Err(format!("trunk wrote no {}", index.display()));
    }
    compress(&ws.dist())
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
