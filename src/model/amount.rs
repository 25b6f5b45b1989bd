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
    /// Token contract (lower-case `0x…`), `None` for the native coin.
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

    /// A token on an EVM chain.
    pub fn token(chain: Chain, symbol: &str, decimals: u8, contract: &str) -> Asset {
        Asset {
            chain,
            symbol: symbol.to_owned(),
            decimals,
            contract: Some(contract.to_ascii_lowercase()),
        }
    }

    /// Formats `amount` base units as `"1.5 ETH"`.
    pub fn display(&self, amount: u128) -> String {
        format!("{} {}", format_units(amount, self.decimals), self.symbol)
    }

    /// Formats `amount` base units rounded for people, as `"4.27M SAI"` (see
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
            return symbol.to_owned();
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

/// Formats base units rounded for people (half up): below 1,000 three significant digits
/// (`"12.5"`, `"0.00123"`), below a million whole units with separators (`"101,740"`), above
/// three significant digits with `M`, `B` or `T` (`"4.27M"`, `"1.2B"`, `"4,560T"`). For
/// notices only: the exact amount is [`format_units`].
pub fn format_units_short(amount: u128, decimals: u8) -> String {
    let whole = match 10u128.checked_pow(u32::from(decimals)) {
        Some(unit) => round_div(amount, unit),
        None => 0,
    };
    if whole >= 1_000_000 {
        let (digits, exponent) = three_significant(amount);
        // The value is digits × 10^(exponent - decimals); pick the suffix by its magnitude.
        let magnitude = exponent + i64::try_from(digits.to_string().len()).unwrap_or(3)
            - 1
            - i64::from(decimals);
        let (suffix, power) = match magnitude {
            ..9 => ("M", 6),
            9..12 => ("B", 9),
            _ => ("T", 12),
        };
        return format!(
            "{}{suffix}",
            scaled_decimal(digits, exponent - i64::from(decimals) - power)
        );
    }
    if whole >= 1_000 {
        return format_units_grouped(whole, 0);
    }
    let (digits, exponent) = three_significant(amount);
    scaled_decimal(digits, exponent - i64::from(decimals))
}

/// `⌊a / d + ½⌋` without overflow (`d > 0`).
fn round_div(a: u128, d: u128) -> u128 {
    let (q, r) = (a / d, a % d);
    // r < d, and d - r > 0, so the comparison r ≥ d - r is "the rest is at least a half".
    if r >= d - r { q.saturating_add(1) } else { q }
}

/// `amount` rounded half up to three significant digits: (digits, power of ten) with
/// `amount ≈ digits × 10^power`.
fn three_significant(amount: u128) -> (u128, i64) {
    let length = amount.checked_ilog10().map_or(1, |l| l + 1);
    if length <= 3 {
        return (amount, 0);
    }
    let drop = length - 3;
    let digits = round_div(amount, 10u128.pow(drop));
    if digits >= 1_000 {
        (digits / 10, i64::from(drop) + 1)
    } else {
        (digits, i64::from(drop))
    }
}

/// `digits × 10^power` as a grouped decimal without trailing zeros.
fn scaled_decimal(digits: u128, power: i64) -> String {
    if power >= 0 {
        let zeros = u32::try_from(power).unwrap_or(u32::MAX);
        return match 10u128
            .checked_pow(zeros)
            .and_then(|p| digits.checked_mul(p))
        {
            Some(value) => format_units_grouped(value, 0),
            None => format!("{digits}e{power}"),
        };
    }
    match u8::try_from(power.unsigned_abs()) {
        Ok(decimals) => format_units_grouped(digits, decimals),
        Err(_) => "0".to_owned(),
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
    }

    #[test]
    fn rounds_for_people() {
        let e18 = 1_000_000_000_000_000_000u128;
        assert_eq!(format_units_short(4_271_234 * e18, 18), "4.27M");
        assert_eq!(format_units_short(101_740 * e18 + e18 / 3, 18), "101,740");
        assert_eq!(format_units_short(12_500_000_000_000_000_000, 18), "12.5");
        assert_eq!(format_units_short(12_449_999, 6), "12.4");
        assert_eq!(format_units_short(12_450_000, 6), "12.5");
        assert_eq!(format_units_short(123_000, 8), "0.00123");
        assert_eq!(format_units_short(0, 8), "0");
        assert_eq!(format_units_short(999_499_999, 6), "999");
        assert_eq!(format_units_short(999_500_000, 6), "1,000");
        assert_eq!(format_units_short(999_999_500, 3), "1M");
        assert_eq!(format_units_short(1_204_000_000, 0), "1.2B");
        assert_eq!(format_units_short(4_560_000_000_000_000, 0), "4,560T");
        // A nameless 1-decimal token's huge raw amount stays readable.
        assert_eq!(
            format_units_short(u128::MAX, 1),
            "34,000,000,000,000,000,000,000,000T"
        );
        assert!(format_units_short(5, 255).ends_with("005"));
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
}
