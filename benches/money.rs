//! Money benchmark (issue 13): the timeline, flows and summaries at scale.
//!
//! `cargo bench --bench money` measures, as medians:
//! - the timeline histogram of 1,000,000 transfers recomputed for a new brush (a quarter of
//!   the span, 240 bins, a selection of 1,000 nodes) — bar ≤ 20 ms;
//! - placing those 1,000,000 transfers on the timeline from a case (`Timeline::build`, done
//!   once per structure change), for information;
//! - `summarize` (what `caseboard summary` computes) of a generated 100k-node case, whole
//!   case — bar ≤ 1 s — and the flows under a filter (`flow_view`, what the canvas rebuilds
//!   when the filter changes), for information.
//!
//! Prints a table and writes `target/bench/money.json`.

use caseboard::analysis::flows::flow_view;
use caseboard::analysis::money::{TimeWindow, summarize};
use caseboard::analysis::timeline::Timeline;
use caseboard::generate::generate_case;
use caseboard::model::{Asset, Case, Chain, GraphFilter, Node, NodeId, Transfer, TransferId};
use caseboard::prices::PriceBook;
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Instant;

const TRANSFERS: usize = 1_000_000;
const NODES_1M: usize = 200_000;

fn median_ms<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

/// A case of 1,000,000 ETH and USDT transfers among 200,000 addresses over a year.
fn million_transfer_case() -> Case {
    let mut case = Case::new("1M transfers", 0);
    let ids: Vec<NodeId> = (0..NODES_1M)
        .map(|i| NodeId::parse(&format!("eth:0x{:040x}", i + 1)).expect("id"))
        .collect();
    for id in &ids {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
    }
    let usdt = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0xdac17f958d2ee523a2206206994597c13d831ec7",
    );
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..TRANSFERS {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let (from, to) = (
            (x % NODES_1M as u64) as usize,
            ((x >> 20) % NODES_1M as u64) as usize,
        );
        let asset = if i % 3 == 0 {
            usdt.clone()
        } else {
            Asset::native(Chain::ETHEREUM)
        };
        let id = TransferId(format!("eth:{i:064x}:native"));
        case.transfers.insert(
            id.clone(),
            Transfer {
                id,
                from: ids[from].clone(),
                to: ids[to].clone(),
                asset,
                amount: u128::from(x % 1_000_000_000_000_000_000),
                tx_hash: format!("{i:064x}"),
                block_height: Some(1),
                time: Some(1_704_067_200 + (x % 31_536_000) as i64),
                provenance: None,
            },
        );
    }
    case
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("money bench: skipped (run `cargo bench --bench money`)");
        return;
    }
    let prices = PriceBook::bundled();
    let mut rows: Vec<(String, f64, Option<f64>)> = Vec::new();

    let case = million_transfer_case();
    let build_ms = median_ms(3, || Timeline::build(&case, &prices));
    rows.push((
        "timeline: place 1,000,000 transfers".to_owned(),
        build_ms,
        None,
    ));
    let timeline = Timeline::build(&case, &prices);
    let (first, last) = timeline.span().expect("dated");
    let mut selected = vec![false; timeline.nodes.len()];
    for i in (0..selected.len()).step_by(selected.len() / 1_000) {
        selected[i] = true;
    }
    let quarter = (last - first) / 4;
    let mut k = 0i64;
    let brush_ms = median_ms(21, || {
        // A new brush each run: the range slides by a day.
        k += 1;
        let from = first + k * 86_400;
        timeline.histogram(from, from + quarter, 240, &selected)
    });
    rows.push((
        "timeline: histogram for a new brush, 1,000,000 transfers".to_owned(),
        brush_ms,
        Some(20.0),
    ));
    let whole_ms = median_ms(21, || timeline.histogram(first, last, 240, &selected));
    rows.push((
        "timeline: histogram of the whole span, 1,000,000 transfers".to_owned(),
        whole_ms,
        Some(20.0),
    ));
    drop(timeline);
    drop(case);

    let case = generate_case(100_000, 1);
    let transfers = case.transfers.len();
    let summary_ms = median_ms(5, || {
        summarize(&case, &BTreeSet::new(), TimeWindow::default(), &prices)
    });
    rows.push((
        format!("summary of a 100k-node case ({transfers} transfers)"),
        summary_ms,
        Some(1000.0),
    ));
    let filter = GraphFilter {
        min_usd_cents: Some(100_000),
        hide_leaves: true,
        ..GraphFilter::default()
    };
    let flows_ms = median_ms(5, || flow_view(&case, &prices, &filter));
    rows.push((
        "flows under a filter, 100k-node case".to_owned(),
        flows_ms,
        None,
    ));

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("money benchmark (median; {cores} cores)");
    println!("{:<62} {:>10} {:>8}", "case", "ms", "bar ms");
    let mut json = Vec::new();
    for (name, ms, bar) in &rows {
        let bar_text = bar.map_or("-".to_owned(), |b| format!("{b:.0}"));
        println!("{name:<62} {ms:>10.2} {bar_text:>8}");
        json.push(format!(
            "    {{\"case\": \"{name}\", \"median_ms\": {ms:.3}, \"bar_ms\": {}, \"meets\": {}}}",
            bar.map_or("null".to_owned(), |b| format!("{b:.0}")),
            bar.map_or("null".to_owned(), |b| (*ms <= b).to_string()),
        ));
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".to_owned());
    let dir = std::path::Path::new(&target).join("bench");
    let path = dir.join("money.json");
    let body = format!(
        "{{\n  \"bench\": \"money\",\n  \"cores\": {cores},\n  \"results\": [\n{}\n  ]\n}}\n",
        json.join(",\n")
    );
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, body)) {
        Ok(()) => println!("wrote {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}
