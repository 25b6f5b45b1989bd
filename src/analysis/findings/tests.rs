//! Each detector on small hand-built cases (what it must find, what it must not), determinism
//! and fingerprints, and applying / dismissing through the door: undo restores the case
//! exactly, a dismissal survives the case file and a merge.

use super::apply::{apply_action, dismiss_action};
use super::{AnalysisLimits, CaseIndex, Finding, FindingKind, detect};
use crate::model::action::apply;
use crate::model::{Action, Asset, Case, Category, Chain, Confidence, NodeId, Tag};
use crate::prices::PriceBook;

/// 2025-02-21 00:00 UTC, inside the bundled price tables.
const T0: i64 = 1_740_096_000;
const ETH: u128 = 1_000_000_000_000_000_000;

fn eth(n: u32) -> NodeId {
    NodeId::parse(&format!("eth:0x{n:040x}")).expect("id")
}

fn ether() -> Asset {
    Asset::native(Chain::ETHEREUM)
}

fn send(case: &mut Case, name: &str, from: u32, to: u32, amount: u128, time: i64) {
    case.put_test_transfer(name, (eth(from), eth(to)), ether(), amount, Some(T0 + time));
}

fn tag(case: &mut Case, node: NodeId, category: Category) {
    case.tags.insert(
        node,
        vec![Tag::new("t", category, Confidence::ServiceData, "test")],
    );
}

fn run(case: &Case, kind: FindingKind) -> Vec<Finding> {
    let prices = PriceBook::bundled();
    let index = CaseIndex::build(case, &prices);
    detect(&index, &[kind], AnalysisLimits::default())
}

fn split_case(recipients: u32) -> Case {
    let mut case = Case::new("t", 0);
    send(&mut case, "in", 1, 2, 1_000 * ETH, 0);
    for r in 0..recipients {
        send(
            &mut case,
            &format!("s{r}"),
            2,
            100 + r,
            50 * ETH,
            600 + 60 * i64::from(r),
        );
    }
    case
}

#[test]
fn fan_out_needs_ten_fresh_recipients_and_a_non_service_sender() {
    let found = run(&split_case(12), FindingKind::FanOut);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].nodes[0], eth(2));
    assert_eq!(found[0].nodes.len(), 13);
    assert_eq!(found[0].confidence, 85, "equal parts");
    assert_eq!(found[0].method, "fan_out@1");
    assert!(
        found[0].summary.contains("600 ETH to 12 fresh"),
        "{}",
        found[0].summary
    );

    assert!(run(&split_case(9), FindingKind::FanOut).is_empty());
    let mut exchange = split_case(12);
    tag(&mut exchange, eth(2), Category::Exchange);
    assert!(run(&exchange, FindingKind::FanOut).is_empty());
    // Recipients that had money before are not fresh.
    let mut known = split_case(12);
    for r in 0..12 {
        send(
            &mut known,
            &format!("old{r}"),
            600 + r,
            100 + r,
            ETH,
            -10_000,
        );
    }
    assert!(run(&known, FindingKind::FanOut).is_empty());
    // Spread over days it is not a split.
    let mut slow = Case::new("t", 0);
    send(&mut slow, "in", 1, 2, 1_000 * ETH, 0);
    for r in 0..12 {
        send(
            &mut slow,
            &format!("s{r}"),
            2,
            100 + r,
            50 * ETH,
            600 + 3 * 86_400 * i64::from(r),
        );
    }
    assert!(run(&slow, FindingKind::FanOut).is_empty());
}

/// A chain 10 → 11 → … → 10+hops, each hop forwarding 95 % and peeling 5 % to a side address.
fn peel_case(hops: u32, peel: bool) -> Case {
    let mut case = Case::new("t", 0);
    let mut value = 1_000 * ETH;
    send(&mut case, "fund", 1, 10, value, 0);
    for h in 0..hops {
        let cut = if peel { value / 20 } else { 0 };
        let t = 3_600 * i64::from(h + 1);
        send(&mut case, &format!("f{h}"), 10 + h, 11 + h, value - cut, t);
        if peel {
            send(&mut case, &format!("p{h}"), 10 + h, 500 + h, cut, t + 60);
        }
        value -= cut;
    }
    case
}

