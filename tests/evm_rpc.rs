//! The EVM JSON-RPC source against a real node: anvil 1.7.1 (see `tests/support/anvil.rs`).
//!
//! Each test starts its own anvil on a free loopback port and drives it over plain JSON-RPC
//! (dev accounts are unlocked): ETH transfers A→B, B→C, A→B; the 6-decimal `TestUSD` ERC-20
//! (`tests/fixtures/evm/TestUSD.bin`, solc 0.8.37 from `Token.sol`) minted to A and moved
//! A→B, B→D and many more times A→B so block chunks matter; the `Forwarder` contract passing
//! ETH on to D (an inner call), and once failing (a reverted transaction that must not
//! appear); and two tiny hand-assembled contracts that emit raw `Transfer` logs — one with 3
//! topics (a token that answers neither `symbol()` nor `decimals()`, and a value above
//! `u128::MAX`) and one with 4 (an ERC-721 transfer, to be left out). Then A, B, C and D are
//! expanded in every direction and every transfer is compared with what was sent: id,
//! sender, receiver, exact amount, asset (symbol, decimals, contract), tx hash and block.
//!
//! The same expectations hold through a loopback proxy that hides `trace_filter` (Otterscan
//! path), hides `trace_filter` and `ots_*` (no native transfers, and the nodes say so), or
//! refuses wide `eth_getLogs` / `trace_filter` ranges the way Infura and Alchemy do
//! (bisection). Error handling runs against the mock HTTP server as a fake node.

mod support;

use caseboard::model::address::short_form;
use caseboard::model::{NodeId, Transfer};
use caseboard::sources::evm_rpc::{EvmRpcSource, NO_NATIVE_NOTE, NativeSupport};
use caseboard::sources::http::HttpConfig;
use caseboard::sources::{Counterparty, DataSource, Direction, JobControl, SourceError};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use support::anvil::{Anvil, fixture, pad32, qty};
use support::mock_http::{Fault, MockServer, Request, Response};
use support::rpc_proxy::proxy;

const CHAIN_ID: u64 = 31337;
const ETH: u128 = 1_000_000_000_000_000_000;
const TRANSFER_TOPIC: &str = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const ZERO: &str = "0x0000000000000000000000000000000000000000";
/// `transfer(address,uint256)`.
const TRANSFER_SELECTOR: &str = "0xa9059cbb";
/// `fwd(address)` of the Forwarder.
const FWD_SELECTOR: &str = "0x8a0cc58d";
const TUSD_DECIMALS: u8 = 6;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn hex_u64(value: &Value) -> u64 {
    let text = value.as_str().expect("hex string");
    u64::from_str_radix(text.trim_start_matches("0x"), 16).expect("hex")
}

fn node(address: &str) -> NodeId {
    NodeId::parse(&format!("evm{CHAIN_ID}:{address}")).expect("node id")
}

/// Init code that deploys `runtime` as is.
fn deployer(runtime: &[u8]) -> String {
    let len = u8::try_from(runtime.len()).expect("short runtime");
    // PUSH1 len PUSH1 12 PUSH1 0 CODECOPY PUSH1 len PUSH1 0 RETURN, then the runtime.
    let mut code = vec![
        0x60, len, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, len, 0x60, 0x00, 0xf3,
    ];
    code.extend_from_slice(runtime);
    code.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runtime that emits LOG3 with topics = calldata words 0..3 and data = word 3, and answers
/// every call (so `symbol()` too) with nothing.
fn emitter3() -> Vec<u8> {
    vec![
        0x60, 0x20, 0x60, 0x60, 0x60, 0x00, 0x37, // CALLDATACOPY(0, 0x60, 0x20)
        0x60, 0x40, 0x35, // topic2 = calldata[0x40]
        0x60, 0x20, 0x35, // topic1 = calldata[0x20]
        0x60, 0x00, 0x35, // topic0 = calldata[0x00]
        0x60, 0x20, 0x60, 0x00, 0xa3, // LOG3(0, 0x20, …)
        0x00, // STOP
    ]
}

/// Runtime that emits LOG4 with topics = calldata words 0..4 and data = word 4.
fn emitter4() -> Vec<u8> {
    vec![
        0x60, 0x20, 0x60, 0x80, 0x60, 0x00, 0x37, // CALLDATACOPY(0, 0x80, 0x20)
        0x60, 0x60, 0x35, // topic3
        0x60, 0x40, 0x35, // topic2
        0x60, 0x20, 0x35, // topic1
        0x60, 0x00, 0x35, // topic0
        0x60, 0x20, 0x60, 0x00, 0xa4, // LOG4(0, 0x20, …)
        0x00,
    ]
}

/// One transfer as the test expects (and as it reads one back).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Want {
    id: String,
    from: String,
    to: String,
    amount: u128,
    symbol: String,
    decimals: u8,
    contract: Option<String>,
    tx_hash: String,
    block: u64,
}

