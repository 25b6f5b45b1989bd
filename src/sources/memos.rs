//! The text a transaction carries for a bridge, read from what sources return: a Bitcoin
//! output script `OP_RETURN <pushes>` (Esplora's `scriptpubkey` hex) and the `memo` argument
//! of a THORChain router deposit (`deposit(address,address,uint256,string)` or
//! `depositWithExpiry(address,address,uint256,string,uint256)`, the router's documented entry
//! points; an ETH deposit is the call's value, a token deposit moves the token). Only printable
//! text becomes a memo ([`memo_of`]); binary payloads (Runes, Stacks, inscriptions) do not.
//! Every length is checked against the bytes there are: nothing is sliced past the end.

use crate::model::transfer::memo_of;
use tiny_keccak::{Hasher, Keccak};

/// Longest input data read for a memo (a router deposit is a few hundred bytes).
const MAX_INPUT_HEX_CHARS: usize = 64 * 1024;

/// The router functions whose fourth argument is the memo.
const ROUTER_DEPOSITS: [&str; 2] = [
    "deposit(address,address,uint256,string)",
    "depositWithExpiry(address,address,uint256,string,uint256)",
];

/// The text of an `OP_RETURN` output script given as hex, if it is printable text.
pub fn op_return_text(script_hex: &str) -> Option<String> {
    let script = hex_bytes(script_hex, 2 * 10_000)?;
    let (&op, mut rest) = script.split_first()?;
    if op != 0x6a {
        return None;
    }
    let mut data = Vec::new();
    while let Some((&op, after)) = rest.split_first() {
        let (len, after) = match op {
            1..=75 => (usize::from(op), after),
            0x4c => {
                let (&len, after) = after.split_first()?;
                (usize::from(len), after)
            }
            0x4d => {
                let (len, after) = after.split_at_checked(2)?;
                (usize::from(u16::from_le_bytes([len[0], len[1]])), after)
            }
            // OP_0 and the small numbers carry no text; anything else (OP_13 of Runes, …) is
            // not a plain data push.
            _ => return None,
        };
        let (push, after) = after.split_at_checked(len)?;
        data.extend_from_slice(push);
        rest = after;
    }
    memo_of(&data)
}

/// The memo of a THORChain router deposit call given as hex input data (`0x` optional).
pub fn router_deposit_memo(input_hex: &str) -> Option<String> {
    let input = hex_bytes(input_hex.trim_start_matches("0x"), MAX_INPUT_HEX_CHARS)?;
    let (selector, args) = input.split_at_checked(4)?;
    if !ROUTER_DEPOSITS
        .iter()
        .any(|signature| selector == function_selector(signature))
    {
        return None;
    }
    // Argument 3 is the memo: its head word is the offset of (length word, bytes).
    let offset = word_as_usize(args.get(3 * 32..4 * 32)?)?;
    let len = word_as_usize(args.get(offset..offset.checked_add(32)?)?)?;
    let start = offset.checked_add(32)?;
    memo_of(args.get(start..start.checked_add(len)?)?)
}

/// The first four bytes of the Keccak-256 of a function's signature.
pub fn function_selector(signature: &str) -> [u8; 4] {
    let mut hasher = Keccak::v256();
    hasher.update(signature.as_bytes());
    let mut hash = [0u8; 32];
    hasher.finalize(&mut hash);
    [hash[0], hash[1], hash[2], hash[3]]
}

/// A 32-byte ABI word as a length or offset, if it fits comfortably.
fn word_as_usize(word: &[u8]) -> Option<usize> {
    let (high, low) = word.split_at_checked(24)?;
    if high.iter().any(|&b| b != 0) {
        return None;
    }
    usize::try_from(u64::from_be_bytes(low.try_into().ok()?)).ok()
}

