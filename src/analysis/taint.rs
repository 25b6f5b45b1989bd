//! Taint from source nodes under three models — poison, haircut and FIFO — computed exactly in
//! base units, per asset (chain + contract, never symbol).
//!
//! Transfers are processed in time order: block height, then time, then transfer id; transfers
//! with no height (or no time) come after those that have one. Sources are fully tainted for
//! everything they send. Haircut rounds down: a transfer out of a node holding `balance` of
//! which `tainted` is tainted carries `floor(amount × tainted / balance)` (256-bit intermediate,
//! no overflow); the remainder stays with the sender, so tainted out never exceeds tainted in.
//! FIFO spends the oldest received lots first; a transfer larger than what the case shows the
//! node received is clean for the excess (its origin is unknown).

use crate::model::{Asset, Case, Chain, NodeId, Transfer};
use crate::prices::AssetKey;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// The taint model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaintModel {
    /// Everything out of a tainted node is tainted.
    Poison,
    /// Proportional share of the sender's balance.
    Haircut,
    /// Oldest received lots leave first.
    Fifo,
}

impl TaintModel {
    /// Every model, in menu order.
    pub const ALL: [TaintModel; 3] = [TaintModel::Poison, TaintModel::Haircut, TaintModel::Fifo];

    /// The name used on the command line and in notes (`haircut`).
    pub fn name(self) -> &'static str {
        match self {
            TaintModel::Poison => "poison",
            TaintModel::Haircut => "haircut",
            TaintModel::Fifo => "fifo",
        }
    }
}

/// Tainted amount of one asset received by a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintedAmount {
    /// The asset (symbol and decimals from the first transfer seen).
    pub asset: Asset,
    /// Tainted base units received.
    pub amount: u128,
}

/// Per node reached (sorted), per asset key (sorted), the tainted amount received.
pub type TaintResult = BTreeMap<NodeId, BTreeMap<AssetKey, TaintedAmount>>;

/// Transfers in processing order: height, then time, then id (unknowns last).
pub fn time_ordered(case: &Case) -> Vec<&Transfer> {
    let mut list: Vec<&Transfer> = case.transfers.values().collect();
    // Ids are unique, so the order is total and an unstable sort is deterministic.
    list.sort_unstable_by(|a, b| time_order(a, b));
    list
}

/// The order of [`time_ordered`]: height, then time, then id (unknowns last).
pub fn time_order(a: &Transfer, b: &Transfer) -> std::cmp::Ordering {
    let key = |t: &Transfer| {
        (
            t.block_height.is_none(),
            t.block_height,
            t.time.is_none(),
            t.time,
        )
    };
    key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
}

/// One transfer as the taint pass reads it.
struct Leg {
    /// Processing order: unknown height, height, unknown time, time, position in id order.
    key: (bool, u64, bool, i64, u32, u8),
    /// Position in id order.
    position: u32,
    from: u32,
    to: u32,
    asset: u32,
    amount: u128,
}

/// A swap or bridge hop taint moves across: the deposit (one asset in) and the payout (another
/// asset, or another chain, out), as `swap_hop` and `bridge_hop` findings name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopLink {
    /// The transfer into the venue.
    pub deposit: crate::model::TransferId,
    /// The transfer out of it that pays for the deposit.
    pub payout: crate::model::TransferId,
}

/// `detected` hops plus those the investigator applied (bridge hop arrows, see
/// [`crate::model::HopEvidence`]) that are not among them: applied hops always count.
pub fn with_applied_hops(case: &Case, mut detected: Vec<HopLink>) -> Vec<HopLink> {
    for hop in case
        .annotations
        .arrows
        .values()
        .filter_map(|a| a.hop.as_ref())
    {
        let link = HopLink {
            deposit: hop.deposit.clone(),
            payout: hop.payout.clone(),
        };
        if !detected.contains(&link) {
            detected.push(link);
        }
    }
    detected
}

/// Computes taint from `sources` under `model` (per asset; it stops where the asset changes).
pub fn taint(case: &Case, sources: &BTreeSet<NodeId>, model: TaintModel) -> TaintResult {
    taint_through(case, sources, model, &[])
}

