//! Exact money: amounts are integers in an asset's base units (satoshi, wei, token units).
//!
//! There are no floats here. [`format_units`] turns base units into a human decimal string
//! exactly; [`parse_units`] goes back. Case files carry amounts as decimal strings of base units
//! so no reader ever rounds them.

use super::chain::Chain;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a transfer moves: a chain's native coin or a token contract.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// Chain the asset lives on.
    pub chain: Chain,
    /// Ticker shown to the user (`BTC`, `ETH`, `USDT`).
    pub symbol: String,
    /// Number of decimals between base units and one whole unit.
    pub decimals: u8,
    /// Token contract (lower-case `0x…` on EVM chains, `T…` on TRON), `None` for the native
    /// coin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
}

impl Asset {
    /// The native coin of `chain`.
    pub fn native(chain: Chain) -> Asset {
        let (symbol, decimals) = chain.native_asset();
        Asset {
            chain,
            symbol: symbol.to_owned(),
            decimals,
            contract: None,
        }
    }

    /// A token on an EVM chain or TRON (the contract in its canonical form, see
    /// [`Chain::canonical_contract`]).
    pub fn token(chain: Chain, symbol: &str, decimals: u8, contract: &str) -> Asset {
        Asset {
            chain,
            symbol: symbol.to_owned(),
            decimals,
            contract: Some(chain.canonical_contract(contract)),
        }
    }

    /// Formats `amount` base units as `"1.5 ETH"`.
    pub fn display(&self, amount: u128) -> String {
        format!("{} {}", format_units(amount, self.decimals), self.symbol)
    }

    /// Formats `amount` base units rounded down for people, as `"4.27M SAI"` (see
    /// [`format_units_short`]).
    pub fn display_short(&self, amount: u128) -> String {
        format!(
            "{} {}",
            format_units_short(amount, self.decimals),
            self.name()
        )
    }

    /// The symbol, or for a token without one (blank or control characters only) its short
    /// contract, `token 0x6b17…1d0f`.
    pub fn name(&self) -> String {
        let symbol = self.symbol.trim();
        if !symbol.is_empty() && !symbol.chars().all(char::is_control) {
            return crate::util::clip(symbol, 16).into_owned();
        }
        match &self.contract {
            Some(contract) => format!("token {}", super::address::short_form(contract)),
            None => self.chain.native_asset().0.to_owned(),
        }
    }
}

impl fmt::Display for Asset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.symbol)
    }
}

/// Formats base units as an exact decimal string without trailing zeros: `150000000, 8` → `"1.5"`.
pub fn format_units(amount: u128, decimals: u8) -> String {
    let digits = amount.to_string();
    let decimals = usize::from(decimals);
    if decimals == 0 {
        return digits;
    }
    let (int_part, frac_part) = if digits.len() > decimals {
        let (i, f) = digits.split_at(digits.len() - decimals);
        (i.to_owned(), f.to_owned())
    } else {
        ("0".to_owned(), format!("{digits:0>decimals$}"))
    };
    let frac_trimmed = frac_part.trim_end_matches('0');
    if frac_trimmed.is_empty() {
        int_part
    } else {
        format!("{int_part}.{frac_trimmed}")
    }
}

/// Formats base units with thousands separators in the integer part: `"1,234.5"`.
pub fn format_units_grouped(amount: u128, decimals: u8) -> String {
    let plain = format_units(amount, decimals);
    let (int_part, frac) = match plain.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (plain.clone(), None),
    };
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

