//! Starting from a transaction on Etherscan (issue 15): the transaction read by hash through
//! the documented proxy calls and `txlistinternal&txhash` against the local Etherscan
//! (`support::etherscan_tx`), its transfers given the ids the expansion gives them (so
//! expanding an end afterwards adds nothing twice), a failed transaction said as a gap, the
//! recorded proxy answers of a real transaction, Blockscout's clear refusal, and faults (500,
//! a cut body, bad JSON, an answer about another hash) that fail clearly without the key.

mod support;

use caseboard::model::{Chain, Transfer};
use caseboard::sources::{DataSource, Direction, JobControl};
use serde_json::{Value, json};
use std::collections::HashMap;
use support::etherscan_api::{
    Api, ETH, Flavour, KEY, blockscout, etherscan, exchange_b, hash, hot, ledger, mixer_c, node,
    serve, token_sender_e, usdt,
};
use support::etherscan_tx::serve_with_tx;
use support::mock_http::{Fault, MockServer, Response};
use support::sources::message;

fn read(source: &dyn DataSource, tx: u64) -> caseboard::model::TransactionFacts {
    source
        .transaction(Chain::ETHEREUM, &hash(tx), &JobControl::default())
        .expect("transaction")
}

fn expansion(source: &dyn DataSource, address: &str) -> HashMap<String, Transfer> {
    source
        .counterparties(
            &node(Chain::ETHEREUM, address),
            Direction::Both,
            &JobControl::default(),
        )
        .expect("expansion")
        .into_iter()
        .flat_map(|c| c.transfers)
        .map(|t| (t.id.to_string(), t))
        .collect()
}

type Shape = (String, String, String, u128, Option<String>, String, u8);

fn shape(t: &Transfer) -> Shape {
    (
        t.id.to_string(),
        t.from.value().to_owned(),
        t.to.value().to_owned(),
        t.amount,
        t.asset.contract.clone(),
        t.asset.symbol.clone(),
        t.asset.decimals,
    )
}

#[test]
fn a_transaction_read_by_hash_has_the_ids_its_expansion_gives() {
    let (server, _) = serve_with_tx(Api::new(Flavour::Etherscan, ledger()));
    let source = etherscan(&server);
    // tx 5: its own value is 0; an inner call moved 3 ETH c → a (traceId 0_1); a zero-value
    // inner call moved nothing.
    let inner = read(&source, 5);
    assert_eq!(
        inner.transfers.iter().map(shape).collect::<Vec<_>>(),
        vec![(
            format!("eth:{}:internal0_1", hash(5)),
            mixer_c(),
            hot(),
            3 * ETH,
            None,
            "ETH".to_owned(),
            18
        )]
    );
    // tx 16: two identical USDT transfers e → a (Etherscan's tokentx gives no log index).
    let tokens = read(&source, 16);
    assert_eq!(tokens.transfers.len(), 2);
    for t in &tokens.transfers {
        assert_eq!(
            (t.from.value(), t.to.value(), t.amount),
            (token_sender_e().as_str(), hot().as_str(), 1_000_000_000)
        );
        assert_eq!(t.asset.contract.as_deref(), Some(usdt().as_str()));
        assert_eq!((t.asset.symbol.as_str(), t.asset.decimals), ("USDT", 6));
        assert_eq!(t.block_height, Some(1_013));
    }
    assert_ne!(tokens.transfers[0].id, tokens.transfers[1].id);
    // tx 2: a plain payment a → b, its time from the block.
    let payment = read(&source, 2);
    assert_eq!(
        payment.transfers.iter().map(shape).collect::<Vec<_>>(),
        vec![(
            format!("eth:{}:native", hash(2)),
            hot(),
            exchange_b(),
            ETH,
            None,
            "ETH".to_owned(),
            18
        )]
    );
    assert_eq!(payment.transfers[0].time, Some(1_700_000_012));
    assert_eq!(payment.nodes.len(), 2);
    // Expanding an end afterwards: every transfer read by hash is already there, the same.
    let expanded = expansion(&source, &hot());
    for facts in [&inner, &tokens, &payment] {
        assert!(facts.gaps.is_empty(), "{:?}", facts.gaps);
        for t in &facts.transfers {
            let same = expanded.get(&t.id.to_string()).expect("expansion has it");
            assert_eq!(shape(same), shape(t));
            assert_eq!(same.block_height, t.block_height);
            assert_eq!(same.time, t.time);
        }
    }
    // No request carried the key anywhere but in its `apikey` parameter.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.query_param("apikey") == Some(KEY))
    );
}

