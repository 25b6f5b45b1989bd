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
use caseboard::model::GraphFilter;
use caseboard::prices::PriceBook;
use std::collections::BTreeSet;

#[path = "support/cases.rs"]
mod cases;
use cases::{Row, median_ms, million_transfer_case, report};

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("money bench: skipped (run `cargo bench --bench money`)");
        return;
    }
    let prices = PriceBook::bundled();
    let mut rows: Vec<Row> = Vec::new();

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

    report("money", 62, &rows);
}
