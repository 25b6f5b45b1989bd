//! Litecoin, Bitcoin Cash and Zcash addresses: validated against their real checksums and
//! brought to the one canonical form each chain's node ids use, so that an address typed in
//! any of its forms is one node.
//!
//! * Litecoin: base58check P2PKH (`L…`, version 0x30) and P2SH (`M…`, 0x32; the older `3…`,
//!   0x05, names the same script and is re-encoded as `M…`, the form Litecoin Core prints),
//!   and bech32/bech32m segwit with the human-readable part `ltc` (decoded by the Bitcoin
//!   segwit decoder in [`super::address`]). MWEB addresses are confidential and refused.
//! * Bitcoin Cash: CashAddr (`bitcoincash:q…`/`p…`, the prefix optional, its 40-bit BCH-code
//!   checksum per the CashAddr spec, computed in [`super::cashaddr`]) and legacy base58 (`1…`,
//!   `3…`). The canonical form is the
//!   legacy one, because that is how GraphSense stores and answers bch addresses: graphsense-lib
//!   (`src/graphsenselib/utils/address.py`, `cannonicalize_address` and `AddressConverterBch`)
//!   turns every bch address into legacy form with `bch_address_to_legacy` before it looks it
//!   up, and writes addresses back as stored. Its `utils/bch.py` also gives a 32-byte P2SH
//!   (P2SH32) a legacy form, version 0x05 before the 32 bytes; we do the same.
//! * Zcash: transparent base58check addresses with two-byte versions (`t1…` P2PKH 0x1CB8, `t3…`
//!   P2SH 0x1CBD). Shielded (`zs1…`, `zc…`) and unified (`u1…`) addresses hide amounts and
//!   ends, so they are refused with a message saying only transparent addresses can be traced.
//!
//! Every rejection says what is wrong; nothing here panics or slices text by byte offsets.

use super::address::{AddressError, BitcoinAddressKind, ParsedAddress, decode_segwit};
use super::cashaddr::{
    CASHADDR_CHECKSUM_CHARS, CASHADDR_HASH_SIZES, CASHADDR_MAX_CHARS, CASHADDR_PREFIX,
    cashaddr_polymod, five_to_eight,
};
use bech32::Fe32;

/// Why a Litecoin, Bitcoin Cash or Zcash address is not valid. Positions are 1-based
/// character positions in the trimmed input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UtxoAddressError {
    /// A character outside the base58 alphabet.
    #[error(
        "invalid character {ch:?} at position {position} ({chain} base58 addresses never contain 0, O, I or l)"
    )]
    InvalidBase58Char {
        chain: &'static str,
        ch: char,
        position: usize,
    },
    /// Too few or too many characters for the chain's base58check addresses.
    #[error("wrong length for a {chain} base58 address: {length} characters (expected {expected})")]
    Base58WrongLength {
        chain: &'static str,
        length: usize,
        expected: &'static str,
    },
    /// The 4-byte double-SHA256 checksum does not match.
    #[error("{chain} base58 checksum does not match (a character is mistyped)")]
    Base58ChecksumMismatch { chain: &'static str },
    /// The checksum is right but the payload is not a version and a hash of the right size.
    #[error("{chain} base58 payload is {bytes} bytes long (expected {expected})")]
    Base58WrongPayloadLength {
        chain: &'static str,
        bytes: usize,
        expected: &'static str,
    },
    /// A version of another chain or data type.
    #[error("base58 version {version} is not a {chain} mainnet address ({hint})")]
    WrongBase58Version {
        chain: &'static str,
        version: String,
        hint: &'static str,
    },
    /// A testnet or regtest address.
    #[error("{what} is a {chain} testnet or regtest address (Caseboard works on mainnet)")]
    Testnet { chain: &'static str, what: String },
    /// An address of another chain given where this chain's was expected.
    #[error("{what} is not a {chain} address ({hint})")]
    OtherChain {
        chain: &'static str,
        what: &'static str,
        hint: &'static str,
    },
    /// A shielded or otherwise confidential address.
    #[error("{what} is not traceable: only transparent addresses can be traced ({hint})")]
    Confidential {
        what: &'static str,
        hint: &'static str,
    },
    /// A CashAddr prefix other than mainnet's `bitcoincash`.
    #[error(
        "unknown CashAddr prefix {prefix:?} (Bitcoin Cash mainnet addresses are bitcoincash:…)"
    )]
    CashAddrPrefix { prefix: String },
    /// Upper- and lower-case letters mixed.
    #[error("mixed upper and lower case in a CashAddr address")]
    CashAddrMixedCase,
    /// A character outside the CashAddr (bech32) alphabet.
    #[error(
        "invalid character {ch:?} at position {position} (CashAddr addresses never contain 1, b, i or o after the prefix)"
    )]
    CashAddrInvalidChar { ch: char, position: usize },
    /// Too short to hold a version, a hash and a checksum, or far too long.
    #[error(
        "wrong length for a CashAddr address: {length} characters after the prefix (42 for a 20-byte hash)"
    )]
    CashAddrWrongLength { length: usize },
    /// The 40-bit checksum does not match.
    #[error("CashAddr checksum does not match (a character is mistyped)")]
    CashAddrChecksumMismatch,
    /// Leftover bits after the data are too many or not zero.
    #[error("invalid padding bits in CashAddr address (the data is corrupted)")]
    CashAddrPadding,
    /// A version byte that is not a payment address.
    #[error(
        "CashAddr version byte {version:#04x} is not a payment address (expected q… P2PKH or p… P2SH, or the token-aware z… or r…)"
    )]
    CashAddrType { version: u8 },
    /// The hash is not as long as the version byte's size bits say.
    #[error(
        "CashAddr version byte {version:#04x} says a {expected}-byte hash but the address carries {found} bytes"
    )]
    CashAddrHashLength {
        version: u8,
        expected: usize,
        found: usize,
    },
    /// A well-formed hash size that no Bitcoin Cash script pays to.
    #[error(
        "CashAddr {kind} with a {bytes}-byte hash: Bitcoin Cash pays to 20-byte hashes (P2SH also to 32)"
    )]
    CashAddrUnusedSize {
        kind: BitcoinAddressKind,
        bytes: usize,
    },
}

