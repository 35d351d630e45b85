//! Where the bytes of a wasm module go: each function's body size from the code section,
//! named by the `name` section, summed by crate and by generic function. A few dozen lines
//! of the binary format (std only) instead of a tool to install: `cargo xtask bench` prints
//! it for the release build of the SPA, which keeps its names until wasm-opt strips them.

use std::collections::HashMap;

/// One function defined in the module (imports have no body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Demangled, without the trailing hash: `tachys::view::Render::build`.
    pub name: String,
    /// Bytes of its body in the code section.
    pub size: u64,
}

/// What a module is made of.
#[derive(Debug, Default)]
pub struct Profile {
    pub total: u64,
    /// Bytes of the code section (bodies and their size prefixes).
    pub code: u64,
    /// Bytes of the data section (string literals, tables, vtables…).
    pub data: u64,
    /// Bytes of custom sections (names, producers, debug info).
    pub custom: u64,
    pub functions: Vec<Function>,
}

/// A named sum: a crate's or a generic function's code bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub name: String,
    pub size: u64,
    pub count: usize,
}

impl Profile {
    /// Reads a module; functions without a name are called `func[N]`.
    pub fn read(wasm: &[u8]) -> Result<Profile, String> {
        if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
            return Err("not a wasm module (no \\0asm header)".into());
        }
        let mut reader = Reader { bytes: wasm, at: 8 };
        let mut profile = Profile {
            total: wasm.len() as u64,
            ..Profile::default()
        };
        let mut imported_functions = 0u32;
        let mut bodies: Vec<u64> = Vec::new();
        let mut names: HashMap<u32, String> = HashMap::new();
        while !reader.done() {
            let id = reader.byte()?;
            let size = reader.uleb()? as usize;
            let start = reader.at;
            let mut section = Reader {
                bytes: reader.take(size)?,
                at: 0,
            };
            let section_bytes = (reader.at - start) as u64;
            match id {
                0 => {
                    profile.custom += section_bytes;
                    if section.name()? == "name" {
                        read_function_names(&mut section, &mut names)?;
                    }
                }
                2 => imported_functions = count_function_imports(&mut section)?,
                10 => {
                    profile.code += section_bytes;
                    for _ in 0..section.uleb()? {
                        let body = section.uleb()? as usize;
                        section.take(body)?;
                        bodies.push(body as u64);
                    }
                }
                11 => profile.data += section_bytes,
                _ => {}
            }
        }
        profile.functions = bodies
            .into_iter()
            .enumerate()
            .map(|(i, size)| {
                let index = imported_functions + i as u32;
                let name = match names.remove(&index) {
                    Some(raw) => demangle(&raw),
                    None => format!("func[{index}]"),
                };
                Function { name, size }
            })
            .collect();
        Ok(profile)
    }

    /// Whether the module had a `name` section naming its functions.
    pub fn has_names(&self) -> bool {
        self.functions.iter().any(|f| !f.name.starts_with("func["))
    }

    /// The largest functions first.
    pub fn largest_functions(&self, n: usize) -> Vec<&Function> {
        let mut all: Vec<&Function> = self.functions.iter().collect();
        all.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
        all.truncate(n);
        all
    }

    /// Code bytes by the crate a function belongs to, the largest first.
    pub fn by_crate(&self) -> Vec<Share> {
        self.sum_by(|f| crate_of(&f.name).to_string())
    }

    /// Code bytes by function name: a generic function's copies (one per type it is used
    /// with) share one name, so `count` is how many times it was monomorphised.
    pub fn by_generic_function(&self) -> Vec<Share> {
        self.sum_by(|f| f.name.clone())
    }

    fn sum_by(&self, key: impl Fn(&Function) -> String) -> Vec<Share> {
        let mut sums: HashMap<String, (u64, usize)> = HashMap::new();
        for function in &self.functions {
            let entry = sums.entry(key(function)).or_default();
            entry.0 += function.size;
            entry.1 += 1;
        }
        let mut shares: Vec<Share> = sums
            .into_iter()
            .map(|(name, (size, count))| Share { name, size, count })
            .collect();
        shares.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
        shares
    }
}

/// The crate of a demangled path: its first segment, or for `<T as Trait>::f` the crate of
/// `T` (where the impl's code comes from is not in the name; the type's crate says most),
/// and the trait's when `T` is a bare type parameter or a primitive.
pub fn crate_of(name: &str) -> &str {
    if let Some(krate) = v0_crate(name) {
        return krate;
    }
    let krate = first_segment(name);
    let bare = name
        .trim_start_matches(['<', '&'])
        .trim_start_matches("mut ")
        .starts_with(&format!("{krate} as "));
    match name.split_once(" as ") {
        Some((_, trait_path)) if bare => first_segment(trait_path),
        _ => krate,
    }
}

