//! The Esplora source and the shared HTTP client against a local mock server that follows the
//! real API's rules: a small synthetic ledger (a coinbase with an OP_RETURN output, 62
//! confirmed transactions on one address so its history spans three pages of 25 with the
//! `last_seen_txid` rule, a mempool transaction, outspends), and every fault the client must
//! survive or report clearly. Loopback only; caches live in temporary folders.

mod support;

use caseboard::model::{NodeId, NodeKind, Transfer};
use caseboard::sources::esplora::EsploraSource;
use caseboard::sources::http::{CachePolicy, HttpClient, HttpConfig, ResponseCache};
use caseboard::sources::{Counterparty, DataSource, Direction, JobControl, SourceError};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::esplora_ledger::*;
use support::mock_http::{Fault, MockServer, Response};
use support::sources::{message, now, test_config};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn source(server: &MockServer) -> EsploraSource {
    EsploraSource::new(&server.url(), test_config(), None).expect("source")
}

/// The legs the ledger says tx `i` has: (id, from, to, amount).
fn expected_legs(l: &Ledger, i: usize) -> Vec<(String, NodeId, NodeId, u128)> {
    let tx = &l.txs[i];
    let me = tx_node(&tx.txid);
    let mut legs = Vec::new();
    for (n, input) in tx.inputs.iter().enumerate() {
        if let Some(p) = input {
            let prev = l.prevout(*p);
            if let Some(a) = &prev.address {
                legs.push((
                    format!("btc:{}:in{n}", tx.txid),
                    btc(a),
                    me.clone(),
                    u128::from(prev.value),
                ));
            }
        }
    }
    for (n, out) in tx.outputs.iter().enumerate() {
        if let Some(a) = &out.address {
            legs.push((
                format!("btc:{}:out{n}", tx.txid),
                me.clone(),
                btc(a),
                u128::from(out.value),
            ));
        }
    }
    legs
}

fn legs_of(transfers: &[Transfer]) -> Vec<(String, NodeId, NodeId, u128)> {
    transfers
        .iter()
        .map(|t| (t.id.to_string(), t.from.clone(), t.to.clone(), t.amount))
        .collect()
}

fn keys_values(cps: &[Counterparty]) -> Vec<(NodeId, u128)> {
    cps.iter().map(|c| (c.key.clone(), c.value)).collect()
}

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

#[test]
fn lookup_address_gives_exact_balance_and_count() {
    let (_, ledger, server) = setup();
    let src = source(&server);
    let control = JobControl::default();
    let before = now();
    let node = src
        .lookup(&btc(&hot()), &control)
        .expect("lookup")
        .expect("known");
    assert_eq!(node.kind, NodeKind::Address);
    assert_eq!(node.balance, Some(ledger.utxo_sum(&hot())));
    let (confirmed, mempool) = ledger.history(&hot());
    assert_eq!(confirmed.len(), 62);
    assert_eq!(mempool.len(), 1);
    assert_eq!(node.tx_count, Some(63));
    let prov = node.provenance.expect("provenance");
    assert_eq!(prov.source, format!("esplora:{}", server.addr()));
    assert_eq!(prov.request, format!("GET /address/{}", hot()));
    assert_eq!(prov.block_height, Some(TIP));
    assert!(prov.fetched_at >= before && prov.fetched_at <= now());
    assert_eq!(src.name(), format!("esplora:{}", server.addr()));

    // A valid address with no history is not known; the server was asked.
    assert_eq!(src.lookup(&btc(&quiet()), &control).expect("lookup"), None);
    assert_eq!(
        server.paths(),
        [
            "/blocks/tip/height".to_owned(),
            format!("/address/{}", hot()),
            "/blocks/tip/height".to_owned(),
            format!("/address/{}", quiet()),
        ]
    );
    assert_eq!(src.client().requests_sent(), 4);
}

#[test]
fn lookup_transaction_notes_fee_coinbase_and_op_return() {
    let (built, ledger, server) = setup();
    let src = source(&server);
    let control = JobControl::default();
    let cb = &ledger.txs[built.coinbase];
    let node = src
        .lookup(&tx_node(&cb.txid), &control)
        .expect("lookup")
        .expect("known");
    assert_eq!(node.kind, NodeKind::Transaction);
    let request = node.provenance.expect("provenance").request;
    assert_eq!(
        request,
        format!(
            "GET /tx/{} — coinbase; out 625000000 sat; vout 1 op_return without address, 0 sat",
            cb.txid
        )
    );

    let tx = &ledger.txs[built.consolidation];
    let node = src
        .lookup(&tx_node(&tx.txid), &control)
        .expect("lookup")
        .expect("known");
    assert_eq!(
        node.provenance.expect("provenance").request,
        format!(
            "GET /tx/{} — in 2024000 sat, out 2023000 sat, fee {} sat; vout 2 op_return without \
             address, 0 sat",
            tx.txid,
            ledger.fee(tx)
        )
    );

    // Unknown transaction: HTTP 404 means "not known", not an error.
    let unknown = tx_node(&"ab".repeat(32));
    assert_eq!(src.lookup(&unknown, &control).expect("lookup"), None);
    assert!(matches!(
        src.counterparties(&unknown, Direction::In, &control),
        Err(SourceError::UnknownNode { .. })
    ));
    // Another chain is refused before any request.
    let eth = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
    let before = server.request_count();
    assert!(matches!(
        src.lookup(&eth, &control),
        Err(SourceError::UnsupportedChain { .. })
    ));
    assert_eq!(server.request_count(), before);
}

