//! Transaction hashes as 32 bytes, shown as 64 lower-case hex digits.
//!
//! The world stores hashes as bytes (cheap to generate, hash and compare) and spells them out
//! only when an answer needs them.

/// A 32-byte transaction hash or id.
pub(super) type Hash32 = [u8; 32];

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// 64 lower-case hex digits.
pub(super) fn to_hex(hash: &Hash32) -> String {
    let mut out = String::with_capacity(64);
    for &byte in hash {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Parses 64 hex digits (either case); `None` for anything else.
pub(super) fn from_hex(text: &str) -> Option<Hash32> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let high = char::from(pair[0]).to_digit(16)?;
        let low = char::from(pair[1]).to_digit(16)?;
        *slot = u8::try_from(high * 16 + low).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut hash = [0u8; 32];
        for (i, b) in hash.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37);
        }
        let text = to_hex(&hash);
        assert_eq!(text.len(), 64);
        assert!(text.starts_with("00254a6f"));
        assert_eq!(from_hex(&text), Some(hash));
        assert_eq!(from_hex(&text.to_ascii_uppercase()), Some(hash));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex(&"zz".repeat(32)), None);
    }
}
