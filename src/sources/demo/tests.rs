//! Tests of the demo world as a whole: determinism, well-formed addresses, balanced amounts,
//! the shape of the flow as a user would follow it, and the `DataSource` contract.

use super::clock::{DEMO_SNAPSHOT_UNIX_SECS, THEFT_UNIX_SECS, btc_tip_height, eth_tip_height};
use super::ledger::{EthLeg, Prevout};
use super::world::{build_world, world};
use super::*;
use crate::model::address::{BitcoinAddressKind, ParsedAddress, parse_address};
use crate::model::{Chain, NodeId, NodeKind};
use crate::sources::{DataSource, Direction, JobControl, SourceError};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::time::Instant;

fn control() -> JobControl {
    JobControl::default()
}

fn out_of(node: &NodeId) -> Vec<crate::sources::Counterparty> {
    demo_source()
        .counterparties(node, Direction::Out, &control())
        .expect("demo answers")
}

#[test]
fn generation_is_deterministic_and_quick() {
    let started = Instant::now();
    let first = build_world();
    let elapsed_ms = started.elapsed().as_millis();
    let second = build_world();
    assert!(first == second, "two generations differ");
    println!(
        "demo world: {} ETH + {} BTC addresses, {} ETH transfers, {} BTC txs, {} bridge legs; generated in {elapsed_ms} ms",
        first.ledger.eth_ids.len(),
        first.ledger.btc_ids.len(),
        first.ledger.eth_transfers.len(),
        first.ledger.btc_txs.len(),
        first.ledger.bridge_legs.len(),
    );
    // Generous bound: the target is well under 200 ms, but test machines can be loaded.
    assert!(elapsed_ms < 2_000, "generation took {elapsed_ms} ms");

    let source = demo_source();
    for node in [theft_address(), exchange_hot_wallets()[1].clone()] {
        let a = source
            .counterparties(&node, Direction::Both, &control())
            .expect("answers");
        let b = source
            .counterparties(&node, Direction::Both, &control())
            .expect("answers");
        assert_eq!(a, b);
    }
}

#[test]
fn every_address_is_well_formed_and_round_trips() {
    let ledger = &world().ledger;
    let mut kinds: HashMap<String, usize> = HashMap::new();
    for (chain, ids) in [
        (Chain::ETHEREUM, &ledger.eth_ids),
        (Chain::Bitcoin, &ledger.btc_ids),
    ] {
        for id in ids {
            let parsed = parse_address(id.value()).expect("world address parses");
            assert_eq!(NodeId::address(chain, &parsed), *id);
            assert_eq!(NodeId::parse(id.as_str()).as_ref(), Ok(id));
            if let ParsedAddress::Bitcoin { kind, .. } = parsed {
                *kinds.entry(kind.to_string()).or_default() += 1;
            }
        }
    }
    assert!(parse_address(&ledger.token_contract).is_ok());
    let count = |kind: BitcoinAddressKind| kinds.get(&kind.to_string()).copied().unwrap_or(0);
    let p2wpkh = count(BitcoinAddressKind::P2wpkh);
    for kind in [
        BitcoinAddressKind::P2pkh,
        BitcoinAddressKind::P2sh,
        BitcoinAddressKind::P2tr,
    ] {
        assert!(count(kind) > 20 && count(kind) < p2wpkh, "{kinds:?}");
    }
}

#[test]
fn bitcoin_transactions_balance_and_spend_only_existing_outputs() {
    let ledger = &world().ledger;
    let mut spent: HashSet<(u32, u32)> = HashSet::new();
    let mut previous_height = 0;
    let mut op_returns = 0;
    for (i, tx) in ledger.btc_txs.iter().enumerate() {
        let inputs: u128 = tx.inputs.iter().map(|i| i.amount_sat).sum();
        let outputs: u128 = tx.outputs.iter().map(|o| o.amount_sat).sum();
        assert!(tx.fee_sat > 0, "tx {i} has no fee");
        assert_eq!(inputs, outputs + tx.fee_sat, "tx {i} does not balance");
        assert!(!tx.inputs.is_empty() && !tx.outputs.is_empty());
        assert!(
            tx.block.height >= previous_height,
            "heights go back at tx {i}"
        );
        previous_height = tx.block.height;
        assert!(tx.block.time_unix_secs >= THEFT_UNIX_SECS);
        for output in &tx.outputs {
            if output.address.is_none() {
                op_returns += 1;
                assert_eq!(output.amount_sat, 0);
            } else {
                assert!(output.amount_sat >= 546, "dust output in tx {i}");
            }
        }
        for input in &tx.inputs {
            if let Prevout::InWorld { tx: prev, vout } = input.prevout {
                assert!((prev as usize) < i, "tx {i} spends a later output");
                assert!(spent.insert((prev, vout)), "double spend in tx {i}");
                let source = &ledger.btc_txs[prev as usize].outputs[vout as usize];
                assert_eq!(source.address, Some(input.address));
                assert_eq!(source.amount_sat, input.amount_sat);
            }
        }
    }
    assert!(
        op_returns > 0,
        "some transactions carry an OP_RETURN output"
    );
}