#[test]
fn test_connection_reports_tip_and_checks_mainnet() {
    let (_, _, server) = setup();
    let src = source(&server);
    assert_eq!(
        src.test_connection(&JobControl::default())
            .expect("connects"),
        format!("tip height {TIP}")
    );
    let testnet = MockServer::start();
    testnet.route("GET", "/blocks/tip/height", |_| {
        Response::text(200, "2500000")
    });
    testnet.route("GET", "/block-height/0", |_| {
        Response::text(
            200,
            "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
        )
    });
    let err = source(&testnet)
        .test_connection(&JobControl::default())
        .unwrap_err();
    assert!(message(err).contains("not Bitcoin mainnet"));
}

// ---------------------------------------------------------------------------------------------
// Address history: paging, directions, legs, provenance
// ---------------------------------------------------------------------------------------------

#[test]
fn address_history_pages_with_last_seen_txid() {
    let (_, ledger, server) = setup();
    let src = source(&server);
    let control = JobControl::default();
    let before = now();
    let cps = src
        .counterparties(&btc(&hot()), Direction::Both, &control)
        .expect("counterparties");
    let (confirmed, mempool) = ledger.history(&hot());
    assert_eq!(cps.len(), 63);
    assert_eq!(
        keys_values(&cps),
        expected_address_counterparties(&ledger, &hot(), Direction::Both)
    );

    // Exactly: tip, mempool once, then three chain pages following the last txid seen.
    let h = hot();
    let last = |n: usize| ledger.txs[confirmed[n - 1]].txid.clone();
    assert_eq!(
        server.paths(),
        [
            "/blocks/tip/height".to_owned(),
            format!("/address/{h}/txs/mempool"),
            format!("/address/{h}/txs/chain"),
            format!("/address/{h}/txs/chain/{}", last(25)),
            format!("/address/{h}/txs/chain/{}", last(50)),
        ]
    );
    assert_eq!(control.steps_done(), 4, "one step per page");

    // Every counterparty brings its tx node, all ends and all legs.
    for cp in &cps {
        let i = ledger.index_of(cp.key.value()).expect("ledger tx");
        let tx = &ledger.txs[i];
        assert_eq!(
            legs_of(&cp.transfers),
            expected_legs(&ledger, i),
            "legs of {}",
            tx.txid
        );
        assert_eq!(cp.nodes[0].id, cp.key);
        assert_eq!(cp.nodes[0].kind, NodeKind::Transaction);
        let mut ends: Vec<NodeId> = Vec::new();
        for a in tx
            .inputs
            .iter()
            .flatten()
            .filter_map(|&p| ledger.prevout(p).address.clone())
            .chain(tx.outputs.iter().filter_map(|o| o.address.clone()))
        {
            if !ends.contains(&btc(&a)) {
                ends.push(btc(&a));
            }
        }
        let got: Vec<NodeId> = cp.nodes[1..].iter().map(|n| n.id.clone()).collect();
        assert_eq!(got, ends);
        for t in &cp.transfers {
            assert_eq!(t.asset.symbol, "BTC");
            assert_eq!(t.asset.decimals, 8);
            assert_eq!(t.tx_hash, tx.txid);
            assert_eq!(t.block_height, tx.height);
            assert_eq!(t.time, tx.height.map(block_time));
            let prov = t.provenance.as_ref().expect("provenance");
            assert_eq!(prov.block_height, Some(TIP));
            assert!(prov.fetched_at >= before && prov.fetched_at <= now());
            assert_eq!(prov.source, src.name());
        }
    }
    // Provenance names the page each fact came from.
    let page3_tx = &ledger.txs[confirmed[55]];
    let cp = cps
        .iter()
        .find(|c| c.key.value() == page3_tx.txid)
        .expect("page 3 tx");
    assert_eq!(
        cp.transfers[0].provenance.as_ref().expect("prov").request,
        format!("GET /address/{h}/txs/chain/{}", last(50))
    );
    // The mempool transaction is unconfirmed and comes first.
    let mem = &ledger.txs[mempool[0]];
    assert_eq!(cps[0].key.value(), mem.txid);
    assert!(
        cps[0]
            .transfers
            .iter()
            .all(|t| t.block_height.is_none() && t.time.is_none())
    );
    let note = &cps[0].nodes[0].provenance.as_ref().expect("prov").request;
    assert!(
        note.ends_with("; unconfirmed")
            && note.starts_with(&format!("GET /address/{h}/txs/mempool — in "))
            && note.contains(", fee 200 sat"),
        "{note}"
    );
}