#[test]
fn a_failed_transaction_moved_nothing_and_says_so() {
    let (server, _) = serve_with_tx(Api::new(Flavour::Etherscan, ledger()));
    let facts = read(&etherscan(&server), 4);
    assert!(facts.transfers.is_empty() && facts.nodes.is_empty());
    assert_eq!(facts.gaps.len(), 1);
    assert!(
        facts.gaps[0].contains(&format!(
            "transaction {} failed (receipt status 0x0): it moved nothing",
            hash(4)
        )),
        "{:?}",
        facts.gaps
    );
}

#[test]
fn blockscout_refuses_and_names_what_can() {
    let (server, _) = serve(Api::new(Flavour::Blockscout, ledger()));
    let error = blockscout(&server, 1)
        .transaction(Chain::ETHEREUM, &hash(2), &JobControl::default())
        .unwrap_err();
    let text = message(error);
    assert!(text.contains("has no proxy module"), "{text}");
    assert!(
        text.contains("/api/eth-rpc") && text.contains("evm-rpc"),
        "{text}"
    );
    assert_eq!(server.request_count(), 0, "a refusal asks nothing");
}

/// The recorded proxy answers of transaction 0x1e2910a2… (github.com/pcko1/etherscan-python @
/// 05ce88b703bb126683d90aca5ec6134d37427d6a, `logs/standard/get_proxy_transaction_by_hash.json`
/// and `get_proxy_transaction_receipt.json`, logged 2020-10-28; the log kept `result`, wrapped
/// here in the JSON-RPC envelope the proxy answers with). Its internal list was not recorded:
/// "No transactions found" stands in for it.
fn recorded_proxy_server() -> MockServer {
    let tx = json!({
        "blockHash": "0xf64a12502afc36db3d29931a2148e5d6ddaa883a2a3c968ca2fb293fa9258c68",
        "blockNumber": "0x70839",
        "from": "0xc80fb22930b303b55df9b89901889126400add38",
        "gas": "0x30d40",
        "gasPrice": "0xba43b7400",
        "hash": "0x1e2910a262b1008d0616a0beb24c1a491d78771baa54a33e66065e03b1f46bc1",
        "input": "0xfc36e15b0000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000a4861636b65726e65777300000000000000000000000000000000000000000000",
        "nonce": "0xa7",
        "to": "0x03fca6077d38dd99d0ce14ba32078bd2cda72d74",
        "transactionIndex": "0x0",
        "value": "0x0",
        "v": "0x1c",
        "r": "0xe7ccdba116aa95ae8d9bdd02f619a0cdfc1f60c5740b3899865822a80cd70218",
        "s": "0xf200df1921ea988d16280a0873b69cb782a54e8a596d15e700710c820c8d2a9e"
    });
    let receipt = json!({
        "blockHash": "0xf64a12502afc36db3d29931a2148e5d6ddaa883a2a3c968ca2fb293fa9258c68",
        "blockNumber": "0x70839",
        "contractAddress": null,
        "cumulativeGasUsed": "0x75d5",
        "from": "0xc80fb22930b303b55df9b89901889126400add38",
        "gasUsed": "0x75d5",
        "logs": [{
            "address": "0x03fca6077d38dd99d0ce14ba32078bd2cda72d74",
            "topics": ["0x24bcf19562365f6510754002f8d7b818d275886315d29c7aa04785570b97a363"],
            "data": "0x0000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000a4861636b65726e65777300000000000000000000000000000000000000000000",
            "blockNumber": "0x70839",
            "transactionHash": "0x1e2910a262b1008d0616a0beb24c1a491d78771baa54a33e66065e03b1f46bc1",
            "transactionIndex": "0x0",
            "blockHash": "0xf64a12502afc36db3d29931a2148e5d6ddaa883a2a3c968ca2fb293fa9258c68",
            "logIndex": "0x0",
            "removed": false
        }],
        "logsBloom": "0x00",
        "root": "0xc659845f1ac4e899ff1b0666dbac5deeda33a4a5d85da71f617f352824146e40",
        "to": "0x03fca6077d38dd99d0ce14ba32078bd2cda72d74",
        "transactionHash": "0x1e2910a262b1008d0616a0beb24c1a491d78771baa54a33e66065e03b1f46bc1",
        "transactionIndex": "0x0"
    });
    let server = MockServer::start();
    server.route("GET", "/v2/api", move |req| {
        let rpc = |result: &Value| {
            Response::json(200, &json!({"jsonrpc": "2.0", "id": 1, "result": result}))
        };
        match req.query_param("action").unwrap_or_default() {
            "eth_blockNumber" => rpc(&json!("0xaa0fb6")),
            "eth_getTransactionByHash" => rpc(&tx),
            "eth_getTransactionReceipt" => rpc(&receipt),
            _ => Response::json(
                200,
                &json!({"status": "0", "message": "No transactions found", "result": []}),
            ),
        }
    });
    server
}