#[test]
fn ethereum_flows_never_overdraw() {
    let w = world();
    let ledger = &w.ledger;
    let mut wei = ledger.eth_opening_wei.clone();
    let mut token = ledger.eth_opening_token.clone();
    let mut previous_block = 0;
    for (i, t) in ledger.eth_transfers.iter().enumerate() {
        assert!(
            t.block.height >= previous_block,
            "blocks go back at transfer {i}"
        );
        previous_block = t.block.height;
        assert_ne!(t.from, t.to);
        assert!(t.amount > 0);
        let (from, to) = (t.from as usize, t.to as usize);
        wei[from] = wei[from].checked_sub(t.fee_wei).expect("gas covered");
        let balances = match t.leg {
            EthLeg::Native => &mut wei,
            EthLeg::TokenLog(_) => &mut token,
        };
        balances[from] = balances[from]
            .checked_sub(t.amount)
            .unwrap_or_else(|| panic!("transfer {i} overdraws {}", ledger.eth_ids[from]));
        balances[to] += t.amount;
    }
    assert_eq!(wei, w.eth_balance_wei);
    assert_eq!(token, w.eth_token_balance);
}

#[test]
fn peel_chains_conserve_value_minus_fees() {
    // Along an ETH peel chain, what a hop received = what it forwarded + what it kept + gas.
    let w = world();
    let ledger = &w.ledger;
    let split = ledger.actors.splits[0] as usize;
    let mut hop = split;
    let mut hops = 0;
    while let Some(&first_out) = w.eth_outgoing[hop].first() {
        let received: u128 = w.eth_incoming[hop]
            .iter()
            .map(|&i| &ledger.eth_transfers[i as usize])
            .filter(|t| t.leg == EthLeg::Native)
            .map(|t| t.amount)
            .sum();
        let forward = &ledger.eth_transfers[first_out as usize];
        if forward.to == ledger.actors.bridge_contract {
            break;
        }
        let spent: u128 = w.eth_outgoing[hop]
            .iter()
            .map(|&i| &ledger.eth_transfers[i as usize])
            .map(|t| {
                if t.leg == EthLeg::Native {
                    t.amount + t.fee_wei
                } else {
                    t.fee_wei
                }
            })
            .sum();
        assert_eq!(received, spent + w.eth_balance_wei[hop], "hop {hops}");
        assert!(
            forward.amount > received * 9 / 10,
            "a hop passes most of it on"
        );
        hop = forward.to as usize;
        hops += 1;
    }
    assert!(hops >= 9, "the chain has {hops} hops");
}

#[test]
fn theft_address_pays_exactly_the_split_addresses() {
    let theft = theft_address();
    let counterparties = out_of(&theft);
    let keys: BTreeSet<NodeId> = counterparties.iter().map(|c| c.key.clone()).collect();
    let splits: BTreeSet<NodeId> = split_addresses().into_iter().collect();
    assert_eq!(splits.len(), 40);
    assert_eq!(keys, splits);
    for c in &counterparties {
        assert_eq!(c.transfers.len(), 1);
        assert_eq!(c.value, 10_000 * 10u128.pow(18));
        assert_eq!(c.nodes.len(), 1);
        assert_eq!(c.nodes[0].id, c.key);
    }
    let incoming = demo_source()
        .counterparties(&theft, Direction::In, &control())
        .expect("answers");
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].key, victim_cold_wallet());
    let stolen = &incoming[0].transfers[0];
    assert_eq!(stolen.time, Some(THEFT_UNIX_SECS));
    assert_eq!(stolen.block_height, Some(21_895_238));
}