#[test]
fn directions_pick_inputs_or_outputs() {
    let (built, ledger, server) = setup();
    let src = source(&server);
    let control = JobControl::default();
    for direction in [Direction::In, Direction::Out] {
        let cps = src
            .counterparties(&btc(&hot()), direction, &control)
            .expect("counterparties");
        assert_eq!(
            keys_values(&cps),
            expected_address_counterparties(&ledger, &hot(), direction)
        );
    }
    let outgoing = src
        .counterparties(&btc(&hot()), Direction::Out, &control)
        .expect("out");
    assert_eq!(outgoing.len(), 15);
    // The consolidation spends two HOT inputs: its value is both legs.
    let tx = &ledger.txs[built.consolidation];
    let cp = outgoing
        .iter()
        .find(|c| c.key.value() == tx.txid)
        .expect("consolidation");
    let two: u128 = tx
        .inputs
        .iter()
        .flatten()
        .map(|&p| u128::from(ledger.prevout(p).value))
        .sum();
    assert_eq!(cp.value, two * SAT_TO_RANKING);
    assert_eq!(
        cp.transfers
            .iter()
            .map(|t| t.id.to_string())
            .collect::<Vec<_>>(),
        [
            format!("btc:{}:in0", tx.txid),
            format!("btc:{}:in1", tx.txid),
            format!("btc:{}:out0", tx.txid),
            format!("btc:{}:out1", tx.txid),
        ],
        "OP_RETURN vout 2 has no leg"
    );

    // The miner's only incoming tx is the coinbase: outputs only, no input leg.
    let cps = src
        .counterparties(&btc(&miner()), Direction::In, &control)
        .expect("miner");
    assert_eq!(cps.len(), 1);
    let cb = &ledger.txs[built.coinbase];
    assert_eq!(cps[0].key.value(), cb.txid);
    assert_eq!(
        legs_of(&cps[0].transfers),
        [(
            format!("btc:{}:out0", cb.txid),
            tx_node(&cb.txid),
            btc(&miner()),
            625_000_000
        )]
    );
    assert!(
        cps[0].nodes[0]
            .provenance
            .as_ref()
            .expect("prov")
            .request
            .contains("— coinbase; out 625000000 sat; vout 1 op_return")
    );
}

#[test]
fn paging_stops_at_max_pages_and_resumes_from_the_cursor() {
    let (_, ledger, server) = setup();
    let src = source(&server);
    let control = JobControl::default();
    let hot_id = btc(&hot());
    let (confirmed, _) = ledger.history(&hot());
    let (first, cursor) = src
        .counterparties_paged(&hot_id, Direction::Both, 1, None, &control)
        .expect("page 1");
    assert_eq!(first.len(), 26, "mempool + 25");
    let cursor = cursor.expect("more to fetch");
    assert_eq!(cursor, ledger.txs[confirmed[24]].txid);
    server.clear_log();
    let (rest, end) = src
        .counterparties_paged(&hot_id, Direction::Both, 5, Some(&cursor), &control)
        .expect("the rest");
    assert_eq!(end, None);
    assert_eq!(rest.len(), 37);
    assert_eq!(
        server.paths().len(),
        3,
        "tip + 2 pages, no mempool on resume: {:?}",
        server.paths()
    );
    let mut all = keys_values(&first);
    all.extend(keys_values(&rest));
    assert_eq!(
        all,
        expected_address_counterparties(&ledger, &hot(), Direction::Both)
    );

    // The trait call honours the source's page limit.
    let limited = source(&server).with_max_pages(2);
    let cps = limited
        .counterparties(&hot_id, Direction::Both, &control)
        .expect("limited");
    assert_eq!(cps.len(), 51);

    // A bad cursor is refused before any request.
    let before = server.request_count();
    let err = src
        .counterparties_paged(&hot_id, Direction::Both, 1, Some("nothex"), &control)
        .unwrap_err();
    assert!(message(err).contains("bad paging cursor"));
    assert_eq!(server.request_count(), before);
}

#[test]
fn cancelling_mid_paging_stops_before_the_next_page() {
    let (_, ledger, server) = setup();
    let control = JobControl::default();
    let h = hot();
    {
        let l = Arc::clone(&ledger);
        let control = control.clone();
        let prefix = format!("/address/{h}/txs/chain/");
        server.route("GET", &prefix, move |req| {
            control.cancel(); // the user presses Cancel while page 2 is on its way
            address_answer(&l, req.path_after("/address/").unwrap_or_default())
        });
    }
    let src = source(&server);
    let result = src.counterparties(&btc(&h), Direction::Both, &control);
    assert_eq!(result, Err(SourceError::Cancelled));
    let paths = server.paths();
    assert_eq!(paths.len(), 4, "tip, mempool, page 1, page 2: {paths:?}");
    assert!(paths[3].starts_with(&format!("/address/{h}/txs/chain/")));
}

// ---------------------------------------------------------------------------------------------
// Transaction nodes
// ---------------------------------------------------------------------------------------------

