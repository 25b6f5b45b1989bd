//! The detectors against the demo world's ground truth: trace from the theft address as an
//! investigator would (stopping at services), follow the bridge's Bitcoin payouts, then run
//! every detector and compare with what the simulation did. Prints precision and recall (the
//! README's table comes from this test's output: `cargo test --lib demo_findings -- --nocapture`).

use super::hex::to_hex;
use super::world::world;
use super::*;
use crate::analysis::findings::{AnalysisLimits, CaseIndex, Finding, FindingKind, detect};
use crate::analysis::taint::{TaintModel, taint};
use crate::model::action::{Action, apply};
use crate::model::{Case, Category, NodeId};
use crate::prices::PriceBook;
use crate::sources::trace::{TraceOptions, trace};
use crate::sources::{DataSource, Direction, JobControl};
use std::collections::{BTreeSet, HashMap};

/// Inserts `fragment` into `case` as one step.
fn insert(case: &mut Case, label: &str, fragment: crate::model::Fragment) {
    apply(
        case,
        Action::Insert {
            label: label.into(),
            fragment,
        },
    )
    .expect("inserts");
}

/// Adds the node `id` as the source knows it.
fn add_node(case: &mut Case, source: &dyn DataSource, id: &NodeId) {
    let node = source
        .lookup(id, &JobControl::default())
        .ok()
        .flatten()
        .expect("known");
    let fragment = crate::model::Fragment {
        nodes: vec![node],
        ..Default::default()
    };
    insert(case, "add", fragment);
}

/// Expands `node` as the Expand command does: the source's counterparties in `direction`, at
/// most `limit` (ranked), planned with `plan_expansion`, and what is new inserted as one step.
/// False when the source gave no answer.
fn expand(
    case: &mut Case,
    source: &dyn DataSource,
    node: &NodeId,
    (direction, limit): (Direction, usize),
    label: &str,
    prices: &PriceBook,
) -> bool {
    let Ok(list) = source.counterparties(node, direction, &JobControl::default()) else {
        return false;
    };
    let plan = crate::analysis::expansion::plan_expansion(
        case,
        node,
        list,
        &crate::analysis::expand_options::ExpandOptions::with_limit(limit),
        prices,
    );
    if !plan.fragment.is_empty() {
        insert(case, label, plan.fragment);
    }
    true
}

/// The demo case grown by a trace from the theft address, the bridge's Bitcoin hot wallet
/// expanded, and the demo attribution applied.
fn traced_demo_case() -> Case {
    let source = demo_source();
    let mut case = demo_case();
    let known: HashMap<NodeId, Category> = demo_attribution()
        .into_iter()
        .map(|(node, tag)| (node, tag.category))
        .collect();
    let lookup = |node: &NodeId| known.get(node).cloned();
    // The detectors are measured on the Ethereum side as traced and the bridge's payouts as
    // the investigator expands them (crossing is tested on its own below).
    let options = TraceOptions {
        max_hops: 20,
        budget_requests: 3_000,
        cross_bridges: false,
        ..TraceOptions::default()
    };
    let prices = PriceBook::bundled();
    let outcome = trace(
        &source,
        &case,
        &theft_address(),
        &options,
        &lookup,
        &prices,
        &JobControl::default(),
    )
    .expect("trace runs");
    assert!(!outcome.cut_short, "budget too small: {}", outcome.requests);
    insert(&mut case, "trace", outcome.fragment);
    // The investigator follows the bridge to Bitcoin: the hot wallet's payouts.
    let hot_wallet = bridge_addresses()[1].clone();
    if !case.nodes.contains_key(&hot_wallet) {
        add_node(&mut case, &source, &hot_wallet);
    }
    let answered = expand(
        &mut case,
        &source,
        &hot_wallet,
        (Direction::Out, 500),
        "bridge",
        &prices,
    );
    assert!(answered, "demo answers");
    let entries: Vec<_> = demo_attribution()
        .into_iter()
        .filter(|(node, _)| case.nodes.contains_key(node))
        .map(|(node, tag)| (node, vec![tag]))
        .collect();
    apply(
        &mut case,
        Action::SetTags {
            label: "attribution".into(),
            entries,
        },
    )
    .expect("tags apply");
    case
}