impl Want {
    fn of(transfer: &Transfer) -> Want {
        Want {
            id: transfer.id.to_string(),
            from: transfer.from.value().to_owned(),
            to: transfer.to.value().to_owned(),
            amount: transfer.amount,
            symbol: transfer.asset.symbol.clone(),
            decimals: transfer.asset.decimals,
            contract: transfer.asset.contract.clone(),
            tx_hash: transfer.tx_hash.clone(),
            block: transfer.block_height.expect("block height"),
        }
    }
}

/// The chain the tests build, and what each transfer on it must look like.
struct Scenario {
    anvil: Anvil,
    a: String,
    b: String,
    c: String,
    d: String,
    token: String,
    forwarder: String,
    odd_token: String,
    wants: Vec<Want>,
    reverted_tx: String,
}

impl Scenario {
    /// Builds the chain; `extra` more TUSD transfers A→B spread over as many blocks.
    fn build(extra: usize) -> Scenario {
        let anvil = Anvil::start();
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| anvil.account(i));
        let mut wants = Vec::new();
        let want = |receipt: &Value,
                    leg: &str,
                    from: &str,
                    to: &str,
                    amount: u128,
                    asset: (&str, u8, Option<&str>)| {
            let hash = receipt["transactionHash"]
                .as_str()
                .expect("hash")
                .to_ascii_lowercase();
            Want {
                id: format!("evm{CHAIN_ID}:{hash}:{leg}"),
                from: from.to_owned(),
                to: to.to_owned(),
                amount,
                symbol: asset.0.to_owned(),
                decimals: asset.1,
                contract: asset.2.map(str::to_owned),
                tx_hash: hash,
                block: hex_u64(&receipt["blockNumber"]),
            }
        };
        let eth = ("ETH", 18, None);

        // Plain ETH.
        for (from, to, amount) in [(&a, &b, ETH), (&b, &c, ETH / 2), (&a, &b, ETH / 8)] {
            let receipt = anvil.send(json!({"from": from, "to": to, "value": qty(amount)}));
            wants.push(want(&receipt, "native", from, to, amount, eth));
        }

        // The 6-decimal ERC-20: mint to A, then transfers.
        let supply = 10u128.pow(12);
        let init = format!("{}{}", fixture("TestUSD.bin"), pad32(&qty(supply)));
        let (token, receipt) = anvil.deploy(&a, &init);
        let tusd = ("TUSD", TUSD_DECIMALS, Some(token.as_str()));
        wants.push(want(&receipt, "log0", ZERO, &a, supply, tusd));
        let mut moves = vec![
            (a.clone(), b.clone(), 250_000_000u128),
            (b.clone(), d.clone(), 100_000_000),
        ];
        moves.extend((0..extra).map(|i| (a.clone(), b.clone(), 1_000_000 + i as u128)));
        for (from, to, amount) in &moves {
            let data = format!("{TRANSFER_SELECTOR}{}{}", pad32(to), pad32(&qty(*amount)));
            let receipt = anvil.send(json!({"from": from, "to": token, "data": data}));
            assert_eq!(receipt["status"], "0x1", "{receipt}");
            wants.push(want(&receipt, "log0", from, to, *amount, tusd));
        }

        // ETH through the Forwarder to D (an inner call), and once into a reverting call.
        let (forwarder, _) = anvil.deploy(&a, &fixture("Forwarder.bin"));
        let data = format!("{FWD_SELECTOR}{}", pad32(&d));
        let receipt = anvil.send(json!({"from": a, "to": forwarder, "value": qty(ETH / 4), "data": data, "gas": "0x30d40"}));
        assert_eq!(receipt["status"], "0x1", "{receipt}");
        wants.push(want(&receipt, "native", &a, &forwarder, ETH / 4, eth));
        wants.push(want(&receipt, "trace0", &forwarder, &d, ETH / 4, eth));
        let data = format!("{FWD_SELECTOR}{}", pad32(&token));
        let receipt = anvil.send(json!({"from": a, "to": forwarder, "value": qty(3 * ETH / 10), "data": data, "gas": "0x30d40"}));
        assert_eq!(receipt["status"], "0x0", "the token refuses ETH: {receipt}");
        let reverted_tx = receipt["transactionHash"]
            .as_str()
            .expect("hash")
            .to_owned();