#[test]
fn peel_chain_follows_the_largest_part_and_counts_peels() {
    let found = run(&peel_case(6, true), FindingKind::PeelChain);
    assert_eq!(found.len(), 1, "{found:?}");
    let chain = &found[0];
    assert_eq!(chain.nodes.first(), Some(&eth(10)));
    assert_eq!(chain.nodes.len(), 7, "six hops end at the seventh address");
    assert_eq!(chain.transfers.len(), 12, "six forwards and six peels");
    assert_eq!(chain.confidence, 80);
    // Pure forwarding is not peeling; two peels are too few.
    assert!(run(&peel_case(6, false), FindingKind::PeelChain).is_empty());
    assert!(run(&peel_case(2, true), FindingKind::PeelChain).is_empty());
}

#[test]
fn consolidation_and_pass_through() {
    let mut case = Case::new("t", 0);
    for s in 0..10 {
        send(&mut case, &format!("in{s}"), 200 + s, 300 + s, 10 * ETH, 0);
        send(
            &mut case,
            &format!("sweep{s}"),
            300 + s,
            7,
            10 * ETH,
            600 + 60 * i64::from(s),
        );
    }
    let found = run(&case, FindingKind::Consolidation);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].nodes[0], eth(7));
    assert_eq!(found[0].nodes.len(), 11);
    let mut exchange = case.clone();
    tag(&mut exchange, eth(7), Category::Exchange);
    assert!(run(&exchange, FindingKind::Consolidation).is_empty());

    let mut quick = Case::new("t", 0);
    send(&mut quick, "in", 1, 2, 100 * ETH, 0);
    send(&mut quick, "out", 2, 3, 99 * ETH, 1_800);
    let found = run(&quick, FindingKind::PassThrough);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].nodes, vec![eth(2), eth(3)]);
    let mut slow = Case::new("t", 0);
    send(&mut slow, "in", 1, 2, 100 * ETH, 0);
    send(&mut slow, "out", 2, 3, 99 * ETH, 10 * 3_600);
    assert!(run(&slow, FindingKind::PassThrough).is_empty());
    let mut half = Case::new("t", 0);
    send(&mut half, "in", 1, 2, 100 * ETH, 0);
    send(&mut half, "out", 2, 3, 50 * ETH, 60);
    assert!(run(&half, FindingKind::PassThrough).is_empty());
}

#[test]
fn mixer_legs_are_grouped_per_counterparty() {
    let mut case = Case::new("t", 0);
    send(&mut case, "d1", 1, 9, 10 * ETH, 0);
    send(&mut case, "d2", 1, 9, 10 * ETH, 60);
    send(&mut case, "d3", 2, 9, 10 * ETH, 120);
    send(&mut case, "w1", 9, 3, 10 * ETH, 86_400);
    assert!(run(&case, FindingKind::MixerDeposit).is_empty(), "untagged");
    tag(&mut case, eth(9), Category::Mixer);
    let deposits = run(&case, FindingKind::MixerDeposit);
    assert_eq!(deposits.len(), 2);
    let first = deposits.iter().find(|f| f.nodes[0] == eth(1)).expect("1");
    assert_eq!(first.transfers.len(), 2);
    assert!(
        first.summary.contains("20 ETH in 2 transfers"),
        "{}",
        first.summary
    );
    let withdrawals = run(&case, FindingKind::MixerWithdrawal);
    assert_eq!(withdrawals.len(), 1);
    assert_eq!(withdrawals[0].nodes, vec![eth(3), eth(9)]);
}

