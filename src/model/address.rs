//! Blockchain addresses: parse and validate what an investigator pastes, detect which chain it
//! belongs to and bring it to one canonical form, so that the same address always compares
//! equal. Bitcoin mainnet base58check (P2PKH, P2SH) and bech32/bech32m segwit addresses
//! (P2WPKH, P2WSH, P2TR and future versions) are checked against their checksums; Ethereum
//! addresses are checked against EIP-55 when written in mixed case. Every rejection carries a
//! precise reason. The module also has encoders for well-formed synthetic mainnet addresses,
//! used by the demo ledger generator, and small helpers for splitting pasted lists and
//! shortening addresses for labels. Litecoin, Bitcoin Cash and Zcash addresses are read in
//! [`super::utxo_address`], which reuses the segwit decoder here.

use std::fmt;

use bech32::primitives::decode::{
    ChecksumError, PaddingError, SegwitHrpstringError, UncheckedHrpstring,
};
use bech32::{Bech32, Bech32m, Fe32};

mod encode;
use encode::eip55_from_lower_hex;
pub use encode::{encode_eth, encode_p2pkh, encode_p2sh, encode_p2tr, encode_p2wpkh, to_eip55};

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/// Which chain family an address belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum AddressChain {
    Bitcoin,
    Ethereum,
    Tron,
    Litecoin,
    BitcoinCash,
    Zcash,
}

impl fmt::Display for AddressChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressChain::Bitcoin => "Bitcoin",
            AddressChain::Ethereum => "Ethereum",
            AddressChain::Tron => "TRON",
            AddressChain::Litecoin => "Litecoin",
            AddressChain::BitcoinCash => "Bitcoin Cash",
            AddressChain::Zcash => "Zcash",
        })
    }
}

/// Bitcoin address type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum BitcoinAddressKind {
    /// Pay to public key hash: base58check, version 0x00, starts with `1`.
    P2pkh,
    /// Pay to script hash: base58check, version 0x05, starts with `3`.
    P2sh,
    /// Segwit v0 with a 20-byte program: `bc1q…`, bech32.
    P2wpkh,
    /// Segwit v0 with a 32-byte program: `bc1q…`, bech32.
    P2wsh,
    /// Segwit v1 with a 32-byte program (taproot): `bc1p…`, bech32m.
    P2tr,
    /// segwit v2..16 (or v1 with a program length other than 32 bytes)
    FutureSegwit { version: u8 },
}

impl fmt::Display for BitcoinAddressKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BitcoinAddressKind::P2pkh => f.write_str("P2PKH"),
            BitcoinAddressKind::P2sh => f.write_str("P2SH"),
            BitcoinAddressKind::P2wpkh => f.write_str("P2WPKH"),
            BitcoinAddressKind::P2wsh => f.write_str("P2WSH"),
            BitcoinAddressKind::P2tr => f.write_str("P2TR"),
            BitcoinAddressKind::FutureSegwit { version } => write!(f, "segwit v{version}"),
        }
    }
}

/// A validated address in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedAddress {
    /// `address` is canonical: base58 exactly as given; bech32 lower-cased.
    Bitcoin {
        address: String,
        kind: BitcoinAddressKind,
    },
    /// `address` is canonical: "0x" + 40 lower-case hex. `checksummed` = input was mixed case
    /// (and the EIP-55 check passed).
    Ethereum { address: String, checksummed: bool },
    /// `address` is canonical: base58check `T…` (the hex form `41…` is read into it).
    Tron { address: String },
    /// `address` is canonical: base58 `L…`/`M…` (a `3…` P2SH is re-encoded as `M…`), bech32
    /// lower-cased. See [`super::utxo_address`].
    Litecoin {
        address: String,
        kind: BitcoinAddressKind,
    },
    /// `address` is canonical: legacy base58 `1…`/`3…` (CashAddr is read into it). See
    /// [`super::utxo_address`].
    BitcoinCash {
        address: String,
        kind: BitcoinAddressKind,
    },
    /// `address` is canonical: a transparent base58 `t1…`/`t3…`.
    Zcash {
        address: String,
        kind: BitcoinAddressKind,
    },
}