/// Computes taint from `sources` under `model`, moving across the given swap and bridge hops:
/// a payout carries the tainted share of its deposit, `floor(payout × tainted / deposit)` (so
/// by value, not units). The venue keeps its own books in each asset; only the payout's
/// receiver gets the carried share. A payout in the same block and second as its deposit is
/// processed right after it.
///
/// Nodes and assets are numbered once (dense indices), so the pass over the transfers touches
/// only small integer-keyed maps; ids and asset keys are cloned once per result entry.
pub fn taint_through(
    case: &Case,
    sources: &BTreeSet<NodeId>,
    model: TaintModel,
    links: &[HopLink],
) -> TaintResult {
    taint_detailed(case, sources, model, links, None)
}

/// Like [`taint_through`], also writing into `per_transfer` (when given) the tainted amount of
/// every transfer, in the case's transfer (id) order — what the canvas draws on the edges.
pub fn taint_detailed(
    case: &Case,
    sources: &BTreeSet<NodeId>,
    model: TaintModel,
    links: &[HopLink],
    mut per_transfer: Option<&mut Vec<u128>>,
) -> TaintResult {
    if let Some(list) = per_transfer.as_deref_mut() {
        list.clear();
        list.resize(case.transfers.len(), 0);
    }
    let numbering = super::dense::Numbering::of_case(case);
    let mut nodes: Vec<&NodeId> = numbering.ids.clone();
    // Ends that are not nodes of the case (an inconsistent case is analysed as far as it goes).
    let mut extra: HashMap<&NodeId, u32> = HashMap::new();
    let mut asset_ix: HashMap<(Chain, Option<&str>), u32> = HashMap::new();
    let mut assets: Vec<&Asset> = Vec::new();
    // One pass in id order (sequential in memory), then a sort of compact integer keys: the
    // order of `time_ordered` (height, time, unknowns last, then id = position in id order).
    let mut legs: Vec<Leg> = Vec::with_capacity(case.transfers.len());
    for (position, t) in case.transfers.values().enumerate() {
        let mut ix = |id| {
            numbering.get(id).unwrap_or_else(|| {
                *extra.entry(id).or_insert_with(|| {
                    nodes.push(id);
                    (nodes.len() - 1) as u32
                })
            })
        };
        let (from, to) = (ix(&t.from), ix(&t.to));
        let wanted = (t.asset.chain, t.asset.contract.as_deref());
        // Cases hold few assets: a look at the last one answers most transfers.
        let asset = match assets.last() {
            Some(last) if (last.chain, last.contract.as_deref()) == wanted => {
                (assets.len() - 1) as u32
            }
            _ => *asset_ix.entry(wanted).or_insert_with(|| {
                assets.push(&t.asset);
                (assets.len() - 1) as u32
            }),
        };
        legs.push(Leg {
            key: (
                t.block_height.is_none(),
                t.block_height.unwrap_or(0),
                t.time.is_none(),
                t.time.unwrap_or(0),
                position as u32,
                0,
            ),
            position: position as u32,
            from,
            to,
            asset,
            amount: t.amount,
        });
    }
    // Hop links by position in id order; a payout at its deposit's height and time goes right
    // after the deposit.
    let mut payout_of: HashMap<u32, u32> = HashMap::new();
    if !links.is_empty() {
        let ids: Vec<&crate::model::TransferId> = case.transfers.keys().collect();
        let position = |id| ids.binary_search(&id).ok().map(|p| p as u32);
        for link in links {
            let (Some(d), Some(p)) = (position(&link.deposit), position(&link.payout)) else {
                continue;
            };
            if d == p {
                continue;
            }
            payout_of.insert(d, p);
            let deposit_key = legs[d as usize].key;
            let payout = &mut legs[p as usize];
            let when = |k: (bool, u64, bool, i64, u32, u8)| (k.0, k.1, k.2, k.3);
            if when(payout.key) == when(deposit_key) {
                payout.key.4 = d;
                payout.key.5 = 1;
            }
        }
    }
    let mut carried: HashMap<u32, (u128, u128)> = HashMap::new();
    legs.sort_unstable_by_key(|leg| leg.key);
    let mut is_source = vec![false; nodes.len()];
    for (i, id) in nodes.iter().enumerate() {
        is_source[i] = sources.contains(*id);
    }
    let mut poisoned = is_source.clone();
    let mut held: HashMap<(u32, u32), (u128, u128)> = HashMap::new();
    let mut lots: HashMap<(u32, u32), VecDeque<(u128, bool)>> = HashMap::new();
    let mut received: HashMap<(u32, u32), u128> = HashMap::new();
    for leg in &legs {
        let (from, to, asset) = (leg.from, leg.to, leg.asset);
        let t = leg;
        let from_source = is_source[from as usize];
        // A payout across a hop: the tainted share of its deposit, by value.
        let carried_share = if carried.is_empty() {
            None
        } else {
            carried.remove(&leg.position)
        };
        let carried_share = carried_share.map(|(tainted, amount)| {
            if amount == 0 {
                0
            } else {
                mul_div(t.amount, tainted.min(amount), amount)
            }
        });
        let tainted = match model {
            TaintModel::Poison => {
                if poisoned[from as usize] || carried_share.is_some_and(|c| c > 0) {
                    poisoned[to as usize] = true;
                    t.amount
                } else {
                    0
                }
            }
            TaintModel::Haircut => {
                let (balance, dirty) = held.remove(&(from, asset)).unwrap_or((0, 0));
                let share = if from_source {
                    t.amount
                } else if t.amount >= balance {
                    dirty
                } else {
                    mul_div(t.amount, dirty, balance)
                };
                if !from_source {
                    let left = (
                        balance.saturating_sub(t.amount),
                        dirty.saturating_sub(share),
                    );
                    held.insert((from, asset), left);
                }
                let share = share.max(carried_share.unwrap_or(0));
                let entry = held.entry((to, asset)).or_insert((0, 0));
                entry.0 = entry.0.saturating_add(t.amount);
                entry.1 = entry.1.saturating_add(share);
                share
            }
            TaintModel::Fifo => {
                let share = if from_source {
                    t.amount
                } else {
                    consume(lots.entry((from, asset)).or_default(), t.amount)
                };
                let share = share.max(carried_share.unwrap_or(0));
                let queue = lots.entry((to, asset)).or_default();
                if share > 0 {
                    queue.push_back((share, true));
                }
                if t.amount > share {
                    queue.push_back((t.amount - share, false));
                }
                share
            }
        };
        if let Some(&payout) = (!payout_of.is_empty())
            .then(|| payout_of.get(&leg.position))
            .flatten()
        {
            carried.insert(payout, (tainted, t.amount));
        }
        if tainted > 0 {
            let sum = received.entry((to, asset)).or_insert(0);
            *sum = sum.saturating_add(tainted);
            if let Some(slot) = per_transfer
                .as_deref_mut()
                .and_then(|list| list.get_mut(leg.position as usize))
            {
                *slot = tainted;
            }
        }
    }
    let mut result = TaintResult::new();
    for ((node, asset), amount) in received {
        let asset = assets[asset as usize];
        let entry = result
            .entry(nodes[node as usize].clone())
            .or_default()
            .entry(AssetKey::of(asset))
            .or_insert_with(|| TaintedAmount {
                asset: asset.clone(),
                amount: 0,
            });
        entry.amount = entry.amount.saturating_add(amount);
    }
    result
}

