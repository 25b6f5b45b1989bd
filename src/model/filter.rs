//! What the graph shows: the investigator's filter, saved with the case's view.
//!
//! A filter narrows the picture, never the facts: filtered transfers stay in the case and come
//! back when the filter is cleared. It is part of [`super::CaseView`], so it is saved, restored
//! and merged like zoom and pan (mine first). Money thresholds are whole US cents, so the
//! model needs no price types; what a transfer is worth is decided in `crate::analysis::flows`.

use super::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which way money moves relative to the filter's focus nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowDirection {
    /// Into the focus nodes.
    Into,
    /// Out of the focus nodes.
    OutOf,
    /// Into or out of them (their own flows only).
    Touching,
}

impl FlowDirection {
    /// `into`, `out of`, `touching`.
    pub fn name(self) -> &'static str {
        match self {
            FlowDirection::Into => "into",
            FlowDirection::OutOf => "out of",
            FlowDirection::Touching => "touching",
        }
    }
}

/// Which transfers and nodes the canvas, the timeline and the exports show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GraphFilter {
    /// Earliest transfer time shown, unix seconds (inclusive).
    pub since_unix: Option<i64>,
    /// Latest transfer time shown, unix seconds (inclusive).
    pub until_unix: Option<i64>,
    /// Edges (all transfers from A to B in one asset) worth less than this are filtered;
    /// unpriced edges are filtered too while it is set (their value is unknown).
    pub min_usd_cents: Option<u64>,
    /// Single transfers worth less than this ("dust") are filtered; unpriced ones are kept.
    pub dust_usd_cents: Option<u64>,
    /// Only these assets (`chain` or `chain:contract`, as in price tables); empty = all.
    pub assets: Vec<String>,
    /// Only nodes of these categories (by machine name) and the transfers between them;
    /// empty = all.
    pub categories: Vec<String>,
    /// Minimum edge amount per asset (`chain` or `chain:contract` → whole units as a decimal,
    /// `0.5`): edges of that asset carrying less are filtered.
    pub asset_minimums: BTreeMap<String, String>,
    /// Only money moving this way relative to `focus` (`None` = both ways, everything).
    pub direction: Option<FlowDirection>,
    /// The nodes `direction` is relative to (the selection when the user set it).
    pub focus: Vec<NodeId>,
    /// Hide nodes with a single counterparty left (untagged).
    pub hide_leaves: bool,
    /// Draw filtered nodes and edges faintly instead of hiding them.
    pub dim: bool,
}

impl GraphFilter {
    /// True when the filter narrows anything.
    pub fn is_active(&self) -> bool {
        let GraphFilter {
            since_unix,
            until_unix,
            min_usd_cents,
            dust_usd_cents,
            assets,
            categories,
            asset_minimums,
            direction,
            focus,
            hide_leaves,
            dim: _,
        } = self;
        since_unix.is_some()
            || until_unix.is_some()
            || min_usd_cents.is_some()
            || dust_usd_cents.is_some()
            || !assets.is_empty()
            || !categories.is_empty()
            || !asset_minimums.is_empty()
            || (direction.is_some() && !focus.is_empty())
            || *hide_leaves
    }

    /// One phrase for the status bar and exports: `since 2025-02-21 · ≥ $10,000 · no leaves`
    /// (empty when inactive).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(since) = self.since_unix {
            parts.push(format!("since {}", crate::util::utc_date(since)));
        }
        if let Some(until) = self.until_unix {
            parts.push(format!("until {}", crate::util::utc_date(until)));
        }
        if let Some(cents) = self.min_usd_cents {
            parts.push(format!("edges ≥ {}", dollars(cents)));
        }
        if let Some(cents) = self.dust_usd_cents {
            parts.push(format!("no dust < {}", dollars(cents)));
        }
        if !self.assets.is_empty() {
            parts.push(format!("assets {}", self.assets.join(", ")));
        }
        if !self.categories.is_empty() {
            parts.push(format!("only {}", self.categories.join(", ")));
        }
        for (asset, min) in &self.asset_minimums {
            parts.push(format!("{asset} edges ≥ {min}"));
        }
        if let Some(direction) = self.direction.filter(|_| !self.focus.is_empty()) {
            parts.push(format!("{} {} nodes", direction.name(), self.focus.len()));
        }
        if self.hide_leaves {
            parts.push("no leaves".to_owned());
        }
        parts.join(" · ")
    }
}

/// Reads `YYYY-MM-DD` as the first second of that UTC day.
pub fn parse_since(text: &str) -> Result<i64, String> {
    day_start(text)
}

/// Reads `YYYY-MM-DD` as the last second of that UTC day (the day is included).
pub fn parse_until(text: &str) -> Result<i64, String> {
    Ok(day_start(text)? + 86_399)
}

fn day_start(text: &str) -> Result<i64, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text.trim(), &format).map_err(|_| {
        format!(
            "{} is not a date (YYYY-MM-DD)",
            crate::util::quote_short(text)
        )
    })?;
    Ok(date.midnight().assume_utc().unix_timestamp())
}

/// Reads a dollar amount (`10000`, `10,000`, `$0.50`) as whole cents; more than two decimals
/// or more than a trillion dollars is refused.
pub fn parse_dollars(text: &str) -> Result<u64, String> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    let refuse = || {
        format!(
            "{} is not a dollar amount (like 10000 or 0.50)",
            crate::util::quote_short(text)
        )
    };
    let cents = super::parse_units(&cleaned, 2).map_err(|_| refuse())?;
    if cents > 100 * 1_000_000_000_000 {
        return Err(refuse());
    }
    u64::try_from(cents).map_err(|_| refuse())
}

/// `$10,000` or `$0.50` from cents.
pub fn dollars(cents: u64) -> String {
    let whole = crate::model::amount::format_units_grouped(u128::from(cents / 100), 0);
    match cents % 100 {
        0 => format!("${whole}"),
        c => format!("${whole}.{c:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_filter_is_inactive_and_says_nothing() {
        let filter = GraphFilter {
            dim: true,
            ..GraphFilter::default()
        };
        assert!(!filter.is_active());
        assert_eq!(filter.describe(), "");
    }

    #[test]
    fn the_description_names_every_part() {
        let filter = GraphFilter {
            since_unix: Some(1_740_096_000),
            until_unix: Some(1_740_182_399),
            min_usd_cents: Some(1_000_000),
            dust_usd_cents: Some(50),
            assets: vec!["eth".to_owned()],
            categories: vec!["exchange".to_owned()],
            hide_leaves: true,
            ..GraphFilter::default()
        };
        assert!(filter.is_active());
        assert_eq!(
            filter.describe(),
            "since 2025-02-21 · until 2025-02-21 · edges ≥ $10,000 · no dust < $0.50 · \
             assets eth · only exchange · no leaves"
        );
    }

    #[test]
    fn dates_and_dollars_are_read_strictly() {
        assert_eq!(parse_since("2025-02-21"), Ok(1_740_096_000));
        assert_eq!(parse_until("2025-02-21"), Ok(1_740_182_399));
        assert!(parse_since("21/02/2025").is_err());
        assert!(parse_since("2025-02-30").is_err());
        assert_eq!(parse_dollars("10,000"), Ok(1_000_000));
        assert_eq!(parse_dollars("$0.5"), Ok(50));
        assert!(parse_dollars("0.001").is_err(), "no fractions of a cent");
        assert!(parse_dollars("-5").is_err());
        assert!(parse_dollars("1e6").is_err());
        assert!(parse_dollars("99999999999999999").is_err());
        assert_eq!(dollars(1_000_000), "$10,000");
    }
}
