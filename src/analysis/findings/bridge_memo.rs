//! **bridge_memo@1**: a deposit whose transaction carries a THORChain swap memo naming a chain
//! and an address (see [`crate::analysis::thorchain`]) is linked to the payout that address
//! received on that chain: the first transfer into it on the named chain, not before the
//! deposit and within [`MEMO_WINDOW_SECS`] after (THORChain pays out within minutes, a
//! streaming swap within hours). Deposits are taken in time order and each payout once.
//! The deposit leg of a transaction is its output 0 on Bitcoin (THORChain wants its vault
//! there) and its largest memo-carrying transfer elsewhere. Confidence 95: the sender named
//! the receiver. Only hops across chains are found here (a same-chain swap is a swap hop).
//!
//! [`bridge_hops`] runs it before the value-matching bridge_hop@2 and keeps of the latter
//! only pairs that share no transfer with a memo hop, so one hop is proposed once.

use super::{CaseIndex, Finding, FindingKind, hops};
use crate::analysis::thorchain::{MemoReading, read_memo};
use std::collections::{BTreeMap, HashSet};

/// Longest wait between a deposit and the payout its memo names.
pub const MEMO_WINDOW_SECS: i64 = 72 * 3_600;

/// Memo hops first, then the value-matched ones that do not repeat them.
pub fn bridge_hops(index: &CaseIndex) -> Vec<Finding> {
    let mut found = memo_hops(index);
    let used: HashSet<_> = found.iter().flat_map(|f| f.transfers.clone()).collect();
    found.extend(
        hops::bridge_hops(index)
            .into_iter()
            .filter(|f| f.transfers.iter().all(|t| !used.contains(t))),
    );
    found
}

/// The deposit legs that carry a memo, one per transaction (transfer positions).
fn deposits(index: &CaseIndex) -> Vec<u32> {
    let mut by_tx: BTreeMap<(&str, &str), Vec<u32>> = BTreeMap::new();
    for (i, t) in index.transfers.iter().enumerate() {
        let (from, to) = index.ends[i];
        if t.memo.is_none() || to == u32::MAX || t.relation_txs.is_some() {
            continue;
        }
        // On a UTXO chain the deposit is an output: a leg out of the transaction node.
        if t.asset.chain.is_utxo() && !index.is_transaction(from) {
            continue;
        }
        let chain = t.id.as_str().split(':').next().unwrap_or_default();
        by_tx
            .entry((chain, t.tx_hash.as_str()))
            .or_default()
            .push(i as u32);
    }
    let mut chosen: Vec<u32> = by_tx
        .into_values()
        .filter_map(|legs| {
            let out0 = legs
                .iter()
                .copied()
                .find(|&i| index.transfer(i).id.as_str().ends_with(":out0"));
            out0.or_else(|| {
                legs.iter().copied().max_by(|&a, &b| {
                    let (ta, tb) = (index.transfer(a), index.transfer(b));
                    ta.amount.cmp(&tb.amount).then_with(|| tb.id.cmp(&ta.id))
                })
            })
        })
        .collect();
    chosen.sort_by_key(|&i| (index.time(i).unwrap_or(i64::MAX), i));
    chosen
}

/// The hops whose deposit names its payout (see the module doc).
fn memo_hops(index: &CaseIndex) -> Vec<Finding> {
    let mut taken: HashSet<u32> = HashSet::new();
    let mut found = Vec::new();
    for d in deposits(index) {
        let deposit = index.transfer(d);
        let Some(t_in) = index.time(d) else { continue };
        let MemoReading::Swap(intent) = read_memo(deposit.memo.as_deref().unwrap_or_default())
        else {
            continue;
        };
        if intent.chain == deposit.asset.chain {
            continue;
        }
        let Some(recipient) = index.position(&intent.destination) else {
            continue;
        };
        let payout = index.incoming[recipient as usize]
            .iter()
            .copied()
            .find(|&p| {
                let t = index.transfer(p);
                !taken.contains(&p)
                    && t.asset.chain == intent.chain
                    && t.relation_txs.is_none()
                    && index
                        .time(p)
                        .is_some_and(|x| x >= t_in && x - t_in <= MEMO_WINDOW_SECS)
            });
        let Some(p) = payout else { continue };
        taken.insert(p);
        let payout = index.transfer(p);
        let from = index.ends[d as usize].0;
        let wait_mins = (index.time(p).unwrap_or(t_in) - t_in) / 60;
        found.push(Finding {
            kind: FindingKind::BridgeHop,
            method: "bridge_memo@1",
            params: BTreeMap::from([
                ("window_secs", MEMO_WINDOW_SECS.to_string()),
                (
                    "memo",
                    crate::util::clip(deposit.memo.as_deref().unwrap_or_default(), 80).into_owned(),
                ),
            ]),
            confidence: 95,
            nodes: hops::hop_nodes(index, d, p),
            transfers: vec![deposit.id.clone(), payout.id.clone()],
            summary: format!(
                "{} swapped {} through THORChain to {} on {} as {} ({wait_mins} min later; \
                 the deposit's memo names it)",
                short(index, from),
                deposit.asset.display_short(deposit.amount),
                short(index, recipient),
                intent.chain,
                payout.asset.display_short(payout.amount),
            ),
        });
    }
    found
}

