//! The Esplora scenario shared by `tests/esplora.rs` and the source contract suite: a small
//! synthetic ledger with the real API's shapes and paging rules (a coinbase with an OP_RETURN
//! output, 62 confirmed transactions on one address so its history spans three pages of 25 with
//! the `last_seen_txid` rule, a mempool transaction, outspends), served by the mock HTTP server
//! like an Esplora server, and what the ledger implies a source must answer.

#![allow(dead_code)]

use super::mock_http::{MockServer, Response};
use caseboard::model::address::{encode_p2tr, encode_p2wpkh};
use caseboard::model::{Chain, NodeId};
use caseboard::sources::Direction;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const TIP: u64 = 800_200;
pub const GENESIS: &str = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
pub const SAT_TO_RANKING: u128 = 10_000_000_000; // 10^(18-8)

// ---------------------------------------------------------------------------------------------
// A synthetic ledger with the real API's shapes and paging rules
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct LOut {
    pub address: Option<String>,
    pub kind: &'static str,
    pub value: u64,
}

#[derive(Debug, Clone)]
pub struct LTx {
    pub txid: String,
    /// `None` = coinbase input; otherwise (tx index, vout) spent.
    pub inputs: Vec<Option<(usize, usize)>>,
    pub outputs: Vec<LOut>,
    pub height: Option<u64>,
}

#[derive(Debug, Default)]
pub struct Ledger {
    pub txs: Vec<LTx>,
    /// Addresses the server refuses with HTTP 400.
    pub rejected: Vec<String>,
}

pub fn addr(n: u8) -> String {
    encode_p2wpkh(&[n; 20])
}

pub fn hot() -> String {
    addr(1)
}
pub fn payer_a() -> String {
    addr(2)
}
pub fn payee_b() -> String {
    addr(3)
}
pub fn payer_c() -> String {
    addr(4)
}
pub fn miner() -> String {
    addr(5)
}
pub fn quiet() -> String {
    addr(6)
}
pub fn rejected() -> String {
    encode_p2tr(&[7; 32])
}

pub fn block_time(height: u64) -> i64 {
    1_700_000_000 + 600 * (height as i64 - 800_000)
}

