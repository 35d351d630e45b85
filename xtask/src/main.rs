//! `cargo xtask run|test|bench|dist|postgres`: the two commands of the README, and the
//! server's benchmarks, a deployable SPA and a throwaway PostgreSQL. On a fresh machine
//! they install what is missing, skip what is already there, then build, run or test the
//! whole project.
//!
//! Standard library only, arguments parsed by hand: xtask is the first thing a new machine
//! compiles, so it must compile in seconds.

mod cmd;
mod dist;
mod interrupt;
mod page;
mod postgres;
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
            --database-url <URL>
                              postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE to run on
                              PostgreSQL, or sqlite://… (env NOVATALKS_DATABASE_URL;
                              default: the SQLite file in the data directory)
  test    install missing tools, then run every check: fmt, clippy (native and wasm32),
          native tests, the server tests again on a throwaway PostgreSQL, SPA component
          tests in headless Chromium, the release SPA build and the end-to-end browser
          tests; prints one summary
  dist    install missing tools and build the release SPA into dist/ with brotli and
          gzip copies of its files, as `run` serves it (for a deployment: docs/deploy.md)
  bench   run the server's benchmark harness (profile bench-native), forwarding any
          arguments: cargo xtask bench -- --help; then the load part (the server
          process under concurrent agents: --clients K, --seconds T, --url URL), the
          bulk part (bulk label and block of 100,000, export of all, with the server's
          memory), the import part (100,000 rows, dry run and run, rows/s and peak
          memory), the page's code size with a size profile of the release wasm,
          and the browser part (with cold and warm loads on a slow network)
            --postgres        on a throwaway PostgreSQL cluster (as `postgres` below)
            --database-url <URL>
                              on this PostgreSQL database (the harness writes to it)
          (both given to the binaries as NOVATALKS_BENCH_DATABASE_URL)
  postgres
          install PostgreSQL if missing, start a throwaway cluster (initdb in a temporary
          directory, a free port on 127.0.0.1, superuser novatalks without password),
          print its URL, and keep it until Ctrl-C; then stop it and delete its files
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
        Some("postgres") if rest.is_empty() => postgres::serve_until_interrupted(),
        Some("postgres") => {
            return usage_error(&format!("`postgres` takes no arguments, got {rest:?}"))
        }
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

/// Which database the benchmarks run on: SQLite unless told.
#[derive(Debug, PartialEq)]
enum BenchDatabase {
    Sqlite,
    /// `--postgres`: a throwaway cluster, started here.
    Throwaway,
    /// `--database-url URL`
    Url(String),
}

/// The environment variable that gives the bench binaries a PostgreSQL URL.
const BENCH_DATABASE_ENV: &str = "NOVATALKS_BENCH_DATABASE_URL";

/// Takes `--postgres` and `--database-url URL` (xtask's) out of the benchmark's arguments.
fn split_database_args(args: &[String]) -> Result<(BenchDatabase, Vec<String>), String> {
    let mut database = BenchDatabase::Sqlite;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let chosen = match arg.as_str() {
            "--postgres" => BenchDatabase::Throwaway,
            "--database-url" => match it.next() {
                Some(url) => BenchDatabase::Url(url.clone()),
                None => return Err("--database-url needs a value".into()),
            },
            other => match other.strip_prefix("--database-url=") {
                Some(url) => BenchDatabase::Url(url.to_string()),
                None => {
                    rest.push(arg.clone());
                    continue;
                }
            },
        };
        if database != BenchDatabase::Sqlite {
            return Err("give one of --postgres and --database-url, once".into());
        }
        database = chosen;
    }
    Ok((database, rest))
}

