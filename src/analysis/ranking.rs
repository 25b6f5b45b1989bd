//! Which counterparties an expansion keeps first, compared honestly across assets.
//!
//! Raw units never cross assets: a nameless 1-decimal token moving billions of units must not
//! crowd out ETH, DAI or BTC flows. Each counterparty gets one exact integer score, its
//! USD-equivalent, from the money it moved with the expanded node (the transfers with the node
//! at one end; all of its transfers when none has):
//! - a transfer with a price counts its exact USD value at its UTC day;
//! - a transfer without a price, of an asset that has priced transfers on this page (no time,
//!   a day outside the table), counts at that asset's average price on the page;
//! - an asset with no price anywhere on the page counts by **share**: the counterparty's share
//!   of that asset's total among the page's counterparties, times the weight of a typical
//!   priced asset on the page (the mean of the priced assets' page totals in USD). A
//!   counterparty with a third of an unpriced token's flow thus ranks like one with a third of a
//!   typical priced asset's flow, however many units the token counts. On a page without any
//!   price every asset weighs the same (10¹⁸), so the ranking is by share alone.
//!
//! Within one asset (on one day, or unpriced) a larger amount never ranks below a smaller one.
//! Equal scores (dust valued at $0, rounding) fall back to the larger single-asset share,
//! compared exactly as fractions, then to the node id, so the order is deterministic. All
//! arithmetic is integer: products are 256 bits wide and sums saturate.
//!
//! The ranking is computed over the counterparties that pass the time range and minimum value;
//! "load more" then skips those the case shows in full, so it takes the next by the same order.
//! What is left out is summed per asset ([`LeftOutAsset`]), ordered by the same weights, and
//! said in one line ([`format_left_out`]).

use crate::model::{Asset, Counterparty, NodeId, Transfer};
use crate::prices::{AssetKey, PriceBook, Usd};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The weight of every asset on a page where nothing has a price (a share of 1 scores this).
pub const UNPRICED_PAGE_WEIGHT: u128 = 1_000_000_000_000_000_000;

/// Most assets [`format_left_out`] names before "…".
pub const LEFT_OUT_ASSETS_SHOWN: usize = 4;

/// One asset's money in one hop (or summed over a page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Part {
    /// Base units moved.
    amount: u128,
    /// Base units of the transfers that had a price.
    priced_amount: u128,
    /// USD of the transfers that had a price.
    usd: Usd,
    /// True when at least one transfer had a price.
    priced: bool,
}

impl Part {
    fn add_transfer(&mut self, transfer: &Transfer, prices: &PriceBook) {
        self.amount = self.amount.saturating_add(transfer.amount);
        if let Some(valuation) = prices.transfer_value(transfer) {
            self.priced = true;
            self.priced_amount = self.priced_amount.saturating_add(transfer.amount);
            self.usd = self.usd.saturating_add(valuation.usd);
        }
    }

    fn add(&mut self, other: &Part) {
        self.amount = self.amount.saturating_add(other.amount);
        self.priced_amount = self.priced_amount.saturating_add(other.priced_amount);
        self.usd = self.usd.saturating_add(other.usd);
        self.priced |= other.priced;
    }
}

/// One asset over the whole page.
#[derive(Debug, Clone)]
struct PageAsset {
    /// The asset as first seen (its symbol and decimals).
    asset: Asset,
    /// Summed over the page's counterparties.
    total: Part,
}

/// A counterparty with its place in the ranking.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The counterparty.
    pub counterparty: Counterparty,
    /// Its USD-equivalent score in 10⁻⁸ USD (see the module doc).
    pub score: u128,
    /// Its money with the node, per asset.
    parts: BTreeMap<AssetKey, Part>,
    /// Its largest single-asset share of the page: (amount, page total).
    best_share: (u128, u128),
}

/// A page of counterparties, best first.
#[derive(Debug, Clone, Default)]
pub struct RankedPage {
    /// Counterparties in rank order.
    pub entries: Vec<Ranked>,
    assets: BTreeMap<AssetKey, PageAsset>,
    unpriced_weight: u128,
}

/// What an expansion left out in one asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOutAsset {
    /// The asset (chain + contract, with the symbol and decimals first seen).
    pub asset: Asset,
    /// Base units left out (moved between the node and the counterparties left out).
    pub amount: u128,
    /// Base units of this asset among all the ranked counterparties, for its share.
    pub page_amount: u128,
    /// USD of the priced part of `amount` (`None` when none of it had a price).
    pub usd: Option<Usd>,
    /// Its weight in the ranking (USD-equivalent, 10⁻⁸ USD): the order of the list.
    pub weight: u128,
}