#[test]
fn the_recorded_proxy_answers_are_read() {
    let server = recorded_proxy_server();
    let source = etherscan(&server);
    let hash = "0x1e2910a262b1008d0616a0beb24c1a491d78771baa54a33e66065e03b1f46bc1";
    let facts = source
        .transaction(Chain::ETHEREUM, hash, &JobControl::default())
        .expect("transaction");
    // Value 0 and one log that is not a Transfer: nothing moved.
    assert!(facts.transfers.is_empty() && facts.nodes.is_empty());
    // Block 0x70839 is before Byzantium: the receipt has `root`, no `status`.
    assert_eq!(facts.gaps.len(), 1, "{:?}", facts.gaps);
    assert!(facts.gaps[0].contains("has no status"), "{:?}", facts.gaps);
}

#[test]
fn faults_are_clear_errors_without_the_key() {
    let (server, _) = serve_with_tx(Api::new(Flavour::Etherscan, ledger()));
    let source = etherscan(&server);
    let control = JobControl::default();
    let ask = |hash: &str| {
        source
            .transaction(Chain::ETHEREUM, hash, &control)
            .map_err(message)
    };
    let unknown = ask(&format!("0x{}", "ee".repeat(32))).unwrap_err();
    assert!(
        unknown.contains("does not know this transaction"),
        "{unknown}"
    );
    let malformed = ask("0x1234").unwrap_err();
    assert!(malformed.contains("transaction hash"), "{malformed}");
    for (fault, said) in [(Fault::status(500), "HTTP 500"), (Fault::CloseMidBody, "")] {
        server.fault("GET", "/v2/api", fault, 100);
        let error = ask(&hash(2)).unwrap_err();
        assert!(error.contains(said), "{error}");
        assert!(!error.contains(KEY), "{error}");
        server.clear_faults();
    }
    server.fault(
        "GET",
        "/v2/api",
        Fault::Reply(Response::bytes(
            200,
            "application/json",
            b"{\"jsonrpc\":\"2.0\",\"resu".to_vec(),
        )),
        100,
    );
    let bad_json = ask(&hash(2)).unwrap_err();
    assert!(!bad_json.contains(KEY), "{bad_json}");
    server.clear_faults();
    // A server that answers about another transaction.
    let other = MockServer::start();
    other.route("GET", "/v2/api", |req| {
        let result = match req.query_param("action").unwrap_or_default() {
            "eth_blockNumber" => json!("0x10"),
            _ => json!({"hash": format!("0x{}", "ab".repeat(32)), "from": format!("0x{}", "11".repeat(20)),
                        "to": null, "value": "0x1", "blockNumber": "0x5"}),
        };
        Response::json(200, &json!({"jsonrpc": "2.0", "id": 1, "result": result}))
    });
    let wrong = etherscan(&other)
        .transaction(Chain::ETHEREUM, &hash(2), &JobControl::default())
        .map_err(message)
        .unwrap_err();
    assert!(wrong.contains("not the one asked for"), "{wrong}");
    assert!(!wrong.contains(KEY), "{wrong}");
    // Another chain than the source's is refused before asking.
    let polygon = source
        .transaction(
            Chain::Evm { chain_id: 137 },
            &hash(2),
            &JobControl::default(),
        )
        .map_err(message)
        .unwrap_err();
    assert!(polygon.contains("choose that chain's source"), "{polygon}");
}
