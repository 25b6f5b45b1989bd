//! Ethereum JSON-RPC hex: quantities, 32-byte words, addresses, transaction hashes, and the
//! ABI returns of `symbol()` / `decimals()`.
//!
//! Every reader is exact and refuses what it cannot represent: a quantity above `u64`/`u128`
//! is an error message, never a wrapped or truncated number. Messages say what was wrong
//! (`"0x1g" is not a hex quantity`) and are wrapped by the caller with the request.

use crate::model::address::{parse_ethereum_address, short_form};
use crate::model::{Chain, NodeId};
use serde_json::Value;

/// Longest token symbol kept (longer symbols are cut and marked with `…`).
const MAX_SYMBOL_CHARS: usize = 32;

/// The digits of a `0x…` string, or a message.
fn digits(text: &str) -> Result<&str, String> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .ok_or_else(|| format!("{} is not 0x-prefixed hex", quote(text)))?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{} is not hex", quote(text)));
    }
    Ok(digits)
}

/// Quotes a piece of an answer for a message, cut to a readable length.
pub(super) fn quote(text: &str) -> String {
    let cut: String = text.chars().take(80).collect();
    if cut.len() < text.len() {
        format!("{:?}…", cut)
    } else {
        format!("{cut:?}")
    }
}

/// A hex quantity (`"0x1a"`) as `u128`, exact; more than 128 bits is an error.
pub(crate) fn quantity_u128(text: &str) -> Result<u128, String> {
    let digits = digits(text)?;
    if digits.is_empty() {
        return Err(format!("{} is not a hex quantity (no digits)", quote(text)));
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 32 {
        return Err(format!(
            "{} does not fit in 128 bits",
            quote(&format!("0x{significant}"))
        ));
    }
    if significant.is_empty() {
        return Ok(0);
    }
    u128::from_str_radix(significant, 16).map_err(|e| format!("{}: {e}", quote(text)))
}

/// A hex quantity as `u64`, exact.
pub(crate) fn quantity_u64(text: &str) -> Result<u64, String> {
    let value = quantity_u128(text)?;
    u64::try_from(value).map_err(|_| format!("{} does not fit in 64 bits", quote(text)))
}

/// A block number or similar as either a hex string or a JSON number (Parity-style traces
/// write `blockNumber` as a number).
pub(super) fn number_u64(value: &Value) -> Result<u64, String> {
    match value {
        Value::String(text) => quantity_u64(text),
        Value::Number(number) => number
            .as_u64()
            .ok_or_else(|| format!("{number} is not a non-negative integer")),
        other => Err(format!(
            "expected a hex string or a number, found {}",
            kind(other)
        )),
    }
}

/// `0x` + lower-case hex of a number (JSON-RPC quantity encoding, no leading zeros).
pub(super) fn to_quantity(value: u64) -> String {
    format!("0x{value:x}")
}

/// The JSON type of `value`, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Hex data (`"0x…"`, even number of digits) as bytes.
pub(crate) fn data_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits = digits(text)?;
    if !digits.len().is_multiple_of(2) {
        return Err(format!("{} has an odd number of hex digits", quote(text)));
    }
    digits
        .as_bytes()
        .chunks_exact(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16);
            let low = char::from(pair[1]).to_digit(16);
            match (high, low) {
                (Some(h), Some(l)) => u8::try_from(h * 16 + l).map_err(|e| e.to_string()),
                _ => Err(format!("{} is not hex", quote(text))),
            }
        })
        .collect()
}

/// Exactly 32 bytes of hex data (a log topic or a word).
pub(crate) fn word(text: &str) -> Result<[u8; 32], String> {
    let bytes = data_bytes(text)?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| format!("{} is {} bytes, not 32", quote(text), bytes.len()))
}

/// A 32-byte big-endian word as `u128`, or `None` if it is larger.
pub(crate) fn word_u128(word: &[u8; 32]) -> Option<u128> {
    let (high, low) = word.split_at(16);
    if high.iter().any(|&b| b != 0) {
        return None;
    }
    let mut low_bytes = [0u8; 16];
    low_bytes.copy_from_slice(low);
    Some(u128::from_be_bytes(low_bytes))
}

/// The address in a 32-byte word (left-padded with 12 zero bytes), or `None` if the padding
/// is not zero.
pub(crate) fn word_address(word: &[u8; 32]) -> Option<String> {
    let (padding, address) = word.split_at(12);
    if padding.iter().any(|&b| b != 0) {
        return None;
    }
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    for byte in address {
        out.push_str(&format!("{byte:02x}"));
    }
    Some(out)
}

/// A topic filter value for an address: `0x` + 24 zeros + the 40 hex digits, lower-case.
pub(super) fn address_topic(address: &str) -> String {
    let digits = address.trim_start_matches("0x").to_ascii_lowercase();
    format!("0x{digits:0>64}")
}

/// A 20-byte address as the canonical lower-case `0x…` string.
pub(crate) fn address(text: &str) -> Result<String, String> {
    let bytes = data_bytes(text)?;
    if bytes.len() != 20 {
        return Err(format!("{} is not a 20-byte address", quote(text)));
    }
    Ok(text.to_ascii_lowercase())
}

/// The node id of an address on `chain`.
pub(super) fn address_node(chain: Chain, text: &str) -> Result<NodeId, String> {
    let lower = address(text)?;
    let parsed = parse_ethereum_address(&lower).map_err(|e| format!("{}: {e}", quote(text)))?;
    Ok(NodeId::address(chain, &parsed))
}

