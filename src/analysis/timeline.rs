//! The case's transfers over time, for the timeline under the canvas.
//!
//! [`Timeline::build`] reads the case once (per structure change): every transfer with a
//! known time becomes a point (time, USD cents at the time or none, asset, both ends), sorted
//! by time. [`Timeline::histogram`] then bins any time range in one pass over the points in
//! that range (found by binary search), so a new brush over a million transfers costs a few
//! milliseconds: per bin the USD value (or, where nothing in the bin is priced, the count),
//! split among the [`MIX_ASSETS`] assets worth most in the whole case plus "other", and the
//! part that touches the selected nodes. Transfers without a time cannot be placed and are
//! counted apart.

use crate::model::{Case, Chain, NodeId};
use crate::prices::{AssetKey, PriceBook, USD_SCALE};

/// Assets the histogram tells apart (the rest is "other").
pub const MIX_ASSETS: usize = 4;

/// An asset's key, symbol, USD worth and number of transfers in the whole case.
type AssetWorth = (AssetKey, String, u128, usize);

/// One transfer on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// Unix seconds.
    pub time: i64,
    /// USD cents at the time (`None`: no price).
    pub usd_cents: Option<u64>,
    /// Index into [`Timeline::assets`] (or [`MIX_ASSETS`] for "other").
    pub mix: u8,
    /// Sender and receiver, by index in the case's id order.
    pub ends: [u32; 2],
}

/// The case's dated transfers in time order.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Points sorted by time.
    pub points: Vec<Point>,
    /// The assets worth most in the case (symbol and key), at most [`MIX_ASSETS`].
    pub assets: Vec<(String, AssetKey)>,
    /// Transfers without a known time.
    pub undated: usize,
    /// Node ids in the case's order (the `ends` index into it).
    pub nodes: Vec<NodeId>,
}

/// One bin of a histogram.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bin {
    /// USD cents per mix asset (the last slot is "other").
    pub usd_cents: [u64; MIX_ASSETS + 1],
    /// Transfers per mix asset.
    pub count: [u32; MIX_ASSETS + 1],
    /// USD cents of the transfers touching the selection.
    pub selected_usd_cents: u64,
    /// Transfers touching the selection.
    pub selected_count: u32,
}

impl Bin {
    /// Total USD cents in the bin.
    pub fn usd_total(&self) -> u64 {
        self.usd_cents.iter().fold(0, |a, b| a.saturating_add(*b))
    }

    /// Transfers in the bin.
    pub fn count_total(&self) -> u32 {
        self.count.iter().fold(0, |a, b| a.saturating_add(*b))
    }
}

