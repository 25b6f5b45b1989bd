//! The GraphSense source checked against GraphSense's own published OpenAPI specification
//! (1.15.5, MIT; `tests/fixtures/graphsense/`) by Prism 5.14 (installed by `.ci/run`):
//!
//! * **Proxy**: Prism in front of our local GraphSense (`support::graphsense_api`, real values,
//!   real paging) validates every request Caseboard sends *and* every answer our server gives
//!   against the spec, with `--errors`; the source must read the scenario exactly through it
//!   and Prism must have logged no violation. So our requests follow the spec, and so does the
//!   server our other tests trust.
//! * **Mock**: Prism answering from the spec alone (dynamic, seeded: schema-valid, meaningless
//!   values — lorem-ipsum addresses, negative counts, a `next_page` that never ends). The
//!   source must send only valid requests, stop, and refuse the values by name: never a panic,
//!   a hang or a half-read answer.

mod support;

use caseboard::model::NodeId;
use caseboard::sources::etherscan::Secret;
use caseboard::sources::graphsense::GraphSenseSource;
use caseboard::sources::{DataSource, Direction, JobControl, SourceError};
use support::graphsense_api::{
    BTC, KEY, Ledger, LinkTx, Relation, StoredTag, USDT_ETH, btc_ledger, serve,
};
use support::prism::Prism;
use support::sources::test_config;

fn eth(n: u8) -> String {
    format!("0x{}", format!("{n:02x}").repeat(20))
}

fn node(n: u8) -> NodeId {
    NodeId::parse(&format!("eth:{}", eth(n))).expect("id")
}

/// An Ethereum hub paid by four addresses and paying USDT and ETH to five; one tagged.
fn ledger() -> Ledger {
    let mut ledger = Ledger::default();
    ledger.address("eth", &eth(1), 42, 1);
    for n in 10..14u8 {
        ledger.address("eth", &eth(n), 0, 2);
        ledger.relation(
            "eth",
            Relation {
                from: eth(n),
                to: eth(1),
                // Prism checks the spec's int64 as JavaScript's safe integers (≤ 2^53 − 1), so
                // the proxied wei stay below 0.009 ETH; beyond it the source reads 128 bits
                // (`wire.rs` tests), as real servers send.
                value: 10u128.pow(15) + u128::from(n),
                tokens: Vec::new(),
                no_txs: 2,
            },
        );
    }
    for n in 20..25u8 {
        ledger.address("eth", &eth(n), 7, 3);
        ledger.relation(
            "eth",
            Relation {
                from: eth(1),
                to: eth(n),
                value: 5,
                tokens: vec![("usdt", 1_000_000 * u128::from(n))],
                no_txs: 1,
            },
        );
    }
    ledger.tag(
        "eth",
        &eth(20),
        StoredTag {
            label: "Mixer deposit",
            category: "mixer",
            concepts: vec!["mixer"],
            confidence: "web_crawl",
            actor: None,
        },
    );
    ledger.tokens.insert(
        "eth".into(),
        serde_json::json!([{"ticker": "USDT", "decimals": 6, "peg_currency": "USD",
                            "contract_address": USDT_ETH}]),
    );
    for (n, value, currency) in [(1u8, 5u128, "eth"), (2, 20_000_000, "usdt")] {
        ledger.txs.push((
            "eth".into(),
            LinkTx {
                hash: format!("0x{}", format!("{n:02x}").repeat(32)),
                height: 19_000_000,
                timestamp: 1_700_000_000,
                transfer: Some((eth(1), eth(20), value, currency.into())),
                ..LinkTx::default()
            },
        ));
    }
    ledger
}

