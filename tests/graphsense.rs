//! The GraphSense source against a local GraphSense that follows the OpenAPI 1.15.5 rules with
//! real values (`support::graphsense_api`): relations read to the base unit across pages,
//! token values keyed by the contract `supported_tokens` gives, tags with origin
//! `graphsense`, the entity, the key only in the `Authorization` header, faults (429, 500,
//! huge, a paging loop, negative amounts, foreign addresses — the server's own expected bodies
//! with made-up addresses), and the command line expanding an address into relation edges.
//! The contract suite (`tests/source_contract/graphsense.rs`) asks the rest; the requests are
//! checked against the specification itself in `tests/graphsense_prism.rs`.

mod support;

use caseboard::model::{Category, Confidence, NodeId, Transfer};
use caseboard::sources::etherscan::Secret;
use caseboard::sources::graphsense::GraphSenseSource;
use caseboard::sources::{DataSource, Direction, JobControl, SourceError};
use std::process::Command;
use support::graphsense_api::{
    BTC, BTC_TX, KEY, Ledger, LinkTx, Relation, USDT_ETH, btc_ledger, recorded, serve,
};
use support::mock_http::{Fault, Response};
use support::sources::test_config;

fn btc(i: usize) -> NodeId {
    NodeId::parse(&format!("btc:{}", BTC[i])).expect("id")
}

fn eth(n: u8) -> String {
    format!("0x{}", format!("{n:02x}").repeat(20))
}

/// Ethereum addresses 1 and 3 (entity 1) and 2 (entity 2), USDT as a supported token, and three
/// transactions to address 2 from the given senders: 5 ETH, 7 USDT and 9 of a token without a
/// contract (`pepe`).
fn eth_links_ledger(senders: [u8; 3]) -> Ledger {
    let mut ledger = Ledger::default();
    ledger.address("eth", &eth(1), 0, 1);
    ledger.address("eth", &eth(3), 0, 1);
    ledger.address("eth", &eth(2), 0, 2);
    ledger.tokens.insert(
        "eth".into(),
        serde_json::json!([{"ticker": "USDT", "decimals": 6, "contract_address": USDT_ETH}]),
    );
    for ((n, value, currency), from) in [
        (1u8, 5_000_000_000_000_000_000u128, "eth"),
        (2, 7_000_000, "usdt"),
        (3, 9, "pepe"),
    ]
    .into_iter()
    .zip(senders)
    {
        ledger.txs.push((
            "eth".into(),
            LinkTx {
                hash: format!("0x{}", format!("{n:02x}").repeat(32)),
                height: 19_000_000 + u64::from(n),
                timestamp: 1_700_000_000 + i64::from(n),
                transfer: Some((eth(from), eth(2), value, currency.into())),
                ..LinkTx::default()
            },
        ));
    }
    ledger
}

fn relations(source: &dyn DataSource, node: &NodeId, direction: Direction) -> Vec<Transfer> {
    source
        .counterparties(node, direction, &JobControl::default())
        .expect("counterparties")
        .into_iter()
        .flat_map(|c| c.transfers)
        .collect()
}