type Parsed = Result<ParsedAddress, AddressError>;

/// Routes an address pasted without a chain to Litecoin, Bitcoin Cash or Zcash when its shape
/// is theirs alone (`ltc1…`, `L…`/`M…`, `bitcoincash:…` or a bare `q…`/`p…` CashAddr, `t1…`/`t3…`,
/// shielded Zcash): `None` when it is not. Legacy `1…`/`3…` are Bitcoin's unless a chain is
/// chosen.
pub(crate) fn detect(s: &str) -> Option<Parsed> {
    let alphanumeric = s.bytes().all(|b| b.is_ascii_alphanumeric());
    let cashaddr_prefix = s.split_once(':').is_some_and(|(prefix, _)| {
        [CASHADDR_PREFIX, "bchtest", "bchreg"]
            .iter()
            .any(|p| prefix.eq_ignore_ascii_case(p))
    });
    let bare_cashaddr = alphanumeric
        && matches!(s.len(), 42 | 61)
        && s.bytes().next().is_some_and(|b| b"qpzrQPZR".contains(&b));
    if starts_with_ci(s, "ltc1") || starts_with_ci(s, "ltcmweb1") || starts_with_ci(s, "tltc1") {
        return Some(parse_litecoin_address(s));
    }
    if cashaddr_prefix || bare_cashaddr {
        return Some(parse_bitcoin_cash_address(s));
    }
    let shielded = starts_with_ci(s, "zs1")
        || (starts_with_ci(s, "u1") && s.len() >= 60)
        || (s.starts_with("zc") && alphanumeric && s.len() >= 90);
    if shielded || (alphanumeric && (s.starts_with("t1") || s.starts_with("t3"))) {
        return Some(parse_zcash_address(s));
    }
    if alphanumeric && (s.starts_with('L') || s.starts_with('M')) && (26..=35).contains(&s.len()) {
        return Some(parse_litecoin_address(s));
    }
    None
}

/// True when `s` starts with `prefix`, ignoring ASCII case (never slices inside a character).
fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn trimmed(input: &str) -> Result<&str, AddressError> {
    let s = input.trim();
    if s.is_empty() {
        Err(AddressError::Empty)
    } else {
        Ok(s)
    }
}

// ---------------------------------------------------------------------------------------------
// Base58check with one- or two-byte versions
// ---------------------------------------------------------------------------------------------

fn is_base58_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() && !matches!(ch, '0' | 'O' | 'I' | 'l')
}

