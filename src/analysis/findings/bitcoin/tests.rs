//! Tests of the Bitcoin heuristics on real transactions, read into a case by the Esplora
//! source's own parser (`sources::esplora::recorded_tx_facts`), and the helpers the
//! hand-built tests (`synthetic_tests.rs`) share.
//!
//! Real transactions (files in `tests/fixtures/btc-transactions/`, origin in its `SOURCES.md`):
//! * `whirlpool_coinjoin_323df21f.json`, `wasabi2_coinjoin_fb596c9f.json`,
//!   `joinmarket_coinjoin_4f112abd.json`: mempool.space `/api/tx/:txid` answers captured by
//!   github.com/Copexit/am-i-exposed @ `5cc642b12c080c3c7ca48f0b88f8a53e8169b0fc`
//!   (`src/lib/analysis/heuristics/__tests__/fixtures/api-responses/`, MIT), labelled there as a
//!   Whirlpool CoinJoin, a WabiSabi CoinJoin and a JoinMarket CoinJoin (the last one is also
//!   the shape of a STONEWALLx2, as that repository's own scoring notes).
//! * `graphsense_is_coinjoin_true_nulldata_dust_ab188e2a.bitcoind.json` and
//!   `…_bch_nulldata_dust_59d27807.bitcoind.json`: Bitcoin Core `getrawtransaction` answers from
//!   github.com/graphsense/graphsense-lib @ `a82914bf4bcb6210ff585ee5fc966b839cfdbd31`
//!   (`tests/ingest/resources/`, MIT); their inputs' addresses and values are the ones
//!   graphsense-lib's `tests/ingest/test_coinjoin.py` injects. OP_RETURN + dust data
//!   transactions that a bare equal-outputs rule calls a CoinJoin (the second is Bitcoin Cash;
//!   it is used for its shape only).
//! * `esplora_tx_5e0668bf.json`, `esplora_tx_a418e856.json`: ordinary transactions from
//!   Esplora answers recorded in github.com/breez/breez-sdk-greenlight @ `d2ca6e58…` and
//!   github.com/breez/breez-sdk @ `575c261b…` (via Caseboard's replay set `esplora-etherscan`).

use super::super::{CaseIndex, Finding, FindingKind};
use super::{changes, co_spends, coinjoins, read_tx};
use crate::model::address::encode_p2wpkh;
use crate::model::amount::parse_units;
use crate::model::{Case, NodeId};
use crate::prices::PriceBook;
use crate::sources::esplora::recorded_tx_facts;
use serde_json::{Value, json};

pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/btc-transactions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).expect("fixture")
}

/// Adds what an expansion of the transaction `body` brings into `case`.
pub(super) fn add_tx(case: &mut Case, body: &[u8]) {
    let (nodes, transfers) = recorded_tx_facts(body, "GET /tx/recorded").expect("facts");
    for node in nodes {
        case.nodes.entry(node.id.clone()).or_insert(node);
    }
    for t in transfers {
        case.transfers.insert(t.id.clone(), t);
    }
}

pub(super) fn case_of(bodies: &[Vec<u8>]) -> Case {
    let mut case = Case::new("bitcoin heuristics", 0);
    for body in bodies {
        add_tx(&mut case, body);
    }
    case
}

pub(super) fn run(case: &Case) -> (Vec<Finding>, Vec<Finding>, Vec<Finding>) {
    let prices = PriceBook::empty();
    let index = CaseIndex::build(case, &prices);
    (coinjoins(&index), co_spends(&index), changes(&index))
}

pub(super) fn tx_node(txid: &str) -> NodeId {
    NodeId::parse(&format!("btc-tx:{txid}")).expect("tx id")
}

/// A distinct valid P2WPKH address per `n`.
pub(super) fn wpkh(n: u8) -> String {
    encode_p2wpkh(&[n; 20])
}

