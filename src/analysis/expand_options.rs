//! What an expansion keeps: limit, minimum value, time range, and "load more".
//!
//! The source answers with every counterparty it found; [`ExpandOptions::filter`] then drops
//! transfers outside the time range (a transfer without a known time is dropped when a range
//! is set: the range cannot vouch for it), counterparties whose remaining value is below the
//! minimum, and — for "load more" — counterparties the case already shows in full, so the next
//! `limit` by rank come in. The minimum value is in whole units of each hop's own asset
//! (`0.5` keeps hops of at least 0.5 BTC, 0.5 ETH or 0.5 USDT), compared exactly on the
//! 18-decimal ranking scale of [`crate::model::Transfer::ranking_value`].

use crate::model::Counterparty;
use crate::model::{Case, parse_units};

/// How one expansion is limited and filtered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandOptions {
    /// Counterparties added at most.
    pub limit: usize,
    /// Smallest hop value kept, on the 18-decimal ranking scale (`None` = no minimum).
    pub min_value_18: Option<u128>,
    /// Earliest transfer time kept, unix seconds (inclusive).
    pub since_unix: Option<i64>,
    /// Latest transfer time kept, unix seconds (inclusive).
    pub until_unix: Option<i64>,
    /// Skip counterparties the case already has in full ("load more").
    pub more: bool,
}

impl ExpandOptions {
    /// No filter, `limit` counterparties.
    pub fn with_limit(limit: usize) -> ExpandOptions {
        ExpandOptions {
            limit,
            min_value_18: None,
            since_unix: None,
            until_unix: None,
            more: false,
        }
    }

    /// True when a time range is set.
    pub fn has_time_range(&self) -> bool {
        self.since_unix.is_some() || self.until_unix.is_some()
    }

    /// The time range, for a source that can ask its server for it.
    pub fn time_range(&self) -> crate::sources::TimeRange {
        crate::sources::TimeRange {
            since_unix: self.since_unix,
            until_unix: self.until_unix,
        }
    }

    /// One phrase for messages: "min 0.5, since 2025-02-21" ("" when unfiltered).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(min) = self.min_value_18 {
            parts.push(format!("min {}", crate::model::format_units(min, 18)));
        }
        if let Some(since) = self.since_unix {
            parts.push(format!("since {}", date_of(since)));
        }
        if let Some(until) = self.until_unix {
            parts.push(format!("until {}", date_of(until)));
        }
        if self.more {
            parts.push("more".to_owned());
        }
        parts.join(", ")
    }

    /// Applies the time range, the minimum value and "load more" to `counterparties`;
    /// returns what is left and how many counterparties were filtered out.
    pub fn filter(
        &self,
        case: &Case,
        counterparties: Vec<Counterparty>,
    ) -> (Vec<Counterparty>, usize) {
        let total = counterparties.len();
        let kept: Vec<Counterparty> = counterparties
            .into_iter()
            .filter_map(|cp| self.in_time_range(cp))
            .filter(|cp| self.min_value_18.is_none_or(|min| cp.value >= min))
            .filter(|cp| !(self.more && shown_in_full(case, cp)))
            .collect();
        let filtered = total - kept.len();
        (kept, filtered)
    }

    /// The counterparty with only the transfers in the time range (value recomputed), or
    /// `None` when none is left.
    fn in_time_range(&self, mut cp: Counterparty) -> Option<Counterparty> {
        if !self.has_time_range() {
            return Some(cp);
        }
        let before = cp.transfers.len();
        cp.transfers.retain(|t| {
            t.time.is_some_and(|time| {
                self.since_unix.is_none_or(|s| time >= s)
                    && self.until_unix.is_none_or(|u| time <= u)
            })
        });
        if cp.transfers.is_empty() {
            return None;
        }
        if cp.transfers.len() < before {
            // Only account-chain hops lose some of their transfers (a Bitcoin transaction's
            // legs share one time), and there every transfer is between the two ends.
            cp.value = cp
                .transfers
                .iter()
                .fold(0u128, |sum, t| sum.saturating_add(t.ranking_value()));
        }
        Some(cp)
    }
}

/// True when the counterparty's node and all its transfers are already in the case.
pub(crate) fn shown_in_full(case: &Case, cp: &Counterparty) -> bool {
    case.nodes.contains_key(&cp.key)
        && cp
            .transfers
            .iter()
            .all(|t| case.transfers.contains_key(&t.id))
}

fn date_of(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .map_or_else(
            || unix.to_string(),
            |s| s.trim_end_matches("T00:00:00Z").to_owned(),
        )
}

/// Parses a minimum value in whole units ("0.5", "1000") onto the 18-decimal ranking scale.
pub fn parse_min_value(text: &str) -> Result<u128, String> {
    parse_units(text, 18).map_err(|e| format!("minimum value {:?}: {e}", text.trim()))
}

