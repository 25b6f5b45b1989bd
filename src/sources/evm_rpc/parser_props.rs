//! Property tests of the JSON-RPC answer parsers: whatever a node sends — arbitrary JSON,
//! real answer shapes with one value swapped for anything, or their text with bytes changed
//! — every reader returns `Ok` or `Err`, never panics. Bounded: a few thousand cases in a
//! few seconds in a debug build.

use super::logs::{self, Side, TRANSFER_TOPIC};
use super::rpc::{NodeError, Rpc, split_url};
use super::{hex, native};
use crate::sources::http::HttpConfig;
use proptest::prelude::*;
use serde_json::{Value, json};

const ADDRESS: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

/// Any JSON value, a few levels deep, with strings that look like the real thing at times.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(format!("0x{n:x}"))),
        "[0-9a-fA-Fx]{0,70}".prop_map(Value::String),
        ".{0,40}".prop_map(Value::String),
        Just(json!(TRANSFER_TOPIC)),
        Just(json!(hex::address_topic(ADDRESS))),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,16}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Real answer shapes: a log list, a trace list, an Otterscan page and call tree.
fn seeds() -> Vec<Value> {
    let log = json!({
        "address": "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        "topics": [TRANSFER_TOPIC, hex::address_topic(ADDRESS), hex::address_topic("0x00000000000000000000000000000000000000aa")],
        "data": format!("0x{:064x}", 5),
        "blockNumber": "0x10", "transactionHash": format!("0x{}", "ab".repeat(32)),
        "logIndex": "0x0", "blockTimestamp": "0x65", "removed": false
    });
    let trace = json!({
        "action": {"callType": "call", "from": ADDRESS, "to": "0x00000000000000000000000000000000000000aa", "value": "0x10"},
        "blockNumber": 16, "transactionHash": format!("0x{}", "cd".repeat(32)),
        "traceAddress": [0, 1], "type": "call", "subtraces": 0
    });
    let search = json!({
        "txs": [{"hash": format!("0x{}", "ef".repeat(32)), "from": ADDRESS, "to": ADDRESS, "value": "0x1", "blockNumber": "0x5"}],
        "receipts": [{"status": "0x1", "timestamp": "0x65", "transactionHash": format!("0x{}", "ef".repeat(32))}],
        "firstPage": true, "lastPage": false
    });
    let ots = json!([{"type": "CALL", "depth": 0, "from": ADDRESS, "to": ADDRESS, "value": "0x0"},
                     {"type": "CALL", "depth": 1, "from": ADDRESS, "to": ADDRESS, "value": "0x7"}]);
    vec![json!([log.clone(), log]), json!([trace]), search, ots]
}

/// Replaces the value at a pseudo-random place in `value` (chosen by `pick`) by `new`.
fn swap_in(value: &mut Value, mut pick: usize, new: Value) {
    let mut here = value;
    loop {
        let children = match here {
            Value::Array(items) if !items.is_empty() => items.len(),
            Value::Object(map) if !map.is_empty() => map.len(),
            _ => 0,
        };
        if children == 0 || pick.is_multiple_of(3) {
            *here = new;
            return;
        }
        let at = (pick / 3) % children;
        pick /= 7;
        here = match here {
            Value::Array(items) => &mut items[at],
            Value::Object(map) => map.values_mut().nth(at).expect("in range"),
            _ => return,
        };
    }
}

/// Answers to feed the readers: arbitrary JSON, a seed with one value swapped, or a seed's
/// text with bytes changed (kept when it still parses).
fn answers() -> impl Strategy<Value = Value> {
    let seeds = seeds();
    let count = seeds.len();
    let swapped = {
        let seeds = seeds.clone();
        (0..count, any::<usize>(), any_json()).prop_map(move |(i, pick, new)| {
            let mut value = seeds[i].clone();
            swap_in(&mut value, pick, new);
            value
        })
    };
    let bytes = (
        0..count,
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
    )
        .prop_map(move |(i, edits)| {
            let mut text = serde_json::to_vec(&seeds[i]).expect("json");
            for (at, byte) in edits {
                let at = at % text.len();
                text[at] = byte;
            }
            serde_json::from_slice(&text).unwrap_or(Value::Null)
        });
    prop_oneof![any_json(), swapped, bytes]
}

thread_local! {
    /// One client for every case (building an HTTP client per case would dominate the run).
    static RPC: Rpc = rpc();
}

fn rpc() -> Rpc {
    let endpoint = split_url("http://127.0.0.1:9").expect("url");
    Rpc::new("evm-rpc:props", &endpoint, HttpConfig::for_own_node(), None).expect("rpc")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic(answer in answers()) {
        for side in [Side::Out, Side::In] {
            let _ = logs::read(answer.clone(), ADDRESS, side, "eth_getLogs(test)", 1);
            let _ = native::read_traces(
                answer.clone(),
                Some((ADDRESS, side)),
                "trace_filter(test)",
                1,
            );
            let _ = logs::read_receipt(answer.clone(), "eth_getTransactionReceipt(test)", 1);
            let _ = native::read_traces(answer.clone(), None, "trace_transaction(test)", 1);
        }
        let _ = native::reverted_paths(answer.clone());
        let _ = native::read_search(answer.clone());
        let _ = native::read_ots_trace(answer.clone());
        RPC.with(|rpc| {
            let _ = rpc.envelope_for_tests("test", answer.clone());
        });
        let error = NodeError::from_value_for_tests(answer.clone());
        let _ = (error.is_too_large(), error.is_method_missing(), error.suggested_range(), error.stated_span_limit(), error.describe());
        if let Value::String(text) = &answer {
            let _ = (hex::quantity_u64(text), hex::quantity_u128(text), hex::data_bytes(text), hex::word(text), hex::address(text), hex::tx_hash(text));
        }
    }

    #[test]
    fn envelope_and_error_text_never_panic(text in ".{0,120}", code in any::<i64>()) {
        let error = NodeError { code, message: text.clone(), data: Some(json!(text.clone())) };
        let _ = (error.is_too_large(), error.suggested_range(), error.stated_span_limit(), error.describe());
        let _ = hex::quantity_u64(&text);
        let _ = hex::decode_symbol(text.as_bytes());
        let _ = super::rpc::shown(&text);
        let _ = split_url(&text);
    }
}