/// A short human amount for labels, rounded down (never up, so a label never overstates):
/// `288.4`, `0.0153`, `768,851`, `4.27M`, `1.5B`. Below 1 000 it keeps four significant
/// digits; from 1 000 to a million the whole units with separators; above, three significant
/// digits with `M`, `B` or `T`. The exact amount is always one hover away.
pub fn format_units_short(amount: u128, decimals: u8) -> String {
    let scale = 10u128.checked_pow(u32::from(decimals));
    let whole = scale.map_or(0, |s| amount / s);
    if whole >= 1_000_000 {
        let (unit, suffix) = match whole {
            w if w >= 1_000_000_000_000 => (1_000_000_000_000u128, "T"),
            w if w >= 1_000_000_000 => (1_000_000_000, "B"),
            _ => (1_000_000, "M"),
        };
        let head = whole / unit;
        // Three significant digits: 4.27M, 42.7M, 427M (and 4270T beyond the scale).
        let places = 3u32.saturating_sub(head.to_string().len() as u32);
        let frac = (whole % unit) * 10u128.pow(places) / unit;
        let mut text = head.to_string();
        let frac = format!("{frac:0width$}", width = places as usize);
        let frac = frac.trim_end_matches('0');
        if places > 0 && !frac.is_empty() {
            text.push('.');
            text.push_str(frac);
        }
        text.push_str(suffix);
        return text;
    }
    if whole >= 1_000 {
        return format_units_grouped(whole, 0);
    }
    // Keep four significant digits of the exact decimal, dropping the rest (round down).
    let exact = format_units(amount, decimals);
    let mut significant = 0;
    let mut seen_nonzero = false;
    let mut out = String::with_capacity(exact.len());
    for ch in exact.chars() {
        if ch == '.' {
            if significant >= 4 {
                break;
            }
            out.push(ch);
            continue;
        }
        if ch != '0' {
            seen_nonzero = true;
        }
        if seen_nonzero {
            if significant >= 4 {
                if out.contains('.') {
                    break;
                }
                out.push('0');
                continue;
            }
            significant += 1;
        }
        out.push(ch);
    }
    if out.contains('.') {
        out = out.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    if out.is_empty() { "0".to_owned() } else { out }
}

/// Formats base units for reading at a glance: thousands separators, at most two decimals
/// from 1,000 units up (`1,234,567.89`), four from one unit up (`12.3456`), four significant
/// digits below one (`0.0001942`), always rounded down and without trailing zeros. Not exact: show
/// [`format_units_grouped`] beside it (a tooltip) where the exact value matters.
pub fn format_units_human(amount: u128, decimals: u8) -> String {
    let exact = format_units_grouped(amount, decimals);
    let Some((int_part, frac)) = exact.split_once('.') else {
        return exact;
    };
    let keep = if int_part == "0" {
        let zeros = frac.len() - frac.trim_start_matches('0').len();
        zeros + 4
    } else if int_part.len() > 3 {
        2
    } else {
        4
    };
    let frac = frac[..frac.len().min(keep)].trim_end_matches('0');
    if frac.is_empty() {
        int_part.to_owned()
    } else {
        format!("{int_part}.{frac}")
    }
}

/// Why a decimal amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Nothing to parse.
    #[error("empty amount")]
    Empty,
    /// A character that is not a digit or the decimal point.
    #[error("invalid character {0:?} in amount")]
    InvalidCharacter(char),
    /// More fractional digits than the asset has decimals.
    #[error("amount has {found} decimal places, the asset has only {allowed}")]
    TooPrecise { found: usize, allowed: u8 },
    /// Larger than fits in 128 bits of base units.
    #[error("amount is too large")]
    Overflow,
}

/// Parses a human decimal (`"1.5"`) into base units, exactly; refuses more precision than exists.
pub fn parse_units(text: &str, decimals: u8) -> Result<u128, AmountError> {
    let text = text.trim();
    if text.is_empty() || text == "." {
        return Err(AmountError::Empty);
    }
    let (int_part, frac_part) = text.split_once('.').unwrap_or((text, ""));
    if let Some(bad) = int_part
        .chars()
        .chain(frac_part.chars())
        .find(|c| !c.is_ascii_digit())
    {
        return Err(AmountError::InvalidCharacter(bad));
    }
    if frac_part.len() > usize::from(decimals) {
        return Err(AmountError::TooPrecise {
            found: frac_part.len(),
            allowed: decimals,
        });
    }
    let padded = format!(
        "{int_part}{frac_part:0<width$}",
        width = usize::from(decimals)
    );
    let digits = padded.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(0);
    }
    digits.parse::<u128>().map_err(|_| AmountError::Overflow)
}

/// Serde helper: u128 base units as a decimal string, so no reader (RON, JSON, spreadsheets)
/// ever turns them into a float.
pub mod base_units {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    /// Writes the amount as a string of digits.
    pub fn serialize<S: Serializer>(amount: &u128, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&amount.to_string())
    }

    /// Reads a string of digits (no sign, no decimal point).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u128, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(D::Error::custom(format!(
                "amount {text:?} is not a whole number of base units"
            )));
        }
        text.parse::<u128>()
            .map_err(|_| D::Error::custom(format!("amount {text:?} does not fit in 128 bits")))
    }
}

/// Serde helper for `Option<u128>` base units.
pub mod opt_base_units {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `Some` as a digit string.
    pub fn serialize<S: Serializer>(
        amount: &Option<u128>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match amount {
            Some(a) => serializer.serialize_some(&a.to_string()),
            None => serializer.serialize_none(),
        }
    }