/// (Ethereum deposit tx hash, Bitcoin payout txid) of every bridge leg of the world.
fn bridge_truth() -> BTreeSet<(String, String)> {
    let ledger = &world().ledger;
    ledger
        .bridge_legs
        .iter()
        .filter_map(|leg| {
            let deposit = ledger.eth_transfers.get(leg.deposit as usize)?;
            let payout = ledger.btc_txs.get(leg.payout_tx as usize)?;
            Some((to_hex(&deposit.hash), to_hex(&payout.txid)))
        })
        .collect()
}

/// How many of the bridge hop findings `hops` pair a deposit with its own payout.
fn exact_legs(case: &Case, hops: &[&Finding], bridge: &BTreeSet<(String, String)>) -> usize {
    hops.iter()
        .filter(|f| {
            let (Some(d), Some(p)) = (
                case.transfers.get(&f.transfers[0]),
                case.transfers.get(&f.transfers[1]),
            ) else {
                return false;
            };
            bridge.contains(&(d.tx_hash.clone(), p.tx_hash.clone()))
        })
        .count()
}

fn of_kind(findings: &[Finding], kind: FindingKind) -> Vec<&Finding> {
    findings.iter().filter(|f| f.kind == kind).collect()
}

#[test]
fn demo_findings_match_the_ground_truth() {
    let case = traced_demo_case();
    let prices = PriceBook::bundled();
    let index = CaseIndex::build(&case, &prices);
    let findings = detect(&index, &[], AnalysisLimits::default());
    let splits: BTreeSet<NodeId> = split_addresses().into_iter().collect();
    let theft = theft_address();
    // The laundering flow: everything the theft's money reached (poison taint), on Bitcoin
    // everything the bridge's payouts for laundering deposits reached.
    let bridge = bridge_truth();
    let mut flow_sources = BTreeSet::from([theft.clone()]);
    for t in case.transfers.values() {
        if bridge.iter().any(|(_, txid)| txid == &t.tx_hash) && !t.to.is_transaction() {
            flow_sources.insert(t.to.clone());
        }
    }
    let flow: BTreeSet<NodeId> = taint(&case, &flow_sources, TaintModel::Poison)
        .into_keys()
        .chain(flow_sources)
        .collect();
    let services: BTreeSet<NodeId> = demo_attribution()
        .into_iter()
        .filter(|(_, tag)| {
            matches!(
                tag.category,
                Category::Exchange | Category::Mixer | Category::Bridge | Category::Defi
            )
        })
        .map(|(n, _)| n)
        .collect();
    println!(
        "demo case after trace: {} nodes, {} transfers, {} in the flow; {} findings",
        case.nodes.len(),
        case.transfers.len(),
        flow.len(),
        findings.len()
    );

    // Fan-out: the 40-way split, and nothing else.
    let fan = of_kind(&findings, FindingKind::FanOut);
    let split_found = fan
        .iter()
        .filter(|f| f.nodes[0] == theft && splits.iter().all(|s| f.nodes.contains(s)))
        .count();
    println!(
        "fan_out: {} found, {split_found} the 40-way split",
        fan.len()
    );
    assert_eq!((fan.len(), split_found), (1, 1));

    // Peel chains: one from each split address (the ETH chains), and Bitcoin chains after the
    // bridge; every chain's first node is in the flow.
    let peels = of_kind(&findings, FindingKind::PeelChain);
    let from_splits: BTreeSet<&NodeId> = peels
        .iter()
        .map(|f| &f.nodes[0])
        .filter(|n| splits.contains(*n))
        .collect();
    let in_flow = peels.iter().filter(|f| flow.contains(&f.nodes[0])).count();
    println!(
        "peel_chain: {} found; ETH recall {}/40 split chains; precision {in_flow}/{} start in the flow",
        peels.len(),
        from_splits.len(),
        peels.len()
    );
    assert!(
        from_splits.len() >= 36,
        "ETH chains found {}",
        from_splits.len()
    );
    assert_eq!(in_flow, peels.len(), "a peel chain outside the flow");

    // Mixer deposits: all from the flow.
    let mixer = of_kind(&findings, FindingKind::MixerDeposit);
    let mixer_in_flow = mixer.iter().filter(|f| flow.contains(&f.nodes[0])).count();
    println!(
        "mixer_deposit: {} found, {mixer_in_flow} from the flow",
        mixer.len()
    );
    assert!(!mixer.is_empty());
    assert_eq!(mixer_in_flow, mixer.len());

    // Swap hops: through the router, by flow addresses; every flow address that sent ETH to
    // the router and got tokens back is found.
    let router = swap_router_address();
    let swaps = of_kind(&findings, FindingKind::SwapHop);
    let swap_ok = swaps
        .iter()
        .filter(|f| f.nodes[1] == router && flow.contains(&f.nodes[0]))
        .count();
    let swappers: BTreeSet<&NodeId> = case
        .transfers
        .values()
        .filter(|t| t.to == router && flow.contains(&t.from))
        .filter(|t| {
            case.transfers
                .values()
                .any(|b| b.from == router && b.to == t.from && b.tx_hash == t.tx_hash)
        })
        .map(|t| &t.from)
        .collect();
    println!(
        "swap_hop: {} found, {swap_ok} correct; recall {}/{} swapping flow addresses",
        swaps.len(),
        swaps
            .iter()
            .filter(|f| swappers.contains(&f.nodes[0]))
            .count(),
        swappers.len()
    );
    assert!(!swaps.is_empty());
    assert_eq!(swap_ok, swaps.len());

    // Bridge hops: each one a real leg of the bridge.
    let hops = of_kind(&findings, FindingKind::BridgeHop);
    let correct = exact_legs(&case, &hops, &bridge);
    let possible = case
        .transfers
        .values()
        .filter(|t| t.to == bridge_addresses()[0])
        .filter(|t| {
            bridge
                .iter()
                .any(|(d, p)| d == &t.tx_hash && case.transfers.values().any(|x| &x.tx_hash == p))
        })
        .count();
    println!(
        "bridge_hop: {} found, {correct} the exact leg; {possible} legs with both ends in the case",
        hops.len()
    );
    let by_sender: BTreeSet<(NodeId, String)> = case
        .transfers
        .values()
        .filter_map(|t| {
            bridge
                .iter()
                .find(|(d, _)| d == &t.tx_hash)
                .map(|(_, p)| (t.from.clone(), p.clone()))
        })
        .collect();
    // A deposit made in equal parts is paid out leg by leg to a fresh address each; which part
    // paid which leg cannot be told from amounts, so a match is right when the deposit's sender
    // really was paid that leg.
    let sender_correct = hops
        .iter()
        .filter(|f| {
            let (Some(d), Some(p)) = (
                case.transfers.get(&f.transfers[0]),
                case.transfers.get(&f.transfers[1]),
            ) else {
                return false;
            };
            by_sender.contains(&(d.from.clone(), p.tx_hash.clone()))
        })
        .count();
    println!(
        "bridge_hop: {sender_correct}/{} right sender and payout; recall {sender_correct}/{possible}",
        hops.len()
    );
    assert!(correct >= 1);
    assert!(
        sender_correct * 10 >= hops.len() * 9,
        "bridge precision below 90 %"
    );
    assert!(
        sender_correct * 10 >= possible * 9,
        "bridge recall below 90 %"
    );

    // No pattern among the ordinary customers: every finding's subject is in the flow or a
    // service.
    let ordinary: Vec<&Finding> = findings
        .iter()
        .filter(|f| !flow.contains(&f.nodes[0]) && !services.contains(&f.nodes[0]))
        .collect();
    for f in &ordinary {
        println!("outside the flow: {} {}", f.method, f.summary);
    }
    println!(
        "findings outside the flow: {} of {}",
        ordinary.len(),
        findings.len()
    );
    assert!(ordinary.is_empty());
    for kind in FindingKind::ALL {
        println!("{kind}: {}", of_kind(&findings, kind).len());
    }
}

