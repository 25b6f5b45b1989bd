//! US dollars, exactly: an amount of 10⁻⁸ USD ("micro-cents", the precision of the bundled
//! price tables) in a `u128`. An asset amount in base units times a price in 10⁻⁸ USD per whole
//! unit is computed without floats and without overflow for every real amount: the amount is
//! split into whole units and the remainder, so `value = whole × price + ⌊rest × price / 10^d⌋`
//! is the exact floor of `amount × price / 10^d`. Shown values are rounded down to the cent.

use std::fmt;

/// 10⁻⁸ USD per unit of [`Usd`].
pub const USD_SCALE: u128 = 100_000_000;

/// An exact USD amount in 10⁻⁸ USD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Usd(pub u128);

impl Usd {
    /// The value of `amount` base units of an asset with `decimals` decimals at `price` (10⁻⁸
    /// USD per whole unit), rounded down to 10⁻⁸ USD; `None` if it does not fit (an amount no
    /// real transfer has).
    pub fn of(amount: u128, decimals: u8, price: Usd) -> Option<Usd> {
        let unit = 10u128.checked_pow(u32::from(decimals))?;
        let whole = amount / unit;
        let rest = amount % unit;
        let whole_value = whole.checked_mul(price.0)?;
        let rest_value = rest.checked_mul(price.0)? / unit;
        whole_value.checked_add(rest_value).map(Usd)
    }

    /// Sum, saturating (a sum of real values never gets near `u128::MAX`).
    pub fn saturating_add(self, other: Usd) -> Usd {
        Usd(self.0.saturating_add(other.0))
    }

    /// Whole cents, rounded down.
    pub fn cents(self) -> u128 {
        self.0 / (USD_SCALE / 100)
    }

    /// `1234.56` (two decimals, rounded down, no separators): the machine form for JSON and
    /// CSV.
    pub fn to_decimal_string(self) -> String {
        let cents = self.cents();
        format!("{}.{:02}", cents / 100, cents % 100)
    }

    /// Parses a non-negative decimal (`96125.55`, `1`, `0.99990000`) into 10⁻⁸ USD; digits
    /// past the eighth decimal are refused, not rounded, so a table means what it says.
    pub fn parse(text: &str) -> Result<Usd, String> {
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(frac) {
            return Err("not a decimal number".to_owned());
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > 8 {
            return Err("more than 8 decimals".to_owned());
        }
        let whole: u128 = whole.parse().map_err(|_| "too large".to_owned())?;
        let frac_value: u128 = if frac.is_empty() {
            0
        } else {
            let padded = format!("{frac:0<8}");
            padded.parse().map_err(|_| "bad decimals".to_owned())?
        };
        whole
            .checked_mul(USD_SCALE)
            .and_then(|w| w.checked_add(frac_value))
            .map(Usd)
            .ok_or_else(|| "too large".to_owned())
    }

    /// A short label for the canvas: `$0.42`, `$950`, `$12.3k`, `$775k`, `$1.52M`, `$3.1B`.
    pub fn short(self) -> String {
        let cents = self.cents();
        let dollars = cents / 100;
        if dollars < 1_000 {
            if dollars < 10 {
                return format!("${}.{:02}", dollars, cents % 100);
            }
            return format!("${dollars}");
        }
        let (value, suffix) = if dollars < 1_000_000 {
            (cents, ("k", 100_000u128))
        } else if dollars < 1_000_000_000 {
            (cents, ("M", 100_000_000))
        } else {
            (cents, ("B", 100_000_000_000))
        };
        let (suffix, divisor) = suffix;
        let whole = value / divisor;
        // One decimal below 100 of the unit (`$12.3k`), none above (`$775k`).
        if whole < 100 {
            let tenth = (value % divisor) * 10 / divisor;
            format!("${whole}.{tenth}{suffix}")
        } else {
            format!("${whole}{suffix}")
        }
    }
}

impl fmt::Display for Usd {
    /// `$1,234,567.89` (rounded down to the cent).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.cents();
        let whole = (cents / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "${grouped}.{:02}", cents % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_exact_floors() {
        let price = Usd::parse("2659.66").expect("price");
        // 1 ETH at $2,659.66.
        assert_eq!(
            Usd::of(1_000_000_000_000_000_000, 18, price),
            Some(Usd(265_966_000_000))
        );
        // 9,432.194247717932277282 ETH: whole part and remainder, computed by hand:
        // 9432 × 2659.66 = 25,085,913.12; 0.194247717932277282 × 2659.66 = 516.6329…
        let amount = 9_432_194_247_717_932_277_282u128;
        let value = Usd::of(amount, 18, price).expect("fits");
        assert_eq!(value.to_decimal_string(), "25086429.75");
        // 1 base unit of an 18-decimal token is worth less than 10⁻⁸ USD: zero, not rounded up.
        assert_eq!(Usd::of(1, 18, price), Some(Usd(0)));
        // 0.0153 BTC at $96,125.55 = $1,470.72 (1470.720915 rounded down).
        let btc = Usd::parse("96125.55").expect("price");
        assert_eq!(
            Usd::of(1_530_000, 8, btc)
                .expect("fits")
                .to_decimal_string(),
            "1470.72"
        );
        // Too large for u128 gives None, never a wrong number.
        assert_eq!(Usd::of(u128::MAX, 0, btc), None);
    }

    #[test]
    fn parses_only_what_it_can_hold_exactly() {
        assert_eq!(Usd::parse("1"), Ok(Usd(USD_SCALE)));
        assert_eq!(Usd::parse("0.99990000"), Ok(Usd(99_990_000)));
        assert_eq!(Usd::parse("457.33401489"), Ok(Usd(45_733_401_489)));
        assert!(Usd::parse("1.123456789").is_err());
        assert!(Usd::parse("-1").is_err());
        assert!(Usd::parse("1e5").is_err());
        assert!(Usd::parse("").is_err());
        assert!(Usd::parse(".5").is_err());
        assert!(Usd::parse("٣").is_err(), "non-ASCII digits are refused");
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(Usd(123_456_789_012_345).to_string(), "$1,234,567.89");
        assert_eq!(Usd(42_000_000).short(), "$0.42");
        assert_eq!(Usd(95_000_000_000).short(), "$950");
        assert_eq!(Usd(1_234_500_000_000).short(), "$12.3k");
        assert_eq!(Usd(77_512_300_000_000).short(), "$775k");
        assert_eq!(Usd(152_000_000_000_000).short(), "$1.5M");
        assert_eq!(Usd(310_000_000_000_000_000).short(), "$3.1B");
    }
}
