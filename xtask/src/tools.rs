//! The tools the build needs beyond rustup's stable toolchain: each `ensure_*` installs what
//! is missing and leaves alone what is already there at the right version.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd;
use crate::workspace::{self, Workspace};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// rustfmt and clippy, part of rustup's default profile but not of its minimal one.
pub fn ensure_rust_components() -> Result<(), String> {
    let has = |subcommand: &str| {
        cmd::cargo()
            .args([subcommand, "--version"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    if has("fmt") && has("clippy") {
        println!("rustfmt and clippy are installed");
        return Ok(());
    }
    cmd::run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))
}

pub fn ensure_wasm_target() -> Result<(), String> {
    if wasm_target_installed()? {
        println!("the {WASM_TARGET} target is installed");
        return Ok(());
    }
    cmd::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    match wasm_target_installed()? {
        true => Ok(()),
        false => Err(format!(
            "`rustup target add {WASM_TARGET}` did not install it"
        )),
    }
}

/// Asks the compiler cargo uses (not rustup), so a toolchain from elsewhere counts too.
fn wasm_target_installed() -> Result<bool, String> {
    let libdir = cmd::output(Command::new("rustc").args([
        "--print",
        "target-libdir",
        "--target",
        WASM_TARGET,
    ]))?;
    let has_core = std::fs::read_dir(libdir.trim()).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("libcore-"))
    });
    Ok(has_core)
}

/// wasm-bindgen-cli (`wasm-bindgen`, and `wasm-bindgen-test-runner`, the wasm32 test runner
/// of .cargo/config.toml) must match the `wasm-bindgen` crate in Cargo.lock exactly.
pub fn ensure_wasm_bindgen(ws: &Workspace) -> Result<(), String> {
    let version = workspace::locked_version(&ws.lockfile()?, "wasm-bindgen")?;
    // Not --locked: its lockfile pins a crate version the registry here does not serve.
    ensure_cargo_tool(
        "wasm-bindgen-cli",
        &version,
        &["wasm-bindgen", "wasm-bindgen-test-runner"],
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={version}"),
        ],
    )
}

/// Skips the install when every one of `programs` reports `version`.
fn ensure_cargo_tool(
    package: &str,
    version: &str,
    programs: &[&str],
    install: &[&str],
) -> Result<(), String> {
    let at_version = |program: &&str| {
        cmd::version_of(program).is_some_and(|line| line.split_whitespace().nth(1) == Some(version))
    };
    if programs.iter().all(at_version) {
        println!("{package} {version} is installed");
        return Ok(());
    }
    // A tool's own release profile may be fat LTO in one codegen unit: minutes of single-core
    // linking for a tool whose speed does not matter here. Environment profile settings
    // win over the package's, and change nothing but how it is optimised.
    cmd::run(
        cmd::cargo()
            .args(install)
            .env("CARGO_PROFILE_RELEASE_LTO", "off")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    )?;
    match programs.iter().find(|program| !at_version(program)) {
        None => Ok(()),
        Some(program) => Err(format!(
            "after installing {package} {version}, `{program} --version` does not say {version} \
             (is another {program} earlier on PATH?)"
        )),
    }
}

/// Debian's Chromium and its WebDriver, for the component and end-to-end tests.
pub fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        println!("{CHROMIUM} and {CHROMEDRIVER} are installed");
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])?;
    for path in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(path).is_file() {
            return Err(format!("apt-get installed chromium but there is no {path}"));
        }
    }
    Ok(())
}

/// The brotli program, for the compressed copies of the release SPA (Debian's `brotli`).
pub fn ensure_brotli() -> Result<(), String> {
    if cmd::version_of("brotli").is_some() {
        return Ok(());
    }
    apt_install(&["brotli"])?;
    match cmd::version_of("brotli") {
        Some(_) => Ok(()),
        None => Err("apt-get installed brotli but it does not run".into()),
    }
}