    /// Reads an optional digit string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u128>, D::Error> {
        #[derive(Deserialize)]
        #[serde(transparent)]
        struct Wrapped(#[serde(with = "super::base_units")] u128);
        Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_exactly() {
        assert_eq!(format_units(150_000_000, 8), "1.5");
        assert_eq!(format_units(1, 8), "0.00000001");
        assert_eq!(format_units(0, 18), "0");
        assert_eq!(format_units(1_000_000_000_000_000_000, 18), "1");
        assert_eq!(
            format_units(u128::MAX, 18),
            "340282366920938463463.374607431768211455"
        );
        assert_eq!(format_units(42, 0), "42");
        assert_eq!(format_units(123_456_789, 6), "123.456789");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(format_units_grouped(1_234_567_500_000, 6), "1,234,567.5");
        assert_eq!(format_units_grouped(999, 0), "999");
        assert_eq!(format_units_grouped(1000, 0), "1,000");
        assert_eq!(format_units_human(1_234_567_891_234_567, 9), "1,234,567.89");
        assert_eq!(format_units_human(999_123_456, 6), "999.1234");
        assert_eq!(format_units_human(194_247_717_932_277_282, 18), "0.1942");
        assert_eq!(format_units_human(194_247_717_932_277, 18), "0.0001942");
        assert_eq!(format_units_human(1_500_000_000_000_000_000, 18), "1.5");
        assert_eq!(
            format_units_human(1_000_000_010, 9),
            "1",
            "rounded down, zeros trimmed"
        );
        assert_eq!(format_units_human(1, 18), "0.000000000000000001");
        assert_eq!(format_units_human(0, 8), "0");
        assert_eq!(format_units_human(123_456_789, 0), "123,456,789");
    }

    #[test]
    fn parses_exactly_and_round_trips() {
        assert_eq!(parse_units("1.5", 8), Ok(150_000_000));
        assert_eq!(parse_units("0.00000001", 8), Ok(1));
        assert_eq!(parse_units("10", 6), Ok(10_000_000));
        assert_eq!(parse_units(".5", 1), Ok(5));
        for (amount, decimals) in [(1u128, 18u8), (123_456_789, 6), (u128::MAX, 18), (0, 8)] {
            assert_eq!(
                parse_units(&format_units(amount, decimals), decimals),
                Ok(amount)
            );
        }
    }

    #[test]
    fn parse_rejects_bad_input() {
        assert_eq!(parse_units("", 8), Err(AmountError::Empty));
        assert_eq!(
            parse_units("1.2.3", 8),
            Err(AmountError::InvalidCharacter('.'))
        );
        assert_eq!(
            parse_units("-1", 8),
            Err(AmountError::InvalidCharacter('-'))
        );
        assert_eq!(
            parse_units("1e5", 8),
            Err(AmountError::InvalidCharacter('e'))
        );
        assert_eq!(
            parse_units("0.000000001", 8),
            Err(AmountError::TooPrecise {
                found: 9,
                allowed: 8
            })
        );
        assert_eq!(
            parse_units("340282366920938463463.374607431768211456", 18),
            Err(AmountError::Overflow)
        );
    }

    #[test]
    fn serde_uses_digit_strings() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct W(#[serde(with = "base_units")] u128);
        let text = ron::to_string(&W(u128::MAX)).expect("serialize");
        assert_eq!(text, "(\"340282366920938463463374607431768211455\")");
        assert_eq!(
            ron::from_str::<W>(&text).expect("deserialize"),
            W(u128::MAX)
        );
        assert!(ron::from_str::<W>("(\"1.5\")").is_err());
        assert!(ron::from_str::<W>("(\"-1\")").is_err());
        assert!(ron::from_str::<W>("(\"\")").is_err());
        assert!(ron::from_str::<W>("(\"340282366920938463463374607431768211456\")").is_err());

        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct O(#[serde(with = "opt_base_units")] Option<u128>);
        for value in [None, Some(0), Some(u128::MAX)] {
            let text = ron::to_string(&O(value)).expect("serialize");
            assert_eq!(
                ron::from_str::<O>(&text).expect("deserialize"),
                O(value),
                "{text}"
            );
        }
    }

    #[test]
    fn short_amounts_read_like_a_person_writes_them() {
        let eth = |text: &str| parse_units(text, 18).expect("amount");
        assert_eq!(format_units_short(eth("288.4123"), 18), "288.4");
        assert_eq!(format_units_short(eth("0.01534"), 18), "0.01534");
        assert_eq!(format_units_short(eth("0.015349"), 18), "0.01534");
        assert_eq!(
            format_units_short(eth("1.99999"), 18),
            "1.999",
            "rounded down"
        );
        assert_eq!(format_units_short(eth("12"), 18), "12");
        assert_eq!(format_units_short(eth("999.99"), 18), "999.9");
        assert_eq!(
            format_units_short(parse_units("768851.7", 6).expect("usdt"), 6),
            "768,851"
        );
        assert_eq!(format_units_short(eth("4270000"), 18), "4.27M");
        assert_eq!(format_units_short(eth("4200000"), 18), "4.2M");
        assert_eq!(format_units_short(eth("42789000"), 18), "42.7M");
        assert_eq!(format_units_short(eth("427000000"), 18), "427M");
        assert_eq!(format_units_short(eth("1500000000"), 18), "1.5B");
        assert_eq!(format_units_short(0, 18), "0");
        assert_eq!(format_units_short(1, 18), "0.000000000000000001");
        assert_eq!(
            format_units_short(u128::MAX, 0),
            "340282366920938463463374607T"
        );
        let tiny = format_units_short(u128::MAX, 255);
        assert!(
            tiny.starts_with("0.000") && tiny.ends_with("3402"),
            "{tiny}"
        );
    }
}