#[test]
fn following_outgoing_hops_reaches_every_stage_of_the_flow() {
    let source = demo_source();
    let [alpha, beta] = exchange_hot_wallets();
    let [bridge, _] = bridge_addresses();
    let mixer = mixer_address();
    let token = token_contract();
    let mut seen: HashSet<NodeId> = HashSet::new();
    let mut queue = VecDeque::from([theft_address()]);
    let (mut saw_btc_address, mut saw_token) = (false, false);
    seen.insert(theft_address());
    while let Some(node) = queue.pop_front() {
        if seen.len() > 20_000 {
            break;
        }
        for c in source
            .counterparties(&node, Direction::Out, &control())
            .expect("answers")
        {
            saw_token |= c
                .transfers
                .iter()
                .any(|t| t.asset.contract.as_deref() == Some(token.as_str()));
            if seen.insert(c.key.clone()) {
                saw_btc_address |= c.key.chain() == Some(Chain::Bitcoin) && !c.key.is_transaction();
                queue.push_back(c.key);
            }
        }
    }
    for (name, node) in [
        ("mixer", &mixer),
        ("bridge", &bridge),
        ("Alpha", &alpha),
        ("Beta", &beta),
    ] {
        assert!(seen.contains(node), "outgoing hops never reach the {name}");
    }
    assert!(saw_btc_address && saw_token);
}

#[test]
fn world_size_is_in_the_target_range() {
    // Addresses reachable from the theft address by expanding in both directions.
    let source = demo_source();
    let mut seen: HashSet<NodeId> = HashSet::from([theft_address()]);
    let mut queue = VecDeque::from([theft_address()]);
    while let Some(node) = queue.pop_front() {
        for c in source
            .counterparties(&node, Direction::Both, &control())
            .expect("answers")
        {
            for n in c.nodes {
                if seen.insert(n.id.clone()) {
                    queue.push_back(n.id);
                }
            }
        }
    }
    let addresses = seen.iter().filter(|id| !id.is_transaction()).count();
    let transactions = seen.len() - addresses;
    println!("reachable: {addresses} addresses, {transactions} Bitcoin transactions");
    assert!(
        (3_000..=6_000).contains(&addresses),
        "{addresses} reachable addresses"
    );
}

#[test]
fn bitcoin_counterparties_bring_whole_transactions() {
    let source = demo_source();
    let [_, beta] = exchange_hot_wallets();
    let spends = source
        .counterparties(&beta, Direction::Out, &control())
        .expect("answers");
    assert!(spends.len() > 50, "Beta's hot wallet pays in many batches");
    for c in &spends {
        assert!(c.key.is_transaction());
        let tx = world().tx_index[&super::hex::from_hex(c.key.value()).expect("txid")];
        let record = &world().ledger.btc_txs[tx as usize];
        assert_eq!(c.nodes[0].id, c.key);
        assert_eq!(c.nodes[0].kind, NodeKind::Transaction);
        let legs = record.inputs.len()
            + record
                .outputs
                .iter()
                .filter(|o| o.address.is_some())
                .count();
        assert_eq!(c.transfers.len(), legs);
        for t in &c.transfers {
            assert!(c.nodes.iter().any(|n| n.id == t.from) && c.nodes.iter().any(|n| n.id == t.to));
            assert_eq!(t.asset.decimals, 8);
        }
        let spent: u128 = record.inputs.iter().map(|i| i.amount_sat).sum();
        assert_eq!(c.value, spent * 10u128.pow(10));

        // From the transaction node: one counterparty per output address.
        let outs = source
            .counterparties(&c.key, Direction::Out, &control())
            .expect("answers");
        let addresses: BTreeSet<_> = record.outputs.iter().filter_map(|o| o.address).collect();
        assert_eq!(outs.len(), addresses.len());
        assert!(
            outs.iter()
                .all(|o| o.transfers.iter().all(|t| t.from == c.key))
        );
        let ins = source
            .counterparties(&c.key, Direction::In, &control())
            .expect("answers");
        assert!(ins.iter().any(|i| i.key == beta));
    }
    // A transaction with an OP_RETURN output lists only the outputs with an address.
    let (tx, record) = world()
        .ledger
        .btc_txs
        .iter()
        .enumerate()
        .find(|(_, t)| t.outputs.iter().any(|o| o.address.is_none()))
        .expect("an OP_RETURN transaction");
    let id = NodeId::transaction(Chain::Bitcoin, &super::hex::to_hex(&record.txid)).expect("txid");
    let outs = source
        .counterparties(&id, Direction::Out, &control())
        .expect("answers");
    let with_address = record
        .outputs
        .iter()
        .filter(|o| o.address.is_some())
        .count();
    assert_eq!(
        outs.iter().map(|c| c.transfers.len()).sum::<usize>(),
        with_address,
        "tx {tx}"
    );
}