impl Timeline {
    /// Places every dated transfer of `case` on the axis, valued with `prices`.
    pub fn build(case: &Case, prices: &PriceBook) -> Timeline {
        let nodes: Vec<NodeId> = case.nodes.keys().cloned().collect();
        let index: crate::util::FastMap<&NodeId, u32> = nodes
            .iter()
            .enumerate()
            .filter_map(|(i, id)| Some((id, u32::try_from(i).ok()?)))
            .collect();
        // Worth per asset in the whole case, to pick the mix: one slot per asset (by chain and
        // contract, borrowed from the transfers), so nothing is copied per transfer.
        let mut slot_of: crate::util::FastMap<(Chain, Option<&str>), usize> =
            crate::util::FastMap::default();
        let mut worth: Vec<AssetWorth> = Vec::new();
        let mut raw = Vec::with_capacity(case.transfers.len());
        let mut undated = 0;
        for t in case.transfers.values() {
            let (Some(time), Some(&from), Some(&to)) =
                (t.time, index.get(&t.from), index.get(&t.to))
            else {
                undated += 1;
                continue;
            };
            let usd = prices.transfer_usd(t).map(|v| v.0);
            let slot = *slot_of
                .entry((t.asset.chain, t.asset.contract.as_deref()))
                .or_insert_with(|| {
                    worth.push((
                        AssetKey::of(&t.asset),
                        crate::util::clip(&t.asset.symbol, 12).into_owned(),
                        0,
                        0,
                    ));
                    worth.len() - 1
                });
            let entry = &mut worth[slot];
            entry.2 = entry.2.saturating_add(usd.unwrap_or(0));
            entry.3 += 1;
            raw.push((time, usd, slot, [from, to]));
        }
        let mut ranked: Vec<(usize, &AssetWorth)> = worth.iter().enumerate().collect();
        // Worth first, then how often it moved, then the key: deterministic.
        ranked.sort_by(|a, b| {
            (b.1.2, b.1.3)
                .cmp(&(a.1.2, a.1.3))
                .then_with(|| a.1.0.cmp(&b.1.0))
        });
        ranked.truncate(MIX_ASSETS);
        let mut mix_of = vec![MIX_ASSETS as u8; worth.len()];
        for (rank, (slot, _)) in ranked.iter().enumerate() {
            mix_of[*slot] = rank as u8;
        }
        let assets: Vec<(String, AssetKey)> = ranked
            .iter()
            .map(|(_, (key, symbol, _, _))| (symbol.clone(), key.clone()))
            .collect();
        let mut points: Vec<Point> = raw
            .into_iter()
            .map(|(time, usd, slot, ends)| Point {
                time,
                usd_cents: usd.map(|u| u64::try_from(u / (USD_SCALE / 100)).unwrap_or(u64::MAX)),
                mix: mix_of[slot],
                ends,
            })
            .collect();
        points.sort_by_key(|p| p.time);
        Timeline {
            points,
            assets,
            undated,
            nodes,
        }
    }

    /// First and last transfer time.
    pub fn span(&self) -> Option<(i64, i64)> {
        Some((self.points.first()?.time, self.points.last()?.time))
    }

    /// The points whose time lies in `[from, until]`.
    pub fn points_in(&self, from: i64, until: i64) -> &[Point] {
        let start = self.points.partition_point(|p| p.time < from);
        let end = self.points.partition_point(|p| p.time <= until);
        &self.points[start..end.max(start)]
    }

    /// `bins` equal bins over `[from, until]`; `selected[i]` marks node `i` as selected (an
    /// empty slice selects nothing).
    pub fn histogram(&self, from: i64, until: i64, bins: usize, selected: &[bool]) -> Vec<Bin> {
        let bins = bins.clamp(1, 10_000);
        let mut out = vec![Bin::default(); bins];
        if until < from {
            return out;
        }
        let width = (i128::from(until) - i128::from(from) + 1).max(1);
        let is_selected = |i: u32| selected.get(i as usize).copied().unwrap_or(false);
        for p in self.points_in(from, until) {
            let k = ((i128::from(p.time) - i128::from(from)) * bins as i128 / width) as usize;
            let bin = &mut out[k.min(bins - 1)];
            let mix = usize::from(p.mix).min(MIX_ASSETS);
            let cents = p.usd_cents.unwrap_or(0);
            bin.usd_cents[mix] = bin.usd_cents[mix].saturating_add(cents);
            bin.count[mix] = bin.count[mix].saturating_add(1);
            if is_selected(p.ends[0]) || is_selected(p.ends[1]) {
                bin.selected_usd_cents = bin.selected_usd_cents.saturating_add(cents);
                bin.selected_count = bin.selected_count.saturating_add(1);
            }
        }
        out
    }

    /// The nodes at either end of the transfers in `[from, until]` (at most `limit`).
    pub fn nodes_in(&self, from: i64, until: i64, limit: usize) -> Vec<NodeId> {
        let mut picked: Vec<u32> = self
            .points_in(from, until)
            .iter()
            .flat_map(|p| p.ends)
            .collect();
        picked.sort_unstable();
        picked.dedup();
        picked
            .into_iter()
            .take(limit)
            .filter_map(|i| self.nodes.get(i as usize).cloned())
            .collect()
    }
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