/// The release build (and `trunk serve`) runs wasm-opt when index.html asks for it
/// (`data-wasm-opt`), and finds it on PATH at the version
/// Trunk.toml pins (`[tools] wasm_opt = "version_N"`), if it pins one.
pub fn ensure_wasm_opt(ws: &Workspace) -> Result<(), String> {
    let index = std::fs::read_to_string(ws.root.join("index.html")).unwrap_or_default();
    if !uses_wasm_opt(&index) {
        println!("index.html does not run wasm-opt");
        return Ok(());
    }
    let trunk_toml = std::fs::read_to_string(ws.root.join("Trunk.toml")).unwrap_or_default();
    let wanted = pinned_wasm_opt(&trunk_toml);
    let fits = || {
        cmd::version_of("wasm-opt").is_some_and(|line| match &wanted {
            Some(version) => line.split_whitespace().any(|word| word == version),
            None => true,
        })
    };
    if fits() {
        match &wanted {
            Some(version) => println!("wasm-opt {version} is installed"),
            None => println!("wasm-opt is installed (Trunk.toml pins no version)"),
        }
        return Ok(());
    }
    match wanted.as_deref() {
        // Debian's binaryen.
        None | Some("108") => apt_install(&["binaryen"])?,
        // binaryen's own release, as the npm registry serves it (a wasm build run by node).
        Some(version) => {
            if cmd::version_of("npm").is_none() {
                apt_install_updating_if_needed(&["npm"])?;
            }
            cmd::run(Command::new("npm").args([
                "install",
                "--global",
                &format!("binaryen@{version}"),
            ]))?
        }
    }
    match fits() {
        true => Ok(()),
        false => Err(format!(
            "installed binaryen but `wasm-opt --version` does not say {}",
            wanted.as_deref().unwrap_or("anything")
        )),
    }
}

fn uses_wasm_opt(index_html: &str) -> bool {
    index_html.split("data-wasm-opt").skip(1).any(|after| {
        if after.starts_with('-') {
            return false; // another attribute: data-wasm-opt-params
        }
        // The bare attribute or any level turns it on; level 0 turns it off.
        let level = after.trim_start().strip_prefix('=').map(|value| {
            let value = value.trim_start().trim_start_matches(['"', '\'']);
            value
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or_default()
        });
        level != Some("0")
    })
}

fn pinned_wasm_opt(trunk_toml: &str) -> Option<String> {
    trunk_toml.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "wasm_opt").then_some(())?;
        let value = value.trim().trim_matches('"');
        Some(value.strip_prefix("version_").unwrap_or(value).to_string())
    })
}

/// `apt-get update && apt-get install -y PACKAGES`, through sudo unless we are root.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    apt_get(&["update"])?;
    apt_get(&[&["install", "-y"], packages].concat())
}

/// `apt-get install -y PACKAGES`, and only if that fails `apt-get update` and again: the
/// package lists of most machines already know them, and an update takes a while.
fn apt_install_updating_if_needed(packages: &[&str]) -> Result<(), String> {
    let install = [&["install", "-y"], packages].concat();
    if let Err(why) = apt_get(&install) {
        println!("({why}; updating the package lists and trying again)");
        apt_get(&["update"])?;
        apt_get(&install)?;
    }
    Ok(())
}

/// `apt-get ARGS`, non-interactively, through sudo unless we are root (sudo may ask for a
/// password on the terminal).
fn apt_get(args: &[&str]) -> Result<(), String> {
    let root = is_root();
    let mut command = if root {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("apt-get");
        sudo
    };
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    match root {
        true => cmd::run(&mut command),
        false => cmd::run_interactive(&mut command),
    }
}