#[test]
fn every_fact_carries_fixed_provenance() {
    let source = demo_source();
    let theft = theft_address();
    let [_, beta] = exchange_hot_wallets();
    for (node, tip) in [(&theft, eth_tip_height()), (&beta, btc_tip_height())] {
        let request = format!("counterparties({node}, outgoing)");
        for c in source
            .counterparties(node, Direction::Out, &control())
            .expect("answers")
        {
            let nodes = c.nodes.iter().map(|n| n.provenance.as_ref());
            let transfers = c.transfers.iter().map(|t| t.provenance.as_ref());
            for provenance in nodes.chain(transfers) {
                let p = provenance.expect("provenance");
                assert_eq!(p.source, "demo");
                assert_eq!(p.request, request);
                assert_eq!(p.fetched_at, DEMO_SNAPSHOT_UNIX_SECS);
                assert_eq!(p.block_height, Some(tip));
            }
            for n in c.nodes.iter().filter(|n| n.kind == NodeKind::Address) {
                assert!(n.balance.is_some() && n.tx_count.is_some_and(|count| count > 0));
            }
        }
    }
}

#[test]
fn lookup_reports_balances_consistent_with_the_flow() {
    let source = demo_source();
    let theft = source
        .lookup(&theft_address(), &control())
        .expect("answers")
        .expect("known");
    // 401,346.77 ETH stolen, 400,000 ETH split off, 41 transactions of gas.
    let balance = theft.balance.expect("balance");
    assert!(balance > 1_346 * 10u128.pow(18) && balance < 1_347 * 10u128.pow(18));
    assert_eq!(theft.tx_count, Some(41));
    let [alpha, beta] = exchange_hot_wallets();
    for hub in [alpha, beta] {
        let node = source
            .lookup(&hub, &control())
            .expect("answers")
            .expect("known");
        assert!(
            node.tx_count.is_some_and(|c| c > 300),
            "{hub} is a hub: {node:?}"
        );
    }
}