        // Raw Transfer logs: a token without symbol()/decimals(), a value above u128::MAX,
        // and an ERC-721-shaped log.
        // Created with value: a top-level `create` moving ETH (its bare code accepts it).
        let (odd_token, receipt) = anvil.deploy_with_value(&a, &deployer(&emitter3()), ETH / 100);
        wants.push(want(&receipt, "native", &a, &odd_token, ETH / 100, eth));
        let (nft, _) = anvil.deploy(&a, &deployer(&emitter4()));
        let odd_symbol = short_form(&odd_token);
        let data = format!(
            "{TRANSFER_TOPIC}{}{}{}",
            pad32(&a),
            pad32(&d),
            pad32(&qty(42))
        );
        let receipt =
            anvil.send(json!({"from": a, "to": odd_token, "data": data, "gas": "0x30d40"}));
        wants.push(want(
            &receipt,
            "log0",
            &a,
            &d,
            42,
            (&odd_symbol, 0, Some(&odd_token)),
        ));
        let huge = format!("1{}", "0".repeat(50)); // 2^200
        let data = format!("{TRANSFER_TOPIC}{}{}{}", pad32(&b), pad32(&d), pad32(&huge));
        anvil.send(json!({"from": a, "to": odd_token, "data": data, "gas": "0x30d40"}));
        let data = format!(
            "{TRANSFER_TOPIC}{}{}{}{}",
            pad32(&a),
            pad32(&d),
            pad32(&qty(7)),
            pad32("0")
        );
        anvil.send(json!({"from": a, "to": nft, "data": data, "gas": "0x30d40"}));

        Scenario {
            anvil,
            a,
            b,
            c,
            d,
            token,
            forwarder,
            odd_token,
            wants,
            reverted_tx,
        }
    }

    fn source(&self, url: &str) -> EvmRpcSource {
        EvmRpcSource::new(url, Some(CHAIN_ID), HttpConfig::for_own_node(), None).expect("source")
    }

    /// The transfers of `who` in `direction`, with or without native ones.
    fn wanted(&self, who: &str, direction: Direction, native: bool) -> BTreeMap<String, Want> {
        self.wants
            .iter()
            .filter(|w| native || w.contract.is_some())
            .filter(|w| {
                (direction.includes_out() && w.from == who)
                    || (direction.includes_in() && w.to == who)
            })
            .map(|w| (w.id.clone(), w.clone()))
            .collect()
    }

    fn everyone(&self) -> Vec<String> {
        vec![
            self.a.clone(),
            self.b.clone(),
            self.c.clone(),
            self.d.clone(),
            self.forwarder.clone(),
            self.odd_token.clone(),
        ]
    }
}

/// Expands `who` and checks the counterparties' shape; returns the transfers by id and the
/// counterparties.
fn expand(
    source: &EvmRpcSource,
    who: &str,
    direction: Direction,
) -> (BTreeMap<String, Want>, Vec<Counterparty>) {
    let me = node(who);
    let control = JobControl::default();
    let counterparties = source
        .counterparties(&me, direction, &control)
        .unwrap_or_else(|e| panic!("{who} {direction:?}: {e}"));
    assert!(control.steps_done() > 0);
    let mut got = BTreeMap::new();
    let mut keys = BTreeSet::new();
    for cp in &counterparties {
        assert!(
            keys.insert(cp.key.clone()),
            "one counterparty per address: {}",
            cp.key
        );
        assert_eq!(cp.nodes.len(), 1);
        assert_eq!(cp.nodes[0].id, cp.key);
        let provenance = cp.nodes[0].provenance.as_ref().expect("node provenance");
        assert_eq!(provenance.source, source.name());
        assert!(provenance.block_height.is_some());
        let mut value = 0u128;
        for t in &cp.transfers {
            let outgoing = direction.includes_out() && t.from == me && t.to == cp.key;
            let incoming = direction.includes_in() && t.to == me && t.from == cp.key;
            assert!(
                outgoing || incoming,
                "{} does not belong to {}",
                t.id,
                cp.key
            );
            value += t.ranking_value();
            assert!(t.time.is_some_and(|time| time > 1_600_000_000), "{}", t.id);
            let p = t.provenance.as_ref().expect("transfer provenance");
            assert_eq!(p.source, source.name());
            assert!(p.fetched_at > 0 && p.block_height.is_some());
            assert!(
                p.request.starts_with("eth_getLogs(")
                    || p.request.starts_with("trace_filter(")
                    || p.request.starts_with("ots_"),
                "{}",
                p.request
            );
            assert!(
                got.insert(t.id.to_string(), Want::of(t)).is_none(),
                "{} twice",
                t.id
            );
        }
        assert_eq!(cp.value, value, "value of {}", cp.key);
    }
    (got, counterparties)
}