#[test]
fn relations_are_read_to_the_base_unit_across_pages() {
    let server = serve(btc_ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None)
        .expect("source")
        .with_page_size(2);
    let hub = btc(0);
    let mut got: Vec<(String, String, u128, Option<u64>)> =
        relations(&source, &hub, Direction::Both)
            .iter()
            .map(|t| {
                assert!(
                    t.tx_hash.is_empty() && t.time.is_none(),
                    "a relation has no one hash"
                );
                assert_eq!(t.asset.symbol, "BTC");
                (
                    t.from.value().to_owned(),
                    t.to.value().to_owned(),
                    t.amount,
                    t.relation_txs,
                )
            })
            .collect();
    got.sort();
    let mut want = vec![
        (BTC[1].to_owned(), BTC[0].to_owned(), 150_000_000, Some(3)),
        (
            BTC[2].to_owned(),
            BTC[0].to_owned(),
            2_100_000_000_000_000,
            Some(1),
        ),
        (BTC[0].to_owned(), BTC[3].to_owned(), 99_999_999, Some(12)),
        (BTC[0].to_owned(), BTC[4].to_owned(), 1, Some(1)),
        (BTC[0].to_owned(), BTC[5].to_owned(), 5_000_000_000, Some(2)),
    ];
    want.sort();
    assert_eq!(got, want);
    // Out: three neighbours at two a page = two pages, each with its token after the first.
    let pages: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.target.contains("direction=out"))
        .map(|r| r.target.clone())
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(
        pages[1].contains("&page=AAE%2B00000002%2Fx%3D%3D"),
        "{}",
        pages[1]
    );
    // The neighbour's node: its balance and transactions as GraphSense counts them.
    let cps = source
        .counterparties(&hub, Direction::Out, &JobControl::default())
        .expect("out");
    let dice = cps
        .iter()
        .find(|c| c.key == btc(5))
        .expect("tagged neighbour");
    assert_eq!(dice.nodes[0].balance, Some(6_000));
    assert_eq!(dice.nodes[0].tx_count, Some(2));
    // Looking the hub up: balance and transactions.
    let node = source
        .lookup(&hub, &JobControl::default())
        .expect("lookup")
        .expect("known");
    assert_eq!(node.balance, Some(1_000));
    assert_eq!(node.tx_count, Some(3 + 1 + 12 + 1 + 2));
    assert!(
        source
            .lookup(
                &NodeId::parse("btc:1CounterpartyXXXXXXXXXXXXXXXUWLpVr").expect("id"),
                &JobControl::default()
            )
            .expect("404 is an answer")
            .is_none()
    );
}