/// The exchanges' customers around the same case: expand both exchanges' hot wallets (their
/// customers' deposits and withdrawals come in), then each of those customers once. No
/// laundering shape (fan-out, peel chain, consolidation, pass-through, swap hop) may be found
/// with an ordinary customer as its subject.
#[test]
fn demo_customers_give_no_patterns() {
    let source = demo_source();
    let prices = PriceBook::bundled();
    let mut case = traced_demo_case();
    let before: BTreeSet<NodeId> = case.nodes.keys().cloned().collect();
    let both = |limit| (Direction::Both, limit);
    for hot in exchange_hot_wallets() {
        expand(&mut case, &source, &hot, both(300), "expand", &prices);
    }
    let customers: Vec<NodeId> = case
        .nodes
        .keys()
        .filter(|n| !before.contains(*n))
        .cloned()
        .collect();
    for customer in customers.iter().take(150) {
        expand(&mut case, &source, customer, both(30), "expand", &prices);
    }
    let entries: Vec<_> = demo_attribution()
        .into_iter()
        .filter(|(node, _)| case.nodes.contains_key(node) && !case.tags.contains_key(node))
        .map(|(node, tag)| (node, vec![tag]))
        .collect();
    apply(
        &mut case,
        Action::SetTags {
            label: "attribution".into(),
            entries,
        },
    )
    .expect("tags apply");
    let ordinary: BTreeSet<NodeId> = case
        .nodes
        .keys()
        .filter(|n| !before.contains(*n))
        .cloned()
        .collect();
    let index = CaseIndex::build(&case, &prices);
    let findings = detect(&index, &[], AnalysisLimits::default());
    let wrong: Vec<&Finding> = findings
        .iter()
        // The laundering shapes; mixer and bridge legs are facts of a tag, and the Bitcoin
        // heuristics (change, co-spend) describe every wallet, ordinary ones included.
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::FanOut
                    | FindingKind::PeelChain
                    | FindingKind::Consolidation
                    | FindingKind::PassThrough
                    | FindingKind::SwapHop
            )
        })
        .filter(|f| ordinary.contains(&f.nodes[0]))
        .collect();
    for f in &wrong {
        println!("customer pattern: {} {}", f.method, f.summary);
    }
    println!(
        "with {} customer nodes added: {} findings, {} laundering shapes with a customer as subject",
        ordinary.len(),
        findings.len(),
        wrong.len()
    );
    for kind in [
        FindingKind::CoSpend,
        FindingKind::Change,
        FindingKind::CoinJoin,
    ] {
        println!("{kind} among them: {}", of_kind(&findings, kind).len());
    }
    assert!(
        ordinary.len() > 300,
        "too few customers: {}",
        ordinary.len()
    );
    assert!(wrong.is_empty());
}