/// The checked payload (version bytes and hash, no checksum) of a base58check text.
fn base58_payload(
    chain: &'static str,
    s: &str,
    lengths: std::ops::RangeInclusive<usize>,
    expected: &'static str,
) -> Result<Vec<u8>, UtxoAddressError> {
    if let Some((index, ch)) = s.chars().enumerate().find(|&(_, ch)| !is_base58_char(ch)) {
        return Err(UtxoAddressError::InvalidBase58Char {
            chain,
            ch,
            position: index + 1,
        });
    }
    // All characters are ASCII now, so the byte length is the character count.
    let wrong_length = || UtxoAddressError::Base58WrongLength {
        chain,
        length: s.len(),
        expected,
    };
    if !lengths.contains(&s.len()) {
        return Err(wrong_length());
    }
    match bs58::decode(s).with_check(None).into_vec() {
        Ok(payload) => Ok(payload),
        Err(bs58::decode::Error::InvalidChecksum { .. }) => {
            Err(UtxoAddressError::Base58ChecksumMismatch { chain })
        }
        Err(_) => Err(wrong_length()),
    }
}

fn base58check(version: &[u8], hash: &[u8]) -> String {
    let mut payload = Vec::with_capacity(version.len() + hash.len());
    payload.extend_from_slice(version);
    payload.extend_from_slice(hash);
    bs58::encode(payload).with_check().into_string()
}

fn hex_version(version: &[u8]) -> String {
    let digits: String = version.iter().map(|b| format!("{b:02x}")).collect();
    format!("0x{digits}")
}

// ---------------------------------------------------------------------------------------------
// Litecoin
// ---------------------------------------------------------------------------------------------

const LITECOIN: &str = "Litecoin";
const LTC_P2PKH: u8 = 0x30;
const LTC_P2SH: u8 = 0x32;
/// The P2SH version Litecoin shared with Bitcoin before 0x32 (`3…`): the same script.
const LTC_P2SH_OLD: u8 = 0x05;
/// Testnet P2PKH, testnet P2SH (`Q…`), old testnet P2SH.
const LTC_TESTNET: [u8; 3] = [0x6f, 0x3a, 0xc4];

/// Validates a Litecoin mainnet address; a `3…` P2SH comes back as the `M…` of its script.
/// Trims surrounding whitespace.
pub fn parse_litecoin_address(input: &str) -> Parsed {
    let s = trimmed(input)?;
    let litecoin =
        |address: String, kind| -> Parsed { Ok(ParsedAddress::Litecoin { address, kind }) };
    if starts_with_ci(s, "ltcmweb1") {
        return Err(UtxoAddressError::Confidential {
            what: "a Litecoin MWEB address (ltcmweb1…)",
            hint: "MWEB hides amounts and ends; trace the transparent addresses that peg in and out",
        }
        .into());
    }
    if starts_with_ci(s, "ltc1") {
        let (address, kind) = decode_segwit(s, "ltc1".len())?;
        return litecoin(address, kind);
    }
    if ["tltc1", "rltc1", "tmweb1"]
        .iter()
        .any(|p| starts_with_ci(s, p))
    {
        return Err(testnet(LITECOIN, "a tltc1…/rltc1… bech32 address"));
    }
    if starts_with_ci(s, "bc1") {
        return Err(UtxoAddressError::OtherChain {
            chain: LITECOIN,
            what: "a Bitcoin bech32 address (bc1…)",
            hint: "Litecoin's start with ltc1",
        }
        .into());
    }
    let payload = base58_payload(LITECOIN, s, 25..=35, "33 or 34")?;
    let (version, hash) = payload.split_first().unwrap_or((&0, &[][..]));
    let kind = match *version {
        LTC_P2PKH => BitcoinAddressKind::P2pkh,
        LTC_P2SH | LTC_P2SH_OLD => BitcoinAddressKind::P2sh,
        0x00 => {
            return Err(wrong_version(
                LITECOIN,
                &[0x00],
                "that is Bitcoin's P2PKH, 1…; Litecoin's start with L, 0x30",
            ));
        }
        v if LTC_TESTNET.contains(&v) => {
            return Err(testnet(LITECOIN, &format!("version {}", hex_version(&[v]))));
        }
        v => {
            return Err(wrong_version(
                LITECOIN,
                &[v],
                "expected 0x30 for L…, 0x32 for M… or 0x05 for 3…",
            ));
        }
    };
    if hash.len() != 20 {
        return Err(wrong_payload(
            LITECOIN,
            payload.len(),
            "21: a version byte and a 20-byte hash",
        ));
    }
    let version = if kind == BitcoinAddressKind::P2sh {
        LTC_P2SH
    } else {
        LTC_P2PKH
    };
    litecoin(base58check(&[version], hash), kind)
}

fn testnet(chain: &'static str, what: &str) -> AddressError {
    UtxoAddressError::Testnet {
        chain,
        what: what.to_owned(),
    }
    .into()
}