pub fn txid_for(i: usize) -> String {
    let a = (i as u128 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
    let b = (i as u128 + 7).wrapping_mul(0xc2b2_ae3d_27d4_eb4f_1656_67b1_9e37_79f9);
    format!("{a:032x}{b:032x}")
}

impl Ledger {
    pub fn add(
        &mut self,
        inputs: Vec<Option<(usize, usize)>>,
        outputs: Vec<(Option<String>, u64)>,
        height: Option<u64>,
    ) -> usize {
        let index = self.txs.len();
        let tx = LTx {
            txid: txid_for(index),
            inputs,
            outputs: outputs
                .into_iter()
                .map(|(address, value)| LOut {
                    kind: if address.is_some() {
                        "v0_p2wpkh"
                    } else {
                        "op_return"
                    },
                    address,
                    value,
                })
                .collect(),
            height,
        };
        let input_sum: u64 = tx
            .inputs
            .iter()
            .flatten()
            .map(|&p| self.prevout(p).value)
            .sum();
        let output_sum: u64 = tx.outputs.iter().map(|o| o.value).sum();
        assert!(
            tx.inputs.contains(&None) || input_sum >= output_sum,
            "ledger tx {index} spends more than it has"
        );
        self.txs.push(tx);
        index
    }

    pub fn prevout(&self, (tx, vout): (usize, usize)) -> &LOut {
        &self.txs[tx].outputs[vout]
    }

    pub fn index_of(&self, txid: &str) -> Option<usize> {
        self.txs.iter().position(|t| t.txid == txid)
    }

    pub fn fee(&self, tx: &LTx) -> u64 {
        if tx.inputs.contains(&None) {
            return 0;
        }
        let input_sum: u64 = tx
            .inputs
            .iter()
            .flatten()
            .map(|&p| self.prevout(p).value)
            .sum();
        input_sum - tx.outputs.iter().map(|o| o.value).sum::<u64>()
    }

    pub fn status_json(height: Option<u64>) -> Value {
        match height {
            Some(h) => json!({
                "confirmed": true,
                "block_height": h,
                "block_hash": format!("{:064x}", h),
                "block_time": block_time(h),
            }),
            None => json!({"confirmed": false}),
        }
    }

    pub fn out_json(out: &LOut) -> Value {
        let mut value = json!({
            "scriptpubkey": "0014aabbccddeeff00112233445566778899aabbccdd",
            "scriptpubkey_asm": "OP_0 OP_PUSHBYTES_20 aabb…",
            "scriptpubkey_type": out.kind,
            "value": out.value,
        });
        if let Some(address) = &out.address {
            value["scriptpubkey_address"] = json!(address);
        }
        value
    }

    pub fn tx_json(&self, i: usize) -> Value {
        let tx = &self.txs[i];
        let vin: Vec<Value> = tx
            .inputs
            .iter()
            .map(|input| match input {
                None => json!({
                    "txid": "0".repeat(64),
                    "vout": 4_294_967_295u64,
                    "prevout": null,
                    "scriptsig": "03a0350c",
                    "scriptsig_asm": "OP_PUSHBYTES_3 a0350c",
                    "witness": ["00".repeat(32)],
                    "is_coinbase": true,
                    "sequence": 4_294_967_295u64,
                }),
                Some((from, vout)) => json!({
                    "txid": self.txs[*from].txid,
                    "vout": vout,
                    "prevout": Self::out_json(self.prevout((*from, *vout))),
                    "scriptsig": "",
                    "scriptsig_asm": "",
                    "witness": ["3044…", "02ab…"],
                    "is_coinbase": false,
                    "sequence": 4_294_967_293u64,
                }),
            })
            .collect();
        json!({
            "txid": tx.txid,
            "version": 2,
            "locktime": 0,
            "vin": vin,
            "vout": tx.outputs.iter().map(Self::out_json).collect::<Vec<_>>(),
            "size": 222,
            "weight": 561,
            "sigops": 1,
            "fee": self.fee(tx),
            "status": Self::status_json(tx.height),
        })
    }

    pub fn involves(&self, i: usize, address: &str) -> bool {
        let tx = &self.txs[i];
        tx.outputs
            .iter()
            .any(|o| o.address.as_deref() == Some(address))
            || tx
                .inputs
                .iter()
                .flatten()
                .any(|&p| self.prevout(p).address.as_deref() == Some(address))
    }

    /// Confirmed history newest first (height, then position, descending), and the mempool.
    pub fn history(&self, address: &str) -> (Vec<usize>, Vec<usize>) {
        let mut confirmed: Vec<usize> = (0..self.txs.len())
            .filter(|&i| self.txs[i].height.is_some() && self.involves(i, address))
            .collect();
        confirmed.sort_by_key(|&i| std::cmp::Reverse((self.txs[i].height, i)));
        let mempool = (0..self.txs.len())
            .rev()
            .filter(|&i| self.txs[i].height.is_none() && self.involves(i, address))
            .collect();
        (confirmed, mempool)
    }

    pub fn spender_of(&self, tx: usize, vout: usize) -> Option<(usize, usize)> {
        self.txs.iter().enumerate().find_map(|(i, t)| {
            t.inputs
                .iter()
                .position(|input| *input == Some((tx, vout)))
                .map(|vin| (i, vin))
        })
    }

    pub fn outspends_json(&self, i: usize) -> Value {
        let spends: Vec<Value> = (0..self.txs[i].outputs.len())
            .map(|vout| match self.spender_of(i, vout) {
                Some((s, vin)) => json!({
                    "spent": true,
                    "txid": self.txs[s].txid,
                    "vin": vin,
                    "status": Self::status_json(self.txs[s].height),
                }),
                None => json!({"spent": false}),
            })
            .collect();
        json!(spends)
    }

    pub fn stats(&self, address: &str, confirmed: bool) -> Value {
        let (mut funded_n, mut funded, mut spent_n, mut spent, mut txs) =
            (0u64, 0u64, 0u64, 0u64, 0u64);
        for (i, tx) in self.txs.iter().enumerate() {
            if tx.height.is_some() != confirmed || !self.involves(i, address) {
                continue;
            }
            txs += 1;
            for out in tx
                .outputs
                .iter()
                .filter(|o| o.address.as_deref() == Some(address))
            {
                funded_n += 1;
                funded += out.value;
            }
            for &p in tx.inputs.iter().flatten() {
                let prev = self.prevout(p);
                if prev.address.as_deref() == Some(address) {
                    spent_n += 1;
                    spent += prev.value;
                }
            }
        }
        json!({
            "funded_txo_count": funded_n, "funded_txo_sum": funded,
            "spent_txo_count": spent_n, "spent_txo_sum": spent, "tx_count": txs,
        })
    }

    /// Unspent outputs to `address` (confirmed and mempool), summed independently of stats.
    pub fn utxo_sum(&self, address: &str) -> u128 {
        let mut sum = 0u128;
        for (i, tx) in self.txs.iter().enumerate() {
            for (vout, out) in tx.outputs.iter().enumerate() {
                if out.address.as_deref() == Some(address) && self.spender_of(i, vout).is_none() {
                    sum += u128::from(out.value);
                }
            }
        }
        sum
    }
}

pub struct Built {
    pub ledger: Ledger,
    pub coinbase: usize,
    pub consolidation: usize,
    pub mempool_tx: usize,
    pub b_spend: usize,
}

/// The story: a coinbase pays the miner, who funds payers A and C; A and C pay HOT 47 times,
/// HOT pays B 15 times (consolidating two inputs each time it can; one carries an OP_RETURN),
/// B forwards that payment to C, and A's last payment to HOT waits in the mempool.
pub fn build_ledger() -> Built {
    let mut l = Ledger {
        rejected: vec![rejected()],
        ..Ledger::default()
    };
    let coinbase = l.add(
        vec![None],
        vec![(Some(miner()), 625_000_000), (None, 0)],
        Some(800_000),
    );
    let funding = l.add(
        vec![Some((coinbase, 0))],
        vec![
            (Some(payer_a()), 400_000_000),
            (Some(payer_c()), 224_990_000),
        ],
        Some(800_001),
    );
    let mut change = BTreeMap::from([
        (payer_a(), (funding, 0usize)),
        (payer_c(), (funding, 1usize)),
    ]);
    let mut hot_utxos: Vec<(usize, usize)> = Vec::new();
    let mut consolidation = 0;
    let mut first_b_payment = None;
    for k in 0..62u64 {
        let height = Some(800_010 + k);
        if k % 4 == 3 {
            let take = if hot_utxos.len() >= 2 { 2 } else { 1 };
            let spent: Vec<(usize, usize)> = hot_utxos.drain(..take).collect();
            let total: u64 = spent.iter().map(|&p| l.prevout(p).value).sum();
            let mut outputs = vec![
                (Some(payee_b()), total / 2),
                (Some(hot()), total / 2 - 1_000),
            ];
            if k == 7 {
                outputs.push((None, 0));
            }
            let tx = l.add(spent.iter().map(|&p| Some(p)).collect(), outputs, height);
            if k == 7 {
                consolidation = tx;
                assert_eq!(take, 2);
            }
            first_b_payment.get_or_insert(tx);
            hot_utxos.push((tx, 1));
        } else {
            let payer = if k % 2 == 0 { payer_a() } else { payer_c() };
            let from = change[&payer];
            let have = l.prevout(from).value;
            let amount = 1_000_000 + k * 10_000;
            let tx = l.add(
                vec![Some(from)],
                vec![
                    (Some(hot()), amount),
                    (Some(payer.clone()), have - amount - 500),
                ],
                height,
            );
            change.insert(payer, (tx, 1));
            hot_utxos.push((tx, 0));
        }
    }
    assert!(first_b_payment.is_some(), "HOT paid B");
    let b_payment = consolidation;
    let b_spend = l.add(
        vec![Some((b_payment, 0))],
        vec![(Some(payer_c()), l.prevout((b_payment, 0)).value - 300)],
        Some(800_090),
    );
    let from = change[&payer_a()];
    let have = l.prevout(from).value;
    let mempool_tx = l.add(
        vec![Some(from)],
        vec![
            (Some(hot()), 50_000),
            (Some(payer_a()), have - 50_000 - 200),
        ],
        None,
    );
    Built {
        ledger: l,
        coinbase,
        consolidation,
        mempool_tx,
        b_spend,
    }
}

/// Serves `ledger` like an Esplora server.
pub fn serve(ledger: Arc<Ledger>) -> MockServer {
    let server = MockServer::start();
    server.route("GET", "/blocks/tip/height", |_| {
        Response::text(200, &TIP.to_string())
    });
    server.route("GET", "/block-height/0", |_| Response::text(200, GENESIS));
    let l = Arc::clone(&ledger);
    server.route("GET", "/tx/", move |req| {
        let rest = req.path_after("/tx/").unwrap_or_default();
        let (txid, tail) = rest.split_once('/').unwrap_or((rest, ""));
        match (l.index_of(txid), tail) {
            (Some(i), "") => Response::json(200, &l.tx_json(i)),
            (Some(i), "outspends") => Response::json(200, &l.outspends_json(i)),
            (None, _) => Response::text(404, "Transaction not found"),
            _ => Response::text(404, "Not found"),
        }
    });
    let l = Arc::clone(&ledger);
    server.route("GET", "/address/", move |req| {
        address_answer(&l, req.path_after("/address/").unwrap_or_default())
    });
    server
}

pub fn address_answer(l: &Ledger, rest: &str) -> Response {
    let mut parts = rest.split('/');
    let address = parts.next().unwrap_or_default();
    if l.rejected.iter().any(|r| r == address) {
        return Response::text(400, "Invalid Bitcoin address");
    }
    let (confirmed, mempool) = l.history(address);
    let txs = |list: &[usize]| json!(list.iter().map(|&i| l.tx_json(i)).collect::<Vec<_>>());
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (None, ..) => Response::json(
            200,
            &json!({
                "address": address,
                "chain_stats": l.stats(address, true),
                "mempool_stats": l.stats(address, false),
            }),
        ),
        (Some("txs"), Some("mempool"), None, _) => {
            Response::json(200, &txs(&mempool[..mempool.len().min(50)]))
        }
        (Some("txs"), Some("chain"), last_seen, None) => {
            let start = match last_seen {
                None => 0,
                // electrs: an unknown last_seen_txid yields an empty page
                Some(last) => confirmed
                    .iter()
                    .position(|&i| l.txs[i].txid == last)
                    .map_or(confirmed.len(), |p| p + 1),
            };
            let page: Vec<usize> = confirmed[start..].iter().copied().take(25).collect();
            Response::json(200, &txs(&page))
        }
        _ => Response::text(404, "Not found"),
    }
}