#[test]
fn swap_hop_pairs_one_asset_out_with_another_back() {
    let usdt = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0xdac17f958d2ee523a2206206994597c13d831ec7",
    );
    let mut case = Case::new("t", 0);
    send(&mut case, "fund", 1, 2, 10 * ETH, 0);
    send(&mut case, "swap-in", 2, 8, 10 * ETH, 600);
    let prices = PriceBook::bundled();
    let eth_usd = prices
        .value(&ether(), 10 * ETH, Some(T0 + 600))
        .expect("ETH priced")
        .usd
        .cents();
    // The router pays 0.3 % less in USDT ($1 per unit: cents × 10^4 base units).
    let back = eth_usd * 10_000 / 1_000 * 997;
    case.put_test_transfer(
        "swap-out",
        (eth(8), eth(2)),
        usdt.clone(),
        back,
        Some(T0 + 600),
    );
    // The router serves others too.
    send(&mut case, "other1", 30, 8, ETH, 7_200);
    send(&mut case, "other2", 31, 8, ETH, 7_300);
    let found = run(&case, FindingKind::SwapHop);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].nodes, vec![eth(2), eth(8)]);
    assert_eq!(found[0].confidence, 70, "two transactions, unknown venue");
    // Half the value back is not a swap.
    let mut cheated = case.clone();
    cheated
        .transfers
        .values_mut()
        .find(|t| t.id.as_str() == "swap-out")
        .expect("leg")
        .amount = back / 2;
    assert!(run(&cheated, FindingKind::SwapHop).is_empty());
}

#[test]
fn bridge_hop_matches_value_across_chains() {
    let prices = PriceBook::bundled();
    let mut case = Case::new("t", 0);
    let bridge = eth(50);
    let hot = NodeId::parse("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").expect("btc");
    let paid = NodeId::parse("btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").expect("btc");
    tag(&mut case, bridge.clone(), Category::Bridge);
    send(&mut case, "fund", 1, 2, 20 * ETH, 0);
    send(&mut case, "deposit", 2, 50, 20 * ETH, 600);
    let usd = prices
        .value(&ether(), 20 * ETH, Some(T0 + 600))
        .expect("priced")
        .usd
        .cents();
    let btc_cents_per_coin = prices
        .value(
            &Asset::native(Chain::Bitcoin),
            100_000_000,
            Some(T0 + 1_800),
        )
        .expect("priced")
        .usd
        .cents();
    let sats = usd * 100_000_000 / btc_cents_per_coin * 995 / 1_000;
    case.put_test_transfer(
        "payout",
        (hot.clone(), paid.clone()),
        Asset::native(Chain::Bitcoin),
        sats,
        Some(T0 + 1_800),
    );
    assert!(
        run(&case, FindingKind::BridgeHop).is_empty(),
        "hot wallet untagged"
    );
    tag(&mut case, hot.clone(), Category::Bridge);
    let found = run(&case, FindingKind::BridgeHop);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].nodes, vec![eth(2), bridge, hot, paid]);
    assert!(
        found[0].summary.contains("(20 min later)"),
        "{}",
        found[0].summary
    );
    // Too late: no hop.
    let mut late = case.clone();
    late.transfers
        .values_mut()
        .find(|t| t.id.as_str() == "payout")
        .expect("leg")
        .time = Some(T0 + 2 * 86_400);
    assert!(run(&late, FindingKind::BridgeHop).is_empty());
}

