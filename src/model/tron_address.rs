//! TRON addresses: base58check with the version byte 0x41 (`T…`, 34 characters) and the hex
//! form the TRON APIs use inside transactions (`41` + 40 hex digits, 21 bytes). Both parse to
//! the one canonical form, the base58 `T…` text; the 20 bytes after the version are the same
//! kind of account hash an EVM address holds (TRON's VM is EVM-like), which is how a TRC-20
//! call's `transfer(address,uint256)` argument becomes a TRON address again.

use super::address::{AddressError, ParsedAddress};

/// The version byte of every TRON mainnet address.
pub const TRON_VERSION: u8 = 0x41;

/// Characters of a base58 TRON address.
const TRON_BASE58_LENGTH: usize = 34;

/// Hex digits of the `41…` form.
const TRON_HEX_LENGTH: usize = 42;

/// True when `s` (trimmed) is shaped like a TRON address — `T` and 34 characters, or `41` and
/// 40 more hex digits — so its errors should speak of TRON, not Bitcoin.
pub(crate) fn looks_like_tron(s: &str) -> bool {
    (s.starts_with('T') && s.len() == TRON_BASE58_LENGTH) || is_tron_hex_shape(s)
}

fn is_tron_hex_shape(s: &str) -> bool {
    s.len() == TRON_HEX_LENGTH && (s.starts_with("41")) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Validates a TRON address in either form (trimmed input) and returns its canonical `T…`.
pub fn parse_tron_address(input: &str) -> Result<ParsedAddress, AddressError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(AddressError::Empty);
    }
    if is_tron_hex_shape(s) {
        let bytes = decode_hex_20(&s[2..]).ok_or(AddressError::NotAnAddress)?;
        return Ok(ParsedAddress::Tron {
            address: encode_tron(&bytes),
        });
    }
    if let Some((index, ch)) = s
        .chars()
        .enumerate()
        .find(|&(_, ch)| !ch.is_ascii_alphanumeric() || matches!(ch, '0' | 'O' | 'I' | 'l'))
    {
        return Err(AddressError::InvalidBase58Char {
            ch,
            position: index + 1,
        });
    }
    if s.len() != TRON_BASE58_LENGTH {
        return Err(AddressError::TronWrongLength { length: s.len() });
    }
    let payload = match bs58::decode(s).with_check(None).into_vec() {
        Ok(payload) => payload,
        Err(bs58::decode::Error::InvalidChecksum { .. }) => {
            return Err(AddressError::TronChecksumMismatch);
        }
        Err(_) => return Err(AddressError::TronWrongLength { length: s.len() }),
    };
    match payload.first().copied() {
        Some(TRON_VERSION) if payload.len() == 21 => Ok(ParsedAddress::Tron {
            address: s.to_owned(),
        }),
        Some(TRON_VERSION) => Err(AddressError::Base58WrongPayloadLength {
            bytes: payload.len(),
        }),
        Some(version) => Err(AddressError::UnknownBase58Version { version }),
        None => Err(AddressError::Base58WrongPayloadLength { bytes: 0 }),
    }
}

/// The base58check `T…` text of a 20-byte TRON account hash.
pub fn encode_tron(bytes: &[u8; 20]) -> String {
    bs58::encode(bytes)
        .with_check_version(TRON_VERSION)
        .into_string()
}

/// The `T…` form of an address as the TRON APIs write it inside transactions: `41` + 40 hex
/// digits (any case). `None` for anything else.
pub fn tron_from_hex(hex: &str) -> Option<String> {
    let hex = hex.trim();
    if !is_tron_hex_shape(hex) {
        return None;
    }
    decode_hex_20(&hex[2..]).map(|bytes| encode_tron(&bytes))
}

/// The `T…` form of the address in a 32-byte ABI word (`transfer(address,uint256)`'s first
/// argument): the last 20 bytes, after 12 bytes that must be zero or `…41` (both occur).
pub fn tron_from_abi_word(word_hex: &str) -> Option<String> {
    if word_hex.len() != 64 || !word_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let (head, tail) = word_hex.split_at(24);
    let head_ok = head.bytes().all(|b| b == b'0')
        || (head[..22].bytes().all(|b| b == b'0') && &head[22..] == "41");
    if !head_ok {
        return None;
    }
    decode_hex_20(tail).map(|bytes| encode_tron(&bytes))
}

fn decode_hex_20(hex: &str) -> Option<[u8; 20]> {
    if hex.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (slot, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        let text = std::str::from_utf8(pair).ok()?;
        *slot = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::parse_address;

    /// USDT-TRC20's contract, and its hex form as the recorded TronGrid answers write it.
    const USDT: &str = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
    const USDT_HEX: &str = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";

    #[test]
    fn both_forms_parse_to_the_base58_form() {
        for text in [USDT, USDT_HEX, &USDT_HEX.to_ascii_uppercase()] {
            let parsed = parse_address(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                parsed,
                ParsedAddress::Tron {
                    address: USDT.into()
                }
            );
        }
        assert_eq!(tron_from_hex(USDT_HEX).as_deref(), Some(USDT));
        // The recorded owner of the TRC-20 transfers (TronGrid's hex `416e3b…`).
        assert_eq!(
            tron_from_hex("416e3b44b96104b26f84057974a1f0c9880f7c9b13").as_deref(),
            Some("TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre")
        );
    }

    #[test]
    fn abi_words_with_either_head() {
        let zero = "000000000000000000000000ec20315a879c48f5e3a6a1c9826d5225f8b658b8";
        let tron = "000000000000000000000041ec20315a879c48f5e3a6a1c9826d5225f8b658b8";
        let expected = tron_from_hex("41ec20315a879c48f5e3a6a1c9826d5225f8b658b8");
        assert!(expected.is_some());
        assert_eq!(tron_from_abi_word(zero), expected);
        assert_eq!(tron_from_abi_word(tron), expected);
        assert_eq!(tron_from_abi_word(&zero.replacen('0', "1", 1)), None);
        assert_eq!(tron_from_abi_word("00"), None);
    }

    #[test]
    fn mistakes_are_named() {
        // One character changed: the checksum catches it.
        let typo = USDT.replacen('R', "S", 1);
        assert_eq!(
            parse_tron_address(&typo),
            Err(AddressError::TronChecksumMismatch)
        );
        assert!(
            parse_address(&typo)
                .unwrap_err()
                .to_string()
                .contains("TRON")
        );
        assert_eq!(
            parse_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6"),
            Err(AddressError::TronWrongLength { length: 33 })
        );
        assert!(matches!(
            parse_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60"),
            Err(AddressError::InvalidBase58Char { ch: '0', .. })
        ));
        // A Bitcoin address is no TRON address.
        assert_eq!(
            parse_tron_address("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
            Err(AddressError::UnknownBase58Version { version: 0 })
        );
        assert_eq!(parse_tron_address("  "), Err(AddressError::Empty));
        assert_eq!(
            tron_from_hex("42a614f803b6fd780986a42c78ec9c7f77e6ded13c"),
            None
        );
        assert_eq!(
            tron_from_hex("41é14f803b6fd780986a42c78ec9c7f77e6ded13"),
            None
        );
    }

    #[test]
    fn encoding_round_trips() {
        let bytes = [7u8; 20];
        let text = encode_tron(&bytes);
        assert!(text.starts_with('T') && text.len() == 34, "{text}");
        assert_eq!(
            parse_address(&text),
            Ok(ParsedAddress::Tron {
                address: text.clone()
            })
        );
    }
}