#[test]
fn transaction_inputs_outputs_and_forward_hops() {
    let (built, ledger, server) = setup();
    let src = source(&server);
    let control = JobControl::default();
    let tx = &ledger.txs[built.consolidation];
    let id = tx_node(&tx.txid);

    // In: one counterparty per input address, legs merged per address.
    let cps = src
        .counterparties(&id, Direction::In, &control)
        .expect("in");
    assert_eq!(cps.len(), 1);
    assert_eq!(cps[0].key, btc(&hot()));
    assert_eq!(
        cps[0]
            .nodes
            .iter()
            .map(|n| n.id.clone())
            .collect::<Vec<_>>(),
        // The counterparty brings the fresh tx node too (its summary updated).
        [btc(&hot()), id.clone()]
    );
    let legs = expected_legs(&ledger, built.consolidation);
    assert_eq!(legs_of(&cps[0].transfers), legs[..2].to_vec());
    assert_eq!(cps[0].value, (legs[0].3 + legs[1].3) * SAT_TO_RANKING);

    // Out: output addresses, then the txs that spent them (forward hop).
    server.clear_log();
    let cps = src
        .counterparties(&id, Direction::Out, &control)
        .expect("out");
    assert_eq!(
        server.paths(),
        [
            "/blocks/tip/height".to_owned(),
            format!("/tx/{}", tx.txid),
            format!("/tx/{}/outspends", tx.txid)
        ]
    );
    let mut expected: Vec<(NodeId, u128)> = tx
        .outputs
        .iter()
        .filter_map(|o| {
            o.address
                .as_ref()
                .map(|a| (btc(a), u128::from(o.value) * SAT_TO_RANKING))
        })
        .collect();
    for (vout, out) in tx.outputs.iter().enumerate() {
        if let (Some((s, _)), Some(_)) =
            (ledger.spender_of(built.consolidation, vout), &out.address)
        {
            expected.push((
                tx_node(&ledger.txs[s].txid),
                u128::from(out.value) * SAT_TO_RANKING,
            ));
        }
    }
    assert_eq!(keys_values(&cps), expected);
    assert_eq!(cps.len(), 4, "B, HOT, and the two spending txs");
    // The hop to B's spender: tx → B (out0) and B → spender (in<vin> of the spender).
    let (spender, vin) = ledger
        .spender_of(built.consolidation, 0)
        .expect("B spent it");
    let hop = cps
        .iter()
        .find(|c| c.key.value() == ledger.txs[spender].txid)
        .expect("hop");
    assert_eq!(
        legs_of(&hop.transfers),
        [
            (
                format!("btc:{}:out0", tx.txid),
                id.clone(),
                btc(&payee_b()),
                legs[2].3
            ),
            (
                format!("btc:{}:in{vin}", ledger.txs[spender].txid),
                btc(&payee_b()),
                tx_node(&ledger.txs[spender].txid),
                legs[2].3
            ),
        ]
    );
    assert_eq!(hop.transfers[1].block_height, ledger.txs[spender].height);
    assert_eq!(hop.nodes[0].kind, NodeKind::Transaction);
    assert!(
        hop.nodes[0]
            .provenance
            .as_ref()
            .expect("prov")
            .request
            .contains("its other legs not fetched")
    );

    // Without forward hops: addresses only, no outspends request.
    server.clear_log();
    let plain = source(&server).with_forward_hops(false);
    let cps = plain
        .counterparties(&id, Direction::Out, &control)
        .expect("out");
    assert_eq!(cps.len(), 2);
    assert!(server.paths().iter().all(|p| !p.ends_with("/outspends")));

    // Both: inputs and outputs from one fetch of the transaction.
    let both = plain
        .counterparties(&id, Direction::Both, &control)
        .expect("both");
    assert_eq!(both.len(), 2, "HOT (in0, in1, out1) and B");
    assert_eq!(both[0].transfers.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Cache and offline mode
// ---------------------------------------------------------------------------------------------

#[test]
fn cache_serves_repeats_and_offline_mode_fails_clearly() {
    let (built, ledger, server) = setup();
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = ResponseCache::open(dir.path().join("responses"), false).expect("cache");
    let src = EsploraSource::new(&server.url(), test_config(), Some(cache)).expect("source");
    let control = JobControl::default();
    let tx = tx_node(&ledger.txs[built.consolidation].txid);
    let hot_id = btc(&hot());

    // Checked online once, so offline mode can show the cached tip later.
    src.test_connection(&control).expect("connects");
    server.clear_log();
    let first_tx = src
        .counterparties(&tx, Direction::Both, &control)
        .expect("tx");
    let first_hot = src
        .counterparties(&hot_id, Direction::Both, &control)
        .expect("hot");
    assert_eq!(
        server.request_count(),
        3 + 4,
        "tx: tip, tx, outspends; hot: mempool + 3 pages"
    );

    // Again: the confirmed transaction and its settled outspends are immutable, the tip and
    // the pages are fresh enough; only the mempool is asked again.
    server.clear_log();
    let again_tx = src
        .counterparties(&tx, Direction::Both, &control)
        .expect("tx again");
    assert_eq!(server.request_count(), 0, "{:?}", server.paths());
    assert_eq!(again_tx, first_tx);
    let again_hot = src
        .counterparties(&hot_id, Direction::Both, &control)
        .expect("hot again");
    assert_eq!(server.paths(), [format!("/address/{}/txs/mempool", hot())]);
    // Same facts with the same provenance (original fetch time); the mempool was re-fetched.
    assert_eq!(again_hot[1..], first_hot[1..]);
    assert_eq!(
        legs_of(&again_hot[0].transfers),
        legs_of(&first_hot[0].transfers)
    );

    // Offline: everything cached answers without the network, the mempool is skipped, and
    // what was never fetched fails clearly.
    server.clear_log();
    let offline_cache = ResponseCache::open(dir.path().join("responses"), true).expect("cache");
    let offline =
        EsploraSource::new(&server.url(), test_config(), Some(offline_cache)).expect("source");
    assert_eq!(
        offline
            .counterparties(&tx, Direction::Both, &control)
            .expect("tx"),
        first_tx
    );
    let cps = offline
        .counterparties(&hot_id, Direction::Both, &control)
        .expect("hot");
    assert_eq!(cps.len(), 62, "no mempool offline");
    assert_eq!(cps[..], first_hot[1..]);
    let err = offline
        .lookup(&tx_node(&ledger.txs[built.b_spend].txid), &control)
        .unwrap_err();
    assert_eq!(
        message(err),
        format!(
            "GET /tx/{}: offline: not in the cache",
            ledger.txs[built.b_spend].txid
        )
    );
    assert!(offline.lookup(&btc(&quiet()), &control).is_err());
    assert_eq!(
        offline.test_connection(&control).expect("cached tip"),
        format!("offline: cached tip height {TIP}")
    );
    assert_eq!(
        server.request_count(),
        0,
        "offline never touches the network"
    );
    assert_eq!(offline.client().requests_sent(), 0);
}

#[test]
fn unconfirmed_transactions_are_not_cached() {
    let (built, ledger, server) = setup();
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = ResponseCache::open(dir.path().to_path_buf(), false).expect("cache");
    let src = EsploraSource::new(&server.url(), test_config(), Some(cache)).expect("source");
    let control = JobControl::default();
    let mem = tx_node(&ledger.txs[built.mempool_tx].txid);
    let node = src.lookup(&mem, &control).expect("lookup").expect("known");
    assert!(
        node.provenance
            .expect("prov")
            .request
            .ends_with("; unconfirmed")
    );
    server.clear_log();
    src.lookup(&mem, &control).expect("lookup").expect("known");
    assert_eq!(
        server.paths(),
        [format!("/tx/{}", ledger.txs[built.mempool_tx].txid)]
    );
}

// ---------------------------------------------------------------------------------------------
// Faults: retried or reported clearly
// ---------------------------------------------------------------------------------------------

fn any_tx(ledger: &Ledger) -> (NodeId, String) {
    let txid = ledger.txs[1].txid.clone();
    (tx_node(&txid), format!("/tx/{txid}"))
}

#[test]
fn rate_limit_with_retry_after_waits_then_succeeds() {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    server.fault("GET", "/tx/", Fault::too_many_requests(Some("1")), 1);
    let src = source(&server);
    let start = Instant::now();
    assert!(
        src.lookup(&id, &JobControl::default())
            .expect("retried")
            .is_some()
    );
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        start.elapsed()
    );
    assert_eq!(server.paths().iter().filter(|p| **p == path).count(), 2);
}

#[test]
fn rate_limit_without_retry_after_backs_off_then_gives_up() {
    let (_, _, server) = setup();
    server.fault(
        "GET",
        "/address/",
        Fault::too_many_requests(None),
        usize::MAX,
    );
    let src = source(&server);
    let err = src
        .counterparties(&btc(&hot()), Direction::Both, &JobControl::default())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "esplora:{}: GET /address/{}/txs/chain: rate limited (HTTP 429) after 2 retries",
            server.addr(),
            hot()
        )
    );
    // Each of the two history lists (chain, mempool) tries once and retries twice at most.
    assert!(
        server.request_count() <= 2 * (1 + 3),
        "{}",
        server.request_count()
    );
    assert_eq!(src.client().requests_sent(), server.request_count() as u64);
}

