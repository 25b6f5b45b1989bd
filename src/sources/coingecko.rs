//! The optional online price source: daily USD closes from CoinGecko's public API, through the
//! shared HTTP client (its rate limit, retries, deadlines, response cache and offline switch).
//!
//! Documented rules followed (CoinGecko API v3): `GET /coins/{id}/market_chart/range` and, for
//! a token, `GET /coins/{platform}/contract/{contract}/market_chart/range`, with
//! `vs_currency=usd&from=UNIX&to=UNIX` (seconds); the answer is `{"prices": [[ms, price], …],
//! "market_caps": …, "total_volumes": …}` with daily points for ranges over 90 days (hourly
//! below); the public API serves at most 365 days back per call and about 30 calls a minute
//! (HTTP 429 with `Retry-After` beyond); a demo key goes in the `x-cg-demo-api-key` header.
//!
//! Assets are asked for by chain and contract, never by symbol: Bitcoin (`bitcoin`), the
//! native coin of Ethereum and the rollups that settle in ETH (`ethereum`), and tokens on
//! Ethereum by contract. A day's close is the last price the answer gives for that UTC day.
//! Prices arrive as JSON numbers (floats at the source); each is read to 10⁻⁸ USD, and from
//! there every value is exact. Ranges entirely in the past are cached for good; a range that
//! reaches the last two days for an hour.

use super::http::{CachePolicy, HttpClient, HttpConfig, ResponseCache};
use super::{JobControl, SourceError};
use crate::prices::{AssetKey, DailyTable, USD_SCALE, Usd};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The public API's base URL.
pub const COINGECKO_URL: &str = "https://api.coingecko.com/api/v3";
/// Environment variable holding a CoinGecko demo API key (optional).
pub const COINGECKO_KEY_ENV: &str = "CASEBOARD_COINGECKO_API_KEY";
/// Days one request covers at most (the public API's history window per call).
const MAX_DAYS_PER_CALL: i64 = 365;
/// Calls one table may take at most (about 16 years of history).
const MAX_CALLS: usize = 16;
/// Points one answer may hold (a year of hourly points is under 9,000).
const MAX_POINTS: usize = 20_000;
const DAY_SECS: i64 = 86_400;

/// Chains whose native coin is ETH.
const ETH_NATIVE: [&str; 4] = ["eth", "evm10", "evm42161", "evm8453"];

/// The API path of an asset (`/coins/bitcoin`, `/coins/ethereum/contract/0x…`), or `None`
/// for assets the source does not price.
pub fn coin_path(key: &AssetKey) -> Option<String> {
    match (key.chain.as_str(), key.contract.as_deref()) {
        ("btc", None) => Some("/coins/bitcoin".to_owned()),
        ("ltc", None) => Some("/coins/litecoin".to_owned()),
        ("bch", None) => Some("/coins/bitcoin-cash".to_owned()),
        ("zec", None) => Some("/coins/zcash".to_owned()),
        (chain, None) if ETH_NATIVE.contains(&chain) => Some("/coins/ethereum".to_owned()),
        ("eth", Some(contract)) => Some(format!("/coins/ethereum/contract/{contract}")),
        _ => None,
    }
}

/// The answer of `market_chart/range` (other fields are ignored).
#[derive(Debug, Deserialize)]
struct MarketChart {
    prices: Vec<(f64, f64)>,
}

/// Daily closes from one or more answers' price points (`[ms, usd]`), the last point of each
/// UTC day winning. Points that are not finite, negative or absurd are refused.
fn closes_from_points(
    points: &[(f64, f64)],
    closes: &mut BTreeMap<i64, (i64, Usd)>,
) -> Result<(), String> {
    if points.len() > MAX_POINTS {
        return Err(format!(
            "{} price points; at most {MAX_POINTS}",
            points.len()
        ));
    }
    for &(ms, price) in points {
        if !(ms.is_finite() && price.is_finite() && (0.0..1e12).contains(&price)) {
            return Err(format!("price point [{ms}, {price}] is not a price"));
        }
        let secs = (ms / 1000.0).floor() as i64;
        let usd = Usd((price * USD_SCALE as f64).round() as u128);
        let day = secs.div_euclid(DAY_SECS);
        match closes.get(&day) {
            Some((at, _)) if *at > secs => {}
            _ => {
                closes.insert(day, (secs, usd));
            }
        }
    }
    Ok(())
}

/// CoinGecko as a price source.
pub struct CoinGeckoPrices {
    client: HttpClient,
}