/// Borrowed (address, sat) pairs for [`esplora_tx`].
pub(super) fn refs(v: &[(String, u64)]) -> Vec<(&str, u64)> {
    v.iter().map(|(a, s)| (a.as_str(), *s)).collect()
}

pub(super) fn txid(n: u32) -> String {
    format!("{n:064x}")
}

/// An Esplora `/tx` answer: inputs and outputs as (address, sat); an empty address is an
/// `OP_RETURN` output of 0 sat.
pub(super) fn esplora_tx(id: &str, ins: &[(&str, u64)], outs: &[(&str, u64)]) -> Vec<u8> {
    let vin: Vec<Value> = ins
        .iter()
        .enumerate()
        .map(|(i, (a, v))| {
            json!({"txid": txid(9_000 + i as u32), "vout": 0, "is_coinbase": false,
                   "prevout": {"scriptpubkey_address": a, "value": v}})
        })
        .collect();
    let vout: Vec<Value> = outs
        .iter()
        .map(|(a, v)| {
            if a.is_empty() {
                json!({"scriptpubkey_type": "op_return", "value": 0})
            } else {
                json!({"scriptpubkey_address": a, "value": v})
            }
        })
        .collect();
    let status = json!({"confirmed": true, "block_height": 800_000, "block_time": 1_700_000_000});
    serde_json::to_vec(&json!({"txid": id, "vin": vin, "vout": vout, "status": status}))
        .expect("json")
}

/// A graphsense bitcoind-shape transaction as Esplora would answer it, with the inputs
/// graphsense-lib's test injects. BTC decimals are read through `parse_units` (exact).
fn from_bitcoind(name: &str, inputs: &[(&str, u64)]) -> Vec<u8> {
    let raw: Value = serde_json::from_slice(&fixture(name)).expect("bitcoind json");
    let vout: Vec<Value> = raw["vout"]
        .as_array()
        .expect("vout")
        .iter()
        .map(|o| {
            let btc = format!("{:.8}", o["value"].as_f64().expect("value"));
            let sat = u64::try_from(parse_units(&btc, 8).expect("amount")).expect("sat");
            let script = &o["scriptPubKey"];
            match script["addresses"].get(0).and_then(Value::as_str) {
                Some(a) => json!({"scriptpubkey_address": a, "scriptpubkey_type": script["type"], "value": sat}),
                None => json!({"scriptpubkey_type": "op_return", "value": sat}),
            }
        })
        .collect();
    let mut body: Value = serde_json::from_slice(&esplora_tx(
        raw["txid"].as_str().expect("txid"),
        inputs,
        &[],
    ))
    .expect("shape");
    body["vout"] = Value::Array(vout);
    serde_json::to_vec(&body).expect("json")
}

#[test]
fn whirlpool_mix_is_recognised() {
    let case = case_of(&[fixture("whirlpool_coinjoin_323df21f.json")]);
    let (cj, co, change) = run(&case);
    assert_eq!(cj.len(), 1, "{cj:#?}");
    let f = &cj[0];
    assert_eq!(
        (f.kind, f.method),
        (FindingKind::CoinJoin, "coinjoin_whirlpool@1")
    );
    assert_eq!(
        f.nodes[0],
        tx_node("323df21f0b0756f98336437aa3d2fb87e02b59f1946b714a7b09df04d429dec2")
    );
    assert_eq!((f.nodes.len(), f.transfers.len()), (11, 10));
    assert_eq!(f.params["pool_denomination_sat"], "5000000");
    assert_eq!(f.params["new_entrants"], "3");
    assert!(
        f.summary.contains("Whirlpool 0.05 BTC pool mix"),
        "{}",
        f.summary
    );
    assert!(
        f.summary.contains("5 equal outputs of 5,000,000 sat"),
        "{}",
        f.summary
    );
    assert!(co.is_empty(), "mix inputs are not one wallet: {co:#?}");
    assert!(change.is_empty(), "{change:#?}");
}

