//! The Esplora source against answers that are real but awkward (block 170's P2PK-only
//! transaction, recorded) and servers that are hostile or half broken (an endless history of
//! fat transactions, outspends that fail): every satoshi is accounted for, one expansion reads
//! within its caps and says what it left, and one failed sub-request costs only its own part.

mod support;

use caseboard::model::{Chain, CounterpartyPage, Node, NodeId};
use caseboard::sources::esplora::EsploraSource;
use caseboard::sources::http::HttpConfig;
use caseboard::sources::limits::ReadCaps;
use caseboard::sources::{DataSource, Direction, JobControl, SourceError};
use serde_json::json;
use std::sync::atomic::Ordering;
use support::endless_history::{ADDRESS, serve_endless_history, txid_of};
use support::mock_http::{Fault, MockServer, Response};

const TIP: u64 = 900_000;
const TX170: &str = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
const SPENDER: &str = "ea44e97271691990157559d0bdd9959e02790c34db6c006d779e82fa5aee708e";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/esplora/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).expect("recorded answer")
}

fn config() -> HttpConfig {
    HttpConfig {
        connect_timeout_secs: 2,
        read_timeout_secs: 2,
        max_retries: 1,
        min_interval_ms: 0,
        max_body_bytes: 8 * 1024 * 1024,
        max_concurrent: 4,
        user_agent: "caseboard-test".to_owned(),
        retry_base_ms: 10,
        max_retry_wait_secs: 1,
        answer_deadline_secs: 30,
    }
}

fn server() -> MockServer {
    let server = MockServer::start();
    server.route("GET", "/blocks/tip/height", |_| {
        Response::text(200, &TIP.to_string())
    });
    server
}

fn serve_block_170(server: &MockServer) {
    let tx = fixture("tx_block170.json");
    let spends = fixture("outspends_block170.json");
    server.route("GET", &format!("/tx/{TX170}"), move |_| {
        Response::bytes(200, "application/json", tx.clone())
    });
    server.route("GET", &format!("/tx/{TX170}/outspends"), move |_| {
        Response::bytes(200, "application/json", spends.clone())
    });
}

fn source(server: &MockServer) -> EsploraSource {
    EsploraSource::new(&server.url(), config(), None).expect("source")
}

fn tx_id(txid: &str) -> NodeId {
    NodeId::transaction(Chain::Bitcoin, txid).expect("txid")
}

fn script(txid: &str, vout: u32) -> NodeId {
    NodeId::script_output(Chain::Bitcoin, txid, vout).expect("script end")
}

fn page(
    src: &EsploraSource,
    node: &NodeId,
    direction: Direction,
    resume: Option<&str>,
) -> Result<CounterpartyPage, SourceError> {
    src.counterparties_page(node, direction, resume, &JobControl::default())
}

/// The node `id` among everything the page brings.
fn node_in<'a>(page: &'a CounterpartyPage, id: &NodeId) -> Option<&'a Node> {
    page.counterparties
        .iter()
        .flat_map(|cp| &cp.nodes)
        .find(|n| &n.id == id)
}

fn summary(node: &Node) -> &str {
    &node.provenance.as_ref().expect("provenance").request
}

// ---------------------------------------------------------------------------------------------
// Point 8: value without an address is accounted for
// ---------------------------------------------------------------------------------------------

#[test]
fn block_170_shows_its_50_btc_in_and_out() {
    let server = server();
    serve_block_170(&server);
    let src = source(&server);
    let tx = tx_id(TX170);

    let inputs = page(&src, &tx, Direction::In, None).expect("inputs");
    let funding = script(
        "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9",
        0,
    );
    assert_eq!(inputs.counterparties.len(), 1);
    let cp = &inputs.counterparties[0];
    assert_eq!(cp.key, funding);
    assert_eq!(cp.transfers.len(), 1);
    assert_eq!(
        (
            &cp.transfers[0].from,
            &cp.transfers[0].to,
            cp.transfers[0].amount
        ),
        (&funding, &tx, 5_000_000_000)
    );
    assert!(inputs.gaps.is_empty(), "{:?}", inputs.gaps);

    let outputs = page(&src, &tx, Direction::Out, None).expect("outputs");
    let mut to_scripts: Vec<(String, u128)> = outputs
        .counterparties
        .iter()
        .flat_map(|cp| &cp.transfers)
        .filter(|t| t.from == tx)
        .map(|t| (t.to.to_string(), t.amount))
        .collect();
    to_scripts.sort();
    to_scripts.dedup(); // a spender's hop repeats the output leg it spends
    assert_eq!(
        to_scripts,
        vec![
            (script(TX170, 0).to_string(), 1_000_000_000),
            (script(TX170, 1).to_string(), 4_000_000_000),
        ]
    );
    // Each script output was spent (blocks 92240 and 181): the spenders are hops too.
    let spender = outputs
        .counterparties
        .iter()
        .find(|cp| cp.key == tx_id(SPENDER))
        .expect("spender hop");
    assert!(spender.transfers.iter().any(|t| t.from == script(TX170, 0)
        && t.to == tx_id(SPENDER)
        && t.amount == 1_000_000_000));
    // The transaction's own summary: totals and fee, refreshed on every counterparty.
    let refreshed = node_in(&outputs, &tx).expect("the tx node comes along");
    assert!(
        summary(refreshed).contains("in 5000000000 sat, out 5000000000 sat, fee 0 sat"),
        "{}",
        summary(refreshed)
    );
    // Every id survives the case file's id check.
    for cp in &outputs.counterparties {
        for node in &cp.nodes {
            assert_eq!(NodeId::parse(node.id.as_str()).as_ref(), Ok(&node.id));
        }
    }
}

