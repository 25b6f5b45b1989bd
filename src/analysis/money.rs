//! Money of a node, a selection or a whole case: what came in and went out, per asset (by
//! chain + contract, never by symbol), in exact base units and in USD at the time of each
//! transfer. Pure: the caller passes the case, the nodes, the time window and the prices.
//!
//! With nodes given, a transfer counts as `in` when it enters the set from outside and as
//! `out` when it leaves it; transfers between two nodes of the set are internal and not
//! counted (their number is reported as `internal`, so a reader can say what was left out).
//! With no nodes, every transfer of the case counts once, as `in`.

use crate::model::{Asset, Case, NodeId, Transfer};
use crate::prices::{AssetKey, PriceBook, Usd};
use std::collections::{BTreeMap, BTreeSet};

/// Which transfers to count: those whose time lies in `[since, until]` (unix seconds,
/// inclusive). With either bound set, transfers without a time are left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeWindow {
    /// Earliest time counted.
    pub since: Option<i64>,
    /// Latest time counted.
    pub until: Option<i64>,
}

impl TimeWindow {
    /// True when `transfer` falls in the window.
    pub fn contains(&self, transfer: &Transfer) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(time) = transfer.time else {
            return false;
        };
        self.since.is_none_or(|s| time >= s) && self.until.is_none_or(|u| time <= u)
    }
}

/// One asset's flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetFlow {
    /// The asset (its symbol and decimals as the first transfer seen had them).
    pub asset: Asset,
    /// Base units in.
    pub amount_in: u128,
    /// Base units out.
    pub amount_out: u128,
    /// USD in, summed over the priced transfers (`None` when none was priced).
    pub usd_in: Option<Usd>,
    /// USD out, summed over the priced transfers.
    pub usd_out: Option<Usd>,
    /// Transfers counted.
    pub transfers: u64,
    /// Transfers counted that had no price.
    pub unpriced: u64,
}

/// The money of a set of nodes (or of the case).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MoneySummary {
    /// Per asset, ordered by chain + contract.
    pub assets: Vec<AssetFlow>,
    /// Counterparties outside the set that sent or received (empty for the whole case).
    pub counterparties: usize,
    /// First and last transfer time counted.
    pub first_time: Option<i64>,
    /// Last transfer time counted.
    pub last_time: Option<i64>,
    /// Transfers in the window between two nodes of the set: internal, so neither in nor out.
    pub internal: u64,
}

impl MoneySummary {
    /// Total USD in over all assets (priced parts only).
    pub fn usd_in(&self) -> Usd {
        self.assets
            .iter()
            .filter_map(|a| a.usd_in)
            .fold(Usd(0), Usd::saturating_add)
    }

    /// Total USD out over all assets (priced parts only).
    pub fn usd_out(&self) -> Usd {
        self.assets
            .iter()
            .filter_map(|a| a.usd_out)
            .fold(Usd(0), Usd::saturating_add)
    }
}

