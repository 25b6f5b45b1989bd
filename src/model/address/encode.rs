//! Encoders: the EIP-55 capitalisation of Ethereum addresses and well-formed synthetic mainnet
//! addresses (P2PKH, P2SH, P2WPKH, P2TR, Ethereum) for the demo ledger and the generator.

use tiny_keccak::{Hasher, Keccak};

use super::{ETH_HEX_DIGITS, P2PKH_VERSION, P2SH_VERSION};

/// EIP-55 mixed-case form of a 20-byte address given as "0x"+40 hex (any case). Returns None if
/// the input is not 0x+40 hex.
pub fn to_eip55(address: &str) -> Option<String> {
    let hex = address
        .strip_prefix("0x")
        .or_else(|| address.strip_prefix("0X"))?;
    if hex.len() != ETH_HEX_DIGITS || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(eip55_from_lower_hex(&hex.to_ascii_lowercase()))
}

/// "0x" + the EIP-55 capitalisation of `lower_hex` (lower-case hex digits, no prefix): a letter
/// is upper-cased where the matching nibble of keccak256(lower_hex) is 8 or more.
pub(super) fn eip55_from_lower_hex(lower_hex: &str) -> String {
    let mut hash = [0u8; 32];
    let mut keccak = Keccak::v256();
    keccak.update(lower_hex.as_bytes());
    keccak.finalize(&mut hash);
    let nibbles = hash.iter().flat_map(|byte| [byte >> 4, byte & 0x0f]);
    let mut out = String::with_capacity(2 + lower_hex.len());
    out.push_str("0x");
    out.extend(lower_hex.chars().zip(nibbles).map(|(ch, nibble)| {
        if nibble >= 8 {
            ch.to_ascii_uppercase()
        } else {
            ch
        }
    }));
    out
}

/// P2PKH: version 0x00, base58check, starts with '1'.
pub fn encode_p2pkh(hash160: &[u8; 20]) -> String {
    bs58::encode(hash160)
        .with_check_version(P2PKH_VERSION)
        .into_string()
}

/// P2SH: version 0x05, base58check, starts with '3'.
pub fn encode_p2sh(hash160: &[u8; 20]) -> String {
    bs58::encode(hash160)
        .with_check_version(P2SH_VERSION)
        .into_string()
}

/// P2WPKH: segwit v0, 20-byte program, bech32, `bc1q…`.
pub fn encode_p2wpkh(program: &[u8; 20]) -> String {
    // Cannot fail: version 0 with a 20-byte program is valid and far below the length limit.
    bech32::segwit::encode_v0(bech32::hrp::BC, program).unwrap_or_default()
}

/// P2TR: segwit v1, 32-byte program, bech32m, `bc1p…`.
pub fn encode_p2tr(program: &[u8; 32]) -> String {
    // Cannot fail: version 1 with a 32-byte program is valid and far below the length limit.
    bech32::segwit::encode_v1(bech32::hrp::BC, program).unwrap_or_default()
}

/// Ethereum: "0x" + lower-case hex.
pub fn encode_eth(bytes: &[u8; 20]) -> String {
    let mut out = String::with_capacity(2 + 2 * bytes.len());
    out.push_str("0x");
    for byte in bytes {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}
