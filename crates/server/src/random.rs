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