/// Even-length hex of at most `max_chars` characters as bytes.
fn hex_bytes(text: &str, max_chars: usize) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() > max_chars || !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks_exact(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input data of Ethereum mainnet transaction
    /// 0x1976d1e552bd2b75502f85bf1ecc501ef06a7fabe5752631f5417870d420b89d (a USDT deposit into
    /// THORChain's router 0xd37bbe57…), as a Ledger THORSwap plugin's test quotes it.
    const USDT_TO_BTC: &str = "0x44bc937b000000000000000000000000e6a30f4f3bad978910e2cbb4d97581f5b5a0ade0000000000000000000000000dac17f958d2ee523a2206206994597c13d831ec7000000000000000000000000000000000000000000000000000000003b9aca0000000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000018949b85fc100000000000000000000000000000000000000000000000000000000000000413d3a4254432e4254433a626331717133676435396c3434337a6c307068356d306a6d61766d6377706c7674687278656c326732743a333133373238383a743a333000000000000000000000000000000000000000000000000000000000000000";

    /// Input data of mainnet transaction
    /// 0xdeea9126dd842d39d217de2d79e1c0dfb36d021e67388d3ea45fdca89d19d7f7 (ETH into the router
    /// v4, swapping to RUNE), from the same plugin's tests.
    const ETH_TO_RUNE: &str = "0x44bc937b000000000000000000000000a9ce88d2a853836e9da4886e6ac569c02b59d00300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005bd5440154d9600000000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000063d0f1390000000000000000000000000000000000000000000000000000000000000047535741503a54484f522e52554e453a74686f72317432706673637571336374677466356833783770367a726a643765306a637675737a797674353a35393934373435333539383600000000000000000000000000000000000000000000000000";

    #[test]
    fn the_selectors_are_the_routers() {
        assert_eq!(
            function_selector(ROUTER_DEPOSITS[1]),
            [0x44, 0xbc, 0x93, 0x7b],
            "depositWithExpiry, as the recorded calls start"
        );
        assert_eq!(
            function_selector(ROUTER_DEPOSITS[0]),
            [0x1f, 0xec, 0xe7, 0xb4]
        );
    }

    #[test]
    fn real_router_deposits_give_their_memos() {
        assert_eq!(
            router_deposit_memo(USDT_TO_BTC).as_deref(),
            Some("=:BTC.BTC:bc1qq3gd59l443zl0ph5m0jmavmcwplvthrxel2g2t:3137288:t:30")
        );
        assert_eq!(
            router_deposit_memo(ETH_TO_RUNE).as_deref(),
            Some("SWAP:THOR.RUNE:thor1t2pfscuq3ctgtf5h3x7p6zrjd7e0jcvuszyvt5:599474535986")
        );
    }

    #[test]
    fn broken_calls_give_no_memo_and_never_panic() {
        let real = USDT_TO_BTC.trim_start_matches("0x");
        // Cut anywhere before the memo's last byte, the call is refused, never read past its
        // end; the zero padding after it is not needed.
        let memo_end = 8 + 6 * 64 + 65 * 2;
        for cut in (0..real.len()).step_by(2) {
            let got = router_deposit_memo(&real[..cut]);
            assert_eq!(got.is_some(), cut >= memo_end, "cut at {cut}: {got:?}");
        }
        // An offset or a length far past the end.
        let mut huge = real.to_owned();
        huge.replace_range(3 * 64 + 8..4 * 64 + 8, &"f".repeat(64));
        assert_eq!(router_deposit_memo(&huge), None);
        // Another function (an ERC-20 transfer) and odd or non-hex text.
        assert_eq!(router_deposit_memo("0xa9059cbb"), None);
        assert_eq!(router_deposit_memo("0x44bc937"), None);
        assert_eq!(router_deposit_memo("0x44bc937bzz"), None);
    }

    #[test]
    fn op_return_scripts_give_text_only() {
        // Recorded transactions (tests/fixtures/esplora/): f859…'s `annex`, b10c's message
        // followed by binary bytes, a Runes runestone (OP_13) and a Stacks PoX commit.
        assert_eq!(op_return_text("6a05616e6e6578").as_deref(), Some("annex"));
        assert_eq!(
            op_return_text(
                "6a224e6f7420796f757220696e707574732c206e6f7420796f7572206f7574707574732e005152535455565758595a5b5c5d5e5f60"
            ),
            None
        );
        assert_eq!(op_return_text("6a5d0614c0a2331441"), None);
        assert_eq!(
            op_return_text(
                "6a4c5058325b78064160b631b5a15d9078d99c0db066449fb4c59bbfa4d987ba906e2990088b2fce8c33d841b6c47a99f9597000ab04a10b34cd419fc19784d9e36f1a33fd7b000c3bce00b6000c1d1e00614b"
            ),
            None
        );
        let memo = "=:ETH.ETH:0x388C818CA8B9251b393131C08a736A67ccB19297";
        let script = format!("6a{:02x}{}", memo.len(), to_hex(memo.as_bytes()));
        assert_eq!(op_return_text(&script).as_deref(), Some(memo));
        let pushdata1 = format!("6a4c{:02x}{}", memo.len(), to_hex(memo.as_bytes()));
        assert_eq!(op_return_text(&pushdata1).as_deref(), Some(memo));
        // A push longer than the script, a script that is not OP_RETURN, empty.
        assert_eq!(op_return_text("6a0561"), None);
        assert_eq!(op_return_text("0014abcd"), None);
        assert_eq!(op_return_text(""), None);
    }

    fn to_hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