// ---------------------------------------------------------------------------------------------
// Setup and expectations
// ---------------------------------------------------------------------------------------------

pub fn setup() -> (Built, Arc<Ledger>, MockServer) {
    let built = build_ledger();
    let ledger = Arc::new(Ledger {
        txs: built.ledger.txs.clone(),
        rejected: built.ledger.rejected.clone(),
    });
    let server = serve(Arc::clone(&ledger));
    (built, ledger, server)
}

pub fn btc(address: &str) -> NodeId {
    NodeId::parse(&format!("btc:{address}")).expect("valid address")
}

pub fn tx_node(txid: &str) -> NodeId {
    NodeId::transaction(Chain::Bitcoin, txid).expect("valid txid")
}

/// The counterparties the ledger implies for `address` in `direction`: (key, value).
pub fn expected_address_counterparties(
    l: &Ledger,
    address: &str,
    direction: Direction,
) -> Vec<(NodeId, u128)> {
    let (confirmed, mempool) = l.history(address);
    let mut out = Vec::new();
    for i in mempool.into_iter().chain(confirmed) {
        let tx = &l.txs[i];
        let mut value = 0u128;
        let mut takes_part = false;
        if direction.includes_out() {
            for &p in tx.inputs.iter().flatten() {
                let prev = l.prevout(p);
                if prev.address.as_deref() == Some(address) {
                    takes_part = true;
                    value += u128::from(prev.value) * SAT_TO_RANKING;
                }
            }
        }
        if direction.includes_in() {
            for o in tx
                .outputs
                .iter()
                .filter(|o| o.address.as_deref() == Some(address))
            {
                takes_part = true;
                value += u128::from(o.value) * SAT_TO_RANKING;
            }
        }
        if takes_part {
            out.push((tx_node(&tx.txid), value));
        }
    }
    out
}
