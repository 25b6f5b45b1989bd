//! An Esplora address whose confirmed history never ends, each transaction as fat as asked:
//! for the read-cap tests (`tests/hostile_esplora.rs`) and the memory bench
//! (`benches/expansion_memory.rs`).

// Each test binary that includes `support` uses only some of it.
#![allow(dead_code)]

use super::mock_http::{MockServer, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The address with the endless history.
pub const ADDRESS: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

/// The txid of the n-th newest transaction.
pub fn txid_of(n: u64) -> String {
    format!("{n:064x}")
}

/// An address whose confirmed history never ends: every page is 25 transactions, each paying
/// the address from one input and `fat_outputs` P2PK outputs (script ends). Transaction n is
/// the n-th newest.
pub fn serve_endless_history(server: &MockServer, fat_outputs: usize) -> Arc<AtomicU64> {
    let served_bytes = Arc::new(AtomicU64::new(0));
    let tx = move |n: u64| -> Value {
        let mut vout = vec![
            json!({"scriptpubkey_address": ADDRESS, "scriptpubkey_type": "v0_p2wpkh", "value": 1000}),
        ];
        for _ in 0..fat_outputs {
            vout.push(
                json!({"scriptpubkey": "41".to_owned() + &"04".repeat(65) + "ac",
                             "scriptpubkey_type": "p2pk", "value": 1}),
            );
        }
        json!({
            "txid": txid_of(n),
            "vin": [{"txid": txid_of(n + 1_000_000), "vout": 0, "is_coinbase": false,
                      "prevout": {"scriptpubkey_type": "p2pk", "value": 1_000_000}}],
            "vout": vout,
            "status": {"confirmed": true, "block_height": 800_000, "block_time": 1_700_000_000}
        })
    };
    let tx = Arc::new(tx);
    let page_from = {
        let served_bytes = Arc::clone(&served_bytes);
        move |first: u64| {
            let body: Vec<Value> = (first..first + 25).map(|n| tx(n)).collect();
            let body = serde_json::to_vec(&body).expect("json");
            served_bytes.fetch_add(body.len() as u64, Ordering::SeqCst);
            Response::bytes(200, "application/json", body)
        }
    };
    let first_page = page_from.clone();
    server.route("GET", &format!("/address/{ADDRESS}/txs/mempool"), |_| {
        Response::json(200, &json!([]))
    });
    server.route("GET", &format!("/address/{ADDRESS}/txs/chain"), move |_| {
        first_page(1)
    });
    let prefix = format!("/address/{ADDRESS}/txs/chain/");
    server.route("GET", &prefix.clone(), move |request| {
        let last = request.path_after(&prefix).unwrap_or_default();
        let last = u64::from_str_radix(last, 16).unwrap_or(0);
        page_from(last + 1)
    });
    server.route("GET", &format!("/address/{ADDRESS}"), |_| {
        Response::json(
            200,
            &json!({
                "address": ADDRESS,
                "chain_stats": {"funded_txo_count": 1_000_000, "funded_txo_sum": 1_000_000_000u64,
                                "spent_txo_count": 0, "spent_txo_sum": 0, "tx_count": 1_000_000},
                "mempool_stats": {"funded_txo_count": 0, "funded_txo_sum": 0,
                                  "spent_txo_count": 0, "spent_txo_sum": 0, "tx_count": 0}
            }),
        )
    });
    served_bytes
}