#[test]
fn wasabi2_round_is_recognised() {
    let case = case_of(&[fixture("wasabi2_coinjoin_fb596c9f.json")]);
    let (cj, co, change) = run(&case);
    assert_eq!(cj.len(), 1);
    assert_eq!(cj[0].method, "coinjoin_wasabi2@1", "{}", cj[0].summary);
    assert_eq!(cj[0].transfers.len(), 327 + 279);
    assert!(
        cj[0].summary.contains("327 in, 279 out"),
        "{}",
        cj[0].summary
    );
    assert!(co.is_empty() && change.is_empty());
}

#[test]
fn joinmarket_join_is_recognised() {
    let case = case_of(&[fixture("joinmarket_coinjoin_4f112abd.json")]);
    let (cj, co, change) = run(&case);
    assert_eq!(cj.len(), 1);
    let f = &cj[0];
    assert_eq!(f.method, "coinjoin_joinmarket@1", "{}", f.summary);
    assert_eq!(f.params["denomination_sat"], "100420");
    assert_eq!(f.params["participants"], "2");
    assert!(f.confidence < 50, "two parties is weak evidence");
    assert!(co.is_empty() && change.is_empty());
}

#[test]
fn op_return_dust_transactions_are_not_privacy_coinjoins() {
    let omni = from_bitcoind(
        "graphsense_is_coinjoin_true_nulldata_dust_ab188e2a.bitcoind.json",
        &[
            ("1EFabZzqMDZALgJmZ7DMHdLj9SPRSuXAvU", 600),
            ("12JYmnfYU2ghzjwUAspzJsSnmJtK9bZPYR", 5_277_446),
        ],
    );
    let bch = from_bitcoind(
        "graphsense_is_coinjoin_true_bch_nulldata_dust_59d27807.bitcoind.json",
        &[
            ("3QxSEAwy5SirDifNnUYtrTmRFAkXcyF9xR", 2_700),
            ("3KSZHyXAPLNmxs98CsAij8ksAENRkEa3zs", 2_700),
            ("1F89hmmrtonJfAQNAqDmeDadcw7AsZcvXG", 200_000),
            ("1F89hmmrtonJfAQNAqDmeDadcw7AsZcvXG", 200_000),
        ],
    );
    for body in [omni, bch] {
        let case = case_of(&[body]);
        let (cj, co, change) = run(&case);
        assert!(cj.is_empty(), "{cj:#?}");
        // A data transaction with OP_RETURN is not a plain payment: no change guess.
        assert!(change.is_empty(), "{change:#?}");
        // Its inputs were still spent together.
        assert_eq!(co.len(), 1, "{co:#?}");
    }
}

#[test]
fn co_spend_merges_normal_inputs_across_transactions_not_coinjoin_inputs() {
    let (a, b, c, d) = (wpkh(1), wpkh(2), wpkh(3), wpkh(4));
    let one = esplora_tx(
        &txid(1),
        &[(&a, 50_000), (&b, 60_000)],
        &[(&wpkh(10), 100_000)],
    );
    let two = esplora_tx(
        &txid(2),
        &[(&b, 70_000), (&c, 80_000)],
        &[(&wpkh(11), 140_000)],
    );
    let lone = esplora_tx(&txid(3), &[(&d, 70_000)], &[(&wpkh(12), 60_000)]);
    let case = case_of(&[
        one,
        two,
        lone,
        fixture("whirlpool_coinjoin_323df21f.json"),
        fixture("esplora_tx_5e0668bf.json"),
    ]);
    let (_, co, _) = run(&case);
    assert_eq!(co.len(), 2, "{co:#?}");
    let merged = co
        .iter()
        .find(|f| f.nodes.len() == 3 && f.transfers.len() == 4);
    let merged = merged.expect("a, b, c in one cluster");
    let mut want: Vec<NodeId> = [&a, &b, &c]
        .iter()
        .map(|x| NodeId::parse(&format!("btc:{x}")).expect("id"))
        .collect();
    want.sort();
    assert_eq!(merged.nodes, want);
    assert_eq!((merged.method, merged.confidence), ("co_spend@1", 70));
    // The real transaction's three inputs are the other cluster; no Whirlpool input is in any.
    let whirlpool = NodeId::parse("btc:bc1qgwv9hn979rex0rhfp3cknfdkyrgk04493gclvv").expect("id");
    assert!(co.iter().all(|f| !f.nodes.contains(&whirlpool)));
    assert!(
        co.iter()
            .any(|f| f.nodes.len() == 3 && f.transfers.len() == 3)
    );
}

