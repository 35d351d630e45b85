//! Running programs: echo the command, inherit its output, turn failure into a sentence.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};

/// The cargo that runs xtask, so nested builds use the same toolchain.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Where `cargo install` puts binaries. Put first on PATH (for xtask and everything it
/// starts) so the pinned wasm-bindgen wins over any other copy, and is found on
/// a machine whose shell never sourced ~/.cargo/env.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    let root = std::env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| std::env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    Some(root.join("bin"))
}

pub fn put_cargo_bin_first_on_path() {
    let Some(bin) = cargo_bin_dir() else { return };
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).filter(|d| *d != bin).collect();
    dirs.insert(0, bin);
    if let Ok(joined) = std::env::join_paths(dirs) {
        // Edition 2021, and xtask has a single thread: nothing reads the environment
        // concurrently.
        std::env::set_var("PATH", joined);
    }
}

/// The command as a person would type it, environment assignments first, and any URL's
/// password as `***`.
pub fn display(cmd: &Command) -> String {
    let quote = |s: &OsStr| {
        let s = redact_password(&s.to_string_lossy());
        if !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=./:@,+".contains(c))
        {
            s
        } else {
            format!("'{}'", s.replace('\'', r"'\''"))
        }
    };
    let envs = cmd
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), quote(v?))));
    let program = program_name(cmd);
    envs.chain(std::iter::once(quote(OsStr::new(&program))))
        .chain(cmd.get_args().map(quote))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with the password of a URL in it (`scheme://user:PASSWORD@host…`) as `***`.
pub fn redact_password(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some(at) = authority.rfind('@') else {
        return text.to_string();
    };
    let (userinfo, host) = authority.split_at(at);
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***{host}{path}"),
        None => text.to_string(),
    }
}

fn program_name(cmd: &Command) -> String {
    Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned()
}

fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => format!("was stopped ({status})"),
    }
}

/// Echoes and runs `cmd` with the terminal's output and no input (CI has none; nothing
/// here may wait for a person); fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    println!("$ {}", display(cmd));
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", program_name(cmd)))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("{} {}", program_name(cmd), describe(status))),
    }
}