/// The first crate named in a v0-mangled symbol (`_R…C<disambiguator>_<len><name>…`), as
/// the standard library's own symbols are: enough to sum them by crate.
fn v0_crate(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("_R")?;
    let at = rest.find('C')?;
    let mut tail = &rest[at + 1..];
    if let Some(after) = tail.strip_prefix('s') {
        tail = &after[after.find('_')? + 1..];
    }
    let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
    let len: usize = tail[..digits].parse().ok()?;
    tail.get(digits..digits + len)
}

fn first_segment(name: &str) -> &str {
    let mut rest = name;
    loop {
        let trimmed = rest
            .trim_start_matches(['<', '&', '(', '[', '*', ' '])
            .trim_start_matches("mut ")
            .trim_start_matches("const ")
            .trim_start_matches("dyn ");
        if trimmed.len() == rest.len() {
            break;
        }
        rest = trimmed;
    }
    if rest.starts_with("func[") {
        return "(unnamed)";
    }
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    match &rest[..end] {
        "" => "(other)",
        krate => krate,
    }
}

/// Rust's legacy mangling (`_ZN` length-prefixed segments `E`) to a path without the hash
/// segment; anything else (v0 names, C names, names already demangled) as it is, less a
/// trailing `::h0123456789abcdef`.
pub fn demangle(raw: &str) -> String {
    let path = match legacy_segments(raw) {
        Some(segments) => segments.join("::"),
        None => raw.to_string(),
    };
    match path.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            head.to_string()
        }
        _ => path,
    }
}

fn legacy_segments(raw: &str) -> Option<Vec<String>> {
    let mut rest = raw
        .strip_prefix("_ZN")
        .or_else(|| raw.strip_prefix("__ZN"))?;
    let mut segments = Vec::new();
    while !rest.starts_with('E') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let len: usize = rest[..digits].parse().ok()?;
        let segment = rest.get(digits..digits + len)?;
        segments.push(unescape(segment));
        rest = &rest[digits + len..];
    }
    Some(segments)
}

