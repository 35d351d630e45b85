//! Randomness from the operating system's generator, and hex: tokens, secrets, keys.

use crate::AppError;

/// `N` random bytes.
pub fn bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

/// `N` random bytes as lower-case hex (2N characters).
pub fn hex_token<const N: usize>() -> Result<String, AppError> {
    Ok(hex(&bytes::<N>()?))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// A random (version 4) UUID, as Chatwoot's `SecureRandom.uuid` makes source ids.
pub fn uuid_v4() -> Result<String, AppError> {
    let mut bytes = bytes::<16>()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex(&bytes);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_hex_of_their_length_and_differ() {
        let a = hex_token::<18>().unwrap();
        assert_eq!(a.len(), 36);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, hex_token::<18>().unwrap());
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