fn rpc_error(body: &Value, code: i64, message: &str, data: Option<Value>) -> Value {
    let mut error = json!({"code": code, "message": message});
    if let Some(data) = data {
        error["data"] = data;
    }
    json!({"jsonrpc": "2.0", "id": body["id"], "error": error})
}

/// Blocks asked for by a range filter.
fn span_of(body: &Value) -> Option<u64> {
    let filter = &body["params"][0];
    let from = hex_u64(filter.get("fromBlock")?);
    let to = hex_u64(filter.get("toBlock")?);
    Some(to - from + 1)
}

fn method_of(body: &Value) -> &str {
    body["method"].as_str().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Against anvil
// ---------------------------------------------------------------------------------------------

#[test]
fn expands_every_direction_like_what_was_sent() {
    let s = Scenario::build(24);
    let source = s.source(s.anvil.url()).with_chunk_blocks(5);
    assert_eq!(source.native_support(), NativeSupport::NotDetected);
    for who in s.everyone() {
        for direction in [Direction::Out, Direction::In, Direction::Both] {
            let (got, _) = expand(&source, &who, direction);
            assert_eq!(got, s.wanted(&who, direction, true), "{who} {direction:?}");
        }
    }
    let caps = source.capabilities().expect("detected");
    assert_eq!(caps.chain_id, CHAIN_ID);
    assert!(caps.trace_filter);
    assert_eq!(caps.otterscan_api_level, Some(8));
    assert_eq!(source.native_support(), NativeSupport::TraceFilter);

    // Spot checks against the numbers sent.
    let (got, counterparties) = expand(&source, &s.d, Direction::In);
    let tusd: Vec<&Want> = got
        .values()
        .filter(|w| w.contract.as_deref() == Some(s.token.as_str()))
        .collect();
    assert_eq!(tusd.len(), 1);
    assert_eq!(
        (tusd[0].amount, tusd[0].symbol.as_str(), tusd[0].decimals),
        (100_000_000, "TUSD", 6)
    );
    assert_eq!(tusd[0].from, s.b);
    let inner = got
        .values()
        .find(|w| w.id.ends_with(":trace0"))
        .expect("inner ETH to D");
    assert_eq!(
        (inner.from.as_str(), inner.amount),
        (s.forwarder.as_str(), ETH / 4)
    );
    assert!(
        got.values()
            .all(|w| !w.tx_hash.eq_ignore_ascii_case(&s.reverted_tx))
    );
    let odd = got
        .values()
        .find(|w| w.contract.as_deref() == Some(s.odd_token.as_str()))
        .expect("odd token");
    assert_eq!(
        (odd.amount, odd.decimals, odd.symbol.clone()),
        (42, 0, short_form(&s.odd_token))
    );
    // The transfer of the silent token says why it looks like that; the skipped log is noted.
    let odd_transfer = counterparties
        .iter()
        .flat_map(|cp| &cp.transfers)
        .find(|t| t.asset.contract.as_deref() == Some(s.odd_token.as_str()))
        .expect("odd transfer");
    let request = &odd_transfer
        .provenance
        .as_ref()
        .expect("provenance")
        .request;
    assert!(
        request.contains("symbol() gave no readable text"),
        "{request}"
    );
    for cp in &counterparties {
        let request = &cp.nodes[0].provenance.as_ref().expect("provenance").request;
        assert!(request.contains("exceeds 128 bits"), "{request}");
        assert!(
            request.starts_with(&format!("counterparties({}, incoming)", node(&s.d))),
            "{request}"
        );
    }
    let b_out = expand(&source, &s.b, Direction::Out).0;
    assert_eq!(b_out.len(), 2, "B→C ETH and B→D TUSD: {b_out:#?}");
}

#[test]
fn test_connection_lookup_and_chain_checks() {
    let s = Scenario::build(0);
    let source = s.source(s.anvil.url());
    let control = JobControl::default();
    let tip = s.anvil.block_number();
    assert_eq!(
        source.test_connection(&control).expect("connection"),
        format!("chain {CHAIN_ID}, block {tip}, traces: trace_filter, otterscan: yes")
    );

    // C only received 0.5 ETH; B sent one ETH transfer and one token transfer.
    let c = source
        .lookup(&node(&s.c), &control)
        .expect("lookup")
        .expect("node");
    assert_eq!(c.balance, Some(10_000 * ETH + ETH / 2));
    assert_eq!(c.tx_count, Some(0));
    let b = source
        .lookup(&node(&s.b), &control)
        .expect("lookup")
        .expect("node");
    assert_eq!(b.tx_count, Some(2));
    let d = source
        .lookup(&node(&s.d), &control)
        .expect("lookup")
        .expect("node");
    assert_eq!(d.balance, Some(10_000 * ETH + ETH / 4));
    let request = &d.provenance.as_ref().expect("provenance").request;
    assert!(
        request.contains("eth_getBalance(") && request.contains("nonce"),
        "{request}"
    );

    // A source set up for Ethereum mainnet refuses this node.
    let mainnet = EvmRpcSource::new(s.anvil.url(), Some(1), HttpConfig::for_own_node(), None)
        .expect("source");
    let err = mainnet.test_connection(&control).expect_err("wrong chain");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}: eth_chainId()", mainnet.name())),
        "{text}"
    );
    assert!(
        text.contains("serves chain 31337") && text.contains("set up for chain 1 (Ethereum)"),
        "{text}"
    );
    let eth_node = NodeId::parse(&format!("eth:{}", s.a)).expect("id");
    assert!(matches!(
        mainnet.counterparties(&eth_node, Direction::Out, &control),
        Err(SourceError::BadAnswer { .. })
    ));
    assert!(matches!(
        mainnet.counterparties(&node(&s.a), Direction::Out, &control),
        Err(SourceError::UnsupportedChain { .. })
    ));
    // Without an expected chain id, the node's own chain is used and other chains refused,
    // saying both chain numbers and what to do.
    let any =
        EvmRpcSource::new(s.anvil.url(), None, HttpConfig::for_own_node(), None).expect("source");
    let err = any
        .counterparties(&eth_node, Direction::Out, &control)
        .expect_err("other chain")
        .to_string();
    assert!(
        err.contains("is on chain 1 (Ethereum), but this node serves chain 31337")
            && err.contains("--source-for eth=evm-rpc=URL"),
        "{err}"
    );
}

