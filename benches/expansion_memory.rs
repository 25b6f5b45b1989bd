//! Memory of one expansion at the default read caps (issue "hard to break", point 5: one
//! expansion stays within 300 MB). A local Esplora-shaped server serves an address whose history
//! never ends, every transaction fat (200 script outputs, about 40 KiB of JSON each), so the
//! expansion stops at the byte cap (32 MiB by default). The figure is this process's peak
//! resident memory (VmHWM) minus what it held before, the server's own pages included — an
//! upper bound for the expansion alone; each row runs in a fresh child process. A second run reads the same history with thin
//! transactions, so the transaction cap (25,000) is what stops it.
//!
//! Run: `cargo bench --bench expansion_memory` (writes `target/bench/expansion_memory.json`).

mod support {
    #[path = "../../tests/support/endless_history.rs"]
    pub mod endless_history;
    #[path = "../../tests/support/mock_http.rs"]
    pub mod mock_http;
}

use caseboard::model::NodeId;
use caseboard::sources::esplora::EsploraSource;
use caseboard::sources::http::HttpConfig;
use caseboard::sources::limits::ReadCaps;
use caseboard::sources::{DataSource, Direction, JobControl};
use std::sync::atomic::Ordering;
use std::time::Instant;
use support::endless_history::{ADDRESS, serve_endless_history};
use support::mock_http::{MockServer, Response};

/// The bar: one expansion at the default caps stays under this.
const LIMIT_MIB: f64 = 300.0;

/// VmHWM or VmRSS of this process, in bytes.
fn proc_status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

struct Row {
    name: &'static str,
    served_mib: f64,
    transactions: usize,
    nodes: usize,
    secs: f64,
    peak_growth_mib: f64,
}

fn run(name: &'static str, fat_outputs: usize) -> Row {
    let server = MockServer::start();
    server.route("GET", "/blocks/tip/height", |_| {
        Response::text(200, "900000")
    });
    let served = serve_endless_history(&server, fat_outputs);
    let source = EsploraSource::new(&server.url(), HttpConfig::for_own_node(), None)
        .expect("source")
        .with_max_pages(u32::MAX)
        .with_read_caps(ReadCaps::default());
    let address = NodeId::parse(&format!("btc:{ADDRESS}")).expect("address");
    let before = proc_status_bytes("VmRSS:");
    let started = Instant::now();
    let page = source
        .counterparties_page(&address, Direction::In, None, &JobControl::default())
        .expect("a capped page, not a failure");
    let secs = started.elapsed().as_secs_f64();
    let peak = proc_status_bytes("VmHWM:");
    let row = Row {
        name,
        served_mib: served.load(Ordering::SeqCst) as f64 / 1048576.0,
        transactions: page.counterparties.len(),
        nodes: page.counterparties.iter().map(|c| c.nodes.len()).sum(),
        secs,
        peak_growth_mib: peak.saturating_sub(before) as f64 / 1048576.0,
    };
    assert!(
        page.resume.is_some(),
        "{name}: the cap, not the end, stopped it"
    );
    println!("{name}: gaps {:?}", page.gaps);
    row
}

/// The rows: name and script outputs per transaction.
const ROWS: [(&str, usize); 2] = [
    ("thin_transactions_tx_cap", 0),
    ("fat_transactions_byte_cap", 200),
];

/// Runs one row in a fresh process (so its peak is its own) and reads its figures back.
fn in_child(name: &str) -> Row {
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .args(["--row", name])
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("ROW "))
        .unwrap_or_else(|| panic!("{name}: no figures: {text}"));
    let v: Vec<f64> = line.split(' ').filter_map(|x| x.parse().ok()).collect();
    Row {
        name: ROWS.iter().find(|r| r.0 == name).map_or("?", |r| r.0),
        served_mib: v[0],
        transactions: v[1] as usize,
        nodes: v[2] as usize,
        secs: v[3],
        peak_growth_mib: v[4],
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(k) = args.iter().position(|a| a == "--row") {
        let (name, fat) = ROWS
            .into_iter()
            .find(|r| Some(r.0) == args.get(k + 1).map(String::as_str))
            .expect("a known row");
        let r = run(name, fat);
        println!(
            "ROW {} {} {} {} {}",
            r.served_mib, r.transactions, r.nodes, r.secs, r.peak_growth_mib
        );
        return;
    }
    // `cargo test --all-targets` runs this without `--bench`: only check that it starts.
    if !args.iter().any(|a| a == "--bench") {
        println!("expansion_memory bench: skipped (run `cargo bench --bench expansion_memory`)");
        return;
    }
    let rows: Vec<Row> = ROWS.iter().map(|r| in_child(r.0)).collect();
    println!(
        "{:<28} {:>10} {:>8} {:>9} {:>8} {:>14}",
        "row", "read MiB", "txs", "nodes", "secs", "peak +MiB"
    );
    let mut json = Vec::new();
    for r in &rows {
        println!(
            "{:<28} {:>10.1} {:>8} {:>9} {:>8.2} {:>14.1}",
            r.name, r.served_mib, r.transactions, r.nodes, r.secs, r.peak_growth_mib
        );
        json.push(serde_json::json!({
            "row": r.name, "read_mib": r.served_mib, "transactions": r.transactions,
            "nodes": r.nodes, "secs": r.secs, "peak_growth_mib": r.peak_growth_mib,
            "limit_mib": LIMIT_MIB,
        }));
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(
        dir.join("expansion_memory.json"),
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    );
    for r in &rows {
        assert!(
            r.peak_growth_mib <= LIMIT_MIB,
            "{}: {:.1} MiB over the {LIMIT_MIB} MiB bar",
            r.name,
            r.peak_growth_mib
        );
    }
}