/// Ranks `counterparties` of `parent` by the rule of the module doc, best first.
pub fn rank_counterparties(
    parent: &NodeId,
    counterparties: Vec<Counterparty>,
    prices: &PriceBook,
) -> RankedPage {
    let hops: Vec<(Counterparty, BTreeMap<AssetKey, Part>)> = counterparties
        .into_iter()
        .map(|cp| {
            let parts = hop_parts(parent, &cp, prices);
            (cp, parts)
        })
        .collect();
    let mut assets: BTreeMap<AssetKey, PageAsset> = BTreeMap::new();
    for (cp, parts) in &hops {
        for (key, part) in parts {
            if let Some(entry) = assets.get_mut(key) {
                entry.total.add(part);
            } else if let Some(asset) = asset_of(cp, key) {
                let total = part.clone();
                assets.insert(key.clone(), PageAsset { asset, total });
            }
        }
    }
    let unpriced_weight = unpriced_weight(&assets);
    let mut entries: Vec<Ranked> = hops
        .into_iter()
        .map(|(counterparty, parts)| {
            let score = parts.iter().fold(0u128, |sum, (key, part)| {
                sum.saturating_add(weight_of(&assets, unpriced_weight, key, part))
            });
            let best_share = parts
                .iter()
                .filter_map(|(key, part)| Some((part.amount, assets.get(key)?.total.amount)))
                .filter(|(_, total)| *total > 0)
                .max_by(|a, b| cmp_fractions(*a, *b))
                .unwrap_or((0, 1));
            Ranked {
                counterparty,
                score,
                parts,
                best_share,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| cmp_fractions(b.best_share, a.best_share))
            .then_with(|| a.counterparty.key.cmp(&b.counterparty.key))
    });
    RankedPage {
        entries,
        assets,
        unpriced_weight,
    }
}

impl RankedPage {
    /// What `left_out` moved with the node, per asset, heaviest first (ties by chain +
    /// contract); assets with nothing left out are not listed.
    pub fn left_out_by_asset<'a>(
        &self,
        left_out: impl IntoIterator<Item = &'a Ranked>,
    ) -> Vec<LeftOutAsset> {
        let mut sums: BTreeMap<AssetKey, Part> = BTreeMap::new();
        for ranked in left_out {
            for (key, part) in &ranked.parts {
                sums.entry(key.clone()).or_default().add(part);
            }
        }
        let mut list: Vec<(AssetKey, LeftOutAsset)> = sums
            .into_iter()
            .filter(|(_, part)| part.amount > 0)
            .filter_map(|(key, part)| {
                let page = self.assets.get(&key)?;
                let weight = weight_of(&self.assets, self.unpriced_weight, &key, &part);
                let item = LeftOutAsset {
                    asset: page.asset.clone(),
                    amount: part.amount,
                    page_amount: page.total.amount,
                    usd: part.priced.then_some(part.usd),
                    weight,
                };
                Some((key, item))
            })
            .collect();
        list.sort_by(|(ka, a), (kb, b)| b.weight.cmp(&a.weight).then_with(|| ka.cmp(kb)));
        list.into_iter().map(|(_, item)| item).collect()
    }
}

/// The money `cp` moved with `parent`, per asset: its transfers with `parent` at one end (a
/// UTXO transaction's other legs are not this hop's money), or all of them when none has.
fn hop_parts(parent: &NodeId, cp: &Counterparty, prices: &PriceBook) -> BTreeMap<AssetKey, Part> {
    let touches = |t: &&Transfer| &t.from == parent || &t.to == parent;
    let with_parent = cp.transfers.iter().any(|t| touches(&t));
    let mut parts: BTreeMap<AssetKey, Part> = BTreeMap::new();
    for transfer in cp.transfers.iter().filter(|t| !with_parent || touches(t)) {
        parts
            .entry(AssetKey::of(&transfer.asset))
            .or_default()
            .add_transfer(transfer, prices);
    }
    parts
}

/// The asset of `key` as `cp`'s first transfer in it has it.
fn asset_of(cp: &Counterparty, key: &AssetKey) -> Option<Asset> {
    cp.transfers
        .iter()
        .map(|t| &t.asset)
        .find(|a| &AssetKey::of(a) == key)
        .cloned()
}

