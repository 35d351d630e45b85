//! Which encoding a spreadsheet file was saved in, and its text.
//!
//! Offices save CSV files as UTF-8 (with or without a byte order mark), as UTF-16 (Excel's
//! "Unicode text", little-endian with a BOM) or, on Windows in a Cyrillic locale, as
//! Windows-1251. [`detect`] tells them apart: a BOM first; then the NUL bytes that UTF-16
//! puts beside every ASCII character; then whether the bytes are valid UTF-8 (text in
//! Windows-1251 with Cyrillic letters practically never is); else Windows-1251. The 1251
//! table is ours (128 entries): a whole encoding library would weigh on the SPA's wasm.

use serde::{Deserialize, Serialize};

/// An encoding the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    /// UTF-8 behind its byte order mark (EF BB BF), as Excel's "CSV UTF-8" saves it.
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1251,
}

impl Encoding {
    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1251 => "Windows-1251",
        }
    }
}

/// How many leading bytes the NUL pattern of UTF-16 is looked for in.
const SNIFF_BYTES: usize = 4096;

/// The encoding of `bytes` (the whole file, or its beginning for a preview).
pub fn detect(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8Bom;
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16Le;
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16Be;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let pairs = head.len() / 2;
    if pairs >= 2 {
        let even = head.iter().step_by(2).filter(|b| **b == 0).count();
        let odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        // ASCII text in UTF-16: one byte of each pair is NUL. A few stray NULs are not.
        if odd * 10 >= pairs * 3 && even * 10 < pairs {
            return Encoding::Utf16Le;
        }
        if even * 10 >= pairs * 3 && odd * 10 < pairs {
            return Encoding::Utf16Be;
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => Encoding::Utf8,
        // Cut off in the middle of a character (a preview's slice): still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Windows1251,
    }
}

/// The text of `bytes` read as `encoding`, without a BOM. Bytes that are not valid in it
/// become U+FFFD (an incomplete character at the very end is dropped).
pub fn decode(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(text) => text.to_owned(),
                Err(e) if e.error_len().is_none() => {
                    String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned()
                }
                Err(_) => String::from_utf8_lossy(body).into_owned(),
            }
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let little = encoding == Encoding::Utf16Le;
            let units = bytes.chunks_exact(2).map(|pair| {
                if little {
                    u16::from_le_bytes([pair[0], pair[1]])
                } else {
                    u16::from_be_bytes([pair[0], pair[1]])
                }
            });
            let mut text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            if text.starts_with('\u{FEFF}') {
                text.remove(0);
            }
            text
        }
        Encoding::Windows1251 => bytes.iter().map(|b| windows_1251(*b)).collect(),
    }
}

/// Detects and decodes at once.
pub fn decode_detected(bytes: &[u8]) -> (String, Encoding) {
    let encoding = detect(bytes);
    (decode(bytes, encoding), encoding)
}

/// Windows-1251 bytes 0x80 to 0xBF (0xC0 to 0xFF are А..я in order). 0x98 is unassigned:
/// it reads as U+0098, as browsers read it.
const CP1251_HIGH: [u16; 64] = [
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, // 80
    0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F, // 88
    0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90
    0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, // 98
    0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, // A0
    0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407, // A8
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, // B0
    0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457, // B8
];

/// One Windows-1251 byte as a character.
pub fn windows_1251(byte: u8) -> char {
    let code = match byte {
        0x00..=0x7F => u32::from(byte),
        0x80..=0xBF => u32::from(CP1251_HIGH[usize::from(byte - 0x80)]),
        0xC0..=0xFF => 0x0410 + u32::from(byte - 0xC0),
    };
    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Ім'я;Телефон\r\nОлена Ковальчук;050 123 45 67\r\n" as Windows-1251 saves it
    /// (bytes from Python's cp1251 codec).
    const CP1251_FILE: &[u8] = b"\xb2\xec'\xff;\xd2\xe5\xeb\xe5\xf4\xee\xed\r\n\xce\xeb\xe5\xed\xe0 \xca\xee\xe2\xe0\xeb\xfc\xf7\xf3\xea;050 123 45 67\r\n";

    #[test]
    fn windows_1251_cyrillic_is_read() {
        assert_eq!(detect(CP1251_FILE), Encoding::Windows1251);
        assert_eq!(
            decode(CP1251_FILE, Encoding::Windows1251),
            "Ім'я;Телефон\r\nОлена Ковальчук;050 123 45 67\r\n"
        );
        // Every Ukrainian letter that is not in the А..я run.
        let (text, _) = decode_detected(b"\xa5\xb4\xaa\xba\xb2\xb3\xaf\xbf \xb9 \xab\xbb \x96");
        assert_eq!(text, "ҐґЄєІіЇї № «» –");
    }

    #[test]
    fn the_table_agrees_with_the_whole_code_page() {
        // Python: bytes(range(0x80, 0x100)).decode('cp1251', errors='replace'), 0x98 aside.
        let expected = "ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—\u{98}™љ›њќћџ\u{a0}ЎўЈ¤Ґ¦§Ё©Є«¬\u{ad}®Ї°±Ііґµ¶·ё№є»јЅѕїАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя";
        let all: Vec<u8> = (0x80..=0xFF).collect();
        assert_eq!(decode(&all, Encoding::Windows1251), expected);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let text = "Ім'я,Пошта\nОлена,o@x.ua\n";
        assert_eq!(detect(text.as_bytes()), Encoding::Utf8);
        assert_eq!(decode_detected(text.as_bytes()).0, text);
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        assert_eq!(detect(&with_bom), Encoding::Utf8Bom);
        assert_eq!(decode_detected(&with_bom).0, text, "the BOM is not text");
        // A preview cut in the middle of "я" is still UTF-8.
        let cut = &text.as_bytes()[..5];
        assert_eq!(detect(cut), Encoding::Utf8);
        assert_eq!(decode(cut, Encoding::Utf8), "Ім'");
    }

    #[test]
    fn utf16_by_bom_and_by_its_nul_bytes() {
        let text = "name\tphone\nОлена\t+380501234567\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect(&le), Encoding::Utf16Le, "no BOM: NULs at odd places");
        assert_eq!(
            detect(&be),
            Encoding::Utf16Be,
            "no BOM: NULs at even places"
        );
        assert_eq!(decode(&le, Encoding::Utf16Le), text);
        assert_eq!(decode(&be, Encoding::Utf16Be), text);
        let le_bom = [&[0xFF, 0xFE][..], &le].concat();
        let be_bom = [&[0xFE, 0xFF][..], &be].concat();
        assert_eq!(
            decode_detected(&le_bom),
            (text.to_owned(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode_detected(&be_bom),
            (text.to_owned(), Encoding::Utf16Be)
        );
    }

    #[test]
    fn plain_ascii_is_utf8() {
        assert_eq!(detect(b"name,email\nOlena,o@x.ua\n"), Encoding::Utf8);
        assert_eq!(detect(b""), Encoding::Utf8);
    }
}