#[test]
fn labelled_neighbours_bring_their_tags_and_the_entity_is_told() {
    let server = serve(btc_ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let cps = source
        .counterparties(&btc(0), Direction::Out, &JobControl::default())
        .expect("out");
    let tagged: Vec<_> = cps.iter().filter(|c| !c.tags.is_empty()).collect();
    assert_eq!(tagged.len(), 1, "only the labelled neighbour");
    let tags = &tagged[0].tags;
    assert_eq!(tags.len(), 2);
    assert!(tags.iter().all(|t| t.pack.as_deref() == Some("graphsense")));
    assert_eq!(tags[0].label, "Exchange X hot wallet");
    assert_eq!(tags[0].category, Category::Exchange);
    assert_eq!(tags[0].confidence, Confidence::ServiceData);
    assert_eq!(
        tags[1].category,
        Category::DprkAttributed,
        "actor lazarusgroup"
    );
    assert_eq!(tags[1].confidence, Confidence::Forensic);
    // Only the labelled neighbour's tags were asked for.
    let tag_requests = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/tags"))
        .count();
    assert_eq!(tag_requests, 1);

    let cluster = source
        .cluster_of(&btc(3), &JobControl::default())
        .expect("entity")
        .expect("has one");
    assert_eq!(cluster.id, 7);
    assert_eq!(cluster.addresses, 3);
    assert_eq!(cluster.balance, 1_000 + 4_000 + 6_000);
    assert_eq!(
        cluster.root_address,
        btc(3),
        "the server names its first member"
    );
    assert_eq!(cluster.tag_count, 2);
    assert_eq!(
        cluster.best_tag.map(|t| t.label),
        Some("Exchange X hot wallet".to_owned())
    );
}

#[test]
fn token_values_are_keyed_by_contract_and_unknown_tokens_are_said() {
    let mut ledger = Ledger::default();
    ledger.address("eth", &eth(1), 0, 1);
    ledger.address("eth", &eth(2), 0, 2);
    ledger.relation(
        "eth",
        Relation {
            from: eth(1),
            to: eth(2),
            value: 0,
            tokens: vec![("usdt", 12_345_678_901), ("pepe", 5)],
            no_txs: 4,
        },
    );
    ledger.tokens.insert(
        "eth".into(),
        serde_json::json!([
            {"ticker": "USDT", "decimals": 6, "contract_address": USDT_ETH},
            {"ticker": "PEPE", "decimals": 18}
        ]),
    );
    let server = serve(ledger, None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let node = NodeId::parse(&format!("eth:{}", eth(1))).expect("id");
    let page = source
        .counterparties_page(&node, Direction::Out, None, &JobControl::default())
        .expect("page");
    let transfers: Vec<&Transfer> = page
        .counterparties
        .iter()
        .flat_map(|c| &c.transfers)
        .collect();
    assert_eq!(
        transfers.len(),
        1,
        "USDT only: no ETH moved, PEPE has no contract"
    );
    assert_eq!(transfers[0].amount, 12_345_678_901);
    assert_eq!(transfers[0].asset.decimals, 6);
    assert_eq!(
        transfers[0].asset.contract.as_deref(),
        Some("0xdac17f958d2ee523a2206206994597c13d831ec7")
    );
    assert_eq!(transfers[0].relation_txs, Some(4));
    assert!(
        page.gaps
            .iter()
            .any(|g| g.contains("pepe values of 1 relation left out")),
        "{:?}",
        page.gaps
    );
    // supported_tokens is read once per source.
    source
        .counterparties_page(&node, Direction::Out, None, &JobControl::default())
        .expect("again");
    let token_reads = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/supported_tokens"))
        .count();
    assert_eq!(token_reads, 1);
}

#[test]
fn the_key_travels_only_in_the_authorization_header() {
    let server = serve(btc_ledger(), Some(KEY));
    let keyed = GraphSenseSource::new(&server.url(), Some(Secret::new(KEY)), test_config(), None)
        .expect("source");
    assert_eq!(relations(&keyed, &btc(0), Direction::Both).len(), 5);
    for request in server.requests() {
        assert_eq!(request.header("Authorization"), Some(KEY));
        assert!(!request.target.contains(KEY), "{}", request.target);
    }
    let unkeyed = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let shown = unkeyed
        .counterparties(&btc(0), Direction::Both, &JobControl::default())
        .unwrap_err()
        .to_string();
    assert!(shown.contains("401"), "{shown}");
    server.fault(
        "GET",
        "/",
        Fault::Reply(Response::text(403, &format!("key {KEY} is not allowed"))),
        10,
    );
    let err = keyed
        .counterparties(&btc(0), Direction::Both, &JobControl::default())
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(KEY), "{err}");
}

#[test]
fn hostile_answers_are_clear_errors_and_the_source_recovers() {
    let server = serve(btc_ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let hub = btc(0);
    let neighbor = |address: &str, value: i64| {
        serde_json::json!({"value": {"value": value, "fiat_values": []}, "no_txs": 1,
            "address": {"currency": "btc", "address": address, "entity": 1,
                        "balance": {"value": 0, "fiat_values": []},
                        "no_incoming_txs": 0, "no_outgoing_txs": 0}})
    };
    let cases: Vec<(Fault, &str)> = vec![
        (
            Fault::Huge {
                bytes: 8 * 1024 * 1024,
                content_length: false,
            },
            "larger than",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"neighbors": [neighbor(BTC[1], -5)]}),
            )),
            "neighbors[0]: value: negative amount -5",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"neighbors": [neighbor("0x1111111111111111111111111111111111111111", 5)]}),
            )),
            "is not a Bitcoin address",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"neighbors": [neighbor(BTC[1], 5)], "next_page": "a\u{0}b"}),
            )),
            "next_page is not a paging token",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"neighbors": [{"value": {"value": 1.5}}]}),
            )),
            "neighbors",
        ),
    ];
    for (fault, words) in cases {
        server.fault("GET", "/btc/addresses/", fault.clone(), 1_000);
        let result = source.counterparties(&hub, Direction::Out, &JobControl::default());
        server.clear_faults();
        match result {
            Err(SourceError::BadAnswer { message, .. }) => {
                assert!(message.contains(words), "{fault:?}: {message}");
            }
            other => panic!("{fault:?}: {other:?}"),
        }
        assert_eq!(
            relations(&source, &hub, Direction::Out).len(),
            3,
            "healthy again"
        );
    }
    // A server that hands out the same next_page again is a loop, said as such.
    server.fault(
        "GET",
        "/btc/addresses/",
        Fault::Reply(Response::json(
            200,
            &serde_json::json!({"neighbors": [neighbor(BTC[1], 5)], "next_page": "same"}),
        )),
        1_000,
    );
    let err = source
        .counterparties(&hub, Direction::In, &JobControl::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("paging loop"), "{err}");
    server.clear_faults();
    // 429 once, then the answer; 500 past every retry is an error naming the source.
    server.fault("GET", "/btc/", Fault::too_many_requests(Some("0")), 1);
    assert_eq!(relations(&source, &hub, Direction::Out).len(), 3);
    server.fault("GET", "/btc/", Fault::status(500), 1_000);
    let err = source
        .counterparties(&hub, Direction::Out, &JobControl::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("graphsense:127.0.0.1") && err.contains("500"),
        "{err}"
    );
}