/// The weight of an unpriced asset: the mean page total of the priced assets in USD (at
/// least 10⁻⁸ USD), or [`UNPRICED_PAGE_WEIGHT`] when nothing on the page has a price.
fn unpriced_weight(assets: &BTreeMap<AssetKey, PageAsset>) -> u128 {
    let priced: Vec<u128> = assets
        .values()
        .filter(|a| a.total.priced)
        .map(|a| priced_weight(&a.total, &a.total))
        .collect();
    let Ok(count) = u128::try_from(priced.len()) else {
        return UNPRICED_PAGE_WEIGHT;
    };
    if count == 0 {
        return UNPRICED_PAGE_WEIGHT;
    }
    let sum = priced.iter().fold(0u128, |s, w| s.saturating_add(*w));
    (sum / count).max(1)
}

/// USD of `part` of a priced asset: its priced transfers exactly, the rest at the asset's
/// average price on the page (`page`).
fn priced_weight(part: &Part, page: &Part) -> u128 {
    let unpriced = part.amount.saturating_sub(part.priced_amount);
    let estimate = if unpriced == 0 {
        0
    } else {
        mul_div(unpriced, page.usd.0, page.priced_amount).unwrap_or(u128::MAX)
    };
    part.usd.0.saturating_add(estimate)
}

/// The USD-equivalent weight of `part` of the asset `key`.
fn weight_of(
    assets: &BTreeMap<AssetKey, PageAsset>,
    unpriced_weight: u128,
    key: &AssetKey,
    part: &Part,
) -> u128 {
    let Some(page) = assets.get(key) else {
        return 0;
    };
    if page.total.priced {
        priced_weight(part, &page.total)
    } else {
        // part ≤ page total, so the quotient fits.
        mul_div(part.amount, unpriced_weight, page.total.amount).unwrap_or(0)
    }
}

/// One line for a notice: `173 left out: 4.27M SAI, 101,740 DAI, 12.5 ETH (≈ $1.2M)`. At most
/// [`LEFT_OUT_ASSETS_SHOWN`] assets are named, then `…`; the USD total covers the priced part
/// (`where priced` says so when some of what is left out has no price).
pub fn format_left_out(count: usize, assets: &[LeftOutAsset]) -> String {
    let mut text = format!("{count} left out");
    if assets.is_empty() {
        return text;
    }
    let names: Vec<String> = assets
        .iter()
        .take(LEFT_OUT_ASSETS_SHOWN)
        .map(|a| a.asset.display_short(a.amount))
        .collect();
    text.push_str(": ");
    text.push_str(&names.join(", "));
    if assets.len() > LEFT_OUT_ASSETS_SHOWN {
        text.push_str(", …");
    }
    let usd = assets
        .iter()
        .filter_map(|a| a.usd)
        .fold(Usd(0), Usd::saturating_add);
    let priced = assets.iter().filter(|a| a.usd.is_some()).count();
    if priced > 0 {
        let scope = if priced < assets.len() {
            " where priced"
        } else {
            ""
        };
        text.push_str(&format!(" (≈ {}{scope})", usd.short()));
    }
    text
}

/// `a × b` as 256 bits: (high, low).
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const LOW: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & LOW);
    let (b1, b0) = (b >> 64, b & LOW);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
    let low = (p00 & LOW) | (mid << 64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high, low)
}

/// `⌊a × b / d⌋` exactly; `None` when `d` is 0 or the quotient does not fit in 128 bits.
pub(crate) fn mul_div(a: u128, b: u128, d: u128) -> Option<u128> {
    if d == 0 {
        return None;
    }
    if let Some(product) = a.checked_mul(b) {
        return Some(product / d);
    }
    let (high, low) = mul_wide(a, b);
    if high >= d {
        return None;
    }
    // Long division, one bit at a time; `rest < d` throughout.
    let (mut rest, mut quotient) = (high, 0u128);
    for bit in (0..128).rev() {
        let carry = rest >> 127;
        rest = (rest << 1) | ((low >> bit) & 1);
        quotient <<= 1;
        if carry == 1 || rest >= d {
            rest = rest.wrapping_sub(d);
            quotient |= 1;
        }
    }
    Some(quotient)
}

/// Compares the fractions `a.0 / a.1` and `b.0 / b.1` exactly (denominators > 0).
fn cmp_fractions(a: (u128, u128), b: (u128, u128)) -> Ordering {
    mul_wide(a.0, b.1).cmp(&mul_wide(b.0, a.1))
}

#[cfg(test)]
mod tests;
