//! Which chain a TagPack `currency`/`network` or a CSV `chain` names, and dates.
//!
//! GraphSense names networks by their ticker (`BTC`, `ETH`, `TRX`, `LTC`, `BCH`, `ZEC`).
//! Caseboard reads Bitcoin, EVM chains, TRON, Litecoin, Bitcoin Cash and Zcash; other networks
//! are valid but kept out of matching. Tokens written as
//! the currency without a network (`currency: USDT`, network defaulting to it) are placed by
//! the address: `0x…` is Ethereum, a TRON address (`T…`) is a TRC-20 token on TRON, a Bitcoin
//! address is an Omni token on Bitcoin, anything else is on a chain Caseboard can't read.

use crate::model::Chain;
use crate::model::address::{AddressError, ParsedAddress, parse_bitcoin_address};
use crate::model::tron_address::parse_tron_address;

/// What a network name means for Caseboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Network {
    /// A chain Caseboard reads.
    Chain(Chain),
    /// A real network Caseboard can't read yet (Dogecoin, Monero …).
    Unsupported,
    /// A name Caseboard doesn't know.
    Unknown,
}

/// EVM networks by GraphSense-style name, and their chain ids.
const EVM_NETWORKS: &[(&str, u64)] = &[
    ("ETH", 1),
    ("ETHEREUM", 1),
    ("ETC", 61),
    ("BSC", 56),
    ("BNB", 56),
    ("POLYGON", 137),
    ("MATIC", 137),
    ("ARB", 42161),
    ("ARBITRUM", 42161),
    ("OP", 10),
    ("OPTIMISM", 10),
    ("BASE", 8453),
    ("AVAX", 43114),
    ("AVALANCHE", 43114),
];

/// Tokens that live on Ethereum (or, for USDT, also on Bitcoin's Omni layer and elsewhere).
const TOKENS: &[&str] = &[
    "USDT", "USDC", "DAI", "WETH", "WBTC", "BUSD", "TUSD", "USDP", "PAX", "PYUSD", "LINK", "UNI",
    "SHIB", "EURT", "EURC",
];

/// Networks that exist but that Caseboard can't read yet.
const UNSUPPORTED: &[&str] = &[
    "BSV", "BTG", "DASH", "DOGE", "XMR", "XRP", "XVG", "SOL", "ADA", "DOT", "XLM", "ATOM", "ALGO",
    "EOS", "XTZ", "TON", "NEAR", "FIL", "HBAR", "ICP", "KSM", "ETHW", "FTM", "CELO", "CRO", "ZIL",
    "NEO", "WAVES", "QTUM", "DCR", "RVN", "GRS", "VTC", "SUI", "APT",
];

/// Resolves a network (or chain) name, ignoring case; `address` places token currencies.
/// Allocates nothing (it runs once per tag).
pub(crate) fn resolve(name: &str, address: &str) -> Network {
    let name = name.trim();
    let is = |candidate: &str| name.eq_ignore_ascii_case(candidate);
    if is("btc") || is("xbt") || is("bitcoin") {
        return Network::Chain(Chain::Bitcoin);
    }
    if is("trx") || is("tron") {
        return Network::Chain(Chain::Tron);
    }
    if is("ltc") || is("litecoin") {
        return Network::Chain(Chain::Litecoin);
    }
    if is("bch") || is("bitcoin cash") || is("bitcoincash") || is("bitcoin_cash") {
        return Network::Chain(Chain::BitcoinCash);
    }
    if is("zec") || is("zcash") {
        return Network::Chain(Chain::Zcash);
    }
    if let Some((_, chain_id)) = EVM_NETWORKS.iter().find(|(n, _)| is(n)) {
        return Network::Chain(Chain::Evm {
            chain_id: *chain_id,
        });
    }
    if name.len() > 3
        && let Some((prefix, digits)) = name.split_at_checked(3)
        && prefix.eq_ignore_ascii_case("evm")
        && let Ok(chain_id) = digits.parse::<u64>()
    {
        return Network::Chain(Chain::Evm { chain_id });
    }
    if TOKENS.iter().any(|t| is(t)) {
        let address = address.trim();
        return if address.starts_with("0x") || address.starts_with("0X") {
            Network::Chain(Chain::ETHEREUM)
        } else if parse_tron_address(address).is_ok() {
            Network::Chain(Chain::Tron)
        } else if parse_bitcoin_address(address).is_ok() {
            Network::Chain(Chain::Bitcoin)
        } else {
            Network::Unsupported
        };
    }
    if UNSUPPORTED.iter().any(|u| is(u)) {
        return Network::Unsupported;
    }
    Network::Unknown
}