/// Parses a time bound: `YYYY-MM-DD` (the start of that day, or its last second when
/// `end_of_day`) or RFC 3339 (`2025-02-21T14:13:00Z`), UTC.
pub fn parse_time_bound(text: &str, end_of_day: bool) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Ok(t.unix_timestamp());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format).map_err(|_| {
        format!("{text:?} is not a date (YYYY-MM-DD) or a time (2025-02-21T14:13:00Z)")
    })?;
    let day_start = date.midnight().assume_utc().unix_timestamp();
    Ok(if end_of_day {
        day_start + 86_399
    } else {
        day_start
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};

    fn eth(n: u8) -> NodeId {
        NodeId::parse(&format!("eth:0x{:040x}", u128::from(n) + 0x1000)).expect("valid id")
    }

    fn transfer(to: u8, leg: &str, amount: u128, time: Option<i64>) -> Transfer {
        let hash = format!("{:064x}", u128::from(to) * 7 + 1);
        Transfer {
            id: TransferId::new("eth", &hash, leg),
            from: eth(0),
            to: eth(to),
            asset: Asset::native(Chain::ETHEREUM),
            amount,
            tx_hash: hash,
            block_height: Some(1),
            time,
            provenance: None,
            relation_txs: None,
            memo: None,
        }
    }

    fn hop(to: u8, transfers: Vec<Transfer>) -> Counterparty {
        Counterparty {
            key: eth(to),
            value: transfers.iter().map(Transfer::ranking_value).sum(),
            nodes: vec![Node::address(eth(to))],
            transfers,
            tags: Vec::new(),
        }
    }

    const DAY: i64 = 1_740_096_000; // 2025-02-21T00:00:00Z

    #[test]
    fn time_range_drops_transfers_and_recomputes_value() {
        let case = Case::new("t", 0);
        let options = ExpandOptions {
            since_unix: Some(DAY),
            until_unix: Some(DAY + 86_399),
            ..ExpandOptions::with_limit(10)
        };
        let cps = vec![
            hop(
                1,
                vec![
                    transfer(1, "a", 5, Some(DAY + 10)),
                    transfer(1, "b", 7, Some(DAY - 1)),
                ],
            ),
            hop(2, vec![transfer(2, "a", 5, None)]),
            hop(3, vec![transfer(3, "a", 5, Some(DAY + 86_400))]),
        ];
        let (kept, filtered) = options.filter(&case, cps);
        assert_eq!(filtered, 2);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].transfers.len(), 1);
        assert_eq!(kept[0].value, 5);
    }

    #[test]
    fn minimum_value_is_in_whole_units_of_each_asset() {
        let case = Case::new("t", 0);
        let options = ExpandOptions {
            min_value_18: Some(parse_min_value("0.5").expect("parses")),
            ..ExpandOptions::with_limit(10)
        };
        let half_eth = 500_000_000_000_000_000;
        let cps = vec![
            hop(1, vec![transfer(1, "a", half_eth, None)]),
            hop(2, vec![transfer(2, "a", half_eth - 1, None)]),
        ];
        let (kept, filtered) = options.filter(&case, cps);
        assert_eq!((kept.len(), filtered), (1, 1));
        assert_eq!(kept[0].key, eth(1));
        assert!(parse_min_value("abc").is_err());
    }

    #[test]
    fn load_more_skips_what_the_case_shows_in_full() {
        let mut case = Case::new("t", 0);
        let shown = transfer(1, "a", 5, None);
        for id in [eth(0), eth(1)] {
            case.nodes.insert(id.clone(), Node::address(id));
        }
        case.transfers.insert(shown.id.clone(), shown.clone());
        let options = ExpandOptions {
            more: true,
            ..ExpandOptions::with_limit(10)
        };
        let cps = vec![
            hop(1, vec![shown.clone()]),
            // Node shown, but a transfer it has is not: it still comes.
            hop(1, vec![shown, transfer(1, "b", 3, None)]),
            hop(2, vec![transfer(2, "a", 5, None)]),
        ];
        let (kept, filtered) = options.filter(&case, cps);
        assert_eq!(filtered, 1);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn parses_time_bounds_and_describes() {
        assert_eq!(parse_time_bound("2025-02-21", false), Ok(DAY));
        assert_eq!(parse_time_bound("2025-02-21", true), Ok(DAY + 86_399));
        assert_eq!(parse_time_bound("2025-02-21T00:00:10Z", true), Ok(DAY + 10));
        assert!(parse_time_bound("21/02/2025", false).is_err());
        let options = ExpandOptions {
            min_value_18: Some(parse_min_value("1.5").expect("parses")),
            since_unix: Some(DAY),
            ..ExpandOptions::with_limit(3)
        };
        assert_eq!(options.describe(), "min 1.5, since 2025-02-21");
    }
}
