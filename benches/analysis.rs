//! Analysis benchmark (issue 14): paths, taint and the detectors at scale.
//!
//! `cargo bench --bench analysis` measures, as medians:
//! - `find_paths` from a victim's wallet to the mixer of a generated 100k-node case (k = 5,
//!   8 hops) — bar ≤ 100 ms;
//! - taint from 100 source addresses over 1,000,000 transfers, each model — bar ≤ 1 s;
//! - every detector (index + patterns + Bitcoin heuristics) over the 100k-node case — bar
//!   ≤ 2 s.
//!
//! Prints a table and writes `target/bench/analysis.json`.

#[path = "support/cases.rs"]
mod cases;

use caseboard::analysis::findings::{AnalysisLimits, CaseIndex, detect};
use caseboard::analysis::paths::{PathQuery, find_paths};
use caseboard::analysis::taint::{TaintModel, taint};
use caseboard::generate::generate_case;
use caseboard::model::{Category, NodeId};
use caseboard::prices::PriceBook;
use cases::{Row, median_ms, million_transfer_case, report};
use std::collections::BTreeSet;

fn tagged(case: &caseboard::model::Case, category: Category) -> Option<NodeId> {
    case.nodes
        .keys()
        .find(|n| case.display_category(n) == Some(&category))
        .cloned()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("analysis bench: skipped (run `cargo bench --bench analysis`)");
        return;
    }
    let prices = PriceBook::bundled();
    let mut rows: Vec<Row> = Vec::new();

    let case = generate_case(100_000, 1);
    let transfers = case.transfers.len();
    let from: BTreeSet<NodeId> = tagged(&case, Category::Victim).into_iter().collect();
    let to: BTreeSet<NodeId> = tagged(&case, Category::Mixer).into_iter().collect();
    let result = find_paths(&case, &from, &to, PathQuery::default(), &prices);
    let paths_ms = median_ms(9, || {
        find_paths(&case, &from, &to, PathQuery::default(), &prices)
    });
    rows.push((
        format!(
            "paths victim → mixer, 100k nodes ({transfers} transfers; {} found)",
            result.paths.len()
        ),
        paths_ms,
        Some(100.0),
    ));
    let detect_ms = median_ms(5, || {
        let index = CaseIndex::build(&case, &prices);
        detect(&index, &[], AnalysisLimits::default()).len()
    });
    let index = CaseIndex::build(&case, &prices);
    let found = detect(&index, &[], AnalysisLimits::default()).len();
    drop(index);
    rows.push((
        format!("all detectors, 100k nodes ({found} findings)"),
        detect_ms,
        Some(2000.0),
    ));
    drop(case);

    let case = million_transfer_case();
    let sources: BTreeSet<NodeId> = case.nodes.keys().step_by(2_000).cloned().collect();
    for (name, model) in [
        ("poison", TaintModel::Poison),
        ("haircut", TaintModel::Haircut),
        ("fifo", TaintModel::Fifo),
    ] {
        let ms = median_ms(3, || taint(&case, &sources, model).len());
        rows.push((
            format!(
                "taint ({name}) from {} sources, 1,000,000 transfers",
                sources.len()
            ),
            ms,
            Some(1000.0),
        ));
    }

    report("analysis", 70, &rows);
}