/// Validates `address` as an address of `chain`.
pub(crate) fn parse_on(chain: Chain, address: &str) -> Result<ParsedAddress, AddressError> {
    chain.parse_address(address)
}

/// The GraphSense currency that names a chain in an export.
pub(crate) fn currency_of(chain: Chain) -> String {
    match chain {
        Chain::Bitcoin => "BTC".to_owned(),
        Chain::Tron => "TRX".to_owned(),
        Chain::Litecoin => "LTC".to_owned(),
        Chain::BitcoinCash => "BCH".to_owned(),
        Chain::Zcash => "ZEC".to_owned(),
        Chain::Evm { chain_id } => EVM_NETWORKS
            .iter()
            .find(|(_, id)| *id == chain_id)
            .map_or_else(|| format!("EVM{chain_id}"), |(name, _)| (*name).to_owned()),
    }
}

/// Parses a `lastmod`: `YYYY-MM-DD`, or a date and time (`2024-01-02T03:04:05Z`,
/// `2024-01-02 03:04:05.5+01:00`; no zone = UTC). Returns Unix seconds.
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    // Every piece is taken with `get`/`split_once`, never by slicing at a byte offset: a
    // multi-byte character anywhere gives `None`, not a panic.
    let text = text.trim();
    let (date, rest) = (text.get(..10)?, text.get(10..)?);
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut ymd = date.splitn(3, '-');
    let (y, m, d) = (ymd.next()?, ymd.next()?, ymd.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let year = i32::try_from(number(y)?).ok()?;
    let month = time::Month::try_from(u8::try_from(number(m)?).ok()?).ok()?;
    let day = u8::try_from(number(d)?).ok()?;
    let day = time::Date::from_calendar_date(year, month, day).ok()?;
    let midnight = day.midnight().assume_utc().unix_timestamp();
    if rest.is_empty() {
        return Some(midnight);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, zone) =
        rest.split_at_checked(rest.find(['Z', 'z', '+', '-', ' ']).unwrap_or(rest.len()))?;
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let (h, m, s) = (
        number(parts.next()?)?,
        number(parts.next()?)?,
        number(parts.next()?)?,
    );
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let zone = zone.trim_start();
    let offset = match zone {
        "" | "Z" | "z" | "UTC" => 0,
        _ => {
            let (sign, body) = if let Some(body) = zone.strip_prefix('+') {
                (1, body)
            } else if let Some(body) = zone.strip_prefix('-') {
                (-1, body)
            } else {
                return None;
            };
            let (oh, om) = match body.split_once(':') {
                Some((oh, om)) => (number(oh)?, number(om)?),
                None if body.len() == 4 => (number(body.get(..2)?)?, number(body.get(2..)?)?),
                None => (number(body)?, 0),
            };
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(midnight + h * 3600 + m * 60 + s - offset)
}

/// Unix seconds as a TagPack `lastmod`: a date at midnight UTC, else `YYYY-MM-DDTHH:MM:SSZ`.
/// `None` when out of range.
pub(crate) fn format_date(secs: i64) -> Option<String> {
    let at = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    let date = at.date();
    let day = format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    if !(0..=9999).contains(&date.year()) {
        return None;
    }
    Some(if secs.rem_euclid(86_400) == 0 {
        day
    } else {
        format!(
            "{day}T{:02}:{:02}:{:02}Z",
            at.hour(),
            at.minute(),
            at.second()
        )
    })
}

/// The `YYYY-MM-DD` part of Unix seconds.
pub(crate) fn date_only(secs: i64) -> String {
    format_date(secs)
        .map(|d| d.chars().take(10).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        assert_eq!(resolve("BTC", "1abc"), Network::Chain(Chain::Bitcoin));
        assert_eq!(resolve("eth", ""), Network::Chain(Chain::ETHEREUM));
        assert_eq!(
            resolve("evm56", ""),
            Network::Chain(Chain::Evm { chain_id: 56 })
        );
        assert_eq!(
            resolve("BSC", ""),
            Network::Chain(Chain::Evm { chain_id: 56 })
        );
        assert_eq!(
            resolve("EVM250", ""),
            Network::Chain(Chain::Evm { chain_id: 250 })
        );
        assert_eq!(
            resolve("USDT", "0x175d44451403Edf28469dF03A9280c1197ADb92c"),
            Network::Chain(Chain::ETHEREUM)
        );
        assert_eq!(
            resolve("USDT", "1KUUJPkyDhamZXgpsyXqNGc3x1QPXtdhgz"),
            Network::Chain(Chain::Bitcoin)
        );
        assert_eq!(
            resolve("USDT", "TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR"),
            Network::Chain(Chain::Tron)
        );
        assert_eq!(resolve("USDT", "Xnot-an-address"), Network::Unsupported);
        assert_eq!(resolve("TRX", ""), Network::Chain(Chain::Tron));
        assert_eq!(
            resolve("USDT", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
            Network::Chain(Chain::Tron)
        );
        assert_eq!(resolve("DOGE", ""), Network::Unsupported);
        assert_eq!(resolve("LTC", ""), Network::Chain(Chain::Litecoin));
        assert_eq!(resolve("litecoin", ""), Network::Chain(Chain::Litecoin));
        assert_eq!(resolve("BCH", ""), Network::Chain(Chain::BitcoinCash));
        assert_eq!(
            resolve("Bitcoin Cash", ""),
            Network::Chain(Chain::BitcoinCash)
        );
        assert_eq!(resolve("zec", ""), Network::Chain(Chain::Zcash));
        assert_eq!(resolve("ZCASH", ""), Network::Chain(Chain::Zcash));
        assert_eq!(resolve("ETHH", ""), Network::Unknown);
        for chain in [
            Chain::Bitcoin,
            Chain::ETHEREUM,
            Chain::Evm { chain_id: 56 },
            Chain::Evm { chain_id: 250 },
            Chain::Litecoin,
            Chain::BitcoinCash,
            Chain::Zcash,
        ] {
            assert_eq!(resolve(&currency_of(chain), ""), Network::Chain(chain));
        }
    }

    /// The GraphSense TagPacks write bch addresses in both forms (`demo.yaml`: `1K1rgZ…`;
    /// `etherscamdb_tagpack.yaml`: a bare `qp9rk7…`; `exchange-wallets-bitfinexcom.yaml`:
    /// `bitcoincash:prseh0…`): each lands on the node of its legacy form.
    #[test]
    fn tagpack_addresses_of_the_new_chains_parse_on_them() {
        let bch = |a: &str| parse_on(Chain::BitcoinCash, a).map(|p| p.canonical().to_owned());
        assert_eq!(
            bch("1K1rgZ1dz9w7dsR1HGS1drmzfUHMtqx1Tc").as_deref(),
            Ok("1K1rgZ1dz9w7dsR1HGS1drmzfUHMtqx1Tc")
        );
        // The spec's first translation example, in both forms.
        assert_eq!(
            bch("qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a").as_deref(),
            Ok("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu")
        );
        assert!(bch("bitcoincash:prseh0a4aejjcewhc665wjqhppgwrz2lw5txgn666a").is_ok());
        assert!(parse_on(Chain::Zcash, "t1ZmpK4QFcvyQZ3ghTgSboBW8b4HgiZHQF9").is_ok());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date("2025-02-26"), Some(1_740_528_000));
        assert_eq!(
            parse_date("2025-02-26T01:02:03Z"),
            Some(1_740_528_000 + 3723)
        );
        assert_eq!(
            parse_date("2025-02-26 01:02:03.25+01:00"),
            Some(1_740_528_000 + 123)
        );
        assert_eq!(
            parse_date("2025-02-26t01:02:03-0030"),
            Some(1_740_528_000 + 3723 + 1800)
        );
        for bad in [
            "2025-02-30",
            "2025-2-26",
            "26.02.2025",
            "2025-02-26T25:00:00",
            "yesterday",
            "",
            "2025-02-26x",
            "2025-02-26T01:02",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        for secs in [0, 86_400, 1_740_528_000, 1_740_528_123, -86_400] {
            let text = format_date(secs).unwrap();
            assert_eq!(parse_date(&text), Some(secs), "{text}");
        }
        assert_eq!(format_date(1_740_528_123).unwrap(), "2025-02-26T00:02:03Z");
        assert_eq!(date_only(1_740_528_123), "2025-02-26");
        assert_eq!(format_date(i64::MAX), None);
    }
}