#[test]
fn unknown_and_unsupported_nodes() {
    let source = demo_source();
    let fresh_eth = NodeId::parse("eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").expect("valid");
    let fresh_btc = NodeId::parse("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").expect("valid");
    for node in [&fresh_eth, &fresh_btc] {
        assert_eq!(
            source.counterparties(node, Direction::Both, &control()),
            Ok(vec![])
        );
        assert_eq!(source.lookup(node, &control()), Ok(None));
    }
    let unknown_tx = NodeId::transaction(Chain::Bitcoin, &"ab".repeat(32)).expect("txid");
    assert!(matches!(
        source.counterparties(&unknown_tx, Direction::Out, &control()),
        Err(SourceError::UnknownNode { .. })
    ));
    assert_eq!(source.lookup(&unknown_tx, &control()), Ok(None));
    let bsc = NodeId::parse("evm56:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("valid");
    assert!(matches!(
        source.counterparties(&bsc, Direction::Out, &control()),
        Err(SourceError::UnsupportedChain { .. })
    ));
    assert!(matches!(
        source.lookup(&bsc, &control()),
        Err(SourceError::UnsupportedChain { .. })
    ));
    assert_eq!(source.name(), "demo");
}

#[test]
fn cancellation_stops_the_job() {
    let source = demo_source();
    let control = control();
    control.cancel();
    assert_eq!(
        source.counterparties(&theft_address(), Direction::Out, &control),
        Err(SourceError::Cancelled)
    );
    assert_eq!(
        source.lookup(&theft_address(), &control),
        Err(SourceError::Cancelled)
    );
    // Progress is reported while working.
    let working = JobControl::default();
    source
        .counterparties(&theft_address(), Direction::Out, &working)
        .expect("answers");
    assert!(working.steps_done() >= 40);
}

#[test]
fn demo_case_is_valid_and_holds_the_first_hop() {
    let case = demo_case();
    assert_eq!(case.validate(), vec![]);
    assert_eq!(
        case.meta.title,
        "Demo: DPRK-style laundering walkthrough (synthetic)"
    );
    assert!(case.meta.description.contains("synthetic"));
    assert_eq!(case.meta.created, DEMO_SNAPSHOT_UNIX_SECS);
    assert_eq!(case.source, crate::model::SourceConfig::Demo);
    assert!(case.nodes.contains_key(&theft_address()));
    assert!(case.nodes.contains_key(&victim_cold_wallet()));
    for split in split_addresses() {
        assert!(case.nodes.contains_key(&split));
    }
    assert_eq!(case.nodes.len(), 42);
    assert_eq!(case.transfers.len(), 41);
    assert_eq!(case.layout.positions.len(), case.nodes.len());
    assert_eq!(case.layout.positions[&theft_address()], [0.0, 0.0]);
    assert_eq!(demo_case(), case, "the demo case is deterministic");
}

#[test]
fn attribution_names_only_world_nodes() {
    let source = demo_source();
    let tags = demo_attribution();
    assert_eq!(tags.len(), 2 + 40 + 6);
    for (node, tag) in &tags {
        assert!(
            source.lookup(node, &control()).expect("answers").is_some(),
            "{node} unknown"
        );
        assert_eq!(tag.source, "Caseboard demo world (synthetic)");
        assert_eq!(tag.author, "Caseboard demo");
    }
    let category_of = |id: &NodeId| {
        tags.iter()
            .find(|(n, _)| n == id)
            .map(|(_, t)| (t.category.clone(), t.confidence))
    };
    use crate::model::{Category, Confidence};
    assert_eq!(
        category_of(&victim_cold_wallet()).map(|c| c.0),
        Some(Category::Victim)
    );
    assert_eq!(
        category_of(&theft_address()),
        Some((Category::DprkAttributed, Confidence::ForensicInvestigation))
    );
    assert_eq!(
        category_of(&mixer_address()).map(|c| c.0),
        Some(Category::Mixer)
    );
    assert_eq!(
        category_of(&swap_router_address()).map(|c| c.0),
        Some(Category::Defi)
    );
    for hot in exchange_hot_wallets() {
        assert_eq!(
            category_of(&hot),
            Some((Category::Exchange, Confidence::ServiceData))
        );
    }
}

#[test]
fn demo_case_is_one_planned_expansion_of_the_theft_address() {
    use crate::analysis::expansion::{DEFAULT_LIMIT, ExpandOptions, plan_expansion};
    let case = demo_case();
    let source = demo_source();
    let counterparties = source
        .counterparties(&theft_address(), Direction::Both, &control())
        .expect("answers");
    // Everything the source reports for the theft address is in the case, as reported.
    for cp in &counterparties {
        for node in &cp.nodes {
            assert_eq!(case.nodes.get(&node.id), Some(node), "{}", node.id);
        }
        for transfer in &cp.transfers {
            assert_eq!(case.transfers.get(&transfer.id), Some(transfer));
        }
    }
    // Expanding the theft address again, as the app would, finds nothing new and nothing
    // left out: the case is exactly what that expansion plans.
    let again = plan_expansion(
        &case,
        &theft_address(),
        counterparties,
        &ExpandOptions::with_limit(DEFAULT_LIMIT),
        crate::prices::PriceBook::bundled_ref(),
    );
    assert!(again.fragment.is_empty(), "{:?}", again.fragment);
    assert_eq!(again.omitted, 0);
    // Built through the door alone: no audit entry is invented, nothing is pinned.
    assert!(case.history.is_empty());
    assert!(case.layout.pinned.is_empty());
}

#[test]
fn expanding_the_bridge_keeps_eth_deposits_and_btc_payouts() {
    use crate::analysis::expansion::{DEFAULT_LIMIT, ExpandOptions, plan_expansion};
    let [bridge, _] = bridge_addresses();
    let mut case = crate::model::Case::new("bridge", 0);
    case.nodes
        .insert(bridge.clone(), crate::model::Node::address(bridge.clone()));
    let counterparties = demo_source()
        .counterparties(&bridge, Direction::Both, &control())
        .expect("answers");
    let plan = plan_expansion(
        &case,
        &bridge,
        counterparties,
        &ExpandOptions::with_limit(DEFAULT_LIMIT),
        crate::prices::PriceBook::bundled_ref(),
    );
    // Ranked by USD, not by raw units: BTC payouts are not hidden behind ETH deposits.
    let symbols: BTreeSet<&str> = plan
        .fragment
        .transfers
        .iter()
        .map(|t| t.asset.symbol.as_str())
        .collect();
    assert!(
        symbols.contains("ETH") && symbols.contains("BTC"),
        "{symbols:?}"
    );
    if plan.omitted > 0 {
        let text = plan.left_out_text().unwrap_or_default();
        assert!(text.contains('$'), "priced, so a USD total: {text}");
    }
}
