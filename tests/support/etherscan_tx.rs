//! The Etherscan mock of `etherscan_api` with the calls that read one transaction by hash, as
//! Etherscan documents them: `module=proxy&action=eth_getTransactionByHash|
//! eth_getTransactionReceipt|eth_getBlockByNumber` answer in JSON-RPC form (`result` null
//! for an unknown hash), and `module=account&action=txlistinternal&txhash=…` lists the
//! transaction's non-zero inner transfers in the recorded shape (no `hash`, no `traceId`).
//! The answers are built from the same ledger the address lists are, so both agree.

#![allow(dead_code)]

use super::etherscan_api::{Api, Entry, Kind, block_time, envelope, hash, route_prefix};
use super::mock_http::{MockServer, Request, Response};
use serde_json::{Value, json};
use std::sync::Arc;

/// keccak256("Transfer(address,address,uint256)").
pub const TRANSFER_TOPIC: &str =
    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// Serves `api` with the by-hash calls added.
pub fn serve_with_tx(api: Api) -> (MockServer, Arc<Api>) {
    let server = MockServer::start();
    let api = Arc::new(api);
    let handler = Arc::clone(&api);
    server.route("GET", route_prefix(api.flavour), move |req| {
        by_hash(&handler, req).unwrap_or_else(|| handler.answer(req))
    });
    (server, api)
}

fn rpc(result: Value) -> Response {
    Response::json(200, &json!({"jsonrpc": "2.0", "id": 1, "result": result}))
}

fn entries_of<'a>(api: &'a Api, tx_hash: &str) -> Vec<&'a Entry> {
    api.ledger
        .iter()
        .filter(|e| hash(e.tx) == tx_hash)
        .collect()
}

fn pad(address: &str) -> String {
    format!("0x{:0>64}", address.trim_start_matches("0x"))
}

/// The answer to a by-hash call, or `None` for the plain mock to answer (also every request
/// with a wrong key, which the plain mock refuses).
fn by_hash(api: &Api, req: &Request) -> Option<Response> {
    if req.query_param("apikey") != Some(api.key.as_str()) {
        return None;
    }
    let module = req.query_param("module")?;
    let action = req.query_param("action")?;
    match (module, action) {
        ("proxy", "eth_getTransactionByHash") => {
            let asked = req.query_param("txhash")?;
            let entries = entries_of(api, asked);
            let Some(first) = entries.first() else {
                return Some(rpc(Value::Null));
            };
            let native = entries.iter().find(|e| e.kind == Kind::Native);
            let (from, to, value) = match native {
                Some(n) => (
                    n.from.clone(),
                    (!n.to.is_empty()).then(|| n.to.clone()),
                    n.value.clone().unwrap_or_default().parse::<u128>().ok()?,
                ),
                None => (first.from.clone(), Some(first.contract.clone()), 0),
            };
            Some(rpc(json!({
                "blockHash": hash(first.block),
                "blockNumber": format!("0x{:x}", first.block),
                "from": from,
                "gas": "0x30d40",
                "hash": asked,
                "input": "0x",
                "nonce": "0x7",
                "to": to,
                "transactionIndex": "0x0",
                "value": format!("0x{value:x}"),
            })))
        }
        ("proxy", "eth_getTransactionReceipt") => {
            let asked = req.query_param("txhash")?;
            let entries = entries_of(api, asked);
            let Some(first) = entries.first() else {
                return Some(rpc(Value::Null));
            };
            let failed = entries.iter().any(|e| e.kind == Kind::Native && e.failed);
            let created = entries
                .iter()
                .find(|e| e.kind == Kind::Native && e.to.is_empty())
                .map(|e| e.contract.clone());
            let logs: Vec<Value> = entries
                .iter()
                .filter(|e| e.kind == Kind::Token && !failed)
                .map(|e| {
                    let mut topics = vec![
                        json!(TRANSFER_TOPIC),
                        json!(pad(&e.from)),
                        json!(pad(&e.to)),
                    ];
                    let data = match (e.token_id, &e.value) {
                        (Some(id), _) => {
                            topics.push(json!(format!("0x{:0>64}", id)));
                            "0x".to_owned()
                        }
                        (None, Some(v)) => format!("0x{:064x}", v.parse::<u128>().unwrap_or(0)),
                        (None, None) => "0x".to_owned(),
                    };
                    json!({
                        "address": e.contract,
                        "topics": topics,
                        "data": data,
                        "blockNumber": format!("0x{:x}", e.block),
                        "transactionHash": asked,
                        "transactionIndex": "0x0",
                        "blockHash": hash(e.block),
                        "logIndex": format!("0x{:x}", e.log_index.unwrap_or(0)),
                        "removed": false
                    })
                })
                .collect();
            Some(rpc(json!({
                "blockHash": hash(first.block),
                "blockNumber": format!("0x{:x}", first.block),
                "contractAddress": created,
                "from": first.from,
                "gasUsed": "0x5208",
                "logs": logs,
                "status": if failed { "0x0" } else { "0x1" },
                "transactionHash": asked,
                "transactionIndex": "0x0",
            })))
        }
        ("proxy", "eth_getBlockByNumber") => {
            let tag = req.query_param("tag")?;
            let block = u64::from_str_radix(tag.trim_start_matches("0x"), 16).ok()?;
            Some(rpc(json!({
                "number": tag,
                "hash": hash(block),
                "timestamp": format!("0x{:x}", block_time(block)),
            })))
        }
        ("account", "txlistinternal") => {
            let asked = req.query_param("txhash")?;
            let rows: Vec<Value> = entries_of(api, asked)
                .into_iter()
                .filter(|e| e.kind == Kind::Internal && e.value.as_deref() != Some("0"))
                .map(|e| {
                    json!({
                        "blockNumber": e.block.to_string(),
                        "timeStamp": block_time(e.block).to_string(),
                        "from": e.from,
                        "to": e.to,
                        "value": e.value,
                        "contractAddress": e.contract,
                        "input": "",
                        "type": "call",
                        "gas": "2300",
                        "gasUsed": "0",
                        "isError": if e.failed { "1" } else { "0" },
                        "errCode": ""
                    })
                })
                .collect();
            Some(if rows.is_empty() {
                envelope("0", "No transactions found", json!([]))
            } else {
                envelope("1", "OK", Value::Array(rows))
            })
        }
        _ => None,
    }
}
