//! Property tests of the Etherscan/Blockscout answer parser: whatever a server sends —
//! arbitrary JSON, the recorded real `txlist` answer (genesis row included) with one value
//! swapped for anything, or its text with bytes changed — reading the envelope, the rows
//! and the facts returns `Ok` or `Err`, never panics. Bounded: a few thousand cases in a few
//! seconds in a debug build.

use super::api::{Envelope, Outcome, Row, parse_block_number, quote};
use super::facts::{self, Kind, read_row};
use crate::model::node::Provenance;
use crate::model::{Chain, NodeId};
use crate::sources::Direction;
use proptest::prelude::*;
use serde_json::{Value, json};

/// The recorded `txlist` answer (see `tests/fixtures/etherscan/README.md`).
const RECORDED: &str =
    include_str!("../../../tests/fixtures/etherscan/txlist_genesis_0xddbd2b93.json");

const FIELDS: &[&str] = &[
    "blockNumber",
    "timeStamp",
    "hash",
    "transactionHash",
    "from",
    "to",
    "value",
    "contractAddress",
    "isError",
    "txreceipt_status",
    "traceId",
    "index",
    "tokenSymbol",
    "tokenDecimal",
    "logIndex",
    "tokenID",
];

/// Any JSON value, a few levels deep, with strings that look like the real thing at times.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        any::<u128>().prop_map(|n| json!(n.to_string())),
        "[0-9]{0,45}".prop_map(Value::String),
        "(0x)?[0-9a-fA-F]{0,70}".prop_map(Value::String),
        "(GENESIS_?)?.{0,30}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(FIELDS).prop_map(str::to_owned),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The recorded answer with row `row`'s field `field` set to `new` (or removed).
fn swapped() -> impl Strategy<Value = Value> {
    let base: Value = serde_json::from_str(RECORDED).expect("recorded JSON");
    (
        0..41usize,
        prop::sample::select(FIELDS),
        prop::option::of(any_json()),
    )
        .prop_map(move |(row, field, new)| {
            let mut value = base.clone();
            if let Some(Value::Object(map)) = value["result"].get_mut(row) {
                match new {
                    Some(new) => map.insert(field.to_owned(), new),
                    None => map.remove(field),
                };
            }
            value
        })
}

/// The recorded text with bytes changed (kept when it still parses as JSON).
fn byte_edits() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((any::<usize>(), any::<u8>()), 1..6).prop_map(|edits| {
        let mut text = RECORDED.as_bytes().to_vec();
        for (at, byte) in edits {
            let at = at % text.len();
            text[at] = byte;
        }
        text
    })
}

fn provenance() -> Provenance {
    Provenance {
        source: "etherscan:1".to_owned(),
        request: "GET /api?props".to_owned(),
        fetched_at: 1,
        block_height: Some(1),
    }
}

/// Everything the source does with one answer, short of the network.
fn read_answer(answer: Value) {
    let _ = parse_block_number(&answer);
    let Ok(envelope) = serde_json::from_value::<Envelope>(answer) else {
        return;
    };
    let outcome = envelope.outcome();
    let Outcome::Ok(result) = outcome else {
        return;
    };
    let _ = parse_block_number(&result);
    let Ok(rows) = serde_json::from_value::<Vec<Row>>(result) else {
        return;
    };
    let address = NodeId::parse("eth:0xddbd2b932c763ba5b1b7ae3b362eac3e8d40121a").expect("id");
    for kind in Kind::ALL {
        let mut legs = Vec::new();
        for row in &rows {
            if let Ok(read) = read_row(kind, row, Chain::ETHEREUM, &provenance()) {
                if let Some(genesis) = &read.genesis {
                    let _ = genesis.sentence("etherscan:1");
                }
                legs.extend(read.leg);
            }
        }
        let transfers = facts::transfers(legs, Chain::ETHEREUM);
        let _ =
            crate::sources::groups::account_counterparties(&address, Direction::Both, transfers);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_answers_never_panic(answer in any_json()) {
        read_answer(json!({"status": "1", "message": "OK", "result": answer.clone()}));
        read_answer(answer);
    }

    #[test]
    fn swapped_fields_never_panic(answer in swapped()) {
        read_answer(answer);
    }

    #[test]
    fn changed_bytes_never_panic(text in byte_edits()) {
        if let Ok(answer) = serde_json::from_slice::<Value>(&text) {
            read_answer(answer);
        }
        let _ = quote(&String::from_utf8_lossy(&text));
    }
}