#[test]
fn server_error_then_success() {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    server.fault("GET", "/tx/", Fault::status(500), 1);
    assert!(
        source(&server)
            .lookup(&id, &JobControl::default())
            .expect("ok")
            .is_some()
    );
    assert_eq!(server.paths().iter().filter(|p| **p == path).count(), 2);

    server.fault("GET", "/tx/", Fault::status(503), usize::MAX);
    let err = source(&server)
        .lookup(&id, &JobControl::default())
        .unwrap_err();
    assert_eq!(
        message(err),
        format!(
            "GET {path}: HTTP 503 Service Unavailable: \"injected HTTP 503\" (after 2 retries)"
        )
    );
}

/// Looks up a transaction while every `/tx/` request meets `fault`, with `max_retries`
/// retries: (the path asked, the error message, how long it took).
fn lookup_through(fault: Fault, max_retries: u32) -> (String, String, Duration) {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    server.fault("GET", "/tx/", fault, usize::MAX);
    let config = HttpConfig {
        max_retries,
        ..test_config()
    };
    let src = EsploraSource::new(&server.url(), config, None).expect("source");
    let start = Instant::now();
    let err = message(src.lookup(&id, &JobControl::default()).unwrap_err());
    (path, err, start.elapsed())
}

#[test]
fn a_stalled_server_times_out() {
    let (path, err, took) = lookup_through(Fault::Stall(Duration::from_secs(3)), 1);
    assert_eq!(
        err,
        format!("GET {path}: timed out after 1 s (after 1 retry)")
    );
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn a_body_that_stalls_midway_times_out() {
    let (path, err, took) = lookup_through(Fault::StallMidBody(Duration::from_secs(3)), 0);
    assert!(
        err.starts_with(&format!(
            "GET {path}: timed out after 1 s while reading the body"
        )),
        "{err}"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn truncated_and_malformed_json_are_reported() {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    server.fault("GET", "/tx/", Fault::Truncate, 1);
    let err = message(
        source(&server)
            .lookup(&id, &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.starts_with(&format!(
            "GET {path}: truncated JSON: the answer ends after"
        )),
        "{err}"
    );
    assert_eq!(
        server.paths().iter().filter(|p| **p == path).count(),
        1,
        "not retried"
    );

    server.fault("GET", "/tx/", Fault::Malformed, 1);
    let err = message(
        source(&server)
            .lookup(&id, &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.starts_with(&format!("GET {path}: not JSON at byte 0: expected value")),
        "{err}"
    );
    assert!(err.contains("<html><head><title>Oops"), "{err}");
}

#[test]
fn wrong_shapes_name_the_field() {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    let mut broken = ledger.tx_json(1);
    broken["vout"][1]
        .as_object_mut()
        .expect("object")
        .remove("value");
    server.fault("GET", "/tx/", Fault::Reply(Response::json(200, &broken)), 1);
    let err = message(
        source(&server)
            .lookup(&id, &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.starts_with(&format!(
            "GET {path}: unexpected JSON at vout[1]: missing field `value`"
        )),
        "{err}"
    );
    // A float amount is refused, never rounded.
    let mut float = ledger.tx_json(1);
    float["vout"][0]["value"] = json!(1.5);
    server.fault("GET", "/tx/", Fault::Reply(Response::json(200, &float)), 1);
    let err = message(
        source(&server)
            .lookup(&id, &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.contains("vout[0].value: invalid type: floating point"),
        "{err}"
    );
    // An answer about another transaction is refused.
    server.fault(
        "GET",
        "/tx/",
        Fault::Reply(Response::json(200, &ledger.tx_json(2))),
        1,
    );
    let err = message(
        source(&server)
            .lookup(&id, &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.contains("the answer is about another transaction"),
        "{err}"
    );
}

#[test]
fn huge_bodies_are_refused_without_reading_them() {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    for content_length in [true, false] {
        server.fault(
            "GET",
            "/tx/",
            Fault::Huge {
                bytes: 100 * 1024 * 1024,
                content_length,
            },
            1,
        );
        let start = Instant::now();
        let err = message(
            source(&server)
                .lookup(&id, &JobControl::default())
                .unwrap_err(),
        );
        assert_eq!(err, format!("GET {path}: body larger than 1 MiB"));
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }
}

#[test]
fn a_connection_closed_mid_body_is_retried() {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    server.fault("GET", "/tx/", Fault::CloseMidBody, 1);
    assert!(
        source(&server)
            .lookup(&id, &JobControl::default())
            .expect("retried")
            .is_some()
    );
    assert_eq!(server.paths().iter().filter(|p| **p == path).count(), 2);

    server.fault("GET", "/tx/", Fault::CloseMidBody, usize::MAX);
    let err = message(
        source(&server)
            .lookup(&id, &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.starts_with(&format!("GET {path}: connection broke off mid-body")),
        "{err}"
    );
    assert!(err.ends_with("(after 2 retries)"), "{err}");
}

#[test]
fn an_address_the_server_rejects_is_a_clear_error() {
    let (_, _, server) = setup();
    let src = source(&server);
    let r = rejected();
    let err = src.lookup(&btc(&r), &JobControl::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "esplora:{}: GET /address/{r}: HTTP 400 Bad Request: \"Invalid Bitcoin address\"",
            server.addr()
        )
    );
    assert_eq!(
        server.request_count(),
        2,
        "tip + one try: 400 is not retried"
    );
}

#[test]
fn cancel_ends_a_retry_wait() {
    let (_, ledger, server) = setup();
    let (id, _) = any_tx(&ledger);
    server.fault(
        "GET",
        "/tx/",
        Fault::too_many_requests(Some("4")),
        usize::MAX,
    );
    let control = JobControl::default();
    let canceller = {
        let control = control.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            control.cancel();
        })
    };
    let start = Instant::now();
    assert_eq!(
        source(&server).lookup(&id, &control),
        Err(SourceError::Cancelled)
    );
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    canceller.join().expect("thread");
}

#[test]
fn a_retry_after_longer_than_allowed_fails_at_once() {
    let (_, ledger, server) = setup();
    let (id, path) = any_tx(&ledger);
    server.fault(
        "GET",
        "/tx/",
        Fault::too_many_requests(Some("3600")),
        usize::MAX,
    );
    let start = Instant::now();
    let err = message(
        source(&server)
            .lookup(&id, &JobControl::default())
            .unwrap_err(),
    );
    assert_eq!(
        err,
        format!(
            "GET {path}: rate limited (HTTP 429); the server asks to wait 3600 s, longer than the 5 s this source waits"
        )
    );
    assert!(start.elapsed() < Duration::from_secs(1));
}

// ---------------------------------------------------------------------------------------------
// The shared client directly: secrets, POST, rate limit
// ---------------------------------------------------------------------------------------------

#[test]
fn an_api_key_never_appears_in_any_error() {
    let server = MockServer::start();
    server.route("GET", "/v2/api", |req| {
        Response::text(500, &format!("upstream failed for {}", req.target))
    });
    let client = HttpClient::new(
        "etherscan:test",
        &format!("{}/v2", server.url()),
        HttpConfig {
            max_retries: 0,
            ..test_config()
        },
        None,
    )
    .expect("client");
    let path = "/api?chainid=1&module=account&action=txlist&apikey=SECRET123&page=1";
    let control = JobControl::default();
    let mut messages = Vec::new();
    // The server echoes the key in a 500 body.
    messages.push(
        client
            .get_json::<Value>(path, &control)
            .unwrap_err()
            .to_string(),
    );
    for fault in [
        Fault::Malformed,
        Fault::Truncate,
        Fault::status(404),
        Fault::Stall(Duration::from_secs(2)),
        Fault::CloseMidBody,
        Fault::too_many_requests(None),
        Fault::Reply(Response::text(403, "invalid key SECRET123")),
    ] {
        server.fault("GET", "/v2/api", fault, 1);
        messages.push(
            client
                .get_json::<Value>(path, &control)
                .unwrap_err()
                .to_string(),
        );
    }
    // Nobody listening.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr")
    };
    let refused = HttpClient::new(
        "etherscan:test",
        &format!("http://{closed}"),
        HttpConfig {
            max_retries: 0,
            ..test_config()
        },
        None,
    )
    .expect("client");
    messages.push(
        refused
            .get_json::<Value>(path, &control)
            .unwrap_err()
            .to_string(),
    );

    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.query_param("apikey") == Some("SECRET123")),
        "the key was really sent"
    );
    for m in &messages {
        assert!(!m.contains("SECRET123"), "leaked: {m}");
    }
    assert!(messages[0].contains("apikey=REDACTED"), "{}", messages[0]);
    assert!(
        messages.last().expect("one").contains("cannot connect"),
        "{messages:?}"
    );
    assert_eq!(messages.len(), 9);
}

#[test]
fn secret_headers_are_sent_but_never_shown() {
    let server = MockServer::start();
    server.route("GET", "/private", |req| {
        Response::text(
            401,
            &format!(
                "bad credentials: {}",
                req.header("Authorization").unwrap_or("none")
            ),
        )
    });
    let client = HttpClient::new("graphsense:test", &server.url(), test_config(), None)
        .expect("client")
        .with_secret_header("Authorization", "SECRET456")
        .expect("header");
    let err = client
        .get_json::<Value>("/private", &JobControl::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        server.requests()[0].header("Authorization"),
        Some("SECRET456")
    );
    assert!(!err.contains("SECRET456"), "{err}");
    assert!(err.contains("HTTP 401 Unauthorized"), "{err}");
}

#[test]
fn redirects_stay_on_the_same_host() {
    let server = MockServer::start();
    let other = MockServer::start();
    other.route("GET", "/", |_| Response::json(200, &json!("stolen")));
    server.route("GET", "/old", |_| {
        Response::text(301, "moved").with_header("Location", "/new")
    });
    server.route("GET", "/new", |_| Response::json(200, &json!("here")));
    let away = format!("{}/grab", other.url().replace("127.0.0.1", "localhost"));
    server.route("GET", "/away", move |_| {
        Response::text(302, "moved").with_header("Location", &away)
    });
    let client = HttpClient::new("redirect:test", &server.url(), test_config(), None)
        .expect("client")
        .with_secret_header("X-Api-Key", "SECRET789")
        .expect("header");
    let control = JobControl::default();
    let here: Value = client.get_json("/old", &control).expect("followed");
    assert_eq!(here, json!("here"));
    let err = client
        .get_json::<Value>("/away", &control)
        .unwrap_err()
        .to_string();
    // Redirects are followed only within the same scheme, host and port (issue 12 #6).
    assert!(err.contains("redirected to another host"), "{err}");
    assert_eq!(other.request_count(), 0, "never sent to another host");
}

fn assert_shareable<T: Send + Sync + Clone + 'static>() {}

#[test]
fn clients_and_sources_are_shareable() {
    assert_shareable::<HttpClient>();
    assert_shareable::<EsploraSource>();
    assert_shareable::<ResponseCache>();
}

#[test]
fn post_json_and_cached_gets() {
    let server = MockServer::start();
    server.route("POST", "/rpc", |req| {
        let body = req.json().unwrap_or(Value::Null);
        Response::json(
            200,
            &json!({"jsonrpc": "2.0", "id": body["id"], "result": body["method"]}),
        )
    });
    server.route("GET", "/data", |_| Response::json(200, &json!({"n": 1})));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = ResponseCache::open(dir.path().to_path_buf(), false).expect("cache");
    let client =
        HttpClient::new("rpc:test", &server.url(), test_config(), Some(cache)).expect("client");
    let control = JobControl::default();
    let answer: Value = client
        .post_json(
            "/rpc",
            &json!({"jsonrpc": "2.0", "id": 7, "method": "eth_chainId"}),
            &control,
        )
        .expect("post");
    assert_eq!(answer["result"], "eth_chainId");
    assert_eq!(
        server.requests()[0].header("Content-Type"),
        Some("application/json")
    );

    for _ in 0..3 {
        let v: Value = client
            .get_json_cached("/data", CachePolicy::Immutable, &control)
            .expect("get");
        assert_eq!(v["n"], 1);
    }
    for _ in 0..2 {
        let _: Value = client.get_json("/data", &control).expect("fresh");
    }
    assert_eq!(server.paths(), ["/rpc", "/data", "/data", "/data"]);
    assert_eq!(client.requests_sent(), 4);
}

#[test]
fn the_rate_limit_spaces_requests() {
    let server = MockServer::start();
    server.route("GET", "/x", |_| Response::json(200, &json!(1)));
    let client = HttpClient::new(
        "limited:test",
        &server.url(),
        HttpConfig {
            min_interval_ms: 100,
            ..test_config()
        },
        None,
    )
    .expect("client");
    let control = JobControl::default();
    let start = Instant::now();
    let clone = client.clone();
    let other = std::thread::spawn(move || {
        for _ in 0..2 {
            let _: Value = clone.get_json("/x", &JobControl::default()).expect("get");
        }
    });
    for _ in 0..3 {
        let _: Value = client.get_json("/x", &control).expect("get");
    }
    other.join().expect("thread");
    assert!(
        start.elapsed() >= Duration::from_millis(400),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(client.requests_sent(), 5, "clones share the counter");
}

/// The command line records the source in the case and expands with it.
#[test]
fn cli_new_and_expand_with_an_esplora_source() {
    let (_built, _ledger, server) = setup();
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.ron");
    let out = dir.path().join("out.ron");
    let bin = env!("CARGO_BIN_EXE_caseboard");
    let source = format!("esplora={}", server.url());
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .output()
            .expect("binary runs")
    };
    let made = run(&[
        "new",
        "-o",
        case.to_str().expect("utf8"),
        "--source",
        &source,
        &payer_a(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let text = std::fs::read_to_string(&case).expect("case written");
    assert!(text.contains("Esplora"), "source recorded: {text}");

    let node = btc(&payer_a());
    let expanded = run(&[
        "expand",
        case.to_str().expect("utf8"),
        "--node",
        node.as_str(),
        "--direction",
        "out",
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert!(
        expanded.status.success(),
        "{}",
        String::from_utf8_lossy(&expanded.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&expanded.stdout).expect("one line of JSON");
    assert!(summary["nodes"].as_u64().expect("nodes") > 1, "{summary}");
    assert!(
        server.paths().iter().any(|p| p.contains("/address/")),
        "the mock was asked"
    );
}

/// Through the trait: a bounded read returns a cursor, and the next read goes on from it until
/// the history is complete; progress counts the transactions read.
#[test]
fn counterparty_pages_resume_until_complete() {
    let (_, ledger, server) = setup();
    let src = source(&server).with_max_pages(1);
    let control = JobControl::default();
    let hot_id = btc(&hot());
    let first = src
        .counterparties_page(&hot_id, Direction::Both, None, &control)
        .expect("first part");
    let cursor = first.resume.clone().expect("more history");
    assert!(
        control.transfers_seen() >= 25,
        "{}",
        control.transfers_seen()
    );
    let mut all = keys_values(&first.counterparties);
    let mut resume = Some(cursor);
    let mut parts = 1;
    while let Some(cursor) = resume {
        let page = src
            .counterparties_page(&hot_id, Direction::Both, Some(&cursor), &control)
            .expect("next part");
        all.extend(keys_values(&page.counterparties));
        resume = page.resume;
        parts += 1;
        assert!(parts < 10, "paging ends");
    }
    assert_eq!(parts, 3, "26 + 25 + 12 transactions in 25-row pages");
    assert_eq!(
        all,
        expected_address_counterparties(&ledger, &hot(), Direction::Both)
    );
    // A transaction node has no history to continue.
    let (tx, _) = any_tx(&ledger);
    assert!(
        src.counterparties_page(&tx, Direction::Both, Some("00"), &control)
            .is_err()
    );
}

/// `--source-for btc=esplora=URL` records the per-chain source, `--min-value` filters (and says
/// how many it left out), and bad filter input is refused.
#[test]
fn cli_expand_with_a_per_chain_source_and_filters() {
    let (_built, _ledger, server) = setup();
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.ron");
    let out = dir.path().join("out.ron");
    let (case_arg, out_arg) = (case.to_str().expect("utf8"), out.to_str().expect("utf8"));
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_caseboard"))
            .args(args)
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .output()
            .expect("binary runs")
    };
    let made = run(&["new", "-o", case_arg, &hot()]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let per_chain = format!("btc=esplora={}", server.url());
    let node = btc(&hot());
    // `expand` of the hot wallet with the per-chain source and `extra` arguments.
    let expand = |extra: &[&str]| {
        let mut args = vec!["expand", case_arg, "--node", node.as_str(), "-o", out_arg];
        args.extend_from_slice(extra);
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stderr)
    };

    let (code, stderr) = expand(&["--source-for", &per_chain, "--limit", "1000"]);
    assert_eq!(code, Some(0), "{stderr}");
    let result = caseboard::case_file::load(&out).expect("written");
    assert_eq!(
        result.chain_sources.get("btc"),
        Some(&caseboard::model::SourceConfig::Esplora { url: server.url() })
    );
    assert_eq!(result.source, caseboard::model::SourceConfig::Demo);
    assert!(result.nodes.len() > 1);

    // A minimum above every hop keeps nothing and says how many were filtered.
    let (code, stderr) = expand(&["--source-for", &per_chain, "--min-value", "1000000"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("0 nodes"), "{stderr}");
    assert!(stderr.contains("filtered out"), "{stderr}");
    let filtered = caseboard::case_file::load(&out).expect("written");
    assert_eq!(filtered.nodes.len(), 1);

    // Bad filter input is refused with exit 2.
    let (code, stderr) = expand(&["--since", "yesterday"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--since"), "{stderr}");
}

/// Starting a case from a Bitcoin transaction id (issue 15, part 4): `caseboard new --chain btc
/// TXID --source esplora=URL` adds the transaction node and brings its inputs and outputs at
/// once; without `--chain` the 64 hex digits are a question, not a guess.
#[test]
fn a_case_starts_from_a_bitcoin_transaction() {
    let (built, ledger, server) = setup();
    let tx = &ledger.txs[built.consolidation];
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("case.ron");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_caseboard"))
            .env("CASEBOARD_SETTINGS", dir.path().join("settings.ron"))
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .args(args)
            .output()
            .expect("binary runs")
    };
    let source = format!("esplora={}", server.url());
    let path = out.to_str().expect("utf8");
    let asked = run(&["new", "-o", path, "--source", &source, &tx.txid]);
    assert_eq!(asked.status.code(), Some(2));
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(
        said.contains("choose the chain it is on (btc, ltc, bch, zec, trx or eth)"),
        "{said}"
    );
    assert!(!out.exists(), "nothing written");

    let upper = tx.txid.to_ascii_uppercase();
    let made = run(&[
        "new", "-o", path, "--source", &source, "--chain", "btc", &upper,
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let case = caseboard::case_file::load(&out).expect("loads");
    let id = tx_node(&tx.txid);
    assert_eq!(case.nodes[&id].kind, NodeKind::Transaction);
    // Every input and output leg of the ledger's transaction, exactly.
    let legs = expected_legs(&ledger, built.consolidation);
    assert!(!legs.is_empty());
    for (leg_id, from, to, amount) in &legs {
        let t = case
            .transfers
            .values()
            .find(|t| t.id.as_str() == leg_id)
            .unwrap_or_else(|| panic!("{leg_id} missing"));
        assert_eq!((&t.from, &t.to, t.amount), (from, to, *amount));
    }
    assert!(
        case.history
            .iter()
            .any(|e| e.what.contains("add 0 address(es) and 1 transaction(s)"))
    );
}