#[test]
fn otterscan_gives_the_same_transfers_without_trace_filter() {
    let s = Scenario::build(3);
    let proxy = proxy(s.anvil.url(), |body| {
        method_of(body)
            .starts_with("trace_")
            .then(|| rpc_error(body, -32601, "Method not found", None))
    });
    let source = s.source(&proxy.url()).with_chunk_blocks(7);
    let control = JobControl::default();
    assert!(
        source
            .test_connection(&control)
            .expect("connection")
            .ends_with("traces: none, otterscan: yes")
    );
    assert_eq!(source.native_support(), NativeSupport::Otterscan);
    for who in s.everyone() {
        for direction in [Direction::Out, Direction::In, Direction::Both] {
            let (got, _) = expand(&source, &who, direction);
            assert_eq!(got, s.wanted(&who, direction, true), "{who} {direction:?}");
        }
    }
    assert!(proxy.requests().iter().any(|r| {
        r.json()
            .is_some_and(|b| method_of(&b) == "ots_traceTransaction")
    }));
}

#[test]
fn without_traces_or_otterscan_tokens_come_and_the_gap_is_said() {
    let s = Scenario::build(2);
    let proxy = proxy(s.anvil.url(), |body| {
        let method = method_of(body);
        (method.starts_with("trace_") || method.starts_with("ots_")).then(|| {
            rpc_error(
                body,
                -32601,
                &format!("the method {method} does not exist/is not available"),
                None,
            )
        })
    });
    let source = s.source(&proxy.url());
    let control = JobControl::default();
    let text = source.test_connection(&control).expect("connection");
    assert!(
        text.ends_with("traces: none, otterscan: no — native ETH transfers will not be listed"),
        "{text}"
    );
    assert_eq!(source.native_support(), NativeSupport::None);
    for who in s.everyone() {
        let (got, counterparties) = expand(&source, &who, Direction::Both);
        assert_eq!(got, s.wanted(&who, Direction::Both, false), "{who}");
        for cp in &counterparties {
            let request = &cp.nodes[0].provenance.as_ref().expect("provenance").request;
            assert!(request.contains(NO_NATIVE_NOTE), "{request}");
        }
    }
}