impl ParsedAddress {
    /// The chain family of the address.
    pub fn chain(&self) -> AddressChain {
        match self {
            ParsedAddress::Bitcoin { .. } => AddressChain::Bitcoin,
            ParsedAddress::Ethereum { .. } => AddressChain::Ethereum,
            ParsedAddress::Tron { .. } => AddressChain::Tron,
            ParsedAddress::Litecoin { .. } => AddressChain::Litecoin,
            ParsedAddress::BitcoinCash { .. } => AddressChain::BitcoinCash,
            ParsedAddress::Zcash { .. } => AddressChain::Zcash,
        }
    }

    /// The canonical text of the address.
    pub fn canonical(&self) -> &str {
        match self {
            ParsedAddress::Bitcoin { address, .. }
            | ParsedAddress::Ethereum { address, .. }
            | ParsedAddress::Tron { address }
            | ParsedAddress::Litecoin { address, .. }
            | ParsedAddress::BitcoinCash { address, .. }
            | ParsedAddress::Zcash { address, .. } => address,
        }
    }
}

/// Why a pasted string is not a valid address. Positions are 1-based character positions in
/// the input after surrounding whitespace is trimmed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing but whitespace.
    #[error("empty address")]
    Empty,
    /// Does not look like any supported address format.
    #[error("not a Bitcoin, Ethereum, TRON, Litecoin, Bitcoin Cash or Zcash address")]
    NotAnAddress,
    /// A Litecoin, Bitcoin Cash or Zcash address that is not valid, and why.
    #[error(transparent)]
    Utxo(#[from] super::utxo_address::UtxoAddressError),

    // --- Bitcoin base58check ---
    /// A character outside the base58 alphabet.
    #[error(
        "invalid character {ch:?} at position {position} (Bitcoin base58 addresses never contain 0, O, I or l)"
    )]
    InvalidBase58Char { ch: char, position: usize },
    /// Too few or too many characters for a base58check address.
    #[error("wrong length for a Bitcoin base58 address: {length} characters (expected 25 to 35)")]
    Base58WrongLength { length: usize },
    /// The 4-byte double-SHA256 checksum does not match.
    #[error("Bitcoin base58 checksum does not match (a character is mistyped)")]
    Base58ChecksumMismatch,
    /// A testnet version byte (0x6f or 0xc4).
    #[error(
        "unknown base58 version byte {version:#04x} (testnet addresses are not supported; Caseboard works on mainnet)"
    )]
    TestnetBase58Version { version: u8 },
    /// A version byte of another chain or data type.
    #[error(
        "unknown base58 version byte {version:#04x} (not a Bitcoin or TRON mainnet address: expected 0x00 for P2PKH, 0x05 for P2SH or 0x41 for TRON)"
    )]
    UnknownBase58Version { version: u8 },
    /// The checksum is right but the payload is not a version byte plus a 20-byte hash.
    #[error(
        "Bitcoin base58 payload is {bytes} bytes long (expected 21: a version byte and a 20-byte hash)"
    )]
    Base58WrongPayloadLength { bytes: usize },

    // --- Bitcoin bech32 / bech32m ---
    /// Upper- and lower-case letters mixed (only all-lower or all-upper is valid).
    #[error("mixed upper and lower case in a bech32 address")]
    Bech32MixedCase,
    /// `tb` (testnet/signet) or `bcrt` (regtest).
    #[error(
        "testnet/regtest bech32 prefix '{prefix}' is not supported (Caseboard works on mainnet)"
    )]
    TestnetBech32Prefix { prefix: String },
    /// A character outside the bech32 alphabet after the `bc1` prefix.
    #[error(
        "invalid character {ch:?} at position {position} (bech32 addresses never contain 1, b, i or o after the prefix)"
    )]
    InvalidBech32Char { ch: char, position: usize },
    /// Longer than the 90 characters segwit allows.
    #[error("bech32 address is too long: {length} characters (at most 90)")]
    Bech32TooLong { length: usize },
    /// Too short to hold a witness version and a checksum.
    #[error("bech32 address is too short: {length} characters")]
    Bech32TooShort { length: usize },
    /// Witness version above 16.
    #[error("invalid segwit witness version {version} (must be 0 to 16)")]
    InvalidWitnessVersion { version: u8 },
    /// Neither the bech32 nor the bech32m checksum matches.
    #[error("bech32 checksum does not match (a character is mistyped)")]
    Bech32ChecksumMismatch,
    /// Segwit v0 with a bech32m checksum.
    #[error("segwit v0 must use bech32, not bech32m")]
    SegwitV0NotBech32,
    /// Segwit v1+ with a bech32 checksum.
    #[error("segwit v{version} must use bech32m, not bech32")]
    SegwitNotBech32m { version: u8 },
    /// Witness program length not allowed for the version.
    #[error(
        "wrong witness program length {length} for segwit v{version} (expected {})",
        expected_program_lengths(*version)
    )]
    WrongWitnessProgramLength { version: u8, length: usize },
    /// Leftover bits after the program are too many or not zero.
    #[error("invalid padding bits in bech32 address (the data is corrupted)")]
    Bech32InvalidPadding,
    /// Any other bech32 decoding failure, with the decoder's description.
    #[error("malformed bech32 address: {detail}")]
    Bech32Malformed { detail: String },

    // --- Ethereum ---
    /// No `0x` prefix.
    #[error("Ethereum address must start with 0x")]
    EthereumMissingPrefix,
    /// A character that is not a hex digit after `0x`.
    #[error("non-hex character {ch:?} at position {position}")]
    NonHexChar { ch: char, position: usize },
    /// Not exactly 40 hex digits after `0x`.
    #[error("Ethereum address must be 0x followed by 40 hex digits (found {found})")]
    EthereumWrongLength { found: usize },
    /// Mixed-case input whose capitalisation is not the EIP-55 one.
    #[error("EIP-55 checksum does not match: expected {expected}")]
    Eip55ChecksumMismatch { expected: String },

    // --- TRON ---
    /// A `T…` address that is not 34 characters long.
    #[error("wrong length for a TRON address: {length} characters (expected 34)")]
    TronWrongLength { length: usize },
    /// The 4-byte double-SHA256 checksum of a `T…` address does not match.
    #[error("TRON address checksum does not match (a character is mistyped)")]
    TronChecksumMismatch,
}

