//! Litecoin, Bitcoin Cash and Zcash through the GraphSense source, against the same local
//! GraphSense as `tests/graphsense.rs` (`support::graphsense_api`): expanding an `ltc` address
//! brings `ltc:` nodes and LTC relations to the base unit, a relation's transactions are
//! `ltc-tx:` nodes with their legs, a `bch` address typed as CashAddr is asked for and drawn in
//! the legacy form GraphSense stores, a `zec` transparent address is looked up; the sources
//! that cannot serve these chains refuse them by name.

mod support;

use caseboard::model::{NodeId, Transfer};
use caseboard::sources::esplora::EsploraSource;
use caseboard::sources::graphsense::GraphSenseSource;
use caseboard::sources::{DataSource, Direction, JobControl, SourceError};
use support::graphsense_api::{Ledger, LinkTx, Relation, serve};
use support::sources::test_config;

/// Litecoin Core's mainnet vectors (`src/test/data/key_io_valid.json`): two P2PKH, one P2SH.
const LTC: [&str; 3] = [
    "LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA",
    "LbfVMz974gbbGFqXF7FZUpSBWSbwBHDwR5",
    "MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2",
];

/// The same script as `LTC[2]` with the old P2SH version 0x05 (base58check of 0x05 and its
/// hash `6d328a5b…`).
const LTC_2_OLD: &str = "3BeQ84kkQFL2xPmkhLJbsWkw5ZdHV1u25v";

/// A transaction hash for the Litecoin relation (any 64 hex digits: the server is local).
const LTC_TX: &str = "9c3b1c2bd8e0a4f6e1b7d0c5a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4";

/// The CashAddr spec's first translation example: legacy and CashAddr of one script.
const BCH_LEGACY: &str = "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu";
const BCH_CASHADDR: &str = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a";
const BCH_OTHER_LEGACY: &str = "1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR";

/// Zcash's `src/test/key_tests.cpp` transparent addresses.
const ZEC: &str = "t1h8SqgtM3QM5e2M8EzhhT1yL2PXXtA6oqe";

fn relation(from: &str, to: &str, value: u128, no_txs: u64) -> Relation {
    Relation {
        from: from.into(),
        to: to.into(),
        value,
        tokens: Vec::new(),
        no_txs,
    }
}

fn ledger() -> Ledger {
    let mut ledger = Ledger::default();
    for (i, address) in LTC.iter().enumerate() {
        ledger.address("ltc", address, 10_000 * (i as u128 + 1), 50 + i as u64);
    }
    ledger.relation("ltc", relation(LTC[1], LTC[0], 250_000_000, 2));
    ledger.relation("ltc", relation(LTC[0], LTC[2], 123_456_789, 1));
    ledger.txs.push((
        "ltc".into(),
        LinkTx {
            hash: LTC_TX.into(),
            height: 2_500_000,
            timestamp: 1_700_000_000,
            transfer: None,
            inputs: vec![(LTC[0].into(), 130_000_000)],
            outputs: vec![(LTC[2].into(), 123_456_789), (LTC[0].into(), 6_500_000)],
        },
    ));
    // GraphSense stores bch addresses in legacy form (graphsense-lib `cannonicalize_address`).
    ledger.address("bch", BCH_LEGACY, 77, 60);
    ledger.address("bch", BCH_OTHER_LEGACY, 5, 61);
    ledger.relation("bch", relation(BCH_OTHER_LEGACY, BCH_LEGACY, 1_500, 3));
    ledger.address("zec", ZEC, 42, 70);
    ledger
}