#[test]
fn the_servers_own_expected_body_with_made_up_addresses_is_refused_whole() {
    // graphsense-lib's test expectation for addressA's neighbours names `addressE`, which is no
    // Bitcoin address: nothing of the answer is taken.
    let server = recorded();
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let err = source
        .counterparties(&btc(0), Direction::Out, &JobControl::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("neighbors[0]") && err.contains("\"addressE\" is not a Bitcoin address"),
        "{err}"
    );
}

#[test]
fn the_command_line_expands_into_relation_edges_with_graphsense_tags() {
    let server = serve(btc_ledger(), Some(KEY));
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.ron");
    let out_path = dir.path().join("expanded.ron");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_caseboard"))
            .env("CASEBOARD_SETTINGS", dir.path().join("settings.ron"))
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .env("CASEBOARD_GRAPHSENSE_API_KEY", KEY)
            .args(args)
            .output()
            .expect("binary runs")
    };
    let source = format!("graphsense={}", server.url());
    let out = run(&[
        "new",
        "-o",
        case.to_str().expect("utf8"),
        "--source",
        &source,
        BTC[0],
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "expand",
        case.to_str().expect("utf8"),
        "--node",
        btc(0).as_str(),
        "-o",
        out_path.to_str().expect("utf8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&out_path).expect("case");
    assert!(!text.contains(KEY));
    let expanded = caseboard::case_file::load(&out_path).expect("loads");
    assert_eq!(expanded.transfers.len(), 5);
    assert!(
        expanded
            .transfers
            .values()
            .all(|t| t.relation_txs.is_some())
    );
    let tags = &expanded.tags[&btc(5)];
    assert!(
        tags.iter()
            .any(|t| t.label == "Lazarus deposit" && t.pack.as_deref() == Some("graphsense")),
        "{tags:?}"
    );
}

#[test]
fn the_hosted_apis_recorded_stats_are_read_whatever_their_size() {
    // api.ikna.io's real /stats of 2022: counts beyond the spec's int32 (6,324,455,334 address
    // relations), no TRON yet.
    let server = serve(Ledger::default(), None);
    let body =
        std::fs::read(support::graphsense_api::recorded_dir().join("stats.json")).expect("stats");
    server.fault(
        "GET",
        "/stats",
        Fault::Reply(Response::bytes(200, "application/json", body)),
        1,
    );
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let said = source
        .test_connection(&JobControl::default())
        .expect("stats");
    assert_eq!(
        said,
        "answers; serves btc, bch, ltc, zec, eth (Caseboard reads btc, bch, ltc, zec, eth)"
    );
}

#[test]
fn a_bitcoin_relations_transactions_are_read_whole_with_esplora_leg_names() {
    let server = serve(btc_ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None)
        .expect("source")
        .with_page_size(1);
    let facts = source
        .relation_transactions(&btc(0), &btc(3), &JobControl::default())
        .expect("links");
    assert!(facts.gaps.is_empty(), "{:?}", facts.gaps);
    let mut legs: Vec<(String, u128, Option<i64>)> = facts
        .transfers
        .iter()
        .map(|t| (t.id.as_str().to_owned(), t.amount, t.time))
        .collect();
    legs.sort();
    let mut want = vec![
        (
            format!("btc:{}:in0", BTC_TX[0]),
            60_000_000,
            Some(1_690_000_000),
        ),
        (
            format!("btc:{}:in1", BTC_TX[0]),
            10_000,
            Some(1_690_000_000),
        ),
        (
            format!("btc:{}:out0", BTC_TX[0]),
            59_000_000,
            Some(1_690_000_000),
        ),
        (
            format!("btc:{}:out1", BTC_TX[0]),
            1_000_000,
            Some(1_690_000_000),
        ),
        (
            format!("btc:{}:in0", BTC_TX[1]),
            41_000_000,
            Some(1_690_000_600),
        ),
        (
            format!("btc:{}:out0", BTC_TX[1]),
            40_999_999,
            Some(1_690_000_600),
        ),
    ];
    want.sort();
    assert_eq!(legs, want);
    let tx_nodes = facts.nodes.iter().filter(|n| n.id.is_transaction()).count();
    assert_eq!(tx_nodes, 2);
    let to_hop: u128 = facts
        .transfers
        .iter()
        .filter(|t| t.to == btc(3))
        .map(|t| t.amount)
        .sum();
    assert_eq!(to_hop, 99_999_999, "what the relation summed");
    // Two pages of links (one a page), then each transaction whole.
    let paths: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        paths.iter().filter(|p| p.contains("/links?")).count(),
        2,
        "{paths:?}"
    );
    assert!(paths.iter().any(|p| p.contains(&format!(
        "/btc/txs/{}?include_io=true&include_io_index=true",
        BTC_TX[1]
    ))));
}

#[test]
fn an_ethereum_relations_transactions_are_its_transfers() {
    let ledger = eth_links_ledger([1, 1, 1]);
    let server = serve(ledger, None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let a = NodeId::parse(&format!("eth:{}", eth(1))).expect("id");
    let b = NodeId::parse(&format!("eth:{}", eth(2))).expect("id");
    let facts = source
        .relation_transactions(&a, &b, &JobControl::default())
        .expect("links");
    let got: Vec<(String, u128, Option<String>)> = facts
        .transfers
        .iter()
        .map(|t| (t.id.as_str().to_owned(), t.amount, t.asset.contract.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                format!("eth:0x{}:native", "01".repeat(32)),
                5_000_000_000_000_000_000,
                None
            ),
            (
                format!("eth:0x{}:gs-T1", "02".repeat(32)),
                7_000_000,
                Some("0xdac17f958d2ee523a2206206994597c13d831ec7".into())
            ),
        ]
    );
    assert!(
        facts
            .transfers
            .iter()
            .all(|t| t.time.is_some() && t.block_height.is_some())
    );
    assert!(
        facts
            .gaps
            .iter()
            .any(|g| g.contains("pepe: 1 transfer left out")),
        "{:?}",
        facts.gaps
    );
}

#[test]
fn an_entity_is_a_node_that_expands_entity_to_entity() {
    let server = serve(btc_ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let control = JobControl::default();
    let entity = NodeId::entity(caseboard::model::Chain::Bitcoin, 7);
    let node = source
        .lookup(&entity, &control)
        .expect("lookup")
        .expect("known");
    assert_eq!(node.balance, Some(1_000 + 4_000 + 6_000));
    // Entity 7 (BTC 0, 3, 5) received from entities 101 (BTC 1) and 102 (BTC 2) and paid 104
    // (BTC 4); its inner relations (0 → 3, 0 → 5) are not relations of the entity graph.
    let cps = source
        .counterparties(&entity, Direction::Both, &control)
        .expect("entity neighbours");
    let mut got: Vec<(String, String, u128, Option<u64>)> = cps
        .iter()
        .flat_map(|c| &c.transfers)
        .map(|t| {
            (
                t.from.as_str().to_owned(),
                t.to.as_str().to_owned(),
                t.amount,
                t.relation_txs,
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "btc:entity:101".into(),
                "btc:entity:7".into(),
                150_000_000,
                Some(3)
            ),
            (
                "btc:entity:102".into(),
                "btc:entity:7".into(),
                2_100_000_000_000_000,
                Some(1)
            ),
            ("btc:entity:7".into(), "btc:entity:104".into(), 1, Some(1)),
        ]
    );
    assert!(
        server.requests().iter().all(|r| !r.path.ends_with("/tags")),
        "an entity row brings its best tag; no tag requests"
    );
    let cluster = source
        .cluster_of(&entity, &control)
        .expect("entity")
        .expect("has one");
    assert_eq!(cluster.id, 7);
    let err = source
        .relation_transactions(&entity, &btc(4), &control)
        .unwrap_err()
        .to_string();
    assert!(err.contains("joins an address and an entity"), "{err}");
}

#[test]
fn an_entity_relations_transactions_are_transfers_between_the_two_entities() {
    let server = serve(btc_ledger(), None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None).expect("source");
    let control = JobControl::default();
    let entity = |id| NodeId::entity(caseboard::model::Chain::Bitcoin, id);
    // Entity 101 (BTC 1) put an input into BTC_TX[0], whose outputs paid entity 7's BTC 3
    // (59,000,000) and BTC 0 (1,000,000): one transaction of 60,000,000 sat, entity to entity.
    let facts = source
        .relation_transactions(&entity(101), &entity(7), &control)
        .expect("entity links");
    let got: Vec<(String, u128, Option<i64>, Option<u64>)> = facts
        .transfers
        .iter()
        .map(|t| (t.id.as_str().to_owned(), t.amount, t.time, t.block_height))
        .collect();
    assert_eq!(
        got,
        vec![(
            format!("btc:{}:e101>7", BTC_TX[0]),
            60_000_000,
            Some(1_690_000_000),
            Some(800_000),
        )]
    );
    assert!(
        facts
            .transfers
            .iter()
            .all(|t| t.from == entity(101) && t.to == entity(7))
    );
    assert!(facts.gaps.is_empty(), "{:?}", facts.gaps);
    assert!(
        server.requests().iter().any(|r| r
            .target
            .starts_with("/btc/entities/101/links?neighbor=7&pagesize=")),
        "the entity endpoint, not the addresses'"
    );
    // Entity 7 paid 104 only through a relation without listed transactions: nothing.
    let none = source
        .relation_transactions(&entity(7), &entity(104), &control)
        .expect("entity links");
    assert!(none.transfers.is_empty());
}

#[test]
fn an_ethereum_entity_relations_transfers_keep_their_assets_and_name_their_addresses() {
    let ledger = eth_links_ledger([1, 3, 1]);
    let server = serve(ledger, None);
    let source = GraphSenseSource::new(&server.url(), None, test_config(), None)
        .expect("source")
        .with_page_size(1);
    let a = NodeId::entity(caseboard::model::Chain::ETHEREUM, 1);
    let b = NodeId::entity(caseboard::model::Chain::ETHEREUM, 2);
    let facts = source
        .relation_transactions(&a, &b, &JobControl::default())
        .expect("links");
    let got: Vec<(String, u128, Option<String>)> = facts
        .transfers
        .iter()
        .map(|t| (t.id.as_str().to_owned(), t.amount, t.asset.contract.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                format!("eth:0x{}:e1>2-native", "01".repeat(32)),
                5_000_000_000_000_000_000,
                None
            ),
            (
                format!("eth:0x{}:e1>2-gs-T1", "02".repeat(32)),
                7_000_000,
                Some("0xdac17f958d2ee523a2206206994597c13d831ec7".into())
            ),
        ]
    );
    assert!(facts.transfers.iter().all(|t| t.from == a && t.to == b));
    let usdt = &facts.transfers[1];
    let request = &usdt.provenance.as_ref().expect("provenance").request;
    assert!(
        request.contains(&eth(3)) && request.contains(&eth(2)),
        "the provenance names the addresses: {request}"
    );
    assert!(
        facts
            .gaps
            .iter()
            .any(|g| g.contains("pepe: 1 transfer left out")),
        "{:?}",
        facts.gaps
    );
}