fn expected_program_lengths(version: u8) -> &'static str {
    if version == 0 { "20 or 32" } else { "2 to 40" }
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// Detect the chain and validate. Trims surrounding whitespace. Never panics on any input.
pub fn parse_address(input: &str) -> Result<ParsedAddress, AddressError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(AddressError::Empty);
    }
    if has_eth_prefix(s) {
        return parse_ethereum_trimmed(s);
    }
    if bech32_prefix(s).is_some() {
        return parse_bech32_trimmed(s);
    }
    if let Some(other_chain) = super::utxo_address::detect(s) {
        return other_chain;
    }
    if super::tron_address::looks_like_tron(s) {
        return super::tron_address::parse_tron_address(s);
    }
    // Forty hex digits: an Ethereum address that lost its 0x (never a base58 address: too long).
    if s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AddressError::EthereumMissingPrefix);
    }
    if looks_like_base58(s) {
        return parse_base58_trimmed(s);
    }
    Err(AddressError::NotAnAddress)
}

/// Validate a Bitcoin mainnet address (base58check or bech32/bech32m). Trims surrounding
/// whitespace.
pub fn parse_bitcoin_address(input: &str) -> Result<ParsedAddress, AddressError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(AddressError::Empty);
    }
    if bech32_prefix(s).is_some() {
        parse_bech32_trimmed(s)
    } else {
        parse_base58_trimmed(s)
    }
}