/// Takes `amount` from the oldest lots; returns the tainted part.
fn consume(queue: &mut VecDeque<(u128, bool)>, amount: u128) -> u128 {
    let mut need = amount;
    let mut tainted = 0u128;
    while need > 0 {
        let Some(front) = queue.front_mut() else {
            break;
        };
        let take = need.min(front.0);
        if front.1 {
            tainted += take;
        }
        front.0 -= take;
        need -= take;
        if front.0 == 0 {
            queue.pop_front();
        }
    }
    tainted
}

/// `floor(a × x / b)` for `x ≤ b`, `b > 0`, exact with a 256-bit intermediate.
pub fn mul_div(a: u128, x: u128, b: u128) -> u128 {
    if b == 0 {
        return 0;
    }
    if let Some(p) = a.checked_mul(x) {
        return p / b;
    }
    let (hi, lo) = widening_mul(a, x);
    let mut rem: u128 = 0;
    let mut q: u128 = 0;
    for i in (0..256u32).rev() {
        let bit = if i >= 128 {
            (hi >> (i - 128)) & 1
        } else {
            (lo >> i) & 1
        };
        let carry = rem >> 127;
        rem = (rem << 1) | bit;
        if carry == 1 || rem >= b {
            rem = rem.wrapping_sub(b);
            if i < 128 {
                q |= 1u128 << i;
            }
        }
    }
    q
}

fn widening_mul(a: u128, b: u128) -> (u128, u128) {
    let mask = u128::from(u64::MAX);
    let (a0, a1) = (a & mask, a >> 64);
    let (b0, b1) = (b & mask, b >> 64);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
    let lo = (p00 & mask) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

#[cfg(test)]
#[path = "taint_tests.rs"]
mod tests;
