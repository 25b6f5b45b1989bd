//! The EVM JSON-RPC source against a hostile or enormous node (a local JSON-RPC mock on the
//! test HTTP server): a tip no chain can have, more block windows than one expansion may
//! ask, more logs and bytes than the read caps allow (the page keeps what it read, says so and
//! goes on from its cursor until the history is complete), a node without traces (the gap is
//! stated on the expanded node) and an address the node knows nothing of.

mod support;

use caseboard::model::NodeId;
use caseboard::sources::evm_rpc::EvmRpcSource;
use caseboard::sources::gaps;
use caseboard::sources::http::HttpConfig;
use caseboard::sources::limits::ReadCaps;
use caseboard::sources::{CounterpartyPage, DataSource, Direction, JobControl};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use support::anvil::pad32;

/// `address` as a 32-byte topic (`0x` + 64 hex digits).
fn topic(address: &str) -> String {
    format!("0x{}", pad32(address))
}
use support::mock_http::{MockServer, Request, Response};

const ADDR: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const TOKEN: &str = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const TRANSFER_TOPIC: &str = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// How the fake node behaves.
#[derive(Clone)]
struct Node {
    chain_id: u64,
    tip: String,
    /// Outgoing `Transfer` logs of [`ADDR`] in block `b`.
    logs_in_block: Arc<dyn Fn(u64) -> u64 + Send + Sync>,
    balance: &'static str,
}

fn hex_u64(value: &Value) -> u64 {
    let text = value.as_str().expect("hex string");
    u64::from_str_radix(text.trim_start_matches("0x"), 16).expect("hex")
}

fn log(block: u64, index: u64) -> Value {
    let counterparty = format!("0x{:040x}", block * 1000 + index + 1);
    json!({
        "address": TOKEN,
        "topics": [TRANSFER_TOPIC, topic(ADDR), topic(&counterparty)],
        "data": format!("0x{:064x}", 1_000 + index),
        "blockNumber": format!("0x{block:x}"),
        "transactionHash": format!("0x{:064x}", block * 100_000 + index),
        "logIndex": format!("0x{index:x}"),
        "blockTimestamp": format!("0x{:x}", 1_700_000_000 + block),
        "removed": false,
    })
}

fn serve(node: Node) -> MockServer {
    let server = MockServer::start();
    server.route("POST", "/", move |request: &Request| {
        let body = request.json().expect("JSON body");
        let method = body["method"].as_str().unwrap_or_default();
        let result = match method {
            "eth_chainId" => json!(format!("0x{:x}", node.chain_id)),
            "eth_blockNumber" => json!(node.tip),
            "eth_getBalance" => json!(node.balance),
            "eth_getTransactionCount" => json!("0x0"),
            "eth_getLogs" => {
                let filter = &body["params"][0];
                let outgoing = filter["topics"][1] == json!(topic(ADDR));
                let (from, to) = (hex_u64(&filter["fromBlock"]), hex_u64(&filter["toBlock"]));
                let mut logs = Vec::new();
                if outgoing {
                    for block in from..=to {
                        for index in 0..(node.logs_in_block)(block) {
                            logs.push(log(block, index));
                        }
                    }
                }
                Value::Array(logs)
            }
            "eth_call" => {
                let error = json!({"code": 3, "message": "execution reverted"});
                return Response::json(
                    200,
                    &json!({"jsonrpc": "2.0", "id": body["id"], "error": error}),
                );
            }
            _ => {
                let error = json!({"code": -32601, "message": "Method not found"});
                return Response::json(
                    200,
                    &json!({"jsonrpc": "2.0", "id": body["id"], "error": error}),
                );
            }
        };
        Response::json(
            200,
            &json!({"jsonrpc": "2.0", "id": body["id"], "result": result}),
        )
    });
    server
}