fn id(text: &str) -> NodeId {
    NodeId::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn relations(source: &dyn DataSource, node: &NodeId) -> Vec<Transfer> {
    source
        .counterparties(node, Direction::Both, &JobControl::default())
        .expect("counterparties")
        .into_iter()
        .flat_map(|c| c.transfers)
        .collect()
}

#[test]
fn a_litecoin_address_expands_into_ltc_nodes_and_relations() {
    let server = serve(ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let hub = id(&format!("ltc:{}", LTC[0]));
    let mut got: Vec<(String, String, u128, String, u8, Option<u64>)> = relations(&source, &hub)
        .iter()
        .map(|t| {
            (
                t.from.as_str().to_owned(),
                t.to.as_str().to_owned(),
                t.amount,
                t.asset.symbol.clone(),
                t.asset.decimals,
                t.relation_txs,
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        (
            format!("ltc:{}", LTC[1]),
            format!("ltc:{}", LTC[0]),
            250_000_000,
            "LTC".to_owned(),
            8,
            Some(2),
        ),
        (
            format!("ltc:{}", LTC[0]),
            format!("ltc:{}", LTC[2]),
            123_456_789,
            "LTC".to_owned(),
            8,
            Some(1),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
    // Every request asked GraphSense's ltc currency.
    let paths: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert!(paths.iter().all(|p| p.starts_with("/ltc/")), "{paths:?}");
    // The old `3…` form of LTC[2] is the same node: looked up as its `M…`.
    let old = id(&format!("ltc:{LTC_2_OLD}"));
    assert_eq!(old.as_str(), format!("ltc:{}", LTC[2]));
    let node = source
        .lookup(&old, &JobControl::default())
        .expect("lookup")
        .expect("known");
    assert_eq!(node.balance, Some(30_000));
    assert_eq!(node.tx_count, Some(1));
}

#[test]
fn a_litecoin_relations_transactions_are_ltc_transaction_nodes() {
    let server = serve(ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let from = id(&format!("ltc:{}", LTC[0]));
    let to = id(&format!("ltc:{}", LTC[2]));
    let facts = source
        .relation_transactions(&from, &to, &JobControl::default())
        .expect("links");
    assert!(facts.gaps.is_empty(), "{:?}", facts.gaps);
    let mut legs: Vec<(String, String, String, u128)> = facts
        .transfers
        .iter()
        .map(|t| {
            assert_eq!((t.asset.symbol.as_str(), t.asset.decimals), ("LTC", 8));
            (
                t.id.as_str().to_owned(),
                t.from.as_str().to_owned(),
                t.to.as_str().to_owned(),
                t.amount,
            )
        })
        .collect();
    legs.sort();
    let tx = format!("ltc-tx:{LTC_TX}");
    let mut want = vec![
        (
            format!("ltc:{LTC_TX}:in0"),
            from.as_str().to_owned(),
            tx.clone(),
            130_000_000,
        ),
        (
            format!("ltc:{LTC_TX}:out0"),
            tx.clone(),
            to.as_str().to_owned(),
            123_456_789,
        ),
        (
            format!("ltc:{LTC_TX}:out1"),
            tx.clone(),
            from.as_str().to_owned(),
            6_500_000,
        ),
    ];
    want.sort();
    assert_eq!(legs, want);
    let tx_nodes: Vec<&str> = facts
        .nodes
        .iter()
        .filter(|n| n.id.is_transaction())
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(tx_nodes, [tx.as_str()]);
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.target.starts_with(&format!(
                "/ltc/txs/{LTC_TX}?include_io=true&include_io_index=true"
            )))
    );
}

#[test]
fn a_bitcoin_cash_address_typed_as_cashaddr_is_the_legacy_node_graphsense_knows() {
    let server = serve(ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let typed = id(&format!("bch:{BCH_CASHADDR}"));
    assert_eq!(typed.as_str(), format!("bch:{BCH_LEGACY}"));
    let node = source
        .lookup(&typed, &JobControl::default())
        .expect("lookup")
        .expect("known");
    assert_eq!(node.balance, Some(77));
    let got: Vec<(String, String, u128, String)> = relations(&source, &typed)
        .iter()
        .map(|t| {
            (
                t.from.as_str().to_owned(),
                t.to.as_str().to_owned(),
                t.amount,
                t.asset.symbol.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(
            format!("bch:{BCH_OTHER_LEGACY}"),
            format!("bch:{BCH_LEGACY}"),
            1_500,
            "BCH".to_owned()
        )]
    );
    assert!(
        server.requests().iter().any(|r| r
            .target
            .starts_with(&format!("/bch/addresses/{BCH_LEGACY}"))),
        "asked in the legacy form"
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.target.contains("bitcoincash") && !r.target.contains("qpm2q")),
        "never in CashAddr"
    );
}

#[test]
fn a_zcash_transparent_address_is_looked_up() {
    let server = serve(ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let node = source
        .lookup(&id(&format!("zec:{ZEC}")), &JobControl::default())
        .expect("lookup")
        .expect("known");
    assert_eq!(node.id.as_str(), format!("zec:{ZEC}"));
    assert_eq!(node.balance, Some(42));
}

#[test]
fn sources_without_these_chains_refuse_them_by_name() {
    let server = serve(Ledger::default(), None);
    let esplora = EsploraSource::new(&server.url(), test_config(), None).expect("esplora");
    let demo = caseboard::sources::demo::demo_source();
    let nodes = [
        (id(&format!("ltc:{}", LTC[0])), "Litecoin"),
        (id(&format!("bch:{BCH_LEGACY}")), "Bitcoin Cash"),
        (id(&format!("zec:{ZEC}")), "Zcash"),
    ];
    for source in [&esplora as &dyn DataSource, &demo] {
        for (node, chain) in &nodes {
            let err = source
                .counterparties(node, Direction::Out, &JobControl::default())
                .expect_err("unsupported");
            assert!(matches!(err, SourceError::UnsupportedChain { .. }), "{err}");
            assert!(
                err.to_string()
                    .contains(&format!("{chain} is not a chain this source serves")),
                "{err}"
            );
        }
    }
    assert!(server.requests().is_empty(), "refused before asking");
}