/// The fresh Bitcoin address paid by the bridge for the first laundering deposit.
fn first_btc_peel_start() -> NodeId {
    let ledger = &world().ledger;
    ledger
        .bridge_legs
        .iter()
        .find_map(|leg| {
            let tx = ledger.btc_txs.get(leg.payout_tx as usize)?;
            let address = tx.outputs.get(leg.vout as usize)?.address?;
            let id = ledger.btc_ids.get(address as usize)?.clone();
            // A peel chain starts there: it spends what it got.
            (!world().btc_spending.get(address as usize)?.is_empty()).then_some(id)
        })
        .expect("a bridge payout that is spent")
}

#[test]
fn trace_reads_bitcoin_transactions_and_can_leave_the_change() {
    let source = demo_source();
    let start = first_btc_peel_start();
    let mut case = Case::new("btc", 0);
    add_node(&mut case, &source, &start);
    let none = |_: &NodeId| None;
    let run = |prefer_payment| {
        trace(
            &source,
            &case,
            &start,
            &TraceOptions {
                max_hops: 4,
                budget_requests: 50,
                prefer_payment,
                ..TraceOptions::default()
            },
            &none,
            &PriceBook::bundled(),
            &JobControl::default(),
        )
        .expect("traces")
    };
    let largest = run(false);
    let payments = run(true);
    let tx_steps = |o: &crate::sources::trace::TraceOutcome| {
        o.steps
            .iter()
            .filter(|s| s.node.is_transaction())
            .map(|s| s.reason.clone())
            .collect::<Vec<_>>()
    };
    println!("largest: {:?}", tx_steps(&largest));
    println!("payments: {:?}", tx_steps(&payments));
    assert!(
        tx_steps(&payments)
            .iter()
            .any(|r| r.contains("the detected change left out")),
        "{:?}",
        payments.steps
    );
    assert!(
        !tx_steps(&largest)
            .iter()
            .any(|r| r.contains("change left out"))
    );
    // Leaving the change, the trail does not run down the peel chain's next hops.
    assert_ne!(largest.steps, payments.steps);
}

