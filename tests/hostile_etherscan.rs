//! The Etherscan source against real recorded answers and answers it must survive: the
//! genesis pseudo-row of `txlist` (a recorded answer, see `tests/fixtures/etherscan/`), an
//! address the server has no row for, and read caps reached.

mod support;

use caseboard::model::NodeId;
use caseboard::sources::etherscan::{EtherscanSource, Secret};
use caseboard::sources::gaps;
use caseboard::sources::http::HttpConfig;
use caseboard::sources::limits::ReadCaps;
use caseboard::sources::{DataSource, Direction, JobControl};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use support::mock_http::{MockServer, Request, Response};

const GENESIS_ADDRESS: &str = "0xddbd2b932c763ba5b1b7ae3b362eac3e8d40121a";

fn recorded_txlist() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/etherscan/txlist_genesis_0xddbd2b93.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

fn empty() -> Value {
    json!({"status": "0", "message": "No transactions found", "result": []})
}

/// A server answering `txlist` with `txlist(page, offset)` and nothing for the other lists.
fn server(txlist: impl Fn(usize, usize) -> Value + Send + Sync + 'static) -> MockServer {
    let server = MockServer::start();
    let txlist = Arc::new(txlist);
    server.route("GET", "/api", move |request: &Request| {
        let number = |name: &str| {
            request
                .query_param(name)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
        };
        let body = match (request.query_param("module"), request.query_param("action")) {
            (Some("proxy"), Some("eth_blockNumber")) => {
                json!({"jsonrpc": "2.0", "id": 83, "result": "0xaa0fb6"})
            }
            (Some("account"), Some("txlist")) => txlist(number("page"), number("offset")),
            _ => empty(),
        };
        Response::json(200, &body)
    });
    server
}

fn source(server: &MockServer) -> EtherscanSource {
    let config = HttpConfig {
        max_retries: 0,
        min_interval_ms: 0,
        ..HttpConfig::for_own_node()
    };
    EtherscanSource::etherscan(
        1,
        Secret::new("TESTKEY123"),
        config,
        None,
        Some(&server.url()),
    )
    .expect("source")
}

fn node(address: &str) -> NodeId {
    NodeId::parse(&format!("eth:{address}")).expect("id")
}

#[test]
fn the_genesis_row_is_the_allocation_and_the_rest_is_kept() {
    let recorded = recorded_txlist();
    let server = server(move |page, _| if page == 1 { recorded.clone() } else { empty() });
    let page = source(&server)
        .counterparties_page(
            &node(GENESIS_ADDRESS),
            Direction::Both,
            None,
            &JobControl::default(),
        )
        .expect("the recorded answer is read");
    // Every real, successful, non-zero transfer of the recording is there, by hash.
    let rows = recorded_txlist()["result"]
        .as_array()
        .expect("rows")
        .clone();
    let wanted: BTreeSet<String> = rows
        .iter()
        .filter(|r| r["from"] != "GENESIS" && r["isError"] == "0" && r["value"] != "0")
        .map(|r| r["hash"].as_str().expect("hash").to_owned())
        .collect();
    assert_eq!(wanted.len(), 38);
    let got: BTreeSet<String> = page
        .counterparties
        .iter()
        .flat_map(|c| c.transfers.iter().map(|t| t.tx_hash.clone()))
        .collect();
    assert_eq!(got, wanted);
    // The allocation is stated on the expanded node, exactly, once.
    let genesis: Vec<&String> = page.gaps.iter().filter(|g| g.contains("genesis")).collect();
    assert_eq!(genesis.len(), 1, "{:?}", page.gaps);
    assert!(
        genesis[0].starts_with(&format!(
            "eth:{GENESIS_ADDRESS} was funded with 10000000000000000000000 wei in the genesis block (block 0)"
        )),
        "{}",
        genesis[0]
    );
    assert!(!page.gaps.iter().any(|g| gaps::is_no_history(g)));
    // No pseudo-address leaked into the counterparties.
    assert!(
        page.counterparties
            .iter()
            .all(|c| !c.key.as_str().contains("GENESIS"))
    );
}

#[test]
fn a_genesis_row_anywhere_but_block_0_is_refused() {
    let mut recorded = recorded_txlist();
    recorded["result"][0]["blockNumber"] = json!("5");
    let server = server(move |_, _| recorded.clone());
    let err = source(&server)
        .counterparties_page(
            &node(GENESIS_ADDRESS),
            Direction::Both,
            None,
            &JobControl::default(),
        )
        .expect_err("refused");
    assert!(
        err.to_string().contains("GENESIS pseudo-row in block 5"),
        "{err}"
    );
}

#[test]
fn an_address_without_any_row_has_no_history() {
    let server = server(|_, _| empty());
    let page = source(&server)
        .counterparties_page(
            &node(GENESIS_ADDRESS),
            Direction::Both,
            None,
            &JobControl::default(),
        )
        .expect("page");
    assert!(page.counterparties.is_empty());
    assert_eq!(
        page.gaps,
        [gaps::no_history("etherscan:1", &node(GENESIS_ADDRESS))]
    );
}

#[test]
fn the_transaction_cap_keeps_what_was_read_and_says_so() {
    let rows = recorded_txlist()["result"]
        .as_array()
        .expect("rows")
        .clone();
    let server = server(move |page, offset| {
        let part: Vec<Value> = rows
            .iter()
            .skip((page - 1) * offset)
            .take(offset)
            .cloned()
            .collect();
        if part.is_empty() {
            empty()
        } else {
            json!({"status": "1", "message": "OK", "result": part})
        }
    });
    let source = source(&server).with_page_size(10).with_read_caps(ReadCaps {
        max_transactions: 20,
        ..ReadCaps::default()
    });
    let page = source
        .counterparties_page(
            &node(GENESIS_ADDRESS),
            Direction::Both,
            None,
            &JobControl::default(),
        )
        .expect("page");
    let txlist_requests = server
        .requests()
        .iter()
        .filter(|r| r.query_param("action") == Some("txlist"))
        .count();
    assert_eq!(txlist_requests, 2, "stops at the cap");
    let transfers: usize = page.counterparties.iter().map(|c| c.transfers.len()).sum();
    let wanted = recorded_txlist()["result"]
        .as_array()
        .expect("rows")
        .iter()
        .take(20)
        .filter(|r| r["from"] != "GENESIS" && r["isError"] == "0" && r["value"] != "0")
        .count();
    assert_eq!(wanted, 18);
    assert_eq!(transfers, wanted, "the moving rows of the first 20");
    assert!(
        page.gaps.iter().any(|g| g.starts_with(
            "read cap reached (20 transactions were read, the most one expansion may (max_transactions)): txlist rows after block"
        )),
        "{:?}",
        page.gaps
    );
}