#[test]
fn change_on_real_transactions() {
    // 3 P2WPKH inputs → 2,920 sat to P2WPKH and 442,557 sat to P2WSH: the small P2WPKH output
    // matches the inputs' type, and it could be paid without the smallest input.
    let (_, _, change) = run(&case_of(&[fixture("esplora_tx_5e0668bf.json")]));
    assert_eq!(change.len(), 1, "{change:#?}");
    let f = &change[0];
    assert_eq!(
        f.nodes[1].as_str(),
        "btc:bc1qt8rscz0j9vdmqp6rnt6rk6qf663tcvd44f6gxa"
    );
    assert_eq!(f.params["voted"], "address_type,unnecessary_input");
    assert_eq!(f.confidence, 70);
    // 2 P2WPKH inputs → P2SH and P2WPKH: only the address type votes.
    let (_, _, change) = run(&case_of(&[fixture("esplora_tx_a418e856.json")]));
    assert_eq!(change.len(), 1, "{change:#?}");
    assert_eq!(
        change[0].nodes[1].as_str(),
        "btc:bc1q0yqp4f05hxq6pdj5c0urf5zhxk2mpm2ndx85za"
    );
    assert_eq!(change[0].confidence, 55);
}

/// Through the findings entry point: kinds in panel order, each from its detector.
#[test]
fn detect_runs_the_bitcoin_detectors() {
    let case = case_of(&[
        fixture("whirlpool_coinjoin_323df21f.json"),
        fixture("esplora_tx_5e0668bf.json"),
    ]);
    let prices = PriceBook::empty();
    let index = CaseIndex::build(&case, &prices);
    let kinds = [
        FindingKind::CoinJoin,
        FindingKind::CoSpend,
        FindingKind::Change,
    ];
    let found = super::super::detect(&index, &kinds, super::super::AnalysisLimits::default());
    let got: Vec<(FindingKind, &str)> = found.iter().map(|f| (f.kind, f.method)).collect();
    assert_eq!(
        got,
        vec![
            (FindingKind::CoinJoin, "coinjoin_whirlpool@1"),
            (FindingKind::CoSpend, "co_spend@1"),
            (FindingKind::Change, "change@1"),
        ]
    );
}

/// The trace reads one transaction from its neighbourhood (`CaseIndex::around`): the reading
/// is the same as from the whole case's index.
#[test]
fn a_transaction_reads_the_same_from_its_neighbourhood() {
    let case = case_of(&[
        fixture("whirlpool_coinjoin_323df21f.json"),
        fixture("esplora_tx_5e0668bf.json"),
        fixture("esplora_tx_a418e856.json"),
    ]);
    let prices = PriceBook::empty();
    let whole = CaseIndex::build(&case, &prices);
    let mut read = 0;
    for tx in case.nodes.keys().filter(|n| n.is_transaction()) {
        let near = CaseIndex::around(&case, tx, &prices);
        let reading = read_tx(&near, tx);
        assert_eq!(reading, read_tx(&whole, tx), "{tx}");
        read += usize::from(reading.coinjoin.is_some() || reading.change.is_some());
    }
    assert_eq!(read, 3);
}
