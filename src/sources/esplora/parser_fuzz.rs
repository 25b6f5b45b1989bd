//! Property test of the Esplora answer parser: real recorded answers, mutated byte by byte and
//! value by value, never panic the parser; what parses keeps the accounting rule (every
//! satoshi in is a leg out or the fee) and only ids the case file accepts. Bounded: a few
//! thousand cases, a few seconds in debug.

use super::api::{AddressInfo, Outspend, Tx};
use super::facts::{Stamp, TxFacts, tx_facts};
use crate::model::NodeId;
use proptest::prelude::*;
use serde_json::Value;

const RECORDED: [&str; 5] = [
    include_str!("../../../tests/fixtures/esplora/tx_block170.json"),
    include_str!("../../../tests/fixtures/esplora/tx_b10c_block850000.json"),
    include_str!("../../../tests/fixtures/esplora/tx_f859_op_return.json"),
    include_str!("../../../tests/fixtures/esplora/outspends_block170.json"),
    r#"{"address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq","chain_stats":{"funded_txo_count":2,"funded_txo_sum":150000,"spent_txo_count":1,"spent_txo_sum":50000,"tx_count":3},"mempool_stats":{"funded_txo_count":0,"funded_txo_sum":0,"spent_txo_count":0,"spent_txo_sum":0,"tx_count":0}}"#,
];

fn stamp() -> Stamp {
    Stamp {
        source: "esplora:fuzz".to_owned(),
        request: "GET /tx/…".to_owned(),
        fetched_at: 1,
        tip: Some(900_000),
    }
}

/// Checks what a successful parse promises.
fn check_facts(facts: &TxFacts) {
    for node in std::iter::once(&facts.node).chain(&facts.addresses) {
        assert_eq!(NodeId::parse(node.id.as_str()).as_ref(), Ok(&node.id));
    }
    let sum = |legs: &[Option<super::facts::Leg>]| -> u128 {
        legs.iter().flatten().map(|l| l.transfer.amount).sum()
    };
    let summary = facts.node.provenance.as_ref().map(|p| p.request.clone());
    let summary = summary.unwrap_or_default();
    if !summary.contains("coinbase") {
        let (legs_in, legs_out) = (sum(&facts.inputs), sum(&facts.outputs));
        assert!(legs_in >= legs_out, "{summary}");
        // Zero-value ends have no leg, so the legs give the fee exactly.
        assert!(
            summary.contains(&format!("fee {} sat", legs_in - legs_out)),
            "{summary}"
        );
    }
}

/// Parses `body` every way the source reads an answer; panics only on a broken promise.
fn parse_all(body: &[u8]) {
    if let Ok(tx) = serde_json::from_slice::<Tx>(body)
        && let Ok(facts) = tx_facts(&tx, &stamp())
    {
        check_facts(&facts);
    }
    if let Ok(txs) = serde_json::from_slice::<Vec<Tx>>(body) {
        for tx in &txs {
            if let Ok(facts) = tx_facts(tx, &stamp()) {
                check_facts(&facts);
            }
        }
    }
    let _ = serde_json::from_slice::<Vec<Outspend>>(body);
    let _ = serde_json::from_slice::<AddressInfo>(body);
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        "[0-9a-f]{64}".prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
        Just(Value::from("bc1pfeessrawgf")),
        Just(Value::from("p2pk")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the `pick`-th value of `value` (in a depth-first walk) by `with`.
fn replace_nth(value: &mut Value, pick: &mut usize, with: &Value) -> bool {
    if *pick == 0 {
        *value = with.clone();
        return true;
    }
    *pick -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|v| replace_nth(v, pick, with)),
        Value::Object(map) => map.values_mut().any(|v| replace_nth(v, pick, with)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_bytes_never_panic(
        which in 0..RECORDED.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8),
    ) {
        let mut body = RECORDED[which].as_bytes().to_vec();
        for (at, byte, op) in edits {
            let i = at.index(body.len() + 1);
            match op {
                0 if i < body.len() => body[i] = byte,
                1 => body.insert(i, byte),
                _ if i < body.len() => { body.remove(i); }
                _ => body.push(byte),
            }
        }
        parse_all(&body);
    }

    #[test]
    fn mutated_values_never_panic(
        which in 0..RECORDED.len(),
        pick in 0usize..400,
        with in any_json(),
        wrap in any::<bool>(),
    ) {
        let mut value: Value = serde_json::from_str(RECORDED[which]).expect("recorded JSON");
        let mut at = pick;
        replace_nth(&mut value, &mut at, &with);
        if wrap {
            value = Value::Array(vec![value.clone(), value]);
        }
        parse_all(&serde_json::to_vec(&value).expect("JSON"));
    }
}

#[test]
fn recorded_answers_parse() {
    for body in &RECORDED[..3] {
        let tx: Tx = serde_json::from_str(body).expect("recorded tx");
        check_facts(&tx_facts(&tx, &stamp()).expect("facts"));
    }
    let spends: Vec<Outspend> = serde_json::from_str(RECORDED[3]).expect("outspends");
    assert_eq!(spends.len(), 2);
}