fn usage_error(message: &str) -> ExitCode {
    eprint!("xtask: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// `cargo xtask bench [--] ARGS`: first the server's harness (the bench crate's
/// `novatalks-bench` binary), then the load (its `novatalks-load`, against the server
/// binary), then bulk actions and the export (its `novatalks-bulk`, against the server
/// binary), then the import of a 100,000-row file (its `novatalks-import`), then the
/// page's code size and the wasm's size profile (the e2e crate's `wasm_size`), then the
/// browser part (the e2e crate's `browser_bench`: the
/// release SPA in headless Chromium against a server holding as many contacts), both built
/// with the speed-tuned `bench-native` profile. `--contacts N` goes to both. With
/// `--postgres` (a throwaway cluster, stopped at the end) or `--database-url URL`, each
/// binary also gets that URL as NOVATALKS_BENCH_DATABASE_URL.
fn bench(args: &[String]) -> Result<ExitCode, String> {
    let ws = workspace::Workspace::locate()?;
    let args = match args.first().map(String::as_str) {
        Some("--") => &args[1..],
        _ => args,
    };
    let (database, args) = split_database_args(args)?;
    // `--clients`, `--seconds` and `--url` are the load part's; the rest the harness's.
    let (load_args, args) = split_load_args(&args);
    let args = &args[..];
    cmd::put_cargo_bin_first_on_path();
    // Lives until the browser part is done; dropping it stops and deletes the cluster.
    let mut cluster = None;
    let database_url = match database {
        BenchDatabase::Sqlite => None,
        BenchDatabase::Url(url) => Some(url),
        BenchDatabase::Throwaway => {
            let bin = tools::ensure_postgres()?;
            let started = cluster.insert(postgres::Cluster::start(&bin)?);
            println!(
                "PostgreSQL at {} (started in {})",
                started.url(),
                report::clock(started.started_in())
            );
            Some(started.url())
        }
    };
    let on_database = |command: &mut std::process::Command| {
        if let Some(url) = &database_url {
            command.env(BENCH_DATABASE_ENV, url);
        }
    };
    let mut server = cmd::cargo();
    server
        .current_dir(&ws.root)
        .args(["run", "-p", "novatalks-bench", "--profile", "bench-native"])
        .args(["--bin", "novatalks-bench", "--"])
        .args(args);
    on_database(&mut server);
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
        "--bin",
        "novatalks-bulk",
        "--bin",
        "novatalks-import",
    ]))?;
    let mut load = std::process::Command::new(ws.target_dir()?.join("bench-native/novatalks-load"));
    load.current_dir(&ws.root).args(&load_args);
    on_database(&mut load);
    cmd::run(&mut load)?;

    // The bulk part: bulk label, bulk block and the CSV export against the server binary,
    // at as many contacts as the harness (`--contacts N`, else its own 1,000,000).
    let contacts: Vec<&String> = args
        .windows(2)
        .filter(|w| w[0] == "--contacts")
        .flat_map(|w| [&w[0], &w[1]])
        .collect();
    let mut bulk = std::process::Command::new(ws.target_dir()?.join("bench-native/novatalks-bulk"));
    bulk.current_dir(&ws.root).args(&contacts);
    on_database(&mut bulk);
    cmd::run(&mut bulk)?;

    // The import part: a 100,000-row file into the account, dry run and run, at as many
    // contacts as the harness.
    let mut import =
        std::process::Command::new(ws.target_dir()?.join("bench-native/novatalks-import"));
    import.current_dir(&ws.root).args(&contacts);
    on_database(&mut import);
    cmd::run(&mut import)?;

    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen(&ws)?;
    tools::ensure_wasm_opt(&ws)?;
    tools::ensure_chromium()?;
    dist::build_release(&ws)?;
    // What the page downloads beside its goals, and where the wasm's bytes go.
    cmd::run(
        cmd::cargo()
            .current_dir(&ws.root)
            .env("NOVATALKS_DIST", ws.root.join("dist"))
            .args(["run", "-p", "novatalks-e2e", "--profile", "bench-native"])
            .args(["--bin", "wasm_size"]),
    )?;
    let mut browser = cmd::cargo();
    browser
        .current_dir(&ws.root)
        .env("NOVATALKS_DIST", ws.root.join("dist"))
        .args(["run", "-p", "novatalks-e2e", "--profile", "bench-native"])
        .args(["--bin", "browser_bench", "--"])
        .args(contacts);
    on_database(&mut browser);
    let status = cmd::run_forwarding_exit(&mut browser);
    drop(cluster);
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn bench_takes_its_database_flags_and_leaves_the_rest() {
        let (database, rest) = split_database_args(&strings(&[
            "--contacts",
            "1000",
            "--postgres",
            "--clients",
            "8",
        ]))
        .unwrap();
        assert_eq!(database, BenchDatabase::Throwaway);
        assert_eq!(rest, strings(&["--contacts", "1000", "--clients", "8"]));
        let url = "postgres://u@db:5432/bench";
        for args in [
            strings(&["--database-url", url]),
            strings(&[&format!("--database-url={url}")]),
        ] {
            let (database, rest) = split_database_args(&args).unwrap();
            assert_eq!(database, BenchDatabase::Url(url.into()));
            assert!(rest.is_empty());
        }
        let (database, rest) = split_database_args(&strings(&["--seconds", "5"])).unwrap();
        assert_eq!(database, BenchDatabase::Sqlite);
        assert_eq!(rest, strings(&["--seconds", "5"]));
    }

    #[test]
    fn bench_refuses_two_databases_or_a_missing_url() {
        assert!(split_database_args(&strings(&["--postgres", "--database-url", "x"])).is_err());
        assert!(split_database_args(&strings(&["--postgres", "--postgres"])).is_err());
        assert!(split_database_args(&strings(&["--database-url"])).is_err());
    }

    #[test]
    fn load_flags_keep_their_values() {
        let (load, rest) = split_load_args(&strings(&[
            "--clients",
            "4",
            "--contacts",
            "10",
            "--url",
            "u",
        ]));
        assert_eq!(load, strings(&["--clients", "4", "--url", "u"]));
        assert_eq!(rest, strings(&["--contacts", "10"]));
    }
}