fn wrong_version(chain: &'static str, version: &[u8], hint: &'static str) -> AddressError {
    UtxoAddressError::WrongBase58Version {
        chain,
        version: hex_version(version),
        hint,
    }
    .into()
}

fn wrong_payload(chain: &'static str, bytes: usize, expected: &'static str) -> AddressError {
    UtxoAddressError::Base58WrongPayloadLength {
        chain,
        bytes,
        expected,
    }
    .into()
}

// ---------------------------------------------------------------------------------------------
// Bitcoin Cash: legacy base58 and CashAddr
// ---------------------------------------------------------------------------------------------

const BITCOIN_CASH: &str = "Bitcoin Cash";
const LEGACY_P2PKH: u8 = 0x00;
const LEGACY_P2SH: u8 = 0x05;
/// Validates a Bitcoin Cash mainnet address — CashAddr with or without its `bitcoincash:`
/// prefix, or legacy base58 — and returns its legacy form. Trims surrounding whitespace.
pub fn parse_bitcoin_cash_address(input: &str) -> Parsed {
    let s = trimmed(input)?;
    if let Some((prefix, payload)) = s.split_once(':') {
        if !prefix.eq_ignore_ascii_case(CASHADDR_PREFIX) {
            if ["bchtest", "bchreg"]
                .iter()
                .any(|p| prefix.eq_ignore_ascii_case(p))
            {
                return Err(testnet(BITCOIN_CASH, "a bchtest:/bchreg: CashAddr"));
            }
            return Err(UtxoAddressError::CashAddrPrefix {
                prefix: crate::util::clip(prefix, 20).into_owned(),
            }
            .into());
        }
        if has_mixed_case(s) {
            return Err(UtxoAddressError::CashAddrMixedCase.into());
        }
        return parse_cashaddr(payload, prefix.chars().count() + 1);
    }
    // A bare CashAddr is at least 42 characters: anything shorter is read as legacy base58, so
    // its errors speak of base58, and so is a longer text with a valid base58 checksum (a
    // P2SH32's legacy form).
    if s.starts_with('1')
        || s.starts_with('3')
        || s.chars().count() < 42
        || bs58::decode(s).with_check(None).into_vec().is_ok()
    {
        return parse_bitcoin_cash_legacy(s);
    }
    if has_mixed_case(s) {
        return Err(UtxoAddressError::CashAddrMixedCase.into());
    }
    parse_cashaddr(s, 0)
}

fn has_mixed_case(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_uppercase()) && s.bytes().any(|b| b.is_ascii_lowercase())
}

fn parse_bitcoin_cash_legacy(s: &str) -> Parsed {
    let payload = base58_payload(BITCOIN_CASH, s, 25..=52, "25 to 35, or 50 for P2SH32")?;
    let (version, hash) = payload.split_first().unwrap_or((&0, &[][..]));
    let kind = match (*version, hash.len()) {
        (LEGACY_P2PKH, 20) => BitcoinAddressKind::P2pkh,
        (LEGACY_P2SH, 20 | 32) => BitcoinAddressKind::P2sh,
        (LEGACY_P2PKH | LEGACY_P2SH, _) => {
            return Err(wrong_payload(
                BITCOIN_CASH,
                payload.len(),
                "21, or 33 for P2SH32: a version byte and the hash",
            ));
        }
        (v @ (0x6f | 0xc4), _) => {
            return Err(testnet(
                BITCOIN_CASH,
                &format!("version {}", hex_version(&[v])),
            ));
        }
        (v, _) => {
            return Err(wrong_version(
                BITCOIN_CASH,
                &[v],
                "expected 0x00 for 1… or 0x05 for 3…",
            ));
        }
    };
    Ok(ParsedAddress::BitcoinCash {
        address: base58check(&[*version], hash),
        kind,
    })
}