#[test]
fn every_request_and_answer_follows_the_specification_through_a_validating_proxy() {
    let server = serve(ledger(), Some(KEY));
    let prism = Prism::proxy(&server.url());
    let source = GraphSenseSource::new(prism.url(), Some(Secret::new(KEY)), test_config(), None)
        .expect("source")
        .with_page_size(2);
    let control = JobControl::default();
    let hub = node(1);

    let found = source
        .lookup(&hub, &control)
        .expect("lookup")
        .expect("known");
    assert_eq!(found.balance, Some(42));
    let page = source
        .counterparties_page(&hub, Direction::Both, None, &control)
        .unwrap_or_else(|e| panic!("relations through Prism: {e}\n{}", prism.log()));
    assert_eq!(page.counterparties.len(), 9);
    let transfers: Vec<_> = page
        .counterparties
        .iter()
        .flat_map(|c| &c.transfers)
        .collect();
    assert_eq!(transfers.len(), 4 + 5 * 2, "ETH in; ETH and USDT out");
    let usdt: u128 = transfers
        .iter()
        .filter(|t| t.asset.contract.is_some())
        .map(|t| t.amount)
        .sum();
    assert_eq!(usdt, 1_000_000 * (20 + 21 + 22 + 23 + 24));
    assert!(page.counterparties.iter().any(|c| !c.tags.is_empty()));
    let cluster = source
        .cluster_of(&node(20), &control)
        .expect("entity")
        .expect("has one");
    assert_eq!(cluster.addresses, 5);
    let members = source
        .cluster_members(&cluster, 4, &control)
        .unwrap_or_else(|e| panic!("entity addresses: {e}\n{}", prism.log()));
    assert_eq!(members.len(), 4, "two pages of two");
    let links = source
        .relation_transactions(&hub, &node(20), &control)
        .unwrap_or_else(|e| panic!("links: {e}\n{}", prism.log()));
    assert_eq!(links.transfers.len(), 2);
    let said = source
        .test_connection(&control)
        .unwrap_or_else(|e| panic!("stats: {e}\n{}", prism.log()));
    assert!(
        said.contains("serves btc, bch, eth, trx (Caseboard reads btc, bch, eth, trx)"),
        "{said}"
    );

    prism.assert_no_errors();
    // Every kind of request went through Prism, the paged ones included.
    let upstream: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    for needle in [
        "?include_actors=false",
        "/neighbors?direction=in",
        "/neighbors?direction=out",
        "&page=",
        "/tags?pagesize=",
        "/entity?include_actors=false",
        "/eth/entities/3/addresses?pagesize=2",
        "/eth/entities/3/addresses?pagesize=2&page=",
        "/eth/supported_tokens",
        "/links?neighbor=",
        "/stats",
    ] {
        assert!(
            upstream.iter().any(|t| t.contains(needle)),
            "no {needle} among {upstream:?}"
        );
    }
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("Authorization") == Some(KEY)),
        "the key reaches the server through the proxy, in its header"
    );
}

#[test]
fn a_bitcoin_relations_transactions_follow_the_specification_through_the_proxy() {
    let server = serve(btc_ledger(), None);
    let prism = Prism::proxy(&server.url());
    let source = GraphSenseSource::new(prism.url(), None, test_config(), None).expect("source");
    let from = NodeId::parse(&format!("btc:{}", BTC[0])).expect("id");
    let to = NodeId::parse(&format!("btc:{}", BTC[3])).expect("id");
    let facts = source
        .relation_transactions(&from, &to, &JobControl::default())
        .unwrap_or_else(|e| panic!("links: {e}\n{}", prism.log()));
    assert_eq!(
        facts.nodes.iter().filter(|n| n.id.is_transaction()).count(),
        2
    );
    // Between two entities: the entity endpoint, its integer `neighbor` checked by the spec.
    let entity = |id| NodeId::entity(caseboard::model::Chain::Bitcoin, id);
    let between = source
        .relation_transactions(&entity(101), &entity(7), &JobControl::default())
        .unwrap_or_else(|e| panic!("entity links: {e}\n{}", prism.log()));
    assert_eq!(between.transfers.len(), 1);
    prism.assert_no_errors();
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.target.contains("/btc/txs/") && r.target.contains("include_io_index=true"))
    );
    assert!(server.requests().iter().any(|r| {
        r.target
            .contains("/btc/entities/101/links?neighbor=7&pagesize=")
    }));
}

#[test]
fn answers_made_from_the_specification_alone_are_refused_by_name_after_valid_requests() {
    let prism = Prism::start();
    let source = GraphSenseSource::new(prism.url(), None, test_config(), None)
        .expect("source")
        .with_max_pages(3);
    let control = JobControl::default();
    let hub = node(1);
    let outcomes = [
        source.lookup(&hub, &control).map(|_| ()),
        source
            .counterparties_page(&hub, Direction::Both, None, &control)
            .map(|_| ()),
        source.cluster_of(&hub, &control).map(|_| ()),
        source.tags_of(&hub, &control).map(|_| ()),
        source
            .relation_transactions(&hub, &node(2), &control)
            .map(|_| ()),
    ];
    for outcome in outcomes {
        match outcome {
            // Lorem-ipsum addresses, negative amounts: refused, saying which field.
            Err(SourceError::BadAnswer { message, .. }) => {
                assert!(
                    !message.contains("HTTP 4"),
                    "a request Prism refused: {message}"
                );
                assert!(
                    [
                        "address", "negative", "not a", "entity", "balance", "links", "currency"
                    ]
                    .iter()
                    .any(|w| message.contains(w)),
                    "{message}"
                );
            }
            // A tag list Prism happened to make valid is fine too.
            Ok(()) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    prism.assert_no_errors();
    assert!(prism.requests().len() >= 4, "{:?}", prism.requests());
}