/// Sums the money of `nodes` (the whole case when empty) within `window`.
pub fn summarize(
    case: &Case,
    nodes: &BTreeSet<NodeId>,
    window: TimeWindow,
    prices: &PriceBook,
) -> MoneySummary {
    let whole_case = nodes.is_empty();
    let mut flows: BTreeMap<AssetKey, AssetFlow> = BTreeMap::new();
    let mut counterparties: BTreeSet<&NodeId> = BTreeSet::new();
    let mut first_time: Option<i64> = None;
    let mut last_time: Option<i64> = None;
    let mut internal = 0u64;
    for transfer in case.transfers.values() {
        if !window.contains(transfer) {
            continue;
        }
        let (incoming, outgoing) = if whole_case {
            (true, false)
        } else {
            let from_inside = nodes.contains(&transfer.from);
            let to_inside = nodes.contains(&transfer.to);
            (to_inside && !from_inside, from_inside && !to_inside)
        };
        if !incoming && !outgoing {
            internal += u64::from(nodes.contains(&transfer.from));
            continue;
        }
        if !whole_case {
            counterparties.insert(if incoming {
                &transfer.from
            } else {
                &transfer.to
            });
        }
        if let Some(time) = transfer.time {
            first_time = Some(first_time.map_or(time, |t| t.min(time)));
            last_time = Some(last_time.map_or(time, |t| t.max(time)));
        }
        let flow = flows
            .entry(AssetKey::of(&transfer.asset))
            .or_insert_with(|| AssetFlow {
                asset: transfer.asset.clone(),
                amount_in: 0,
                amount_out: 0,
                usd_in: None,
                usd_out: None,
                transfers: 0,
                unpriced: 0,
            });
        flow.transfers += 1;
        let usd = prices.transfer_value(transfer).map(|v| v.usd);
        if usd.is_none() {
            flow.unpriced += 1;
        }
        let (amount, usd_total) = if incoming {
            (&mut flow.amount_in, &mut flow.usd_in)
        } else {
            (&mut flow.amount_out, &mut flow.usd_out)
        };
        *amount = amount.saturating_add(transfer.amount);
        if let Some(usd) = usd {
            *usd_total = Some(usd_total.unwrap_or_default().saturating_add(usd));
        }
    }
    MoneySummary {
        assets: flows.into_values().collect(),
        counterparties: counterparties.len(),
        first_time,
        last_time,
        internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Chain, Node, TransferId};

    fn transfer(
        id: &str,
        from: &NodeId,
        to: &NodeId,
        asset: &Asset,
        amount: u128,
        time: i64,
    ) -> Transfer {
        Transfer {
            id: TransferId::from(id),
            from: from.clone(),
            to: to.clone(),
            asset: asset.clone(),
            amount,
            tx_hash: id.to_owned(),
            block_height: Some(1),
            time: Some(time),
            provenance: None,
            relation_txs: None,
            memo: None,
        }
    }

    #[test]
    fn sums_per_asset_by_contract_with_usd_where_priced() {
        let a = NodeId::parse("eth:0x1111111111111111111111111111111111111111").expect("id");
        let b = NodeId::parse("eth:0x2222222222222222222222222222222222222222").expect("id");
        let c = NodeId::parse("eth:0x3333333333333333333333333333333333333333").expect("id");
        let eth = Asset::native(Chain::ETHEREUM);
        let usdt = Asset::token(
            Chain::ETHEREUM,
            "USDT",
            6,
            "0xdac17f958d2ee523a2206206994597c13d831ec7",
        );
        let fake = Asset::token(
            Chain::ETHEREUM,
            "USDT",
            6,
            "0x9999999999999999999999999999999999999999",
        );
        let day = 1_740_096_000; // 2025-02-21, ETH $2,659.65551758
        let mut case = Case::new("t", 0);
        for id in [&a, &b, &c] {
            case.nodes.insert(id.clone(), Node::address(id.clone()));
        }
        for t in [
            transfer("t1", &a, &b, &eth, 2 * 10u128.pow(18), day),
            transfer("t2", &b, &c, &usdt, 5_000_000, day + 10),
            transfer("t3", &c, &b, &fake, 7_000_000, day + 20),
            transfer("t4", &a, &c, &eth, 10u128.pow(18), day + 30),
        ] {
            case.transfers.insert(t.id.clone(), t);
        }
        let prices = PriceBook::bundled_ref();
        let only_b: BTreeSet<NodeId> = [b.clone()].into();
        let summary = summarize(&case, &only_b, TimeWindow::default(), prices);
        assert_eq!(summary.assets.len(), 3, "the fake USDT is its own asset");
        let eth_flow = summary.assets.iter().find(|f| f.asset == eth).expect("eth");
        assert_eq!(eth_flow.amount_in, 2 * 10u128.pow(18));
        assert_eq!(eth_flow.usd_in, Some(Usd(531_931_103_516)));
        let usdt_flow = summary
            .assets
            .iter()
            .find(|f| f.asset == usdt)
            .expect("usdt");
        assert_eq!(usdt_flow.amount_out, 5_000_000);
        assert_eq!(
            usdt_flow.usd_out.map(Usd::to_decimal_string).as_deref(),
            Some("5.00")
        );
        let fake_flow = summary
            .assets
            .iter()
            .find(|f| f.asset == fake)
            .expect("fake");
        assert_eq!(fake_flow.usd_in, None, "no price is not $0");
        assert_eq!(fake_flow.unpriced, 1);
        assert_eq!(summary.counterparties, 2);
        // b and c together: t2 and t3 are internal; t1 and t4 come in.
        let b_and_c: BTreeSet<NodeId> = [b.clone(), c.clone()].into();
        let summary = summarize(&case, &b_and_c, TimeWindow::default(), prices);
        assert_eq!(summary.assets.len(), 1);
        assert_eq!(summary.assets[0].amount_in, 3 * 10u128.pow(18));
        assert_eq!(summary.internal, 2, "t2 and t3 run between b and c");
        // The whole case counts every transfer once, as in.
        let whole = summarize(&case, &BTreeSet::new(), TimeWindow::default(), prices);
        assert_eq!(whole.assets.iter().map(|f| f.transfers).sum::<u64>(), 4);
        assert!(whole.assets.iter().all(|f| f.amount_out == 0));
        // A window that ends before t4.
        let window = TimeWindow {
            since: None,
            until: Some(day + 25),
        };
        let early = summarize(&case, &BTreeSet::new(), window, prices);
        assert_eq!(early.assets.iter().map(|f| f.transfers).sum::<u64>(), 3);
        assert_eq!(early.last_time, Some(day + 20));
    }

    #[test]
    fn a_selection_of_two_counts_outside_money_only_and_says_what_was_internal() {
        let id =
            |d: char| NodeId::parse(&format!("eth:0x{}", d.to_string().repeat(40))).expect("id");
        let (x, a, b, y, z) = (id('1'), id('a'), id('b'), id('2'), id('3'));
        let eth = Asset::native(Chain::ETHEREUM);
        let usdc = Asset::token(
            Chain::ETHEREUM,
            "USDC",
            6,
            "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48",
        );
        let day = 1_740_096_000; // 2025-02-21: eth_usd_daily.csv closes at 2659.65551758
        let next_day = day + 86_400; // 2025-02-22: 2764.02929688
        let mut case = Case::new("t", 0);
        for n in [&x, &a, &b, &y, &z] {
            case.nodes.insert(n.clone(), Node::address(n.clone()));
        }
        let half = 5 * 10u128.pow(17);
        for t in [
            transfer("in1", &x, &a, &eth, 3 * half, day + 3_600),
            transfer("int", &a, &b, &eth, 2 * half, day + 7_200),
            transfer("out1", &b, &y, &eth, half, next_day),
            transfer("out2", &b, &z, &usdc, 1_234_567_890, next_day + 60),
            transfer("out3", &b, &y, &usdc, 10_000_000, next_day + 120),
            transfer("else", &x, &y, &eth, half, day),
        ] {
            case.transfers.insert(t.id.clone(), t);
        }
        let selection: BTreeSet<NodeId> = [a.clone(), b.clone()].into();
        let s = summarize(
            &case,
            &selection,
            TimeWindow::default(),
            PriceBook::bundled_ref(),
        );
        assert_eq!(s.internal, 1, "a → b is internal");
        assert_eq!(s.counterparties, 3, "x in; y and z out; y counted once");
        assert_eq!(s.first_time, Some(day + 3_600));
        assert_eq!(s.last_time, Some(next_day + 120));
        assert_eq!(s.assets.len(), 2);
        let eth_flow = &s.assets[0];
        assert_eq!(eth_flow.asset, eth, "native before tokens");
        assert_eq!(eth_flow.amount_in, 3 * half);
        assert_eq!(eth_flow.amount_out, half);
        // 1.5 × 2,659.65551758 = 3,989.48327637; 0.5 × 2,764.02929688 = 1,382.01464844.
        assert_eq!(eth_flow.usd_in, Some(Usd(398_948_327_637)));
        assert_eq!(eth_flow.usd_out, Some(Usd(138_201_464_844)));
        assert_eq!(eth_flow.transfers, 2);
        let usdc_flow = &s.assets[1];
        assert_eq!(usdc_flow.amount_out, 1_244_567_890);
        assert_eq!(usdc_flow.usd_in, None, "nothing came in: no value, not $0");
        assert_eq!(
            usdc_flow.usd_out.map(|u| u.to_string()).as_deref(),
            Some("$1,244.56")
        );
        assert_eq!(s.usd_in().to_string(), "$3,989.48");
        // 1,382.01464844 + 1,244.56789 = 2,626.58253844.
        assert_eq!(s.usd_out().to_string(), "$2,626.58");
    }
}
