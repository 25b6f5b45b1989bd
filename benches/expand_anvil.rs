//! Expansion benchmark against a real Ethereum node: an address with 1,000 ERC-20 transfers.
//!
//! `cargo bench --bench expand_anvil` starts anvil (installed by `.ci/run`; `ANVIL_BIN`
//! overrides), deploys the 6-decimal test token, sends 1,000 transfers to one address, then:
//! 1. times the `evm-rpc` source expanding that address (incoming, no response cache; median
//!    of 7 runs, each with a fresh source) and counts its JSON-RPC requests;
//! 2. runs the real app headless (egui_kittest), starts the same expansion from the UI, and
//!    times every frame while the job runs: the longest frame must stay under 20 ms, because
//!    the network work runs on a job thread and the frame only polls.
//!
//! Prints the figures and writes `target/bench/expand_anvil.json`.

#[path = "../tests/support/anvil.rs"]
mod anvil;

use anvil::{Anvil, fixture, pad32, qty};
use caseboard::app::{CaseboardApp, Command, Document, StartOptions};
use caseboard::model::{Case, Node, NodeId, SourceConfig};
use caseboard::sources::evm_rpc::EvmRpcSource;
use caseboard::sources::http::HttpConfig;
use caseboard::sources::{DataSource as _, Direction, JobControl};
use serde_json::json;
use std::time::{Duration, Instant};

const CHAIN_ID: u64 = 31337;
const TRANSFERS: u128 = 1_000;
/// `transfer(address,uint256)`.
const TRANSFER_SELECTOR: &str = "0xa9059cbb";
/// The UI-thread budget while a network job runs.
const FRAME_BUDGET_MS: f64 = 20.0;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Sends 1,000 token transfers from account 0 to account 5; returns the receiver.
fn prepare(anvil: &Anvil) -> String {
    let (a, x) = (anvil.account(0), anvil.account(5));
    let init = format!("{}{}", fixture("TestUSD.bin"), pad32(&qty(10u128.pow(15))));
    let (token, _) = anvil.deploy(&a, &init);
    let mut last = String::new();
    for i in 0..TRANSFERS {
        let data = format!(
            "{TRANSFER_SELECTOR}{}{}",
            pad32(&x),
            pad32(&qty(1_000_000 + i))
        );
        last = anvil.send_only(json!({"from": a, "to": token, "data": data}));
    }
    anvil.receipt(&last);
    x
}

/// Wall time (ms) and requests of one expansion by a fresh source.
fn source_expansion(anvil: &Anvil, node: &NodeId) -> (f64, u64) {
    let source = EvmRpcSource::new(
        anvil.url(),
        Some(CHAIN_ID),
        HttpConfig::for_own_node(),
        None,
    )
    .expect("source");
    let started = Instant::now();
    let counterparties = source
        .counterparties(node, Direction::In, &JobControl::default())
        .expect("expansion");
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let transfers: usize = counterparties.iter().map(|c| c.transfers.len()).sum();
    assert_eq!(transfers as u128, TRANSFERS, "every transfer found");
    (elapsed_ms, source.client().requests_sent())
}

/// Frame times (ms) of the app while it expands `node` through anvil.
fn frames_during_expansion(anvil: &Anvil, node: &NodeId) -> (Vec<f64>, usize) {
    let mut case = Case::new("anvil bench", 0);
    case.nodes.insert(node.clone(), Node::address(node.clone()));
    case.chain_sources.insert(
        format!("evm{CHAIN_ID}"),
        SourceConfig::EvmRpc {
            url: anvil.url().to_owned(),
        },
    );
    let mut h = egui_kittest::Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(|_| CaseboardApp::new(StartOptions::default()));
    h.state_mut().doc = Document::new(case, None);
    h.state_mut().settings.expansion_limit = 50;
    for _ in 0..200 {
        h.step();
        if h.state().is_quiet() {
            break;
        }
    }
    h.state_mut().push_command(Command::Expand {
        node: node.clone(),
        direction: Direction::In,
    });
    let mut frames_ms = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    // The first frame starts the job; then frames run until the job's result is applied.
    loop {
        let started = Instant::now();
        h.step();
        frames_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if h.state().jobs.is_idle() || Instant::now() > deadline {
            break;
        }
        // A display refreshes at 60 Hz at most; the app asks for repaints while a job runs.
        std::thread::sleep(Duration::from_millis(4));
    }
    let transfers = h.state().doc.case().transfers.len();
    (frames_ms, transfers)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("expand_anvil bench: skipped (run `cargo bench --bench expand_anvil`)");
        return;
    }
    let anvil = Anvil::start();
    let sending = Instant::now();
    let receiver = prepare(&anvil);
    let sent_secs = sending.elapsed().as_secs_f64();
    let node = NodeId::parse(&format!("evm{CHAIN_ID}:{receiver}")).expect("node id");

    let mut times_ms = Vec::new();
    let mut requests = 0;
    for _ in 0..7 {
        let (ms, sent) = source_expansion(&anvil, &node);
        times_ms.push(ms);
        requests = sent;
    }
    let expansion_ms = median(times_ms.clone());

    let (frames_ms, transfers_added) = frames_during_expansion(&anvil, &node);
    let longest_ms = frames_ms.iter().copied().fold(0.0, f64::max);
    let median_frame_ms = median(frames_ms.clone());
    assert!(transfers_added > 0, "the app applied the expansion");

    println!(
        "anvil: {TRANSFERS} ERC-20 transfers sent in {sent_secs:.1} s (chain tip {})",
        anvil.block_number()
    );
    println!(
        "| evm-rpc expansion of an address with {TRANSFERS} ERC-20 transfers | {expansion_ms:.0} ms median of 7 (min {:.0}, max {:.0}) | {requests} JSON-RPC requests |",
        times_ms.iter().copied().fold(f64::MAX, f64::min),
        times_ms.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "| app frames while that expansion runs | longest {longest_ms:.1} ms, median {median_frame_ms:.1} ms over {} frames (budget {FRAME_BUDGET_MS} ms) | {transfers_added} transfers applied |",
        frames_ms.len()
    );
    let json = format!(
        "[{{\"name\":\"evm_rpc_expand_1000_erc20\",\"median_ms\":{expansion_ms:.2},\"requests\":{requests}}},\
         {{\"name\":\"app_longest_frame_during_expansion\",\"longest_ms\":{longest_ms:.2},\"median_ms\":{median_frame_ms:.2},\"frames\":{},\"budget_ms\":{FRAME_BUDGET_MS}}}]\n",
        frames_ms.len()
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    std::fs::write(dir.join("expand_anvil.json"), json).expect("write json");
    if longest_ms > FRAME_BUDGET_MS {
        println!("WARNING: a frame took {longest_ms:.1} ms, over the {FRAME_BUDGET_MS} ms budget");
    }
}