/// Validate an Ethereum address ("0x" + 40 hex, EIP-55 checked when mixed case). Trims
/// surrounding whitespace.
pub fn parse_ethereum_address(input: &str) -> Result<ParsedAddress, AddressError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(AddressError::Empty);
    }
    parse_ethereum_trimmed(s)
}

/// Split a pasted block into candidate address tokens: separated by newlines, spaces, tabs
/// (any Unicode whitespace), commas, semicolons; empty tokens dropped; order kept; duplicates
/// kept (caller decides).
pub fn split_address_list(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|token| !token.is_empty())
        .collect()
}

/// Short display form for labels: first 6 and last 4 characters joined by "…" (e.g.
/// "bc1qar…5mdq", "0x5aae…eaed"); strings of ≤ 12 chars returned whole. Char-boundary safe.
pub fn short_form(address: &str) -> String {
    let count = address.chars().count();
    if count <= 12 {
        return address.to_owned();
    }
    let head: String = address.chars().take(6).collect();
    let tail: String = address.chars().skip(count - 4).collect();
    format!("{head}…{tail}")
}

// ---------------------------------------------------------------------------------------------
// Bitcoin: base58check
// ---------------------------------------------------------------------------------------------

const P2PKH_VERSION: u8 = 0x00;
const P2SH_VERSION: u8 = 0x05;
const TESTNET_P2PKH_VERSION: u8 = 0x6f;
const TESTNET_P2SH_VERSION: u8 = 0xc4;
const BASE58_LENGTHS: std::ops::RangeInclusive<usize> = 25..=35;

fn is_base58_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() && !matches!(ch, '0' | 'O' | 'I' | 'l')
}

/// Whether an unknown token should be reported as a (possibly broken) base58 address rather
/// than as "not an address": alphanumeric and either shaped like a mainnet address or of the
/// length of any base58check address (testnet, other chains).
fn looks_like_base58(s: &str) -> bool {
    let alphanumeric = s.bytes().all(|b| b.is_ascii_alphanumeric());
    let mainnet_start = (s.starts_with('1') || s.starts_with('3')) && s.len() >= 20;
    alphanumeric && (mainnet_start || BASE58_LENGTHS.contains(&s.len()))
}

fn parse_base58_trimmed(s: &str) -> Result<ParsedAddress, AddressError> {
    if let Some((index, ch)) = s.chars().enumerate().find(|&(_, ch)| !is_base58_char(ch)) {
        return Err(AddressError::InvalidBase58Char {
            ch,
            position: index + 1,
        });
    }
    // All characters are ASCII now, so the byte length is the character count.
    if !BASE58_LENGTHS.contains(&s.len()) {
        return Err(AddressError::Base58WrongLength { length: s.len() });
    }
    let payload = match bs58::decode(s).with_check(None).into_vec() {
        Ok(payload) => payload,
        Err(bs58::decode::Error::InvalidChecksum { .. }) => {
            return Err(AddressError::Base58ChecksumMismatch);
        }
        Err(bs58::decode::Error::NoChecksum) => {
            return Err(AddressError::Base58WrongLength { length: s.len() });
        }
        Err(bs58::decode::Error::InvalidCharacter { character, index }) => {
            return Err(AddressError::InvalidBase58Char {
                ch: character,
                position: index + 1,
            });
        }
        Err(_) => return Err(AddressError::NotAnAddress),
    };
    let kind = match payload.first().copied() {
        Some(P2PKH_VERSION) => BitcoinAddressKind::P2pkh,
        Some(P2SH_VERSION) => BitcoinAddressKind::P2sh,
        Some(version @ (TESTNET_P2PKH_VERSION | TESTNET_P2SH_VERSION)) => {
            return Err(AddressError::TestnetBase58Version { version });
        }
        Some(version) => return Err(AddressError::UnknownBase58Version { version }),
        None => return Err(AddressError::Base58WrongPayloadLength { bytes: 0 }),
    };
    if payload.len() != 21 {
        return Err(AddressError::Base58WrongPayloadLength {
            bytes: payload.len(),
        });
    }
    Ok(ParsedAddress::Bitcoin {
        address: s.to_owned(),
        kind,
    })
}

