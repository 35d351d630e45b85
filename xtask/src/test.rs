//! `cargo xtask test`: every check the project has, as timed steps, and one summary.
//! A failed step does not stop the run; only the steps that need it are skipped. Test
//! steps use `--no-fail-fast`, so one failing test binary does not hide the others.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::cmd;
use crate::report::Report;
use crate::tools::{self, CHROMEDRIVER, WASM_TARGET};
use crate::workspace::Workspace;

const SPA: &str = "novatalks-contacts";
const E2E: &str = "novatalks-e2e";

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
    let trunk = report.step(
        &format!("install: trunk {}", tools::TRUNK_VERSION),
        &[],
        tools::ensure_trunk,
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

    report.step("cargo fmt --check", &[components], || {
        cmd::run(&mut cargo(&["fmt", "--all", "--check"]))
    });
    report.step("clippy (native)", &[components], || {
        cmd::run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    report.step("clippy (wasm32)", &[components, target], || {
        cmd::run(&mut cargo(&[
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
    report.step("native tests (model, server, xtask)", &[], || {
        cmd::run(&mut cargo(&[
            "test",
            "--no-fail-fast",
            "--workspace",
            "--exclude",
            SPA,
            "--exclude",
            E2E,
        ]))
    });
    // Compiling the SPA natively for nothing would cost minutes: only when it has tests.
    report.step("SPA native unit tests", &[], || {
        if !has_native_tests(&ws.root.join("src")) {
            println!("src/ has no #[test]: nothing to run");
            return Ok(());
        }
        cmd::run(&mut cargo(&["test", "--no-fail-fast", "-p", SPA, "--lib"]))
    });
    // From the repository root, so wasm-bindgen-test-runner picks up webdriver.json there.
    report.step(
        "SPA component tests (headless Chromium)",
        &[target, bindgen, chromium],
        || {
            cmd::run(
                cargo(&["test", "--no-fail-fast", "-p", SPA, "--target", WASM_TARGET])
                    .env("CHROMEDRIVER", CHROMEDRIVER),
            )
        },
    );
    let dist = report.step(
        "SPA release build (trunk)",
        &[target, trunk, bindgen, wasm_opt],
        || {
            cmd::run(
                Command::new("trunk")
                    .args(["build", "--release", "--offline"])
                    .current_dir(&ws.root),
            )?;
            match ws.dist().join("index.html").is_file() {
                true => Ok(()),
                false => Err(format!(
                    "trunk wrote no {}",
                    ws.dist().join("index.html").display()
                )),
            }
        },
    );
    report.step(
        "end-to-end tests (server + SPA + Chromium)",
        &[dist, chromium],
        || {
            cmd::run(
                cargo(&["test", "--no-fail-fast", "-p", E2E])
                    .env("NOVATALKS_DIST", ws.dist())
                    .env("CHROMEDRIVER", CHROMEDRIVER),
            )
        },
    );

    report.finish()
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// CI builds everything from a fresh clone, once: incremental compilation and full debug
/// info only cost it time. (Not on a developer's machine, where changing them would
/// rebuild what a plain `cargo test` built.) A value already set wins.
fn tune_for_a_cold_build() {
    for (var, value) in [
        ("CARGO_INCREMENTAL", "0"),
        ("CARGO_PROFILE_DEV_DEBUG", "line-tables-only"),
    ] {
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
