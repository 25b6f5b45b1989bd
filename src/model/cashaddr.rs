//! CashAddr, Bitcoin Cash's address text (bitcoincashorg spec `cashaddr.md`, version 1.1): the
//! 40-bit BCH-code checksum (`PolyMod`) over the prefix and the 5-bit payload, the regrouping of
//! 5-bit values into bytes, and the encoder that writes a script hash as `bitcoincash:q…`/`p…`.
//! Reading an address (which prefix, which type, which legacy form) is in
//! [`super::utxo_address`].

use super::address::BitcoinAddressKind;
use bech32::Fe32;

/// The mainnet prefix, part of every checksum even when the text omits it.
pub(super) const CASHADDR_PREFIX: &str = "bitcoincash";
/// CashAddr checksum length in 5-bit characters (40 bits).
pub(super) const CASHADDR_CHECKSUM_CHARS: usize = 8;
/// Longer than any payment address (a 64-byte hash takes 112 characters).
pub(super) const CASHADDR_MAX_CHARS: usize = 120;
/// The BCH code's generator, one constant per bit of the top 5 bits (spec: `PolyMod`).
const CASHADDR_GENERATORS: [u64; 5] = [
    0x98_f2bc_8e61,
    0x79_b76d_99e2,
    0xf3_3e5f_b3c4,
    0xae_2eab_e2a8,
    0x1e_4f43_e470,
];
/// Hash bytes by the version byte's size bits.
pub(super) const CASHADDR_HASH_SIZES: [usize; 8] = [20, 24, 28, 32, 40, 48, 56, 64];

/// The CashAddr `PolyMod` over a prefix and the payload's 5-bit values (checksum included):
/// zero when the checksum is right.
pub(super) fn cashaddr_polymod(prefix: &str, values: &[u8]) -> u64 {
    let prefix_values = prefix.bytes().map(|b| b & 0x1f);
    let all = prefix_values
        .chain(std::iter::once(0))
        .chain(values.iter().copied());
    let mut c: u64 = 1;
    for d in all {
        let c0 = c >> 35;
        c = ((c & 0x07_ffff_ffff) << 5) ^ u64::from(d);
        for (bit, generator) in CASHADDR_GENERATORS.iter().enumerate() {
            if (c0 >> bit) & 1 == 1 {
                c ^= generator;
            }
        }
    }
    c ^ 1
}

/// Regroups 5-bit values into bytes; `None` when the leftover bits are 5 or more or not zero.
pub(super) fn five_to_eight(values: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(values.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &v in values {
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (bits < 5 && acc == 0).then_some(bytes)
}

/// The CashAddr form (`bitcoincash:q…`/`p…`) of a Bitcoin Cash script hash, for people who
/// read that form; node ids keep the legacy form.
pub fn encode_cashaddr(kind: BitcoinAddressKind, hash: &[u8]) -> Option<String> {
    let size_bits = CASHADDR_HASH_SIZES.iter().position(|&n| n == hash.len())?;
    let type_bits: u8 = match kind {
        BitcoinAddressKind::P2pkh => 0,
        BitcoinAddressKind::P2sh => 1,
        _ => return None,
    };
    let mut bytes = vec![(type_bits << 3) | size_bits as u8];
    bytes.extend_from_slice(hash);
    let mut values = Vec::with_capacity(bytes.len() * 8 / 5 + 1 + CASHADDR_CHECKSUM_CHARS);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in &bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            values.push(((acc >> bits) & 0x1f) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        values.push(((acc << (5 - bits)) & 0x1f) as u8);
    }
    let data_len = values.len();
    values.extend([0; CASHADDR_CHECKSUM_CHARS]);
    let checksum = cashaddr_polymod(CASHADDR_PREFIX, &values);
    for (i, slot) in values.iter_mut().skip(data_len).enumerate() {
        *slot = ((checksum >> (5 * (CASHADDR_CHECKSUM_CHARS - 1 - i))) & 0x1f) as u8;
    }
    let text: Option<String> = values
        .iter()
        .map(|&v| Fe32::try_from(v).ok().map(Fe32::to_char))
        .collect();
    Some(format!("{CASHADDR_PREFIX}:{}", text?))
}