#[test]
fn ranges_refused_as_too_large_are_split() {
    let s = Scenario::build(12);
    let refusals = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refusals);
    let proxy = proxy(s.anvil.url(), move |body| {
        let span = span_of(body)?;
        match method_of(body) {
            "eth_getLogs" if span > 3 => {
                counter.fetch_add(1, Ordering::SeqCst);
                Some(rpc_error(
                    body,
                    -32005,
                    "query returned more than 10000 results",
                    None,
                ))
            }
            "trace_filter" if span > 4 => {
                counter.fetch_add(1, Ordering::SeqCst);
                let from = hex_u64(&body["params"][0]["fromBlock"]);
                Some(rpc_error(
                    body,
                    -32602,
                    &format!(
                        "Log response size exceeded. You can make requests with up to a 2K block range. Based on your parameters, this block range should work: [0x{from:x}, 0x{:x}]",
                        from + 3
                    ),
                    None,
                ))
            }
            _ => None,
        }
    });
    // Two traces per page, so `after`/`count` paging runs too.
    let source = s.source(&proxy.url()).with_trace_page_size(2);
    for who in [&s.a, &s.b, &s.d] {
        let (got, _) = expand(&source, who, Direction::Both);
        assert_eq!(got, s.wanted(who, Direction::Both, true), "{who}");
    }
    let pages_after_first = proxy
        .requests()
        .iter()
        .filter_map(|r| r.json())
        .filter(|b| method_of(b) == "trace_filter" && b["params"][0]["after"].as_u64() > Some(0))
        .count();
    assert!(pages_after_first > 0, "paging was exercised");
    assert!(
        refusals.load(Ordering::SeqCst) > 10,
        "{}",
        refusals.load(Ordering::SeqCst)
    );
    // The suggested trace range was followed: no trace_filter asked for more than 4 blocks
    // after its first refusal.
    let spans: Vec<u64> = proxy
        .requests()
        .iter()
        .filter_map(|r| r.json())
        .filter(|b| method_of(b) == "trace_filter" && b["params"][0].get("after").is_some())
        .filter_map(|b| span_of(&b))
        .collect();
    assert!(spans.iter().filter(|&&n| n > 4).count() <= 6, "{spans:?}");
}

#[test]
fn cancellation_stops_the_job() {
    let s = Scenario::build(10);
    let source = s.source(s.anvil.url()).with_chunk_blocks(2);
    let control = JobControl::default();
    control.cancel();
    assert_eq!(
        source.counterparties(&node(&s.a), Direction::Both, &control),
        Err(SourceError::Cancelled)
    );
    assert_eq!(source.client().requests_sent(), 0);

    let control = JobControl::default();
    let seen = Arc::new(AtomicUsize::new(0));
    let (hook_control, hook_seen) = (control.clone(), Arc::clone(&seen));
    let proxy = proxy(s.anvil.url(), move |body| {
        if method_of(body) == "eth_getLogs" && hook_seen.fetch_add(1, Ordering::SeqCst) == 2 {
            hook_control.cancel();
        }
        None
    });
    let source = s.source(&proxy.url()).with_chunk_blocks(2);
    assert_eq!(
        source.counterparties(&node(&s.a), Direction::Both, &control),
        Err(SourceError::Cancelled)
    );
    assert_eq!(
        seen.load(Ordering::SeqCst),
        3,
        "no request after the cancel"
    );
    assert!(control.steps_done() >= 2);
}

// ---------------------------------------------------------------------------------------------
// Against a fake node (the mock HTTP server): bad answers
// ---------------------------------------------------------------------------------------------

const KEY: &str = "0123456789abcdef0123456789abcdef";
const ADDR: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

/// A fake node on `/v3/<KEY>`: chain 1, tip 16, no traces, no Otterscan; `answers` overrides
/// the answer body of a method.
fn fake_node() -> (MockServer, Arc<Mutex<BTreeMap<String, Value>>>) {
    let server = MockServer::start();
    let answers: Arc<Mutex<BTreeMap<String, Value>>> = Arc::default();
    let overrides = Arc::clone(&answers);
    server.route("POST", "/", move |request: &Request| {
        assert_eq!(
            request.path,
            format!("/v3/{KEY}"),
            "the URL path is used as given"
        );
        let body = request.json().expect("JSON body");
        let method = method_of(&body).to_owned();
        if let Some(answer) = overrides.lock().expect("lock").get(&method) {
            return Response::json(200, answer);
        }
        let result = match method.as_str() {
            "eth_chainId" => json!("0x1"),
            "eth_blockNumber" => json!("0x10"),
            "eth_getLogs" => json!([]),
            _ => return Response::json(200, &rpc_error(&body, -32601, "Method not found", None)),
        };
        Response::json(
            200,
            &json!({"jsonrpc": "2.0", "id": body["id"], "result": result}),
        )
    });
    (server, answers)
}

fn fake_source(server: &MockServer, expected: Option<u64>) -> EvmRpcSource {
    let mut config = HttpConfig::for_own_node();
    config.max_retries = 0;
    EvmRpcSource::new(
        &format!("{}/v3/{KEY}", server.url()),
        expected,
        config,
        None,
    )
    .expect("source")
}

