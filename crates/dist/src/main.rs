//! `novatalks-dist IN.wasm OUT_DIR`: the SPA's release wasm cut at its split points
//! (`src/split.rs` of the SPA) into the module the page starts with and the parts it fetches
//! later, by wasm-split (`wasm_split_cli_support`). Run by `cargo xtask dist` between the
//! compile (which must link with `--emit-relocs`) and wasm-bindgen:
//!
//! - `OUT_DIR/main.wasm`: for wasm-bindgen (`--keep-lld-exports`), as `novatalks-contacts.js`;
//! - `OUT_DIR/__wasm_split.js`: the loader the main module imports, which fetches
//! - `OUT_DIR/split_*.wasm` and `OUT_DIR/chunk_*.wasm`: the parts, and the code they share,
//!   each by an address relative to the loader's own.
//!
//! Prints one line per part written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The name wasm-bindgen gives the main module's script (`--out-name`), imported by the loader.
const MAIN_SCRIPT: &str = "./novatalks-contacts.js";
/// The loader's name, which the main module imports.
const LOADER: &str = "./__wasm_split.js";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: novatalks-dist IN.wasm OUT_DIR");
        return ExitCode::from(2);
    };
    match split(Path::new(input), Path::new(out_dir)) {
        Ok(parts) => {
            for part in parts {
                println!("{}", part.display());
            }
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("novatalks-dist: {why}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &Path, out_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let wasm = std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let main_out = out_dir.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = out_dir;
    options.main_out_path = &main_out;
    options.main_module = MAIN_SCRIPT;
    options.link_name = LOADER;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| format!("cannot split {}: {e:#}", input.display()))?;
    Ok(split.split_modules)
}