/// `$LT$` → `<` and the rest of the legacy escapes; `..` → `::`.
fn unescape(segment: &str) -> String {
    // A segment that starts with an escape gets a `_` before it.
    let segment = match segment.strip_prefix('_') {
        Some(escaped) if escaped.starts_with('$') => escaped,
        _ => segment,
    };
    let mut out = String::with_capacity(segment.len());
    let mut rest = segment;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("..") {
            out.push_str("::");
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix('$') {
            if let Some((code, tail)) = after.split_once('$') {
                let decoded = match code {
                    "SP" => Some('@'),
                    "BP" => Some('*'),
                    "RF" => Some('&'),
                    "LT" => Some('<'),
                    "GT" => Some('>'),
                    "LP" => Some('('),
                    "RP" => Some(')'),
                    "C" => Some(','),
                    _ => code
                        .strip_prefix('u')
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .and_then(char::from_u32),
                };
                if let Some(c) = decoded {
                    out.push(c);
                    rest = tail;
                    continue;
                }
            }
        }
        let c = rest.chars().next().unwrap_or('?');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn count_function_imports(section: &mut Reader) -> Result<u32, String> {
    let mut functions = 0;
    for _ in 0..section.uleb()? {
        section.name()?;
        section.name()?;
        match section.byte()? {
            0 => {
                section.uleb()?;
                functions += 1;
            }
            1 => {
                section.byte()?;
                section.limits()?;
            }
            2 => section.limits()?,
            3 => {
                section.byte()?;
                section.byte()?;
            }
            4 => {
                section.byte()?;
                section.uleb()?;
            }
            kind => return Err(format!("unknown import kind {kind}")),
        }
    }
    Ok(functions)
}

/// The function-names subsection (1) of the `name` section.
fn read_function_names(
    section: &mut Reader,
    names: &mut HashMap<u32, String>,
) -> Result<(), String> {
    while !section.done() {
        let id = section.byte()?;
        let size = section.uleb()? as usize;
        let mut sub = Reader {
            bytes: section.take(size)?,
            at: 0,
        };
        if id == 1 {
            for _ in 0..sub.uleb()? {
                let index = sub.uleb()? as u32;
                names.insert(index, sub.name()?);
            }
        }
    }
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or("the module ends in the middle of a section")?;
        self.at += 1;
        Ok(byte)
    }

    fn uleb(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a LEB128 number longer than 64 bits".into())
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or("a section or body runs past the end of the module")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.uleb()? as usize;
        Ok(String::from_utf8_lossy(self.take(len)?).into_owned())
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.uleb()?;
        if flags & 1 != 0 {
            self.uleb()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leb(mut n: u64, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn section(id: u8, payload: &[u8], out: &mut Vec<u8>) {
        out.push(id);
        leb(payload.len() as u64, out);
        out.extend_from_slice(payload);
    }

    fn name(text: &str, out: &mut Vec<u8>) {
        leb(text.len() as u64, out);
        out.extend_from_slice(text.as_bytes());
    }

    /// One imported function (index 0), a memory import, then two bodies of 3 and 200
    /// bytes named by the name section (indices 1 and 2).
    fn module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut imports = Vec::new();
        leb(2, &mut imports);
        name("env", &mut imports);
        name("f", &mut imports);
        imports.extend([0, 0]);
        name("env", &mut imports);
        name("memory", &mut imports);
        imports.extend([2, 1, 1, 2]);
        section(2, &imports, &mut wasm);
        let mut code = Vec::new();
        leb(2, &mut code);
        leb(3, &mut code);
        code.extend([0, 0x01, 0x0b]);
        leb(200, &mut code);
        code.extend(std::iter::repeat_n(0x01, 199));
        code.push(0x0b);
        section(10, &code, &mut wasm);
        let mut names = Vec::new();
        leb(2, &mut names);
        leb(1, &mut names);
        name("_ZN4core3fmt5write17h0123456789abcdefE", &mut names);
        leb(2, &mut names);
        let segment = "_$LT$tachys..html..element..HtmlElement$LT$E$C$At$C$Ch$GT$\
                       $u20$as$u20$tachys..view..Render$GT$";
        let mangled = format!("_ZN{}{segment}5build17hfedcba9876543210E", segment.len());
        name(&mangled, &mut names);
        let mut custom = Vec::new();
        name("name", &mut custom);
        custom.push(1);
        leb(names.len() as u64, &mut custom);
        custom.extend(names);
        section(0, &custom, &mut wasm);
        wasm
    }

    #[test]
    fn sizes_each_function_under_its_demangled_name() {
        let profile = Profile::read(&module()).unwrap();
        assert_eq!(
            profile.functions,
            [
                Function {
                    name: "core::fmt::write".into(),
                    size: 3
                },
                Function {
                    name: "<tachys::html::element::HtmlElement<E,At,Ch> as tachys::view::Render>::build"
                        .into(),
                    size: 200
                },
            ]
        );
        assert!(profile.has_names());
        assert_eq!(profile.largest_functions(1)[0].size, 200);
        let crates = profile.by_crate();
        assert_eq!(crates[0].name, "tachys");
        assert_eq!(crates[1].name, "core");
    }

    #[test]
    fn counts_the_copies_of_a_generic_function() {
        let profile = Profile {
            functions: [("a::f", 10), ("a::f", 30), ("b::g", 25)]
                .map(|(name, size)| Function {
                    name: name.into(),
                    size,
                })
                .to_vec(),
            ..Profile::default()
        };
        let generic = profile.by_generic_function();
        assert_eq!(
            generic[0],
            Share {
                name: "a::f".into(),
                size: 40,
                count: 2
            }
        );
        assert_eq!(profile.by_crate()[0].size, 40);
    }

    #[test]
    fn refuses_what_is_not_a_module() {
        assert!(Profile::read(b"hello world").is_err());
        let mut cut = module();
        cut.truncate(cut.len() - 5);
        assert!(Profile::read(&cut).is_err());
    }

    #[test]
    fn names_the_crate_of_paths_and_impls() {
        assert_eq!(
            crate_of("reactive_graph::effect::Effect::new"),
            "reactive_graph"
        );
        assert_eq!(
            crate_of("<&mut serde_json::de::Deserializer<R> as x>::f"),
            "serde_json"
        );
        assert_eq!(crate_of("func[12]"), "(unnamed)");
        assert_eq!(crate_of("<T as tachys::view::IntoAny>::into_any"), "tachys");
        assert_eq!(crate_of("<&str as core::fmt::Display>::fmt"), "core");
        assert_eq!(
            crate_of("_RNvNtNtCsgXGp5Oqx2Ny_4core3fmt5float29float_to_decimal_common_exact"),
            "core"
        );
        assert_eq!(demangle("memcpy"), "memcpy");
        assert_eq!(
            demangle("alloc::fmt::format::h0123456789abcdef"),
            "alloc::fmt::format"
        );
    }
}