#[test]
fn a_script_end_expands_to_its_transactions() {
    let server = server();
    serve_block_170(&server);
    let src = source(&server);
    let end = script(TX170, 0);
    let found = src
        .lookup(&end, &JobControl::default())
        .expect("lookup")
        .expect("known");
    assert!(summary(&found).contains("p2pk script without address"));
    let both = page(&src, &end, Direction::Both, None).expect("expand");
    let keys: Vec<&NodeId> = both.counterparties.iter().map(|cp| &cp.key).collect();
    assert_eq!(keys, vec![&tx_id(TX170), &tx_id(SPENDER)]);
    // An output of block 170's tx that does not exist is unknown, not an error of the server.
    assert!(matches!(
        page(&src, &script(TX170, 7), Direction::In, None),
        Err(SourceError::UnknownNode { .. })
    ));
    assert_eq!(
        src.lookup(&script(TX170, 7), &JobControl::default())
            .expect("lookup"),
        None
    );
}

#[test]
fn expanding_a_spender_drops_its_not_fetched_note() {
    let server = server();
    serve_block_170(&server);
    // The spender of block 170's first output, as Esplora would answer it (its shape; the
    // other end is an address so the hop has a leg of each kind).
    let spender = json!({
        "txid": SPENDER,
        "vin": [{"txid": TX170, "vout": 0, "is_coinbase": false,
                  "prevout": {"scriptpubkey_type": "p2pk", "value": 1_000_000_000u64}}],
        "vout": [{"scriptpubkey_address": ADDRESS, "scriptpubkey_type": "v0_p2wpkh",
                  "value": 999_990_000u64}],
        "status": {"confirmed": true, "block_height": 92_240, "block_time": 1_289_939_967}
    });
    server.route("GET", &format!("/tx/{SPENDER}"), move |_| {
        Response::json(200, &spender)
    });
    let src = source(&server);
    let first = page(&src, &tx_id(TX170), Direction::Out, None).expect("outputs");
    let hop = node_in(&first, &tx_id(SPENDER)).expect("spender");
    assert!(summary(hop).contains("its other legs not fetched"));

    let expanded = page(&src, &tx_id(SPENDER), Direction::In, None).expect("inputs");
    let refreshed = node_in(&expanded, &tx_id(SPENDER)).expect("refreshed node");
    assert!(
        !summary(refreshed).contains("not fetched"),
        "{}",
        summary(refreshed)
    );
    assert!(
        summary(refreshed).contains("fee 10000 sat"),
        "{}",
        summary(refreshed)
    );
}

// ---------------------------------------------------------------------------------------------
// Point 9: one failed sub-request costs only its part
// ---------------------------------------------------------------------------------------------

#[test]
fn failed_outspends_keep_the_legs_and_say_what_is_missing() {
    let server = server();
    serve_block_170(&server);
    server.fault(
        "GET",
        &format!("/tx/{TX170}/outspends"),
        Fault::status(500),
        usize::MAX,
    );
    let src = source(&server);
    let tx = tx_id(TX170);
    let outputs = page(&src, &tx, Direction::Out, None).expect("legs kept");
    let keys: Vec<&NodeId> = outputs.counterparties.iter().map(|cp| &cp.key).collect();
    assert_eq!(keys, vec![&script(TX170, 0), &script(TX170, 1)]);
    assert_eq!(outputs.gaps.len(), 1, "{:?}", outputs.gaps);
    assert!(
        outputs.gaps[0].contains(&format!(
            "who spent the outputs of tx {TX170} could not be read"
        )),
        "{}",
        outputs.gaps[0]
    );
    let node = node_in(&outputs, &tx).expect("tx node");
    assert!(
        summary(node).contains("spenders not fetched"),
        "{}",
        summary(node)
    );

    // Nothing usable: the transaction itself fails.
    server.fault(
        "GET",
        &format!("/tx/{TX170}"),
        Fault::status(500),
        usize::MAX,
    );
    assert!(page(&src, &tx, Direction::Out, None).is_err());
}