fn source(server: &MockServer) -> EvmRpcSource {
    let config = HttpConfig {
        max_retries: 0,
        ..HttpConfig::for_own_node()
    };
    EvmRpcSource::new(&server.url(), None, config, None).expect("source")
}

fn node_id() -> NodeId {
    NodeId::parse(&format!("evm31337:{ADDR}")).expect("id")
}

fn get_logs_requests(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.json().is_some_and(|b| b["method"] == "eth_getLogs"))
        .count()
}

fn page(source: &EvmRpcSource, resume: Option<&str>) -> CounterpartyPage {
    source
        .counterparties_page(&node_id(), Direction::Out, resume, &JobControl::default())
        .expect("page")
}

#[test]
fn an_impossible_tip_gives_up_at_once() {
    for (chain_id, tip) in [
        (1, "0xffffffffffffffff"),
        (31_337, "0xffffffffffffffff"),
        (1, "0x20000000"),
    ] {
        let server = serve(Node {
            chain_id,
            tip: tip.to_owned(),
            logs_in_block: Arc::new(|_| 0),
            balance: "0x0",
        });
        let source = source(&server);
        let id = NodeId::parse(&format!(
            "{}:{ADDR}",
            if chain_id == 1 {
                "eth".to_owned()
            } else {
                format!("evm{chain_id}")
            }
        ))
        .expect("id");
        let started = std::time::Instant::now();
        let err = source
            .counterparties(&id, Direction::Both, &JobControl::default())
            .expect_err("refused");
        let text = err.to_string();
        assert!(
            text.contains(&format!("chain {chain_id} cannot have more than")),
            "{text}"
        );
        assert!(text.contains("nothing was read"), "{text}");
        assert_eq!(get_logs_requests(&server), 0, "no window was asked");
        assert!(started.elapsed().as_secs() < 5);
        assert!(source.test_connection(&JobControl::default()).is_err());
    }
}

#[test]
fn the_block_walk_asks_a_bounded_number_of_windows() {
    let server = serve(Node {
        chain_id: 31_337,
        tip: format!("0x{:x}", 5_000_000),
        logs_in_block: Arc::new(|_| 0),
        balance: "0x1",
    });
    let source = source(&server).with_chunk_blocks(10).with_max_windows(50);
    let first = page(&source, None);
    assert_eq!(get_logs_requests(&server), 50);
    assert_eq!(
        first.resume.as_deref(),
        Some("evm-rpc:v1:tokens-out:500:5000000")
    );
    assert!(
        first.gaps.iter().any(
            |g| g.starts_with("read cap reached (50 block-range requests")
                && g.contains("outgoing ERC-20 transfers (eth_getLogs) in blocks 500..=5000000")
        ),
        "{:?}",
        first.gaps
    );
    let second = page(&source, first.resume.as_deref());
    assert_eq!(get_logs_requests(&server), 100);
    assert_eq!(
        second.resume.as_deref(),
        Some("evm-rpc:v1:tokens-out:1000:5000000")
    );
    let err = source
        .counterparties_page(
            &node_id(),
            Direction::Out,
            Some("evm-rpc:v1:bogus:1:2"),
            &JobControl::default(),
        )
        .expect_err("bad cursor");
    assert!(err.to_string().contains("is not a resume cursor"), "{err}");
}