pub fn is_root() -> bool {
    cmd::output(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0")
}

/// Debian's PostgreSQL layout: one directory per major version, `<N>/bin` its programs.
pub const POSTGRESQL_LIB: &str = "/usr/lib/postgresql";

/// The PostgreSQL server programs a throwaway cluster needs.
#[derive(Debug, Clone)]
pub struct PostgresBin {
    pub initdb: PathBuf,
    pub postgres: PathBuf,
    /// Beside `postgres` (or on PATH); without it readiness is read from postmaster.pid.
    pub pg_isready: Option<PathBuf>,
}

impl PostgresBin {
    /// `postgres --version`'s line, e.g. `postgres (PostgreSQL) 15.18 (Debian …)`.
    pub fn version(&self) -> String {
        cmd::version_of(&self.postgres.to_string_lossy())
            .unwrap_or_else(|| "postgres (version unknown)".into())
    }
}

/// `initdb` and `postgres`, from the highest /usr/lib/postgresql/<N>/bin that has both,
/// else from PATH. Debian puts neither on PATH (its /usr/bin has client wrappers only).
pub fn find_postgres() -> Option<PostgresBin> {
    let versions: Vec<String> = std::fs::read_dir(POSTGRESQL_LIB)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| entry.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    for version in highest_versions_first(versions) {
        let bin = Path::new(POSTGRESQL_LIB).join(version).join("bin");
        let (initdb, postgres) = (bin.join("initdb"), bin.join("postgres"));
        if is_executable(&initdb) && is_executable(&postgres) {
            let pg_isready = Some(bin.join("pg_isready")).filter(|p| is_executable(p));
            return Some(PostgresBin {
                initdb,
                postgres,
                pg_isready,
            });
        }
    }
    // initdb starts the `postgres` of its own (symlinks resolved) directory: use that one.
    let initdb = on_path("initdb")?;
    let real_dir = std::fs::canonicalize(&initdb)
        .ok()
        .and_then(|real| real.parent().map(Path::to_path_buf));
    let beside = |name: &str| {
        real_dir
            .as_ref()
            .map(|dir| dir.join(name))
            .filter(|p| is_executable(p))
    };
    let postgres = beside("postgres").or_else(|| on_path("postgres"))?;
    let pg_isready = beside("pg_isready").or_else(|| on_path("pg_isready"));
    Some(PostgresBin {
        initdb,
        postgres,
        pg_isready,
    })
}

/// For the server tests on PostgreSQL and `cargo xtask postgres`: Debian's `postgresql`
/// when initdb and postgres are missing. Its package scripts may create and start the
/// system's own cluster (`main`, port 5432); nothing here uses or needs it: xtask starts
/// throwaway clusters of its own (crate::postgres).
pub fn ensure_postgres() -> Result<PostgresBin, String> {
    if let Some(bin) = find_postgres() {
        println!("{} is installed: {}", bin.version(), bin.postgres.display());
        return Ok(bin);
    }
    apt_install_updating_if_needed(&["postgresql"])?;
    let bin = find_postgres().ok_or_else(|| {
        format!(
            "apt-get installed postgresql but there is no initdb and postgres in \
             {POSTGRESQL_LIB}/<version>/bin nor on PATH"
        )
    })?;
    println!("installed {}: {}", bin.version(), bin.postgres.display());
    Ok(bin)
}

/// Directory names of /usr/lib/postgresql that are versions ("15", "9.6"), highest first.
fn highest_versions_first(names: Vec<String>) -> Vec<String> {
    let parse = |name: &str| -> Option<Vec<u32>> {
        name.split('.').map(|part| part.parse().ok()).collect()
    };
    let mut versions: Vec<(Vec<u32>, String)> = names
        .into_iter()
        .filter_map(|name| Some((parse(&name)?, name)))
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    versions.into_iter().map(|(_, name)| name).collect()
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_whether_index_html_runs_wasm_opt() {
        let link = |attrs: &str| format!(r#"<link data-trunk rel="rust" {attrs}/>"#);
        assert!(uses_wasm_opt(&link(r#"data-wasm-opt="z""#)));
        assert!(uses_wasm_opt(&link("data-wasm-opt")));
        assert!(!uses_wasm_opt(&link(r#"data-wasm-opt="0""#)));
        assert!(!uses_wasm_opt(&link(r#"data-wasm-opt-params="-all""#)));
        assert!(!uses_wasm_opt(&link("")));
    }

    #[test]
    fn orders_postgresql_versions_numerically() {
        let names = ["9.6", "15", "README", "16", "10"]
            .map(String::from)
            .to_vec();
        assert_eq!(highest_versions_first(names), ["16", "15", "10", "9.6"]);
    }

    #[test]
    fn finds_a_program_on_path_only_if_it_runs() {
        assert!(on_path("sh").is_some());
        assert!(on_path("no-such-program-here").is_none());
        assert!(!is_executable(Path::new("/etc/passwd")));
    }

    #[test]
    fn reads_the_pinned_wasm_opt_version() {
        let toml = "[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_108\"\n";
        assert_eq!(pinned_wasm_opt(toml).as_deref(), Some("108"));
        assert_eq!(pinned_wasm_opt("[tools]\n"), None);
    }
}