/// Reads a CashAddr payload (after the prefix, if one was given; `offset` characters before
/// it) checked against the `bitcoincash` prefix.
fn parse_cashaddr(payload: &str, offset: usize) -> Parsed {
    let mut values = Vec::with_capacity(payload.len());
    for (index, ch) in payload.chars().enumerate() {
        match Fe32::from_char(ch) {
            Ok(fe) => values.push(fe.to_u8()),
            Err(_) => {
                return Err(UtxoAddressError::CashAddrInvalidChar {
                    ch,
                    position: offset + index + 1,
                }
                .into());
            }
        }
    }
    if values.len() < CASHADDR_CHECKSUM_CHARS + 2 || values.len() > CASHADDR_MAX_CHARS {
        return Err(UtxoAddressError::CashAddrWrongLength {
            length: values.len(),
        }
        .into());
    }
    if cashaddr_polymod(CASHADDR_PREFIX, &values) != 0 {
        return Err(UtxoAddressError::CashAddrChecksumMismatch.into());
    }
    let data_chars = values.len() - CASHADDR_CHECKSUM_CHARS;
    let bytes = five_to_eight(values.get(..data_chars).unwrap_or_default())
        .ok_or(UtxoAddressError::CashAddrPadding)?;
    let (&version, hash) = bytes
        .split_first()
        .ok_or(UtxoAddressError::CashAddrWrongLength {
            length: values.len(),
        })?;
    let kind = match (version >> 3) & 0x0f {
        _ if version & 0x80 != 0 => return Err(UtxoAddressError::CashAddrType { version }.into()),
        // 2 and 3 are CashTokens' token-aware forms of the same scripts.
        0 | 2 => BitcoinAddressKind::P2pkh,
        1 | 3 => BitcoinAddressKind::P2sh,
        _ => return Err(UtxoAddressError::CashAddrType { version }.into()),
    };
    let expected = CASHADDR_HASH_SIZES[usize::from(version & 0x07)];
    if hash.len() != expected {
        return Err(UtxoAddressError::CashAddrHashLength {
            version,
            expected,
            found: hash.len(),
        }
        .into());
    }
    let legacy_version = match (kind, hash.len()) {
        (BitcoinAddressKind::P2pkh, 20) => LEGACY_P2PKH,
        (BitcoinAddressKind::P2sh, 20 | 32) => LEGACY_P2SH,
        (kind, bytes) => return Err(UtxoAddressError::CashAddrUnusedSize { kind, bytes }.into()),
    };
    Ok(ParsedAddress::BitcoinCash {
        address: base58check(&[legacy_version], hash),
        kind,
    })
}

// ---------------------------------------------------------------------------------------------
// Zcash (transparent)
// ---------------------------------------------------------------------------------------------

const ZCASH: &str = "Zcash";
const ZEC_P2PKH: [u8; 2] = [0x1c, 0xb8];
const ZEC_P2SH: [u8; 2] = [0x1c, 0xbd];
/// Testnet `tm…` and `t2…`.
const ZEC_TESTNET: [[u8; 2]; 2] = [[0x1d, 0x25], [0x1c, 0xba]];
const SHIELDED_HINT: &str = "ask for the t1… or t3… address that sent or received the funds";

/// Validates a Zcash transparent mainnet address (`t1…`, `t3…`); shielded and unified
/// addresses are refused. Trims surrounding whitespace.
pub fn parse_zcash_address(input: &str) -> Parsed {
    let s = trimmed(input)?;
    let confidential = |what: &'static str| -> Parsed {
        Err(UtxoAddressError::Confidential {
            what,
            hint: SHIELDED_HINT,
        }
        .into())
    };
    if starts_with_ci(s, "zs1") {
        return confidential("a Zcash Sapling shielded address (zs1…)");
    }
    if starts_with_ci(s, "u1") {
        return confidential("a Zcash unified address (u1…)");
    }
    if s.starts_with("zc") {
        return confidential("a Zcash Sprout shielded address (zc…)");
    }
    if ["ztestsapling1", "utest1", "zt"]
        .iter()
        .any(|p| starts_with_ci(s, p))
    {
        return Err(testnet(ZCASH, "a shielded testnet address"));
    }
    let payload = base58_payload(ZCASH, s, 35..=35, "35")?;
    let (version, hash) = payload.split_at_checked(2).unwrap_or((&[][..], &[][..]));
    let kind = match version {
        v if v == ZEC_P2PKH => BitcoinAddressKind::P2pkh,
        v if v == ZEC_P2SH => BitcoinAddressKind::P2sh,
        v if ZEC_TESTNET.iter().any(|t| t == v) => {
            return Err(testnet(ZCASH, &format!("version {}", hex_version(v))));
        }
        v => {
            return Err(wrong_version(
                ZCASH,
                v,
                "expected 0x1cb8 for t1… or 0x1cbd for t3…",
            ));
        }
    };
    if hash.len() != 20 {
        return Err(wrong_payload(
            ZCASH,
            payload.len(),
            "22: two version bytes and a 20-byte hash",
        ));
    }
    Ok(ParsedAddress::Zcash {
        address: base58check(version, hash),
        kind,
    })
}