#[test]
fn a_failed_history_page_keeps_the_pages_before_it() {
    let server = server();
    serve_endless_history(&server, 1);
    // The second confirmed page fails: the first is kept and "Load more" retries from it.
    server.fault(
        "GET",
        &format!("/address/{ADDRESS}/txs/chain/"),
        Fault::status(500),
        usize::MAX,
    );
    let src = source(&server).with_max_pages(5);
    let address = NodeId::parse(&format!("btc:{ADDRESS}")).expect("address");
    let first = page(&src, &address, Direction::Both, None).expect("first page kept");
    assert_eq!(first.counterparties.len(), 25);
    let cursor = first.resume.clone().expect("cursor");
    assert_eq!(cursor, txid_of(25));
    assert_eq!(first.gaps.len(), 1, "{:?}", first.gaps);
    assert!(
        first.gaps[0].contains("Load more retries"),
        "{}",
        first.gaps[0]
    );
    // Resuming when that page still fails gives nothing usable: an error.
    assert!(page(&src, &address, Direction::Both, Some(&cursor)).is_err());
    server.clear_faults();
    let next = page(&src, &address, Direction::Both, Some(&cursor)).expect("retried");
    assert_eq!(next.counterparties[0].key, tx_id(&txid_of(26)));
}

// ---------------------------------------------------------------------------------------------
// Point 5: read caps
// ---------------------------------------------------------------------------------------------

#[test]
fn the_transaction_cap_stops_exactly_and_load_more_goes_on() {
    let server = server();
    serve_endless_history(&server, 0);
    let caps = ReadCaps {
        max_transactions: 60,
        ..ReadCaps::default()
    };
    let src = source(&server)
        .with_max_pages(u32::MAX)
        .with_read_caps(caps);
    let address = NodeId::parse(&format!("btc:{ADDRESS}")).expect("address");
    let first = page(&src, &address, Direction::In, None).expect("capped");
    assert_eq!(first.counterparties.len(), 60);
    let cursor = first.resume.clone().expect("cursor");
    assert_eq!(cursor, txid_of(60));
    assert_eq!(
        first.gaps,
        vec![
            "read cap reached: 60 transactions / 32 MiB; 999,940 left unread — Load more continues"
                .to_owned()
        ]
    );
    let next = page(&src, &address, Direction::In, Some(&cursor)).expect("load more");
    assert_eq!(next.counterparties.len(), 60);
    assert_eq!(next.counterparties[0].key, tx_id(&txid_of(61)));
    assert_eq!(next.resume.as_deref(), Some(txid_of(120).as_str()));
    assert!(next.gaps[0].contains(&format!(
        "older than {} left unread (1,000,000 in all)",
        txid_of(120)
    )));
}

/// VmHWM (peak resident memory) of this process, in bytes, where Linux says it.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn an_endless_history_of_fat_transactions_ends_within_the_byte_cap() {
    let server = server();
    // 200 script outputs a transaction: a page is about 1 MiB of JSON.
    let served = serve_endless_history(&server, 200);
    const CAP_BYTES: u64 = 16 * 1024 * 1024;
    let caps = ReadCaps {
        max_bytes: CAP_BYTES,
        ..ReadCaps::default()
    };
    let src = source(&server)
        .with_max_pages(u32::MAX)
        .with_read_caps(caps);
    let address = NodeId::parse(&format!("btc:{ADDRESS}")).expect("address");
    let started = std::time::Instant::now();
    let result = page(&src, &address, Direction::In, None).expect("capped, not failed");
    let served = served.load(Ordering::SeqCst);
    let page_bytes = served / (result.counterparties.len() as u64 / 25);
    assert!(served + 16 >= CAP_BYTES, "stopped early: {served}");
    assert!(
        served < CAP_BYTES + page_bytes + 1,
        "read {served} bytes past the cap"
    );
    assert!(result.resume.is_some());
    assert_eq!(result.gaps.len(), 1, "{:?}", result.gaps);
    assert!(
        result.gaps[0].starts_with("read cap reached: 25,000 transactions / 16 MiB; ")
            && result.gaps[0].ends_with(" left unread — Load more continues"),
        "{}",
        result.gaps[0]
    );
    let nodes: usize = result.counterparties.iter().map(|cp| cp.nodes.len()).sum();
    let transfers: usize = result
        .counterparties
        .iter()
        .map(|cp| cp.transfers.len())
        .sum();
    let txs = result.counterparties.len();
    assert!(
        nodes <= txs * 203 && transfers <= txs * 202,
        "{nodes} nodes, {transfers} transfers"
    );
    assert!(started.elapsed().as_secs() < 120);
    drop(result);
    if let Some(peak) = peak_rss_bytes() {
        assert!(peak < 300 * 1024 * 1024, "peak memory {peak} bytes");
    }
}
