//! `cargo xtask test`: every check the project has, as timed steps, and one summary.
//! A failed step does not stop the run; only the steps that need it are skipped. Test
//! steps use `--no-fail-fast`, so one failing test binary does not hide the others.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::cmd;
use crate::dist;
use crate::postgres::Cluster;
use crate::report::{clock, Report};
use crate::tools::{self, CHROMEDRIVER, WASM_TARGET};
use crate::workspace::Workspace;

const SPA: &str = "novatalks-contacts";
const E2E: &str = "novatalks-e2e";
const SERVER: &str = "novatalks-server";
/// Set, the server's test harness runs every test on this PostgreSQL cluster (each test
/// in a database of its own); unset, on SQLite.
const TEST_DATABASE_ENV: &str = "NOVATALKS_TEST_DATABASE_URL";

pub fn test() -> ExitCode {
    let ws = match Workspace::locate() {
        Ok(ws) => ws,
        Err(message) => {
            eprintln!("xtask: {message}");
            return ExitCode::FAILURE;
        }
    };
    cmd::put_cargo_bin_first_on_path();
    if is_ci() {
        tune_for_a_cold_build();
    }
    // A full run writes about 6 GB under the target directory; a disk that fills up makes
    // cargo fail in ways that do not say so at a glance, so the run says it, before and after.
    let target_dir = ws.target_dir().unwrap_or_else(|_| ws.root.join("target"));
    if let Some(free) = free_bytes(&target_dir) {
        println!("disk: {} free for {}", gib(free), target_dir.display());
        if free < NEEDED_BYTES {
            println!(
                "warning: a full run needs about {}; builds may fail for want of space",
                gib(NEEDED_BYTES)
            );
        }
    }
    let build = |command: &mut Command| {
        cmd::run_noting_errors(command).map_err(|why| with_disk_note(why, &target_dir))
    };
    let cargo = |args: &[&str]| {
        let mut command = cmd::cargo();
        command.args(args).current_dir(&ws.root);
        command
    };
    let mut report = Report::new();

    // Tools first, each its own step: what fails to install only holds up what needs it.
    let components = report.step(
        "install: rustfmt + clippy",
        &[],
        tools::ensure_rust_components,
    );
    let target = report.step(
        &format!("install: {WASM_TARGET} target"),
        &[],
        tools::ensure_wasm_target,
    );
    let bindgen = report.step("install: wasm-bindgen-cli", &[], || {
        tools::ensure_wasm_bindgen(&ws)
    });
    let wasm_opt = report.step("install: wasm-opt (if index.html uses it)", &[], || {
        tools::ensure_wasm_opt(&ws)
    });
    let chromium = report.step(
        "install: chromium + chromedriver",
        &[],
        tools::ensure_chromium,
    );
    let mut postgres_bin = None;
    let postgresql = report.step("install: postgresql", &[], || {
        postgres_bin = Some(tools::ensure_postgres()?);
        Ok(())
    });

    report.step("cargo fmt --check", &[components], || {
        build(&mut cargo(&["fmt", "--all", "--check"]))
    });
    report.step("clippy (native)", &[components], || {
        build(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    report.step("clippy (wasm32)", &[components, target], || {
        build(&mut cargo(&[
            "clippy",
            "-p",
            SPA,
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    // On SQLite, whatever the caller's environment says: the next step is PostgreSQL's.
    report.step("native tests (model, server, xtask)", &[], || {
        build(
            cargo(&[
                "test",
                "--no-fail-fast",
                "--workspace",
                "--exclude",
                SPA,
                "--exclude",
                E2E,
            ])
            .env_remove(TEST_DATABASE_ENV),
        )
    });
    // The same test binaries as the step above (same profile and features: nothing is
    // rebuilt), on a throwaway cluster started for them and stopped after.
    report.step("server tests on PostgreSQL", &[postgresql], || {
        let bin = postgres_bin
            .as_ref()
            .ok_or("the install step found no PostgreSQL")?;
        let cluster = Cluster::start(bin)?;
        println!(
            "{} at {} (started in {})",
            bin.version(),
            cluster.url(),
            clock(cluster.started_in())
        );
        build(
            cargo(&["test", "--no-fail-fast", "-p", SERVER]).env(TEST_DATABASE_ENV, cluster.url()),
        )
    });
    // Compiling the SPA natively for nothing would cost minutes: only when it has tests.
    report.step("SPA native unit tests", &[], || {
        if !has_native_tests(&ws.root.join("src")) {
            println!("src/ has no #[test]: nothing to run");
            return Ok(());
        }
        build(&mut cargo(&["test", "--no-fail-fast", "-p", SPA, "--lib"]))
    });
    // From the repository root, so wasm-bindgen-test-runner picks up webdriver.json there.
    report.step(
        "SPA component tests (headless Chromium)",
        &[target, bindgen, chromium],
        || {
            build(
                cargo(&["test", "--no-fail-fast", "-p", SPA, "--target", WASM_TARGET])
                    .env("CHROMEDRIVER", CHROMEDRIVER),
            )
        },
    );
    let dist = report.step(
        "SPA release build (split wasm, compressed copies)",
        &[target, bindgen, wasm_opt],
        || dist::build_release(&ws).map_err(|why| with_disk_note(why, &target_dir)),
    );
    report.step(
        "end-to-end tests (server + SPA + Chromium)",
        &[dist, chromium],
        || {
            build(
                cargo(&["test", "--no-fail-fast", "-p", E2E])
                    .env("NOVATALKS_DIST", ws.dist())
                    .env("CHROMEDRIVER", CHROMEDRIVER),
            )
        },
    );

    report.finish()
}

/// What a cold `cargo xtask test` writes, with room to spare (measured: 6.5 GB).
const NEEDED_BYTES: u64 = 8 << 30;

/// `why` a step failed, and that the disk is (nearly) full if it is.
fn with_disk_note(why: String, target_dir: &Path) -> String {
    match free_bytes(target_dir) {
        Some(free) if free < 1 << 30 => format!(
            "{why}\nonly {} left on the disk of {}",
            gib(free),
            target_dir.display()
        ),
        _ => why,
    }
}

/// Free space for an unprivileged writer on the file system holding `dir` (or the nearest
/// existing parent), as `df` reports it.
fn free_bytes(dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|d| d.exists())?;
    let out = Command::new("df")
        .arg("-Pk")
        .arg(existing)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    parse_df_available(&String::from_utf8_lossy(&out.stdout))
}

/// The "Available" column (KiB) of `df -Pk`'s one data line, in bytes.
fn parse_df_available(df: &str) -> Option<u64> {
    let kib: u64 = df.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib * 1024)
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// CI builds everything from a fresh clone, once: incremental compilation and debug info
/// only cost it time and disk (a panic still names its file and line). (Not on a developer's machine, where changing them would
/// rebuild what a plain `cargo test` built.) A value already set wins.
fn tune_for_a_cold_build() {
    for (var, value) in [("CARGO_INCREMENTAL", "0"), ("CARGO_PROFILE_DEV_DEBUG", "0")] {
        if std::env::var_os(var).is_none() {
            println!("CI: {var}={value}");
            // Edition 2021, and xtask has a single thread.
            std::env::set_var(var, value);
        }
    }
}

/// Whether any Rust file under `dir` has a native `#[test]` (the SPA's wasm tests use
/// `#[wasm_bindgen_test]`, which does not count).
fn has_native_tests(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            has_native_tests(&path)
        } else {
            path.extension().is_some_and(|ext| ext == "rs")
                && std::fs::read_to_string(&path).is_ok_and(|text| text.contains("#[test]"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_available_space_from_df() {
        let df = "Filesystem 1024-blocks Used Available Capacity Mounted on\n\
                  /dev/vda 263174212 90000000 4500000 96% /\n";
        assert_eq!(parse_df_available(df), Some(4_500_000 * 1024));
        assert_eq!(parse_df_available("garbage"), None);
        assert!(free_bytes(&std::env::temp_dir().join("no/such/dir")).is_some_and(|b| b > 0));
    }

    #[test]
    fn a_failure_on_a_full_disk_says_so() {
        assert_eq!(gib(3 << 29), "1.5 GiB");
        let roomy = with_disk_note("cargo exited with status 101".into(), Path::new("/"));
        let full = free_bytes(Path::new("/")).is_some_and(|b| b < 1 << 30);
        assert_eq!(roomy.contains("left on the disk"), full);
    }

    #[test]
    fn finds_native_tests_in_nested_modules() {
        let dir = std::env::temp_dir().join(format!("xtask-native-tests-{}", std::process::id()));
        let nested = dir.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(nested.join("web.rs"), "#[wasm_bindgen_test]\nfn t() {}\n").unwrap();
        assert!(!has_native_tests(&dir));
        std::fs::write(
            nested.join("unit.rs"),
            "#[cfg(test)]\nmod t { #[test]\nfn t() {} }\n",
        )
        .unwrap();
        assert!(has_native_tests(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