#[test]
fn the_log_cap_keeps_what_was_read_and_load_more_completes_the_history() {
    let server = serve(Node {
        chain_id: 31_337,
        tip: "0x63".to_owned(),
        logs_in_block: Arc::new(|_| 2),
        balance: "0x1",
    });
    let caps = ReadCaps {
        max_logs: 50,
        ..ReadCaps::default()
    };
    let source = source(&server).with_chunk_blocks(10).with_read_caps(caps);
    let mut ids = BTreeSet::new();
    let mut resume: Option<String> = None;
    let mut pages = 0;
    loop {
        let part = page(&source, resume.as_deref());
        pages += 1;
        let transfers: Vec<_> = part
            .counterparties
            .iter()
            .flat_map(|c| &c.transfers)
            .collect();
        assert!(transfers.len() <= 50, "page {pages}: {}", transfers.len());
        for transfer in transfers {
            assert!(
                ids.insert(transfer.id.clone()),
                "read twice: {}",
                transfer.id
            );
        }
        assert!(
            part.gaps
                .iter()
                .any(|g| g.starts_with("native ETH and internal transfers of"))
        );
        match part.resume {
            Some(next) => {
                assert!(
                    part.gaps
                        .iter()
                        .any(|g| g.starts_with("read cap reached (50 logs")),
                    "{:?}",
                    part.gaps
                );
                resume = Some(next);
            }
            None => break,
        }
        assert!(pages < 10, "no end");
    }
    assert_eq!(pages, 4);
    assert_eq!(ids.len(), 200, "every log of blocks 0..=99 once");
}

#[test]
fn a_block_fatter_than_the_cap_is_read_alone_on_the_next_page() {
    let server = serve(Node {
        chain_id: 31_337,
        tip: "0x1d".to_owned(),
        logs_in_block: Arc::new(|block| if block == 15 { 300 } else { 1 }),
        balance: "0x1",
    });
    let caps = ReadCaps {
        max_logs: 50,
        ..ReadCaps::default()
    };
    let source = source(&server).with_chunk_blocks(10).with_read_caps(caps);
    let first = page(&source, None);
    assert_eq!(first.resume.as_deref(), Some("evm-rpc:v1:tokens-out:15:29"));
    assert!(
        first
            .gaps
            .iter()
            .any(|g| g.contains("block 15 alone holds more than")),
        "{:?}",
        first.gaps
    );
    let count = |p: &CounterpartyPage| {
        p.counterparties
            .iter()
            .map(|c| c.transfers.len())
            .sum::<usize>()
    };
    assert_eq!(count(&first), 15);
    // The next page always keeps its first answer, so it gets past the fat block.
    let second = page(&source, first.resume.as_deref());
    assert!(count(&second) >= 300, "{}", count(&second));
}

#[test]
fn the_byte_cap_stops_the_walk() {
    let server = serve(Node {
        chain_id: 31_337,
        tip: "0x63".to_owned(),
        logs_in_block: Arc::new(|_| 2),
        balance: "0x1",
    });
    let caps = ReadCaps {
        max_bytes: 20_000,
        ..ReadCaps::default()
    };
    let source = source(&server).with_chunk_blocks(10).with_read_caps(caps);
    let first = page(&source, None);
    assert!(first.resume.is_some());
    assert!(
        first.gaps.iter().any(|g| g.contains("(max_bytes 20000)")),
        "{:?}",
        first.gaps
    );
    assert!(
        get_logs_requests(&server) < 10,
        "{}",
        get_logs_requests(&server)
    );
}

#[test]
fn an_address_the_node_never_saw_has_no_history() {
    let blank = serve(Node {
        chain_id: 31_337,
        tip: "0x63".to_owned(),
        logs_in_block: Arc::new(|_| 0),
        balance: "0x0",
    });
    let part = page(&source(&blank), None);
    assert!(part.counterparties.is_empty());
    let name = source(&blank).name().to_owned();
    assert!(
        part.gaps.contains(&gaps::no_history(&name, &node_id())),
        "{:?}",
        part.gaps
    );
    // A funded address with nothing to list is known, just quiet: no such gap.
    let funded = serve(Node {
        chain_id: 31_337,
        tip: "0x63".to_owned(),
        logs_in_block: Arc::new(|_| 0),
        balance: "0x10",
    });
    let part = page(&source(&funded), None);
    assert!(
        !part.gaps.iter().any(|g| gaps::is_no_history(g)),
        "{:?}",
        part.gaps
    );
    assert!(
        part.gaps.iter().any(
            |g| g.contains("Etherscan or Blockscout, or a node with trace_filter or Otterscan")
        )
    );
}