#[test]
fn detection_is_deterministic_and_fingerprints_name_the_evidence() {
    let case = peel_case(6, true);
    let a = run(&case, FindingKind::PeelChain);
    let b = run(&case, FindingKind::PeelChain);
    assert_eq!(a, b);
    let print = a[0].fingerprint();
    assert!(print.starts_with("peel_chain:"));
    assert!(crate::model::finding_record::is_fingerprint(&print));
    let mut other = a[0].clone();
    other.summary = "reworded".into();
    other.confidence = 1;
    assert_eq!(
        other.fingerprint(),
        print,
        "wording and confidence are not evidence"
    );
    other.transfers.pop();
    assert_ne!(other.fingerprint(), print);
    // A limit keeps the strongest.
    let prices = PriceBook::bundled();
    let index = CaseIndex::build(&case, &prices);
    let none = detect(
        &index,
        &[],
        AnalysisLimits {
            max_findings_per_kind: 0,
        },
    );
    assert!(none.is_empty());
}

#[test]
fn applying_goes_through_the_door_and_undo_restores_the_case() {
    let mut case = split_case(12);
    let before = case.clone();
    let finding = run(&case, FindingKind::FanOut).remove(0);
    let action = apply_action(&case, &finding, "alice", 1_000).expect("applies");
    assert!(action.describe().starts_with("apply finding fan_out@1"));
    let inverse = apply(&mut case, action).expect("door accepts");
    assert_eq!(case.annotations.node_highlights.len(), 13);
    assert_eq!(case.annotations.edge_highlights.len(), 12);
    let note = case.annotations.notes.values().next().expect("note");
    assert_eq!(note.anchor, Some(eth(2)));
    assert!(note.text.contains("fan_out@1"));
    apply(&mut case, inverse).expect("undo");
    assert_eq!(case, before);
}

#[test]
fn a_dismissal_is_remembered_in_the_file_and_survives_a_merge() {
    let mut case = split_case(12);
    let finding = run(&case, FindingKind::FanOut).remove(0);
    let inverse = apply(&mut case, dismiss_action(&finding, "bob", 7)).expect("dismiss");
    assert!(case.findings.dismissed.contains_key(&finding.fingerprint()));
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("case.ron");
    crate::case_file::save(&case, &path).expect("save");
    let loaded = crate::case_file::load(&path).expect("load");
    assert_eq!(loaded.findings, case.findings);
    // Merged into a copy that never saw it, the dismissal stays.
    let mut theirs = case.clone();
    apply(&mut theirs, inverse).expect("restore");
    assert!(theirs.findings.is_empty());
    let merged = crate::merge::merge(&theirs, &case, None, &Default::default());
    assert_eq!(merged.case.findings, case.findings);
    // A fingerprint that is not one is refused, and changes nothing.
    let before = case.clone();
    let bad = Action::SetDismissal {
        fingerprint: "../../etc".into(),
        dismissal: None,
    };
    assert!(apply(&mut case, bad).is_err());
    assert_eq!(case, before);
}

#[test]
fn co_spend_applies_as_a_cluster_and_change_as_a_tag() {
    let mut case = split_case(0);
    let (a, b) = (eth(1), eth(2));
    let finding = Finding {
        kind: FindingKind::CoSpend,
        method: "co_spend@1",
        params: Default::default(),
        confidence: 70,
        nodes: vec![a.clone(), b.clone()],
        transfers: vec![],
        summary: "spent together".into(),
    };
    let action = apply_action(&case, &finding, "alice", 5).expect("applies");
    apply(&mut case, action).expect("door");
    let cluster = case.clusters.values().next().expect("cluster");
    assert_eq!(cluster.confidence, Confidence::Heuristic);
    assert_eq!(cluster.source, "co_spend@1");
    assert_eq!(cluster.members.len(), 2);
    let change = Finding {
        kind: FindingKind::Change,
        method: "change@1",
        nodes: vec![a, b.clone()],
        ..finding
    };
    let action = apply_action(&case, &change, "alice", 5).expect("applies");
    apply(&mut case, action).expect("door");
    let tags = case.tags.get(&b).expect("tagged");
    assert_eq!(tags.last().map(|t| t.label.as_str()), Some("change"));
    assert_eq!(
        tags.last().map(|t| t.confidence),
        Some(Confidence::Heuristic)
    );
}