fn expand_error(source: &EvmRpcSource) -> String {
    let id = NodeId::parse(&format!("eth:{ADDR}")).expect("id");
    let err = source
        .counterparties(&id, Direction::Out, &JobControl::default())
        .expect_err("must fail");
    let text = err.to_string();
    assert!(text.starts_with(&format!("{}: ", source.name())), "{text}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
    text
}

#[test]
fn bad_answers_are_clear_errors() {
    let (server, answers) = fake_node();
    let set = |method: &str, answer: Value| {
        answers
            .lock()
            .expect("lock")
            .insert(method.to_owned(), answer);
    };
    let source = fake_source(&server, Some(1));
    let id = NodeId::parse(&format!("eth:{ADDR}")).expect("id");
    // The happy path first: no logs, and the limitation is recorded.
    let control = JobControl::default();
    assert_eq!(
        source.counterparties(&id, Direction::Both, &control),
        Ok(Vec::new())
    );
    assert_eq!(source.native_support(), NativeSupport::None);
    assert!(source.name().starts_with("evm-rpc:127.0.0.1:"));

    set(
        "eth_getLogs",
        json!({"jsonrpc": "2.0", "id": 1, "error": {"code": -32000, "message": "boom"}}),
    );
    let text = expand_error(&source);
    assert!(
        text.ends_with(&format!(
            "eth_getLogs(Transfer from={ADDR}, blocks 0..=16): JSON-RPC error -32000: boom"
        )),
        "{text}"
    );

    set(
        "eth_getLogs",
        json!({"jsonrpc": "2.0", "id": 1, "result": {"logs": []}}),
    );
    assert!(expand_error(&source).contains("unexpected result at the top level"));

    set(
        "eth_getLogs",
        json!({"jsonrpc": "2.0", "id": 7, "result": []}),
    );
    assert!(expand_error(&source).contains("the answer is for request id 7, not 1"));

    set("eth_getLogs", json!({"jsonrpc": "2.0", "id": 1}));
    assert!(expand_error(&source).contains("neither a result nor an error"));

    set("eth_getLogs", json!([1, 2]));
    assert!(expand_error(&source).contains("the answer is an array, not a JSON-RPC object"));

    let log = json!({
        "address": "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
        "topics": [TRANSFER_TOPIC, format!("0x{}", pad32(ADDR)), "0x1234"],
        "data": format!("0x{}", pad32("5")), "blockNumber": "0x3", "logIndex": "0x0",
        "transactionHash": format!("0x{}", "ab".repeat(32)), "removed": false
    });
    set(
        "eth_getLogs",
        json!({"jsonrpc": "2.0", "id": 1, "result": [log]}),
    );
    let text = expand_error(&source);
    assert!(
        text.contains("malformed topic") && text.contains("log 0 of tx 0xabab"),
        "{text}"
    );

    answers.lock().expect("lock").clear();
    server.fault("POST", "/", Fault::Malformed, 1);
    let text = expand_error(&source);
    assert!(
        text.contains("eth_blockNumber()") && text.contains("not JSON"),
        "{text}"
    );

    server.fault("POST", "/", Fault::status(500), 1);
    let text = expand_error(&source);
    assert!(text.contains("HTTP 500"), "{text}");

    // Wrong chain: detection is asked again (nothing was kept for a failed detection).
    let other = fake_source(&server, Some(5));
    let text = other
        .test_connection(&JobControl::default())
        .expect_err("wrong chain")
        .to_string();
    assert!(
        text.contains("the node serves chain 1 (Ethereum), but this source is set up for chain 5"),
        "{text}"
    );
    assert!(!text.contains(KEY));
}

#[test]
fn infura_suggested_ranges_are_followed() {
    let server = MockServer::start();
    let asked = Arc::new(Mutex::new(Vec::<(u64, u64)>::new()));
    let log = Arc::clone(&asked);
    server.route("POST", "/", move |request: &Request| {
        let body = request.json().expect("JSON body");
        let reply = |result: Value| {
            Response::json(
                200,
                &json!({"jsonrpc": "2.0", "id": body["id"], "result": result}),
            )
        };
        match method_of(&body) {
            "eth_chainId" => reply(json!("0x1")),
            "eth_blockNumber" => reply(json!("0x64")),
            "eth_getLogs" => {
                let filter = &body["params"][0];
                let (from, to) = (hex_u64(&filter["fromBlock"]), hex_u64(&filter["toBlock"]));
                log.lock().expect("lock").push((from, to));
                if to - from >= 30 {
                    let suggestion =
                        json!({"from": format!("0x{from:x}"), "to": format!("0x{:x}", from + 29)});
                    Response::json(
                        200,
                        &rpc_error(
                            &body,
                            -32005,
                            "query returned more than 10000 results. Try with this block range",
                            Some(suggestion),
                        ),
                    )
                } else {
                    reply(json!([]))
                }
            }
            _ => Response::json(200, &rpc_error(&body, -32601, "Method not found", None)),
        }
    });
    let mut config = HttpConfig::for_own_node();
    config.max_retries = 0;
    let source = EvmRpcSource::new(&server.url(), Some(1), config, None).expect("source");
    let id = NodeId::parse(&format!("eth:{ADDR}")).expect("id");
    assert_eq!(
        source.counterparties(&id, Direction::In, &JobControl::default()),
        Ok(Vec::new())
    );
    let asked = asked.lock().expect("lock").clone();
    assert_eq!(asked, [(0, 100), (0, 29), (30, 59), (60, 89), (90, 100)]);
}

/// A case started from a transaction hash (issue 15, part 4): every transaction of the
/// scenario read by its hash gives exactly the transfers that were sent in it — the native
/// value, ERC-20 logs whoever sent them, the Forwarder's inner call — with the ids an
/// expansion gives; the reverted one moved nothing and says so. Also through Otterscan, and
/// on a node with neither, where the inner transfers are a gap.
#[test]
fn transactions_read_by_hash_are_exactly_what_was_sent() {
    let s = Scenario::build(2);
    let chain = caseboard::model::Chain::Evm { chain_id: CHAIN_ID };
    let hashes: BTreeSet<String> = s.wants.iter().map(|w| w.tx_hash.clone()).collect();
    let read = |source: &EvmRpcSource, hash: &str| {
        source
            .transaction(chain, hash, &JobControl::default())
            .unwrap_or_else(|e| panic!("{hash}: {e}"))
    };
    let by_id = |facts: &caseboard::model::TransactionFacts| -> BTreeMap<String, Want> {
        facts
            .transfers
            .iter()
            .map(|t| (t.id.to_string(), Want::of(t)))
            .collect()
    };
    let want_of = |hash: &str, native: bool| -> BTreeMap<String, Want> {
        s.wants
            .iter()
            .filter(|w| {
                w.tx_hash == hash && (native || w.contract.is_some() || !w.id.contains(":trace"))
            })
            .map(|w| (w.id.clone(), w.clone()))
            .collect()
    };
    let source = s.source(s.anvil.url());
    for hash in &hashes {
        let facts = read(&source, hash);
        assert_eq!(by_id(&facts), want_of(hash, true), "{hash}");
        for t in &facts.transfers {
            for end in [&t.from, &t.to] {
                assert!(
                    facts.nodes.iter().any(|n| &n.id == end),
                    "{end} has its node"
                );
            }
        }
        assert!(facts.gaps.is_empty(), "{:?}", facts.gaps);
    }
    let reverted = read(&source, &s.reverted_tx);
    assert!(reverted.transfers.is_empty());
    assert!(reverted.gaps[0].contains("failed"), "{:?}", reverted.gaps);
    let forwarded = s
        .wants
        .iter()
        .find(|w| w.id.ends_with(":trace0"))
        .expect("the inner call")
        .tx_hash
        .clone();

    // Otterscan gives the same; a node with neither gives the rest and says what is missing.
    let otterscan = proxy(s.anvil.url(), |body| {
        method_of(body)
            .starts_with("trace_")
            .then(|| rpc_error(body, -32601, "Method not found", None))
    });
    let facts = read(&s.source(&otterscan.url()), &forwarded);
    assert_eq!(by_id(&facts), want_of(&forwarded, true));
    let bare = proxy(s.anvil.url(), |body| {
        let method = method_of(body);
        (method.starts_with("trace_") || method.starts_with("ots_"))
            .then(|| rpc_error(body, -32601, "Method not found", None))
    });
    let facts = read(&s.source(&bare.url()), &forwarded);
    assert_eq!(by_id(&facts), want_of(&forwarded, false));
    assert!(facts.gaps[0].contains("inner calls"), "{:?}", facts.gaps);

    // An unknown hash, a hash on another chain: clear errors.
    let unknown = format!("0x{}", "ab".repeat(32));
    let err = source
        .transaction(chain, &unknown, &JobControl::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not know this transaction"), "{err}");
    let err = source
        .transaction(
            caseboard::model::Chain::ETHEREUM,
            &forwarded,
            &JobControl::default(),
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("choose that chain's source"), "{err}");
}