/// A transaction hash as lower-case `0x` + 64 hex digits.
pub(crate) fn tx_hash(text: &str) -> Result<String, String> {
    let bytes = data_bytes(text)?;
    if bytes.len() != 32 {
        return Err(format!("{} is not a 32-byte transaction hash", quote(text)));
    }
    Ok(text.to_ascii_lowercase())
}

/// Decodes what `symbol()` returned: an ABI `string` (offset, length, bytes) or a `bytes32`
/// (MKR-style, zero-padded). Control characters are dropped and long symbols are cut; `None`
/// when nothing readable is left.
pub(super) fn decode_symbol(data: &[u8]) -> Option<String> {
    let raw: &[u8] = if data.len() == 32 {
        let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        &data[..end]
    } else if data.len() >= 64 {
        let offset = usize::try_from(word_u128(&data[..32].try_into().ok()?)?).ok()?;
        let length_end = offset.checked_add(32)?;
        let length_word: [u8; 32] = data.get(offset..length_end)?.try_into().ok()?;
        let length = usize::try_from(word_u128(&length_word)?).ok()?;
        data.get(length_end..length_end.checked_add(length)?)?
    } else {
        return None;
    };
    let text = String::from_utf8_lossy(raw);
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_control() && *c != '\u{fffd}')
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.chars().count() > MAX_SYMBOL_CHARS {
        let mut cut: String = cleaned.chars().take(MAX_SYMBOL_CHARS).collect();
        cut.push('…');
        Some(cut)
    } else {
        Some(cleaned.to_owned())
    }
}

/// Decodes what `decimals()` returned: one word holding a value up to 255.
pub(super) fn decode_decimals(data: &[u8]) -> Option<u8> {
    let word: [u8; 32] = data.get(..32)?.try_into().ok()?;
    u8::try_from(word_u128(&word)?).ok()
}

/// The symbol shown for a token that did not say its own: its short contract address.
pub(super) fn fallback_symbol(contract: &str) -> String {
    short_form(contract)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_exact() {
        assert_eq!(quantity_u128("0x0"), Ok(0));
        assert_eq!(quantity_u128("0x00ff"), Ok(255));
        assert_eq!(
            quantity_u128("0xffffffffffffffffffffffffffffffff"),
            Ok(u128::MAX)
        );
        let err = quantity_u128("0x1ffffffffffffffffffffffffffffffff").unwrap_err();
        assert!(err.contains("does not fit in 128 bits"), "{err}");
        assert!(quantity_u128("0x").is_err());
        assert!(quantity_u128("12").is_err());
        assert!(quantity_u128("0xzz").is_err());
        assert_eq!(quantity_u64("0x7a69"), Ok(31337));
        assert!(quantity_u64("0x10000000000000000").is_err());
        assert_eq!(number_u64(&serde_json::json!(7)), Ok(7));
        assert_eq!(number_u64(&serde_json::json!("0x7")), Ok(7));
        assert!(number_u64(&serde_json::json!(-1)).is_err());
        assert!(number_u64(&serde_json::json!(null)).is_err());
        assert_eq!(to_quantity(0), "0x0");
        assert_eq!(to_quantity(31337), "0x7a69");
    }

    #[test]
    fn words_and_addresses() {
        let topic = "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8";
        let w = word(topic).expect("word");
        assert_eq!(
            word_address(&w).as_deref(),
            Some("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")
        );
        assert_eq!(
            address_topic("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            topic
        );
        let mut dirty = w;
        dirty[0] = 1;
        assert_eq!(word_address(&dirty), None);
        assert!(word("0x00").is_err());
        let value = word(&format!("0x{:064x}", 250_000_000u64)).expect("word");
        assert_eq!(word_u128(&value), Some(250_000_000));
        let max = word(&format!("0x{}", "f".repeat(64))).expect("word");
        assert_eq!(word_u128(&max), None);
        assert!(address("0x1234").is_err());
        assert!(tx_hash("0x12").is_err());
        let id = address_node(
            Chain::Evm { chain_id: 31337 },
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        )
        .expect("id");
        assert_eq!(
            id.as_str(),
            "evm31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
        );
    }

    #[test]
    fn symbols_as_string_or_bytes32() {
        let string_return = data_bytes(
            "0x0000000000000000000000000000000000000000000000000000000000000020\
             0000000000000000000000000000000000000000000000000000000000000004\
             5455534400000000000000000000000000000000000000000000000000000000",
        )
        .expect("hex");
        assert_eq!(decode_symbol(&string_return).as_deref(), Some("TUSD"));
        let bytes32 =
            data_bytes("0x4d4b520000000000000000000000000000000000000000000000000000000000")
                .expect("hex");
        assert_eq!(decode_symbol(&bytes32).as_deref(), Some("MKR"));
        assert_eq!(decode_symbol(&[]), None);
        assert_eq!(decode_symbol(&[0u8; 32]), None);
        // A length pointing past the end is refused, not read out of bounds.
        let mut lying = string_return.clone();
        lying[63] = 200;
        assert_eq!(decode_symbol(&lying), None);
        let mut control = string_return;
        control[64] = b'\n';
        assert_eq!(decode_symbol(&control).as_deref(), Some("USD"));
        assert_eq!(
            decode_decimals(&word(&format!("0x{:064x}", 6)).expect("w")),
            Some(6)
        );
        assert_eq!(
            decode_decimals(&word(&format!("0x{:064x}", 256)).expect("w")),
            None
        );
        assert_eq!(decode_decimals(&[]), None);
        assert_eq!(
            fallback_symbol("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512"),
            "0xe7f1…0512"
        );
    }
}