/// Like [`run`], and a failure says why in the words the command printed: its `error`
/// lines and the tests it reported FAILED (at most [`NOTED_LINES`]), after the exit
/// status. Both streams still reach the terminal, line by line, as they come.
pub fn run_noting_errors(cmd: &mut Command) -> Result<(), String> {
    println!("$ {}", display(cmd));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", program_name(cmd)))?;
    let stdout = child
        .stdout
        .take()
        .map(|out| std::thread::spawn(move || echo_noting(BufReader::new(out), std::io::stdout())));
    let stderr = child
        .stderr
        .take()
        .map(|err| std::thread::spawn(move || echo_noting(BufReader::new(err), std::io::stderr())));
    let status = child
        .wait()
        .map_err(|e| format!("`{}` was lost: {e}", program_name(cmd)))?;
    let mut noted: Vec<String> = [stderr, stdout]
        .into_iter()
        .flatten()
        .flat_map(|reader| reader.join().unwrap_or_default())
        .collect();
    noted.truncate(NOTED_LINES);
    match status.success() {
        true => Ok(()),
        false => Err(
            std::iter::once(format!("{} {}", program_name(cmd), describe(status)))
                .chain(noted)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

/// How many lines of a failed command's own words a failure carries.
pub const NOTED_LINES: usize = 12;

/// Copies `input` to `output` line by line, returning the lines worth repeating in a
/// summary (see [`is_worth_noting`]).
fn echo_noting(input: impl BufRead, mut output: impl Write) -> Vec<String> {
    let mut noted = Vec::new();
    for line in input.split(b'\n').map_while(Result::ok) {
        let _ = output.write_all(&line);
        let _ = output.write_all(b"\n");
        let text = String::from_utf8_lossy(&line);
        let text = strip_ansi(text.trim_end());
        if noted.len() < NOTED_LINES && is_worth_noting(&text) {
            noted.push(text);
        }
    }
    let _ = output.flush();
    noted
}

/// cargo's and rustc's errors, trunk's, a failed test, a panic.
fn is_worth_noting(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("error")
        || line.contains(" ERROR ")
        || (line.starts_with("test ") && line.ends_with(" FAILED"))
        || line.contains("panicked at")
        || line.contains("No space left on device")
}

/// `line` without terminal colour codes (ESC [ ... letter).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`run`], with the terminal's input (for sudo's password prompt).
pub fn run_interactive(cmd: &mut Command) -> Result<(), String> {
    cmd.stdin(Stdio::inherit());
    println!("$ {}", display(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", program_name(cmd)))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("{} {}", program_name(cmd), describe(status))),
    }
}

/// Runs `cmd` and exits with its exit code (for commands that are the whole of an xtask).
pub fn run_forwarding_exit(cmd: &mut Command) -> Result<ExitCode, String> {
    println!("$ {}", display(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", program_name(cmd)))?;
    Ok(exit_code(status))
}

pub fn exit_code(status: ExitStatus) -> ExitCode {
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}

/// The standard output of `cmd`, which must exit 0; its errors go to the terminal.
pub fn output(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start `{}`: {e}", program_name(cmd)))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("`{}` {}", display(cmd), describe(out.status)))
    }
}

/// The first line `program --version` prints, or None if it is not installed (or broken).
pub fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status
        .success()
        .then(|| text.lines().next().unwrap_or_default().trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_errors_failed_tests_and_panics_only() {
        let printed = "   Compiling foo v0.1.0\n\
            \u{1b}[1m\u{1b}[31merror\u{1b}[0m: could not write: No space left on device\n\
            test a::passes ... ok\n\
            test a::fails ... FAILED\n\
            thread 'a::fails' panicked at src/a.rs:3:5:\n\
            warning: unused\n";
        let mut echoed = Vec::new();
        let noted = echo_noting(printed.as_bytes(), &mut echoed);
        assert_eq!(
            echoed,
            printed.as_bytes(),
            "everything still reaches the terminal"
        );
        assert_eq!(
            noted,
            [
                "error: could not write: No space left on device",
                "test a::fails ... FAILED",
                "thread 'a::fails' panicked at src/a.rs:3:5:",
            ]
        );
    }

    #[test]
    fn redacts_only_the_password() {
        assert_eq!(
            redact_password("postgres://u:s3cr:et@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        let no_password = "postgres://novatalks@127.0.0.1:5433/postgres";
        assert_eq!(redact_password(no_password), no_password);
        assert_eq!(
            redact_password("--database-url=postgres://u:pw@h/db"),
            "--database-url=postgres://u:***@h/db"
        );
        assert_eq!(
            redact_password("postgres://h/db?u=a:b@c"),
            "postgres://h/db?u=a:b@c"
        );
        assert_eq!(redact_password("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn the_echoed_command_hides_passwords() {
        let mut cmd = Command::new("/usr/bin/novatalks-server");
        cmd.env("NOVATALKS_BENCH_DATABASE_URL", "postgres://u:hunter2@h/db")
            .args(["--database-url", "postgres://u:hunter2@h/db"]);
        assert_eq!(
            display(&cmd),
            "NOVATALKS_BENCH_DATABASE_URL='postgres://u:***@h/db' novatalks-server \
             --database-url 'postgres://u:***@h/db'"
        );
    }

    #[test]
    fn a_failure_carries_the_commands_own_words() {
        let err = run_noting_errors(
            Command::new("sh").args(["-c", "echo 'error: the reason' >&2; echo fine; exit 3"]),
        )
        .unwrap_err();
        assert_eq!(err, "sh exited with status 3\nerror: the reason");
        assert!(run_noting_errors(Command::new("sh").args(["-c", "echo error: but ok"])).is_ok());
    }
}
