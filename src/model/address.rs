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
use tiny_keccak::{Hasher, Keccak};

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
fn eip55_from_lower_hex(lower_hex: &str) -> String {
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

// ---------------------------------------------------------------------------------------------
// Encoders for synthetic but well-formed mainnet addresses
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const GENESIS: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
    const P2PKH_2: &str = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
    const P2SH: &str = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";
    const P2WPKH: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    const P2WPKH_BIP173_UPPER: &str = "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4";
    const P2WSH: &str = "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3";
    const P2TR: &str = "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297";
    const P2TR_BIP350: &str = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
    const EIP55_VECTORS: [&str; 4] = [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];
    const BASE58_ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const BECH32_ALPHABET: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// Small deterministic generator (xorshift64*) for fuzz-like and round-trip tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn bytes<const N: usize>(&mut self) -> [u8; N] {
            std::array::from_fn(|_| (self.next() >> 32) as u8)
        }
    }

    fn bitcoin_kind(input: &str) -> BitcoinAddressKind {
        match parse_address(input) {
            Ok(ParsedAddress::Bitcoin { kind, .. }) => kind,
            other => panic!("{input} should be a Bitcoin address, got {other:?}"),
        }
    }

    fn err(input: &str) -> AddressError {
        parse_address(input).expect_err(input)
    }

    /// Replaces the character at `index` (ASCII input) with `replacement`.
    fn replace_at(s: &str, index: usize, replacement: char) -> String {
        s.chars()
            .enumerate()
            .map(|(i, c)| if i == index { replacement } else { c })
            .collect()
    }

    fn flip_case_at(s: &str, index: usize) -> String {
        s.chars()
            .enumerate()
            .map(|(i, c)| match c {
                _ if i != index => c,
                c if c.is_ascii_uppercase() => c.to_ascii_lowercase(),
                c => c.to_ascii_uppercase(),
            })
            .collect()
    }

    // --- valid Bitcoin addresses ---

    #[test]
    fn p2pkh_mainnet_examples_parse_unchanged() {
        for address in [GENESIS, P2PKH_2] {
            let parsed = parse_address(address).unwrap();
            assert_eq!(
                parsed,
                ParsedAddress::Bitcoin {
                    address: address.to_owned(),
                    kind: BitcoinAddressKind::P2pkh
                }
            );
            assert_eq!(parsed.chain(), AddressChain::Bitcoin);
            assert_eq!(parsed.canonical(), address);
            assert_eq!(parse_bitcoin_address(address).unwrap(), parsed);
        }
    }

    #[test]
    fn p2sh_mainnet_example() {
        assert_eq!(bitcoin_kind(P2SH), BitcoinAddressKind::P2sh);
        assert_eq!(parse_address(P2SH).unwrap().canonical(), P2SH);
    }

    #[test]
    fn p2wpkh_lower_and_upper_case() {
        assert_eq!(bitcoin_kind(P2WPKH), BitcoinAddressKind::P2wpkh);
        let upper = parse_address(P2WPKH_BIP173_UPPER).unwrap();
        assert_eq!(
            upper,
            ParsedAddress::Bitcoin {
                address: P2WPKH_BIP173_UPPER.to_ascii_lowercase(),
                kind: BitcoinAddressKind::P2wpkh
            }
        );
        let upper_real = parse_address(&P2WPKH.to_ascii_uppercase()).unwrap();
        assert_eq!(upper_real.canonical(), P2WPKH);
    }

    #[test]
    fn p2wsh_and_p2tr() {
        assert_eq!(bitcoin_kind(P2WSH), BitcoinAddressKind::P2wsh);
        assert_eq!(bitcoin_kind(P2TR), BitcoinAddressKind::P2tr);
        assert_eq!(bitcoin_kind(P2TR_BIP350), BitcoinAddressKind::P2tr);
        assert_eq!(parse_address(P2TR).unwrap().canonical(), P2TR);
    }

    #[test]
    fn bip350_valid_future_segwit_versions() {
        let cases = [
            (
                "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
                1,
            ),
            ("BC1SW50QGDZ25J", 16),
            ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", 2),
        ];
        for (address, version) in cases {
            let parsed = parse_address(address).unwrap();
            assert_eq!(
                parsed,
                ParsedAddress::Bitcoin {
                    address: address.to_ascii_lowercase(),
                    kind: BitcoinAddressKind::FutureSegwit { version }
                }
            );
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        let parsed = parse_address(" \t\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa \r\n").unwrap();
        assert_eq!(parsed.canonical(), GENESIS);
        let eth = parse_address("  0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n").unwrap();
        assert_eq!(
            eth.canonical(),
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
        );
    }

    // --- invalid Bitcoin addresses ---

    #[test]
    fn bip350_invalid_vectors_have_precise_reasons() {
        use AddressError::*;
        let cases: [(&str, AddressError); 12] = [
            (
                "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
                SegwitNotBech32m { version: 1 },
            ),
            (
                "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
                SegwitNotBech32m { version: 16 },
            ),
            (
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
                SegwitV0NotBech32,
            ),
            (
                "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
                InvalidBech32Char {
                    ch: 'o',
                    position: 60,
                },
            ),
            (
                "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
                InvalidWitnessVersion { version: 17 },
            ),
            (
                "bc1pw5dgrnzv",
                WrongWitnessProgramLength {
                    version: 1,
                    length: 1,
                },
            ),
            (
                "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
                WrongWitnessProgramLength {
                    version: 1,
                    length: 41,
                },
            ),
            (
                "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
                WrongWitnessProgramLength {
                    version: 0,
                    length: 16,
                },
            ),
            (
                "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
                Bech32InvalidPadding,
            ),
            ("bc1gmk9yu", Bech32TooShort { length: 9 }),
            (
                "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
                TestnetBech32Prefix {
                    prefix: "tb".to_owned(),
                },
            ),
            (
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
                Bech32ChecksumMismatch,
            ),
        ];
        for (address, expected) in cases {
            assert_eq!(parse_address(address), Err(expected), "{address}");
        }
        // Invalid human-readable part: not a Bitcoin address at all.
        assert_eq!(
            err("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut"),
            NotAnAddress
        );
    }

    #[test]
    fn segwit_v0_with_21_byte_program_is_rejected() {
        let mut address = String::new();
        bech32::segwit::encode_to_fmt_unchecked(
            &mut address,
            bech32::hrp::BC,
            bech32::segwit::VERSION_0,
            &[7u8; 21],
        )
        .unwrap();
        let error = err(&address);
        assert_eq!(
            error,
            AddressError::WrongWitnessProgramLength {
                version: 0,
                length: 21
            }
        );
        assert_eq!(
            error.to_string(),
            "wrong witness program length 21 for segwit v0 (expected 20 or 32)"
        );
    }

    #[test]
    fn bech32_mixed_case_is_rejected() {
        let mixed = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mDQ";
        assert_eq!(err(mixed), AddressError::Bech32MixedCase);
        assert_eq!(
            err(mixed).to_string(),
            "mixed upper and lower case in a bech32 address"
        );
    }

    #[test]
    fn bech32_one_changed_character_fails_checksum() {
        let broken = replace_at(P2WPKH, 20, 'q');
        assert_ne!(broken, P2WPKH);
        assert_eq!(err(&broken), AddressError::Bech32ChecksumMismatch);
        assert_eq!(
            err(&broken).to_string(),
            "bech32 checksum does not match (a character is mistyped)"
        );
    }

    #[test]
    fn every_single_substitution_in_bech32_is_detected() {
        for address in [P2WPKH, P2WSH, P2TR] {
            for index in 4..address.len() {
                for replacement in BECH32_ALPHABET.chars() {
                    let mutated = replace_at(address, index, replacement);
                    if mutated != address {
                        assert!(parse_address(&mutated).is_err(), "{mutated} accepted");
                    }
                }
            }
        }
    }

    #[test]
    fn base58_one_changed_character_fails_checksum() {
        let broken = replace_at(GENESIS, 10, 'X');
        assert_eq!(err(&broken), AddressError::Base58ChecksumMismatch);
        assert_eq!(
            err(&broken).to_string(),
            "Bitcoin base58 checksum does not match (a character is mistyped)"
        );
    }

    #[test]
    fn every_single_substitution_in_base58_is_detected() {
        for address in [GENESIS, P2PKH_2, P2SH] {
            for index in 0..address.len() {
                for replacement in BASE58_ALPHABET.chars() {
                    let mutated = replace_at(address, index, replacement);
                    if mutated != address {
                        assert!(parse_address(&mutated).is_err(), "{mutated} accepted");
                    }
                }
            }
        }
    }

    #[test]
    fn invalid_base58_and_bech32_characters_are_located() {
        // '0' is not in the base58 alphabet (looks like 'O').
        let typo = replace_at(GENESIS, 5, '0');
        assert_eq!(
            err(&typo),
            AddressError::InvalidBase58Char {
                ch: '0',
                position: 6
            }
        );
        let typo = replace_at(P2WPKH, 41, 'o');
        assert_eq!(
            err(&typo),
            AddressError::InvalidBech32Char {
                ch: 'o',
                position: 42
            }
        );
        assert_eq!(
            parse_bitcoin_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNé"),
            Err(AddressError::InvalidBase58Char {
                ch: 'é',
                position: 34
            })
        );
    }

    #[test]
    fn testnet_addresses_are_rejected_with_reason() {
        let hash = [0x11u8; 20];
        let testnet_p2pkh = bs58::encode(hash).with_check_version(0x6f).into_string();
        assert!(testnet_p2pkh.starts_with('m') || testnet_p2pkh.starts_with('n'));
        let error = err(&testnet_p2pkh);
        assert_eq!(error, AddressError::TestnetBase58Version { version: 0x6f });
        assert_eq!(
            error.to_string(),
            "unknown base58 version byte 0x6f (testnet addresses are not supported; Caseboard works on mainnet)"
        );
        let testnet_p2sh = bs58::encode(hash).with_check_version(0xc4).into_string();
        assert!(testnet_p2sh.starts_with('2'));
        assert_eq!(
            err(&testnet_p2sh),
            AddressError::TestnetBase58Version { version: 0xc4 }
        );

        let tb = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7";
        let error = err(tb);
        assert_eq!(
            error,
            AddressError::TestnetBech32Prefix {
                prefix: "tb".to_owned()
            }
        );
        assert!(error.to_string().contains("'tb' is not supported"));
        assert_eq!(
            err(&tb.to_ascii_uppercase()),
            AddressError::TestnetBech32Prefix {
                prefix: "tb".to_owned()
            }
        );

        let bcrt = bech32::segwit::encode_v0(bech32::hrp::BCRT, &hash).unwrap();
        assert!(bcrt.starts_with("bcrt1q"));
        assert_eq!(
            parse_bitcoin_address(&bcrt),
            Err(AddressError::TestnetBech32Prefix {
                prefix: "bcrt".to_owned()
            })
        );
    }

    #[test]
    fn other_base58check_versions_are_named() {
        // A TRON address (version 0x41) is an address of its own; so is a Litecoin one (0x30),
        // which the Bitcoin parser names by its version byte.
        assert_eq!(
            parse_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").map(|p| p.chain()),
            Ok(AddressChain::Tron)
        );
        assert_eq!(
            parse_bitcoin_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            Err(AddressError::UnknownBase58Version { version: 0x41 })
        );
        let litecoin = bs58::encode([3u8; 20])
            .with_check_version(0x30)
            .into_string();
        let error = parse_bitcoin_address(&litecoin).expect_err("not Bitcoin");
        assert_eq!(error, AddressError::UnknownBase58Version { version: 0x30 });
        assert!(error.to_string().contains("0x30"));
        assert_eq!(
            parse_address(&litecoin).map(|p| p.chain()),
            Ok(AddressChain::Litecoin)
        );
    }

    #[test]
    fn base58_wrong_lengths() {
        assert_eq!(
            err("1A1zP1eP5QGefi2DMPTfTL"),
            AddressError::Base58WrongLength { length: 22 }
        );
        assert_eq!(
            parse_bitcoin_address("1A1z"),
            Err(AddressError::Base58WrongLength { length: 4 })
        );
        let too_long = format!("{GENESIS}1234");
        assert_eq!(
            err(&too_long),
            AddressError::Base58WrongLength { length: 38 }
        );
        // Valid checksum, version 0x00, but a 19-byte hash.
        let short_payload = bs58::encode([9u8; 19]).with_check_version(0).into_string();
        assert_eq!(
            err(&short_payload),
            AddressError::Base58WrongPayloadLength { bytes: 20 }
        );
        let long_payload = bs58::encode([9u8; 21]).with_check_version(5).into_string();
        assert_eq!(
            err(&long_payload),
            AddressError::Base58WrongPayloadLength { bytes: 22 }
        );
    }

    #[test]
    fn bech32_wrong_lengths() {
        let too_long = format!("{P2WSH}{}", "q".repeat(40));
        assert_eq!(
            err(&too_long),
            AddressError::Bech32TooLong {
                length: too_long.len()
            }
        );
        assert_eq!(err("bc1q"), AddressError::Bech32TooShort { length: 4 });
        assert_eq!(err("BC1"), AddressError::Bech32TooShort { length: 3 });
        // One character dropped from a valid address.
        let truncated = &P2WPKH[..P2WPKH.len() - 1];
        assert!(parse_address(truncated).is_err());
    }

    // --- Ethereum ---

    #[test]
    fn eip55_vectors_parse_as_checksummed() {
        for address in EIP55_VECTORS {
            let parsed = parse_address(address).unwrap();
            assert_eq!(
                parsed,
                ParsedAddress::Ethereum {
                    address: address.to_ascii_lowercase(),
                    checksummed: true
                }
            );
            assert_eq!(parsed.chain(), AddressChain::Ethereum);
            assert_eq!(parse_ethereum_address(address).unwrap(), parsed);
        }
    }

    #[test]
    fn single_case_ethereum_is_accepted_without_checksum() {
        for address in EIP55_VECTORS {
            let hex = &address[2..];
            let lower = format!("0x{}", hex.to_ascii_lowercase());
            let upper = format!("0X{}", hex.to_ascii_uppercase());
            let upper_small_x = format!("0x{}", hex.to_ascii_uppercase());
            for input in [&lower, &upper, &upper_small_x] {
                assert_eq!(
                    parse_address(input).unwrap(),
                    ParsedAddress::Ethereum {
                        address: lower.clone(),
                        checksummed: false
                    },
                    "{input}"
                );
            }
        }
    }

    #[test]
    fn eip55_vectors_with_one_case_flip_fail_naming_expected_form() {
        for address in EIP55_VECTORS {
            let letters: Vec<usize> = address
                .char_indices()
                .skip(2)
                .filter(|(_, c)| c.is_ascii_alphabetic())
                .map(|(i, _)| i)
                .collect();
            assert!(!letters.is_empty());
            for index in letters {
                let flipped = flip_case_at(address, index);
                let error = err(&flipped);
                assert_eq!(
                    error,
                    AddressError::Eip55ChecksumMismatch {
                        expected: address.to_owned()
                    },
                    "{flipped}"
                );
                assert_eq!(
                    error.to_string(),
                    format!("EIP-55 checksum does not match: expected {address}")
                );
            }
        }
    }

    #[test]
    fn ethereum_wrong_length_and_bad_characters() {
        let short = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe";
        let error = err(short);
        assert_eq!(error, AddressError::EthereumWrongLength { found: 39 });
        assert_eq!(
            error.to_string(),
            "Ethereum address must be 0x followed by 40 hex digits (found 39)"
        );
        assert_eq!(
            err("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0"),
            AddressError::EthereumWrongLength { found: 41 }
        );
        assert_eq!(err("0x"), AddressError::EthereumWrongLength { found: 0 });
        let bad = replace_at("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", 11, 'g');
        let error = err(&bad);
        assert_eq!(
            error,
            AddressError::NonHexChar {
                ch: 'g',
                position: 12
            }
        );
        assert_eq!(error.to_string(), "non-hex character 'g' at position 12");
        assert_eq!(
            err("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae\u{200b}"),
            AddressError::NonHexChar {
                ch: '\u{200b}',
                position: 42
            }
        );
    }

    #[test]
    fn ethereum_without_prefix_is_explained() {
        assert_eq!(
            err("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            AddressError::EthereumMissingPrefix
        );
        assert_eq!(
            parse_ethereum_address(GENESIS),
            Err(AddressError::EthereumMissingPrefix)
        );
    }

    #[test]
    fn chain_specific_parsers_reject_the_other_chain() {
        assert!(parse_bitcoin_address(EIP55_VECTORS[0]).is_err());
        assert!(parse_ethereum_address(P2WPKH).is_err());
        assert!(parse_ethereum_address(P2SH).is_err());
    }

    // --- empty, garbage, robustness ---

    #[test]
    fn empty_and_whitespace_inputs() {
        for input in ["", " ", "\t\n  \r\n", "\u{3000}"] {
            assert_eq!(parse_address(input), Err(AddressError::Empty));
            assert_eq!(parse_bitcoin_address(input), Err(AddressError::Empty));
            assert_eq!(parse_ethereum_address(input), Err(AddressError::Empty));
        }
        assert_eq!(AddressError::Empty.to_string(), "empty address");
    }

    #[test]
    fn obvious_garbage_is_not_an_address() {
        for input in ["hello world", "12345", "🦀🦀🦀", "bc", "0", "cosmos1abcdef"] {
            assert_eq!(
                parse_address(input),
                Err(AddressError::NotAnAddress),
                "{input}"
            );
        }
        assert_eq!(
            AddressError::NotAnAddress.to_string(),
            "not a Bitcoin, Ethereum, TRON, Litecoin, Bitcoin Cash or Zcash address"
        );
    }

    /// Any accepted input must canonicalise to something that parses to itself.
    fn assert_total(input: &str) {
        for result in [
            parse_address(input),
            parse_bitcoin_address(input),
            parse_ethereum_address(input),
        ] {
            match result {
                Ok(parsed) => {
                    let again = parse_address(parsed.canonical()).unwrap();
                    assert_eq!(again.canonical(), parsed.canonical());
                }
                Err(error) => assert!(!error.to_string().is_empty()),
            }
        }
        let short = short_form(input);
        assert!(short.chars().count() <= 12);
        if let Some(eip55) = to_eip55(input) {
            assert_eq!(eip55.len(), 42);
        }
        for token in split_address_list(input) {
            assert!(!token.is_empty());
        }
    }

    #[test]
    fn random_bytes_and_strings_never_panic() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let pieces = [
            "bc1", "BC1", "tb1", "bcrt1", "0x", "0X", "1", "3", "q", "p", "é", "🦀", "\u{200b}",
            "\u{0}", " ", ",", "l", "O", "ff", "A", "z", "\n",
        ];
        for _ in 0..3000 {
            let len = rng.below(80);
            let raw: Vec<u8> = (0..len).map(|_| (rng.next() >> 24) as u8).collect();
            assert_total(&String::from_utf8_lossy(&raw));

            let mut composed = String::new();
            for _ in 0..rng.below(12) {
                composed.push_str(pieces[rng.below(pieces.len())]);
            }
            for _ in 0..rng.below(60) {
                let alphabet = if rng.below(2) == 0 {
                    BASE58_ALPHABET
                } else {
                    BECH32_ALPHABET
                };
                let index = rng.below(alphabet.len());
                composed.push_str(&alphabet[index..index + 1]);
            }
            assert_total(&composed);
        }
    }

    #[test]
    fn very_long_strings_never_panic() {
        let n = 200_000;
        let inputs = [
            "1".repeat(n),
            format!("bc1{}", "q".repeat(n)),
            format!("BC1{}", "Q".repeat(n)),
            format!("0x{}", "a".repeat(n)),
            "🦀".repeat(n / 4),
            format!("{GENESIS} ").repeat(n / 35),
        ];
        for input in &inputs {
            assert!(parse_address(input).is_err());
            assert_total(input);
        }
        assert_eq!(
            parse_address(&inputs[1]),
            Err(AddressError::Bech32TooLong { length: n + 3 })
        );
        assert_eq!(
            parse_address(&inputs[3]),
            Err(AddressError::EthereumWrongLength { found: n })
        );
    }

    // --- list splitting, short form ---

    #[test]
    fn split_address_list_on_mixed_separators() {
        let text = format!(
            "{GENESIS}\n{P2SH},{P2WPKH};  {}\t{GENESIS}\r\n\n,,;\n  junk ",
            EIP55_VECTORS[0]
        );
        assert_eq!(
            split_address_list(&text),
            vec![GENESIS, P2SH, P2WPKH, EIP55_VECTORS[0], GENESIS, "junk"]
        );
        assert!(split_address_list("").is_empty());
        assert!(split_address_list(" ,;\n\t ").is_empty());
        assert_eq!(split_address_list("a\u{a0}b"), vec!["a", "b"]);
    }

    #[test]
    fn short_form_examples() {
        assert_eq!(short_form(P2WPKH), "bc1qar…5mdq");
        assert_eq!(
            short_form("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            "0x5aae…eaed"
        );
        assert_eq!(short_form(GENESIS), "1A1zP1…vfNa");
        assert_eq!(short_form("123456789012"), "123456789012");
        assert_eq!(short_form("1234567890123"), "123456…0123");
        assert_eq!(short_form(""), "");
        // Multi-byte characters at the cut points.
        assert_eq!(short_form("éééééééééééééé"), "éééééé…éééé");
        assert_eq!(short_form("🦀a🦀b🦀c🦀d🦀e🦀f🦀"), "🦀a🦀b🦀c…e🦀f🦀");
    }

    // --- EIP-55 helper ---

    #[test]
    fn to_eip55_on_vectors() {
        for address in EIP55_VECTORS {
            assert_eq!(
                to_eip55(&address.to_ascii_lowercase()).as_deref(),
                Some(address)
            );
            let upper = format!("0X{}", address[2..].to_ascii_uppercase());
            assert_eq!(to_eip55(&upper).as_deref(), Some(address));
            assert_eq!(to_eip55(address).as_deref(), Some(address));
        }
        assert_eq!(to_eip55("0x1234"), None);
        assert_eq!(to_eip55("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), None);
        assert_eq!(to_eip55("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg"), None);
        assert_eq!(
            to_eip55(" 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            None
        );
    }

    // --- encoders ---

    #[test]
    fn encoders_match_known_addresses() {
        let genesis_hash = [
            0x62, 0xe9, 0x07, 0xb1, 0x5c, 0xbf, 0x27, 0xd5, 0x42, 0x53, 0x99, 0xeb, 0xf6, 0xf0,
            0xfb, 0x50, 0xeb, 0xb8, 0x8f, 0x18,
        ];
        assert_eq!(encode_p2pkh(&genesis_hash), GENESIS);
        let p2sh_hash = [
            0xb4, 0x72, 0xa2, 0x66, 0xd0, 0xbd, 0x89, 0xc1, 0x37, 0x06, 0xa4, 0x13, 0x2c, 0xcf,
            0xb1, 0x6f, 0x7c, 0x3b, 0x9f, 0xcb,
        ];
        assert_eq!(encode_p2sh(&p2sh_hash), P2SH);
        let bip173_program = [
            0x75, 0x1e, 0x76, 0xe8, 0x19, 0x91, 0x96, 0xd4, 0x54, 0x94, 0x1c, 0x45, 0xd1, 0xb3,
            0xa3, 0x23, 0xf1, 0x43, 0x3b, 0xd6,
        ];
        assert_eq!(
            encode_p2wpkh(&bip173_program),
            P2WPKH_BIP173_UPPER.to_ascii_lowercase()
        );
        let bip350_program = [
            0x79, 0xbe, 0x66, 0x7e, 0xf9, 0xdc, 0xbb, 0xac, 0x55, 0xa0, 0x62, 0x95, 0xce, 0x87,
            0x0b, 0x07, 0x02, 0x9b, 0xfc, 0xdb, 0x2d, 0xce, 0x28, 0xd9, 0x59, 0xf2, 0x81, 0x5b,
            0x16, 0xf8, 0x17, 0x98,
        ];
        assert_eq!(encode_p2tr(&bip350_program), P2TR_BIP350);
        let eth: [u8; 20] = [
            0x5a, 0xae, 0xb6, 0x05, 0x3f, 0x3e, 0x94, 0xc9, 0xb9, 0xa0, 0x9f, 0x33, 0x66, 0x94,
            0x35, 0xe7, 0xef, 0x1b, 0xea, 0xed,
        ];
        assert_eq!(
            encode_eth(&eth),
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
        );
    }

    #[test]
    fn encoders_round_trip_through_parse_address() {
        let mut rng = Rng(42);
        let mut patterns: Vec<[u8; 32]> = vec![[0x00; 32], [0xff; 32], [0x80; 32], [0x01; 32]];
        patterns.extend((0..32u8).map(|i| std::array::from_fn(|j| i.wrapping_mul(j as u8))));
        patterns.extend((0..200).map(|_| rng.bytes::<32>()));
        for bytes in patterns {
            let mut b20 = [0u8; 20];
            b20.copy_from_slice(&bytes[..20]);

            let checks: [(String, &str, Option<BitcoinAddressKind>); 5] = [
                (encode_p2pkh(&b20), "1", Some(BitcoinAddressKind::P2pkh)),
                (encode_p2sh(&b20), "3", Some(BitcoinAddressKind::P2sh)),
                (
                    encode_p2wpkh(&b20),
                    "bc1q",
                    Some(BitcoinAddressKind::P2wpkh),
                ),
                (encode_p2tr(&bytes), "bc1p", Some(BitcoinAddressKind::P2tr)),
                (encode_eth(&b20), "0x", None),
            ];
            for (address, prefix, kind) in checks {
                assert!(address.starts_with(prefix), "{address} lacks {prefix}");
                let parsed = parse_address(&address).unwrap();
                assert_eq!(parsed.canonical(), address);
                match (parsed, kind) {
                    (ParsedAddress::Bitcoin { kind: got, .. }, Some(want)) => {
                        assert_eq!(got, want)
                    }
                    (ParsedAddress::Ethereum { checksummed, .. }, None) => {
                        assert!(!checksummed);
                        assert_eq!(address.len(), 42);
                        let eip55 = to_eip55(&address).unwrap();
                        assert_eq!(parse_address(&eip55).unwrap().canonical(), address);
                    }
                    (other, _) => panic!("{address} parsed as {other:?}"),
                }
            }
            // The base58 payload decodes back to the bytes we encoded.
            let decoded = bs58::decode(encode_p2pkh(&b20))
                .with_check(Some(0))
                .into_vec()
                .unwrap();
            assert_eq!(&decoded[1..], &b20);
            let (_, version, program) = bech32::segwit::decode(&encode_p2tr(&bytes)).unwrap();
            assert_eq!(version.to_u8(), 1);
            assert_eq!(program, bytes);
        }
    }

    #[test]
    fn display_of_chain_and_kind() {
        assert_eq!(AddressChain::Bitcoin.to_string(), "Bitcoin");
        assert_eq!(AddressChain::Ethereum.to_string(), "Ethereum");
        assert_eq!(BitcoinAddressKind::P2wpkh.to_string(), "P2WPKH");
        assert_eq!(
            BitcoinAddressKind::FutureSegwit { version: 3 }.to_string(),
            "segwit v3"
        );
        assert!(AddressChain::Bitcoin < AddressChain::Ethereum);
    }
}
