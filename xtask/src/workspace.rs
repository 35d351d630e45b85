//! Where things are: the repository root, the one shared target directory, dist/.

use std::path::{Path, PathBuf};

use crate::cmd;

pub struct Workspace {
    /// The repository root: the workspace's Cargo.toml, index.html, Trunk.toml.
    pub root: PathBuf,
}

impl Workspace {
    pub fn locate() -> Result<Self, String> {
        // `cargo run` sets CARGO_MANIFEST_DIR for the program too; the compile-time value is
        // the fallback for running target/debug/xtask directly.
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest_dir
            .parent()
            .filter(|root| root.join("Cargo.toml").is_file())
            .ok_or_else(|| format!("no workspace above {}", manifest_dir.display()))?;
        Ok(Workspace {
            root: root.to_path_buf(),
        })
    }

    /// The release SPA (`cargo xtask dist`), served by the server and loaded by the e2e suite.
    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    /// Cargo.lock, created by cargo's ordinary resolution if a checkout lacks it.
    pub fn lockfile(&self) -> Result<String, String> {
        let path = self.root.join("Cargo.lock");
        if !path.is_file() {
            self.metadata()?;
        }
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }

    /// The target directory cargo uses for this workspace (CARGO_TARGET_DIR and cargo
    /// config included), so xtask finds the binaries cargo built.
    pub fn target_dir(&self) -> Result<PathBuf, String> {
        let metadata = self.metadata()?;
        json_string_field(&metadata, "target_directory")
            .map(PathBuf::from)
            .ok_or_else(|| "`cargo metadata` printed no target_directory".to_string())
    }

    fn metadata(&self) -> Result<String, String> {
        let mut cargo = cmd::cargo();
        cargo
            .current_dir(&self.root)
            .args(["metadata", "--format-version", "1", "--no-deps"]);
        cmd::output(&mut cargo)
    }
}

/// The version of `package` that Cargo.lock resolved; an error if it has none or several.
pub fn locked_version(lockfile: &str, package: &str) -> Result<String, String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lockfile.lines().map(str::trim);
    let mut versions = Vec::new();
    while let Some(line) = lines.next() {
        if line != name_line {
            continue;
        }
        let version = lines
            .next()
            .and_then(|line| line.strip_prefix("version = \""))
            .and_then(|rest| rest.strip_suffix('"'));
        if let Some(version) = version {
            versions.push(version.to_string());
        }
    }
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("Cargo.lock has no `{package}`")),
        many => Err(format!(
            "Cargo.lock has several `{package}`: {}",
            many.join(", ")
        )),
    }
}

/// The value of the first `"field":"…"` string in a JSON document (enough for cargo's
/// metadata, whose paths are plain strings; escapes are undone).
fn json_string_field(json: &str, field: &str) -> Option<String> {
    let start = json.find(&format!("\"{field}\":\""))? + field.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
}

/// `path` made absolute against the current directory (the server runs elsewhere).
pub fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_single_locked_version() {
        let lock =
            "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.50\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(locked_version(lock, "trunk").is_err());
    }

    #[test]
    fn reads_an_escaped_json_string() {
        let json = r#"{"packages":[],"target_directory":"/w/a \"b\"\\target","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").unwrap(),
            r#"/w/a "b"\target"#
        );
    }
}