// ---------------------------------------------------------------------------------------------
// Bitcoin: bech32 / bech32m (BIP-173, BIP-350)
// ---------------------------------------------------------------------------------------------

const MAINNET_HRP: &str = "bc";
const TESTNET_HRPS: [&str; 2] = ["tb", "bcrt"];
const MAX_BECH32_LENGTH: usize = 90;
const BECH32_CHECKSUM_LENGTH: usize = 6;

/// The human-readable part if `s` starts (case-insensitively) with a Bitcoin network's
/// bech32 prefix including the `1` separator.
fn bech32_prefix(s: &str) -> Option<&'static str> {
    std::iter::once(MAINNET_HRP)
        .chain(TESTNET_HRPS)
        .find(|hrp| {
            s.get(..hrp.len() + 1).is_some_and(|head| {
                head.strip_suffix('1')
                    .is_some_and(|h| h.eq_ignore_ascii_case(hrp))
            })
        })
}

fn parse_bech32_trimmed(s: &str) -> Result<ParsedAddress, AddressError> {
    match bech32_prefix(s) {
        Some(MAINNET_HRP) => {}
        Some(testnet) => {
            return Err(AddressError::TestnetBech32Prefix {
                prefix: testnet.to_owned(),
            });
        }
        None => return Err(AddressError::NotAnAddress),
    }
    let (address, kind) = decode_segwit(s, MAINNET_HRP.len() + 1)?;
    Ok(ParsedAddress::Bitcoin { address, kind })
}

/// Decodes a segwit address whose first `prefix_len` characters (the human-readable part and
/// the `1` separator, already checked by the caller) name its network: the lower-cased
/// address and its kind.
pub(super) fn decode_segwit(
    s: &str,
    prefix_len: usize,
) -> Result<(String, BitcoinAddressKind), AddressError> {
    if let Some((index, ch)) = s
        .chars()
        .enumerate()
        .skip(prefix_len)
        .find(|&(_, ch)| Fe32::from_char(ch).is_err())
    {
        return Err(AddressError::InvalidBech32Char {
            ch,
            position: index + 1,
        });
    }
    // All characters are ASCII now, so the byte length is the character count.
    let length = s.len();
    if s.bytes().any(|b| b.is_ascii_uppercase()) && s.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(AddressError::Bech32MixedCase);
    }
    if length > MAX_BECH32_LENGTH {
        return Err(AddressError::Bech32TooLong { length });
    }
    let lower = s.to_ascii_lowercase();
    let data = lower.get(prefix_len..).unwrap_or_default();
    if data.len() < 1 + BECH32_CHECKSUM_LENGTH {
        return Err(AddressError::Bech32TooShort { length });
    }
    let version = data
        .chars()
        .next()
        .and_then(|c| Fe32::from_char(c).ok())
        .map_or(u8::MAX, Fe32::to_u8);
    if version > 16 {
        return Err(AddressError::InvalidWitnessVersion { version });
    }
    let program = match bech32::segwit::decode(&lower) {
        Ok((_hrp, _version, program)) => program,
        Err(err) => return Err(map_segwit_error(err.0, &lower, version, data.len())),
    };
    let kind = match (version, program.len()) {
        (0, 20) => BitcoinAddressKind::P2wpkh,
        (0, 32) => BitcoinAddressKind::P2wsh,
        (1, 32) => BitcoinAddressKind::P2tr,
        (1..=16, 2..=40) => BitcoinAddressKind::FutureSegwit { version },
        (_, length) => return Err(AddressError::WrongWitnessProgramLength { version, length }),
    };
    Ok((lower, kind))
}

