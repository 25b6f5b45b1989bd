//! `caseboard trace`: auto-trace from a node through the case's (or the given) data source,
//! bounded by hops and requests; what it finds goes into the case as one step through the door
//! (with a note on the start node that sums the trace up), one JSON line per node handled goes
//! to stdout and a summary to stderr.

use super::CliError;
use super::door;
use crate::model::{Action, NodeId, SourceConfig};
use crate::sources::JobControl;
use crate::sources::factory::{SourceContext, build_router, parse_source_arg};
use crate::sources::trace::{TraceOptions, trace, trace_action};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// Runs `caseboard trace`.
pub(crate) fn run_trace(
    file: &Path,
    from: &str,
    (hops, budget, prefer_payment): (usize, usize, bool),
    source: Option<&str>,
    offline: bool,
    output: &Path,
) -> Result<(), CliError> {
    let mut doc = door::open(file)?;
    let mut context = SourceContext {
        offline,
        ..super::settings::source_context()
    };
    if let Some(arg) = source {
        let config = parse_source_arg(arg, 1).map_err(CliError::input)?;
        if let Some((_, url)) = arg.split_once('=')
            && url.contains("://")
        {
            context.remember_full_url(url);
        }
        if config != doc.case().source {
            door::apply(&mut doc, Action::SetSource(config))?;
        }
    }
    let start = NodeId::parse(from).map_err(|e| CliError::input(format!("--from: {e}")))?;
    if !doc.case().nodes.contains_key(&start) {
        return Err(CliError::input(format!(
            "--from: {start} is not in {}",
            file.display()
        )));
    }
    let router = build_router(&doc.case().source, &doc.case().chain_sources, &context);
    let packs = crate::attribution::bundled_packs();
    let index = crate::attribution::AttributionIndex::build(&packs);
    // The demo world's actors are its bundled attribution.
    let demo: HashMap<NodeId, crate::model::Tag> = if doc.case().source == SourceConfig::Demo {
        crate::sources::demo::demo_attribution()
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let known = |node: &NodeId| {
        demo.get(node)
            .map(|tag| tag.category.clone())
            .or_else(|| crate::model::tag::tags_category(index.lookup(node)).cloned())
    };
    let options = TraceOptions {
        max_hops: hops,
        budget_requests: budget,
        prefer_payment,
        ..TraceOptions::default()
    };
    let prices = crate::prices::PriceBook::bundled();
    let outcome = trace(
        &router,
        doc.case(),
        &start,
        &options,
        &known,
        &prices,
        &JobControl::default(),
    )
    .map_err(|e| CliError {
        code: 1,
        message: e.to_string(),
    })?;
    for step in &outcome.steps {
        println!(
            "{}",
            json!({"node": step.node.to_string(), "hop": step.hop, "reason": step.reason})
        );
    }
    let summary = outcome.summary();
    let added = (
        outcome.fragment.nodes.len(),
        outcome.fragment.transfers.len(),
    );
    let action = trace_action(doc.case(), &start, &options, &outcome, door::author());
    door::apply(&mut doc, action)?;
    door::flag_with_bundled_packs(&mut doc)?;
    // On the demo world its actors are the attribution: tag those the trace brought in.
    let entries: Vec<_> = demo
        .iter()
        .filter(|(node, _)| doc.case().nodes.contains_key(*node))
        .filter_map(|(node, tag)| {
            let tag = tag.clone();
            let mut tags = doc.case().tags.get(node).cloned().unwrap_or_default();
            if tags.iter().any(|t| t.label == tag.label) {
                return None;
            }
            tags.push(tag);
            Some((node.clone(), tags))
        })
        .collect();
    if !entries.is_empty() {
        door::apply(
            &mut doc,
            Action::SetTags {
                label: "tag the demo world's actors".into(),
                entries,
            },
        )?;
    }
    door::settle_layout(&mut doc);
    door::save(&doc, output)?;
    eprintln!(
        "traced from {start}: {} nodes, {} transfers added with {} requests{}; {summary}",
        added.0,
        added.1,
        outcome.requests,
        if outcome.cut_short {
            " (budget spent: raise --budget to go on)"
        } else {
            ""
        }
    );
    Ok(())
}
