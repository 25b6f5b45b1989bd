//! Cases, timing and reporting shared by the benchmarks: a median of runs, a case of
//! 1,000,000 ETH and USDT transfers among 200,000 addresses over a year, and the report (a
//! table on stdout and `target/bench/<name>.json`).

#![allow(dead_code)]

use caseboard::model::{Asset, Case, Chain, Node, NodeId, Transfer, TransferId};
use std::hint::black_box;
use std::time::Instant;

pub const TRANSFERS: usize = 1_000_000;
pub const NODES_1M: usize = 200_000;

/// One result: what was measured, the median in ms and the bar it should meet, if any.
pub type Row = (String, f64, Option<f64>);

/// Prints `rows` as a table (the case column `width` wide) and writes them to
/// `$CARGO_TARGET_DIR/bench/<bench>.json` (`target/` by default).
pub fn report(bench: &str, width: usize, rows: &[Row]) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{bench} benchmark (median; {cores} cores)");
    println!("{:<width$} {:>10} {:>8}", "case", "ms", "bar ms");
    let mut json = Vec::new();
    for (name, ms, bar) in rows {
        let bar_text = bar.map_or("-".to_owned(), |b| format!("{b:.0}"));
        println!("{name:<width$} {ms:>10.2} {bar_text:>8}");
        json.push(format!(
            "    {{\"case\": \"{name}\", \"median_ms\": {ms:.3}, \"bar_ms\": {}, \"meets\": {}}}",
            bar.map_or("null".to_owned(), |b| format!("{b:.0}")),
            bar.map_or("null".to_owned(), |b| (*ms <= b).to_string()),
        ));
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".to_owned());
    let dir = std::path::Path::new(&target).join("bench");
    let path = dir.join(format!("{bench}.json"));
    let body = format!(
        "{{\n  \"bench\": \"{bench}\",\n  \"cores\": {cores},\n  \"results\": [\n{}\n  ]\n}}\n",
        json.join(",\n")
    );
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, body)) {
        Ok(()) => println!("wrote {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}

pub fn median_ms<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
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
pub fn million_transfer_case() -> Case {
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
        let id = TransferId::from(format!("eth:{i:064x}:native"));
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
                relation_txs: None,
                memo: None,
            },
        );
    }
    case
}
