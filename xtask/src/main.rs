//! `cargo xtask run|test|bench`: the two commands of the README (and a third for the
//! server's benchmarks). On a fresh machine they install what is missing, skip what is
//! already there, then build, run or test the whole project.
//!
//! Standard library only, arguments parsed by hand: xtask is the first thing a new machine
//! compiles, so it must compile in seconds.

mod cmd;
mod dist;
mod report;
mod run;
mod test;
mod tools;
mod workspace;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  run     install missing tools, build the SPA (release) and the server, and serve both
          on one origin until Ctrl-C
            --port <P>        port to listen on (env NOVATALKS_PORT; default 8080)
            --data-dir <D>    directory of the SQLite database (env NOVATALKS_DATA_DIR;
                              default ./data at the repository root)
  test    install missing tools, then run every check: fmt, clippy (native and wasm32),
          native tests, SPA component tests in headless Chromium, the release SPA build
          and the end-to-end browser tests; prints one summary
  dist    install missing tools and build the release SPA into dist/ with brotli and
          gzip copies of its files, as `run` serves it (for a deployment: docs/deploy.md)
  bench   run the server's benchmark harness (profile bench-native), forwarding any
          arguments: cargo xtask bench -- --help; then the load part (the server
          process under concurrent agents: --clients K, --seconds T, --url URL) and
          the browser part
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let outcome = match command.as_deref() {
        Some("run") => match run::Options::parse(&rest) {
            Ok(options) => run::run(&options),
            Err(message) => return usage_error(&message),
        },
        Some("test") if rest.is_empty() => return test::test(),
        Some("test") => return usage_error(&format!("`test` takes no arguments, got {rest:?}")),
        Some("dist") if rest.is_empty() => dist::build_for_deployment(),
        Some("dist") => return usage_error(&format!("`dist` takes no arguments, got {rest:?}")),
        Some("bench") => bench(&rest),
        None | Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => return usage_error(&format!("unknown command `{other}`")),
    };
    outcome.unwrap_or_else(|message| {
        eprintln!("xtask: {message}");
        ExitCode::FAILURE
    })
}

/// Splits the load part's flags (each with its value) from the rest.
fn split_load_args(args: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut load, mut rest) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if matches!(arg.as_str(), "--clients" | "--seconds" | "--url") {
            load.push(arg.clone());
            load.extend(it.next().cloned());
        } else {
            rest.push(arg.clone());
        }
    }
    (load, rest)
}

fn usage_error(message: &str) -> ExitCode {
    eprint!("xtask: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// `cargo xtask bench [--] ARGS`: first the server's harness (the bench crate's
/// `novatalks-bench` binary), then the load (its `novatalks-load`, against the server
/// binary), then the browser part (the e2e crate's `browser_bench`: the
/// release SPA in headless Chromium against a server holding as many contacts), both built
/// with the speed-tuned `bench-native` profile. `--contacts N` goes to both.
fn bench(args: &[String]) -> Result<ExitCode, String> {
    let ws = workspace::Workspace::locate()?;
    let args = match args.first().map(String::as_str) {
        Some("--") => &args[1..],
        _ => args,
    };
    // `--clients`, `--seconds` and `--url` are the load part's; the rest the harness's.
    let (load_args, args) = split_load_args(args);
    let args = &args[..];
    cmd::put_cargo_bin_first_on_path();
    let mut server = cmd::cargo();
    server
        .current_dir(&ws.root)
        .args(["run", "-p", "novatalks-bench", "--profile", "bench-native"])
        .args(["--bin", "novatalks-bench", "--"])
        .args(args);
    cmd::run(&mut server)?;

    // The load part: the server binary as a process, loaded by concurrent clients; the
    // load binary starts the server binary built beside it.
    cmd::run(cmd::cargo().current_dir(&ws.root).args([
        "build",
        "--profile",
        "bench-native",
        "-p",
        "novatalks-server",
        "--bin",
        "novatalks-server",
        "-p",
        "novatalks-bench",
        "--bin",
        "novatalks-load",
    ]))?;
    let mut load = std::process::Command::new(ws.target_dir()?.join("bench-native/novatalks-load"));
    load.current_dir(&ws.root).args(&load_args);
    cmd::run(&mut load)?;

    tools::ensure_wasm_target()?;
    tools::ensure_trunk()?;
    tools::ensure_wasm_bindgen(&ws)?;
    tools::ensure_wasm_opt(&ws)?;
    tools::ensure_chromium()?;
    dist::build_release(&ws)?;
    let contacts: Vec<&String> = args
        .windows(2)
        .filter(|w| w[0] == "--contacts")
        .flat_map(|w| [&w[0], &w[1]])
        .collect();
    let mut browser = cmd::cargo();
    browser
        .current_dir(&ws.root)
        .env("NOVATALKS_DIST", ws.root.join("dist"))
        .args(["run", "-p", "novatalks-e2e", "--profile", "bench-native"])
        .args(["--bin", "browser_bench", "--"])
        .args(contacts);
    cmd::run_forwarding_exit(&mut browser)
}