impl CoinGeckoPrices {
    /// A source at `base_url` (the public API, or a test server), with an optional demo key
    /// (sent as a header, never logged) and the response cache (opened offline = no network).
    pub fn new(
        base_url: &str,
        api_key: Option<&str>,
        cache: Option<ResponseCache>,
    ) -> Result<CoinGeckoPrices, SourceError> {
        let config = HttpConfig {
            // About 30 calls a minute on the public API.
            min_interval_ms: 2_100,
            max_concurrent: 1,
            ..HttpConfig::for_public_service()
        };
        let mut client = HttpClient::new("CoinGecko", base_url, config, cache)?;
        if let Some(key) = api_key.filter(|k| !k.trim().is_empty()) {
            client = client.with_secret_header("x-cg-demo-api-key", key.trim())?;
        }
        Ok(CoinGeckoPrices { client })
    }

    /// The daily closes of `key` over `[from, until]` (unix seconds), asked a year at a time.
    pub fn daily_table(
        &self,
        key: &AssetKey,
        from: i64,
        until: i64,
        now: i64,
        control: &JobControl,
    ) -> Result<DailyTable, SourceError> {
        let fail = |message: String| SourceError::BadAnswer {
            source_name: "CoinGecko".to_owned(),
            message,
        };
        let path = coin_path(key).ok_or_else(|| {
            fail(format!(
                "no online price for {} (Bitcoin, ETH and Ethereum tokens only)",
                crate::prices::key_label(key)
            ))
        })?;
        if until < from {
            return Err(fail("the time range is empty".to_owned()));
        }
        // Whole UTC days, so that the cache keys of a case repeat.
        let first_day = from.div_euclid(DAY_SECS);
        let last_day = until.div_euclid(DAY_SECS);
        let mut closes = BTreeMap::new();
        let mut day = first_day;
        for _ in 0..MAX_CALLS {
            if day > last_day {
                break;
            }
            let end_day = (day + MAX_DAYS_PER_CALL - 1).min(last_day);
            let (start, end) = (day * DAY_SECS, end_day * DAY_SECS + DAY_SECS - 1);
            let policy = if end < now - 2 * DAY_SECS {
                CachePolicy::Immutable
            } else {
                CachePolicy::MaxAge(3_600)
            };
            let query = format!("{path}/market_chart/range?vs_currency=usd&from={start}&to={end}");
            let chart: MarketChart = self.client.get_json_cached(&query, policy, control)?;
            closes_from_points(&chart.prices, &mut closes).map_err(fail)?;
            day = end_day + 1;
        }
        if day <= last_day {
            return Err(fail(format!(
                "the range spans more than {} days",
                MAX_DAYS_PER_CALL * MAX_CALLS as i64
            )));
        }
        let closes: BTreeMap<i64, Usd> = closes.into_iter().map(|(d, (_, usd))| (d, usd)).collect();
        DailyTable::from_closes(closes)
            .ok_or_else(|| fail("the answer holds no prices for the range".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> AssetKey {
        AssetKey::parse(text).expect("key")
    }

    #[test]
    fn assets_are_asked_for_by_chain_and_contract() {
        assert_eq!(coin_path(&key("btc")).as_deref(), Some("/coins/bitcoin"));
        assert_eq!(
            coin_path(&key("evm8453")).as_deref(),
            Some("/coins/ethereum")
        );
        assert_eq!(
            coin_path(&key("eth:0xdac17f958d2ee523a2206206994597c13d831ec7")).as_deref(),
            Some("/coins/ethereum/contract/0xdac17f958d2ee523a2206206994597c13d831ec7")
        );
        assert_eq!(coin_path(&key("evm56")), None, "BNB is not ETH");
        assert_eq!(coin_path(&key("ltc")).as_deref(), Some("/coins/litecoin"));
        assert_eq!(
            coin_path(&key("bch")).as_deref(),
            Some("/coins/bitcoin-cash")
        );
        assert_eq!(coin_path(&key("zec")).as_deref(), Some("/coins/zcash"));
    }

    #[test]
    fn the_last_point_of_a_utc_day_is_its_close() {
        let day = 1_740_096_000_i64; // 2025-02-21
        let ms = |secs: i64| (secs * 1000) as f64;
        let points = [
            (ms(day + 86_399), 2659.65551758),
            (ms(day), 2740.0),
            (ms(day + 86_400), 2700.5),
        ];
        let mut closes = BTreeMap::new();
        closes_from_points(&points, &mut closes).expect("points");
        assert_eq!(closes[&(day / DAY_SECS)].1, Usd(265_965_551_758));
        assert_eq!(closes[&(day / DAY_SECS + 1)].1, Usd(270_050_000_000));
        for bad in [
            (f64::NAN, 1.0),
            (0.0, -1.0),
            (0.0, f64::INFINITY),
            (0.0, 1e13),
        ] {
            assert!(closes_from_points(&[bad], &mut closes).is_err(), "{bad:?}");
        }
    }
}