/// The trace crosses the bridge where a deposit's THORChain memo names the Bitcoin address:
/// each address it crosses to is one the bridge really paid for a deposit, and the memo hops
/// found afterwards are the bridge's legs exactly.
#[test]
fn trace_crosses_the_bridge_by_its_memos() {
    let source = demo_source();
    let mut case = demo_case();
    let known: HashMap<NodeId, Category> = demo_attribution()
        .into_iter()
        .map(|(node, tag)| (node, tag.category))
        .collect();
    let lookup = |node: &NodeId| known.get(node).cloned();
    let prices = PriceBook::bundled();
    let options = TraceOptions {
        max_hops: 20,
        budget_requests: 3_000,
        ..TraceOptions::default()
    };
    let outcome = trace(
        &source,
        &case,
        &theft_address(),
        &options,
        &lookup,
        &prices,
        &JobControl::default(),
    )
    .expect("trace runs");
    let ledger = &world().ledger;
    let crossed = outcome
        .steps
        .iter()
        .filter(|s| s.reason.contains("crossed to Bitcoin"))
        .count();
    assert!(crossed > 0, "the trace crossed the bridge");
    insert(&mut case, "trace", outcome.fragment);
    // Every leg whose deposit the trace brought in: its recipient is in the case.
    let deposits: BTreeSet<&str> = case
        .transfers
        .values()
        .map(|t| t.tx_hash.as_str())
        .collect();
    let expected: BTreeSet<NodeId> = ledger
        .bridge_legs
        .iter()
        .filter(|leg| {
            ledger
                .eth_transfers
                .get(leg.deposit as usize)
                .is_some_and(|d| deposits.contains(to_hex(&d.hash).as_str()))
        })
        .filter_map(|leg| {
            let output = ledger
                .btc_txs
                .get(leg.payout_tx as usize)?
                .outputs
                .get(leg.vout as usize)?;
            ledger.btc_ids.get(output.address? as usize).cloned()
        })
        .collect();
    let missing: Vec<&NodeId> = expected
        .iter()
        .filter(|r| !case.nodes.contains_key(*r))
        .collect();
    println!(
        "trace crossed the bridge from {crossed} nodes; {} of {} recipients of the deposits it saw reached",
        expected.len() - missing.len(),
        expected.len()
    );
    assert!(!expected.is_empty());
    assert!(missing.is_empty(), "not crossed to: {missing:?}");
    let index = CaseIndex::build(&case, &prices);
    let hops = detect(&index, &[FindingKind::BridgeHop], AnalysisLimits::default());
    let bridge = bridge_truth();
    let memo_hops: Vec<&Finding> = hops
        .iter()
        .filter(|f| f.method == "bridge_memo@1")
        .collect();
    let exact = exact_legs(&case, &memo_hops, &bridge);
    println!(
        "bridge_memo: {} found, {exact} the exact leg",
        memo_hops.len()
    );
    assert_eq!(exact, memo_hops.len(), "every memo hop is a real leg");
    assert!(
        memo_hops.len() >= expected.len(),
        "a hop for every recipient reached"
    );
}