fn short(index: &CaseIndex, node: u32) -> String {
    crate::model::address::short_form(index.node(node).value())
}

#[cfg(test)]
mod tests {
    use super::super::apply::apply_action;
    use super::super::{AnalysisLimits, detect};
    use super::*;
    use crate::analysis::paths::{PathQuery, find_paths};
    use crate::analysis::taint::{TaintModel, taint_through, with_applied_hops};
    use crate::model::action::apply;
    use crate::model::{Asset, Case, Category, Chain, Confidence, NodeId, Tag};
    use crate::prices::PriceBook;
    use std::collections::BTreeSet;

    /// 2025-02-21 00:00 UTC, inside the bundled price tables.
    const T0: i64 = 1_740_096_000;
    const ETH: u128 = 1_000_000_000_000_000_000;
    const PAID: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

    fn eth(n: u32) -> NodeId {
        NodeId::parse(&format!("eth:0x{n:040x}")).expect("id")
    }

    fn btc(address: &str) -> NodeId {
        NodeId::parse(&format!("btc:{address}")).expect("btc")
    }

    /// Theft eth(1) → eth(2), which deposits 20 ETH into the router eth(9) with a memo naming
    /// `PAID`; the vault pays a decoy first, then `PAID`, which moves the money on.
    fn bridged(memo: &str) -> Case {
        let mut case = Case::new("t", 0);
        let ether = Asset::native(Chain::ETHEREUM);
        let bitcoin = Asset::native(Chain::Bitcoin);
        let vault = btc("1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
        case.put_test_transfer("theft", (eth(1), eth(2)), ether.clone(), 20 * ETH, Some(T0));
        case.put_test_transfer("deposit", (eth(2), eth(9)), ether, 20 * ETH, Some(T0 + 600));
        case.transfers
            .values_mut()
            .find(|t| t.id.as_str() == "deposit")
            .expect("deposit")
            .memo = Some(memo.to_owned());
        let decoy = btc("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
        case.put_test_transfer(
            "decoy",
            (vault.clone(), decoy),
            bitcoin.clone(),
            70_000_000,
            Some(T0 + 900),
        );
        case.put_test_transfer(
            "payout",
            (vault, btc(PAID)),
            bitcoin.clone(),
            69_000_000,
            Some(T0 + 1_800),
        );
        let onward = btc("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
        case.put_test_transfer(
            "onward",
            (btc(PAID), onward),
            bitcoin,
            68_000_000,
            Some(T0 + 4_000),
        );
        case
    }

    fn hops(case: &Case) -> Vec<Finding> {
        let prices = PriceBook::bundled();
        let index = CaseIndex::build(case, &prices);
        detect(&index, &[FindingKind::BridgeHop], AnalysisLimits::default())
    }

    #[test]
    fn a_memo_links_the_deposit_to_the_payout_it_names_once() {
        let mut case = bridged(&format!("=:BTC.BTC:{PAID}:0/1/0:t:30"));
        // Tagged bridges would let the value match propose the decoy or the payout too.
        for node in [eth(9), btc("1BoatSLRHtKNngkdXEeobR76b53LETtpyT")] {
            case.tags.insert(
                node,
                vec![Tag::new(
                    "b",
                    Category::Bridge,
                    Confidence::ServiceData,
                    "t",
                )],
            );
        }
        let found = hops(&case);
        let memo: Vec<&Finding> = found
            .iter()
            .filter(|f| f.method == "bridge_memo@1")
            .collect();
        assert_eq!(memo.len(), 1, "{found:?}");
        assert_eq!(memo[0].confidence, 95);
        assert_eq!(
            memo[0].transfers,
            ["deposit", "payout"].map(crate::model::TransferId::from)
        );
        assert_eq!(memo[0].nodes[3], btc(PAID));
        assert!(
            memo[0].summary.contains("20 min later"),
            "{}",
            memo[0].summary
        );
        assert!(
            found.iter().all(|f| f.method == "bridge_memo@1"
                || f.transfers
                    .iter()
                    .all(|t| t.as_str() != "deposit" && t.as_str() != "payout")),
            "the value match does not repeat the memo's hop: {found:?}"
        );
    }

    #[test]
    fn memos_that_name_nothing_here_link_nothing() {
        for memo in [
            "=:BTC.BTC:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", // not in the case
            "=:ETH.ETH:0x0000000000000000000000000000000000000002", // same chain: a swap
            "=:BTC/BTC:thor1abc",                                   // a synth stays on THORChain
            "ADD:BTC.BTC:thor1abc",                                 // not a swap
        ] {
            let found = hops(&bridged(memo));
            assert!(
                found.iter().all(|f| f.method != "bridge_memo@1"),
                "{memo}: {found:?}"
            );
        }
        // A payout before the deposit, or three days after it, is not the one.
        let mut late = bridged(&format!("=:b:{PAID}"));
        late.transfers
            .values_mut()
            .find(|t| t.id.as_str() == "payout")
            .expect("payout")
            .time = Some(T0 + 600 + MEMO_WINDOW_SECS + 1);
        assert!(hops(&late).iter().all(|f| f.method != "bridge_memo@1"));
    }

    #[test]
    fn an_applied_hop_is_an_arrow_that_paths_and_taint_cross() {
        let mut case = bridged(&format!("=:b:{PAID}"));
        let prices = PriceBook::bundled();
        let from = BTreeSet::from([eth(1)]);
        let to = BTreeSet::from([btc("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")]);
        let before = find_paths(&case, &from, &to, PathQuery::default(), &prices);
        assert!(before.paths.is_empty(), "no route across chains yet");
        let found = hops(&case);
        let action = apply_action(&case, &found[0], "tester", T0).expect("action");
        let snapshot = case.clone();
        let inverse = apply(&mut case, action).expect("applies");
        let arrow = case
            .annotations
            .arrows
            .values()
            .find(|a| a.hop.is_some())
            .expect("a hop arrow");
        assert_eq!(arrow.from, crate::model::ArrowEnd::Node(eth(2)));
        assert_eq!(arrow.to, crate::model::ArrowEnd::Node(btc(PAID)));
        let after = find_paths(&case, &from, &to, PathQuery::default(), &prices);
        assert_eq!(after.paths.len(), 1, "{after:?}");
        assert_eq!(
            after.paths[0].nodes,
            vec![eth(1), eth(2), btc(PAID), to.first().cloned().expect("to")]
        );
        // Pictures label it too (the SVG; the PNG draws the same annotation layer).
        let mut placed = case.clone();
        let ids: Vec<NodeId> = placed.nodes.keys().cloned().collect();
        for (i, id) in ids.into_iter().enumerate() {
            placed.layout.positions.insert(id, [200.0 * i as f32, 0.0]);
        }
        let svg =
            crate::export::render_svg(&placed, &crate::export::scene::SceneOptions::default());
        if std::env::var_os("CASEBOARD_LOOK").is_some() {
            let options = crate::export::scene::SceneOptions::default();
            let png = crate::export::render_png(&placed, &options).expect("png");
            std::fs::write("target/bridge_hop_look.png", png).expect("written");
        }
        assert!(
            svg.contains(">bridge hop</text>"),
            "the exported arrow says what it is: {:?}",
            svg.lines()
                .filter(|l| l.contains("arrow") || l.contains("bridge"))
                .collect::<Vec<_>>()
        );
        let links = with_applied_hops(&case, Vec::new());
        assert_eq!(links.len(), 1);
        let tainted = taint_through(&case, &BTreeSet::from([eth(1)]), TaintModel::Poison, &links);
        assert!(
            tainted.contains_key(&btc(PAID)),
            "taint crossed: {tainted:?}"
        );
        // Applying again adds no second arrow; undo restores the case exactly.
        let again = apply_action(&case, &found[0], "tester", T0).expect("action");
        let mut twice = case.clone();
        apply(&mut twice, again).expect("applies");
        assert_eq!(twice.annotations.arrows.len(), 1);
        apply(&mut case, inverse).expect("undo");
        assert_eq!(case, snapshot);
    }
}