/// Turns the bech32 crate's error into one of ours. `data_len` is the number of characters
/// after the separator (witness version, program, checksum).
fn map_segwit_error(
    err: SegwitHrpstringError,
    lower: &str,
    version: u8,
    data_len: usize,
) -> AddressError {
    match err {
        SegwitHrpstringError::Checksum(ChecksumError::InvalidResidue) => {
            checksum_error(lower, version)
        }
        SegwitHrpstringError::Checksum(ChecksumError::InvalidLength)
        | SegwitHrpstringError::NoData => AddressError::Bech32TooShort {
            length: lower.len(),
        },
        SegwitHrpstringError::Checksum(ChecksumError::CodeLength(_))
        | SegwitHrpstringError::TooLong(_) => AddressError::Bech32TooLong {
            length: lower.len(),
        },
        SegwitHrpstringError::InvalidWitnessVersion(fe) => AddressError::InvalidWitnessVersion {
            version: fe.to_u8(),
        },
        SegwitHrpstringError::WitnessLength(_) => AddressError::WrongWitnessProgramLength {
            version,
            // Each data character carries 5 bits; incomplete trailing bytes are padding.
            length: data_len.saturating_sub(1 + BECH32_CHECKSUM_LENGTH) * 5 / 8,
        },
        SegwitHrpstringError::Padding(PaddingError::TooMuch | PaddingError::NonZero) => {
            AddressError::Bech32InvalidPadding
        }
        other => AddressError::Bech32Malformed {
            detail: other.to_string(),
        },
    }
}

/// The checksum did not verify with the algorithm the witness version requires: tell whether it
/// would with the other one (a BIP-350 mix-up) or is simply wrong (a typo).
fn checksum_error(lower: &str, version: u8) -> AddressError {
    let Ok(unchecked) = UncheckedHrpstring::new(lower) else {
        return AddressError::Bech32ChecksumMismatch;
    };
    if version == 0 && unchecked.has_valid_checksum::<Bech32m>() {
        AddressError::SegwitV0NotBech32
    } else if version >= 1 && unchecked.has_valid_checksum::<Bech32>() {
        AddressError::SegwitNotBech32m { version }
    } else {
        AddressError::Bech32ChecksumMismatch
    }
}

// ---------------------------------------------------------------------------------------------
// Ethereum (EIP-55)
// ---------------------------------------------------------------------------------------------

const ETH_HEX_DIGITS: usize = 40;

fn has_eth_prefix(s: &str) -> bool {
    s.starts_with("0x") || s.starts_with("0X")
}

fn parse_ethereum_trimmed(s: &str) -> Result<ParsedAddress, AddressError> {
    let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) else {
        return Err(AddressError::EthereumMissingPrefix);
    };
    if let Some((index, ch)) = hex
        .chars()
        .enumerate()
        .find(|&(_, ch)| !ch.is_ascii_hexdigit())
    {
        return Err(AddressError::NonHexChar {
            ch,
            position: index + 3,
        });
    }
    // All characters are ASCII hex now, so the byte length is the digit count.
    if hex.len() != ETH_HEX_DIGITS {
        return Err(AddressError::EthereumWrongLength { found: hex.len() });
    }
    let lower = hex.to_ascii_lowercase();
    let mixed_case =
        hex.bytes().any(|b| b.is_ascii_uppercase()) && hex.bytes().any(|b| b.is_ascii_lowercase());
    if mixed_case {
        let expected = eip55_from_lower_hex(&lower);
        if expected.strip_prefix("0x") != Some(hex) {
            return Err(AddressError::Eip55ChecksumMismatch { expected });
        }
    }
    Ok(ParsedAddress::Ethereum {
        address: format!("0x{lower}"),
        checksummed: mixed_case,
    })
}

#[cfg(test)]
mod tests;
