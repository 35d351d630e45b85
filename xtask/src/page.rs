//! What index.html asks of the build (Trunk's `<link data-trunk …>` elements), read so that
//! `cargo xtask dist` builds from the same file as `trunk serve`: the binary and its wasm-opt
//! settings, the stylesheets in order, the files copied as they are.

use std::path::Path;

/// One `<link data-trunk …>`, where it stands in index.html, and its attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkLink {
    /// Byte range of the whole element in index.html.
    pub start: usize,
    pub end: usize,
    pub attributes: Vec<(String, String)>,
}

impl TrunkLink {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Every `<link data-trunk …>` of `html`, in order.
pub fn trunk_links(html: &str) -> Result<Vec<TrunkLink>, String> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(found) = html[from..].find("<link") {
        let start = from + found;
        let Some(length) = html[start..].find('>') else {
            return Err("index.html: a <link is never closed".into());
        };
        let end = start + length + 1;
        from = end;
        let inside = html[start + "<link".len()..end - 1].trim_end_matches('/');
        let attributes = attributes(inside)?;
        if attributes.iter().any(|(key, _)| key == "data-trunk") {
            links.push(TrunkLink {
                start,
                end,
                attributes,
            });
        }
    }
    Ok(links)
}

/// `key="value"`, `key='value'` and bare `key` attributes.
fn attributes(mut text: &str) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return Ok(found);
        }
        let key_end = text
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(text.len());
        let key = text[..key_end].to_string();
        text = text[key_end..].trim_start();
        let value = match text.strip_prefix('=') {
            Some(rest) => {
                let rest = rest.trim_start();
                let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
                let Some(quote) = quote else {
                    return Err(format!("index.html: attribute {key} has an unquoted value"));
                };
                let Some(close) = rest[1..].find(quote) else {
                    return Err(format!("index.html: attribute {key} is never closed"));
                };
                text = &rest[close + 2..];
                rest[1..close + 1].to_string()
            }
            None => String::new(),
        };
        found.push((key, value));
    }
}

/// A file's name with a hash of its content before the extension: `base-0123456789abcdef.css`,
/// as the server's caching rules expect of what never changes under its name.
pub fn content_name(path: &Path, content: &[u8]) -> Result<String, String> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{} has no name", path.display()))?;
    let ext = path
        .extension()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    Ok(format!("{stem}-{}.{ext}", hash_hex(&[content])))
}

/// 16 hex digits of a 64-bit hash of `parts` (std's SipHash with fixed keys: the same bytes
/// give the same name on every run and machine with this toolchain).
pub fn hash_hex(parts: &[&[u8]]) -> String {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    for part in parts {
        hasher.write_usize(part.len());
        hasher.write(part);
    }
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_trunk_links_and_their_attributes() {
        let html = r#"<head>
  <link data-trunk rel="rust" data-bin="app" data-wasm-opt="z"
        data-wasm-opt-params="--enable-bulk-memory --strip-debug" />
  <link rel="icon" href="x.png">
  <link data-trunk rel='css' href="style/a.css"/>
</head>"#;
        let links = trunk_links(html).unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].get("rel"), Some("rust"));
        assert_eq!(links[0].get("data-bin"), Some("app"));
        assert_eq!(
            links[0].get("data-wasm-opt-params"),
            Some("--enable-bulk-memory --strip-debug")
        );
        assert_eq!(links[0].get("data-trunk"), Some(""));
        assert_eq!(links[1].get("rel"), Some("css"));
        assert_eq!(links[1].get("href"), Some("style/a.css"));
        assert_eq!(
            &html[links[1].start..links[1].end],
            r#"<link data-trunk rel='css' href="style/a.css"/>"#
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(trunk_links(r#"<link data-trunk rel="css" href="a.css""#).is_err());
        assert!(trunk_links(r#"<link data-trunk rel=css>"#).is_err());
    }

    #[test]
    fn names_files_by_content() {
        let a = content_name(Path::new("style/base.css"), b"a{}").unwrap();
        let b = content_name(Path::new("style/base.css"), b"b{}").unwrap();
        assert_ne!(a, b);
        assert_eq!(a, content_name(Path::new("base.css"), b"a{}").unwrap());
        let (stem, hash) = a.trim_end_matches(".css").rsplit_once('-').unwrap();
        assert_eq!(stem, "base");
        assert_eq!(hash.len(), 16);
    }
}
