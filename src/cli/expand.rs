//! `caseboard expand`: one expansion from the command line, through the same sources, filter
//! and action door as the app. The sources used are recorded in the case (`--source` as the
//! default, `--source-for CHAIN=KIND=URL` per chain; keys in URLs never reach the file), and
//! when the source stopped before the end of the history the cursor to go on from is printed
//! (`--resume CURSOR` continues, `--more` skips what the case already shows).

use super::CliError;
use super::door;
use crate::analysis::expand_options::{parse_min_value, parse_time_bound};
use crate::analysis::expansion::{ExpandOptions, plan_expansion};
use crate::case_file;
use crate::cli::ExpandFilterArgs;
use crate::model::{Action, NodeId, SourceConfig};
use crate::sources::factory::{SourceContext, build_router, parse_source_arg};
use crate::sources::{DataSource as _, Direction, JobControl};
use std::path::Path;

/// Parses `CHAIN=KIND[=URL]`.
fn parse_source_for(text: &str, chain_id: u64) -> Result<(String, SourceConfig), String> {
    let (chain, rest) = text
        .split_once('=')
        .ok_or_else(|| format!("--source-for {text:?}: expected CHAIN=KIND[=URL]"))?;
    let chain = chain.trim().to_ascii_lowercase();
    if crate::model::Chain::from_id_prefix(&chain).is_none() {
        return Err(format!(
            "--source-for {text:?}: {chain:?} is not a chain (btc, eth, evm<chain id>, trx, ltc, bch, zec)"
        ));
    }
    Ok((chain, parse_source_arg(rest, chain_id)?))
}

/// The URL part of a `KIND=URL` argument, if it has one.
fn url_of(arg: &str) -> Option<&str> {
    arg.split_once('=').map(|(_, url)| url.trim())
}

fn options_from(filter: &ExpandFilterArgs, limit: usize) -> Result<ExpandOptions, CliError> {
    let input = |e: String| CliError::input(e);
    let min_value_18 = filter
        .min_value
        .as_deref()
        .map(parse_min_value)
        .transpose()
        .map_err(input)?;
    let since_unix = filter
        .since
        .as_deref()
        .map(|t| parse_time_bound(t, false))
        .transpose()
        .map_err(|e| CliError::input(format!("--since: {e}")))?;
    let until_unix = filter
        .until
        .as_deref()
        .map(|t| parse_time_bound(t, true))
        .transpose()
        .map_err(|e| CliError::input(format!("--until: {e}")))?;
    if let (Some(s), Some(u)) = (since_unix, until_unix)
        && s > u
    {
        return Err(CliError::input("--since is after --until"));
    }
    Ok(ExpandOptions {
        limit,
        min_value_18,
        since_unix,
        until_unix,
        more: filter.more,
    })
}

/// Runs one expansion and writes the case to `output`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn expand(
    file: &Path,
    node: &str,
    direction: Direction,
    limit: usize,
    source: Option<&str>,
    offline: bool,
    filter: &ExpandFilterArgs,
    chain_id: u64,
    output: &Path,
) -> Result<(), CliError> {
    let options = options_from(filter, limit)?;
    let mut doc = door::open(file)?;
    let mut context = SourceContext {
        offline,
        ..super::settings::source_context()
    };
    // The case keeps each URL's origin; its full form (path, query: secret) lives only in
    // this run's context, found again by that origin.
    if let Some(arg) = source {
        let config = parse_source_arg(arg, chain_id).map_err(CliError::input)?;
        if let Some(url) = url_of(arg) {
            context.remember_full_url(url);
        }
        if config != doc.case().source {
            door::apply(&mut doc, Action::SetSource(config))?;
        }
    }
    for arg in &filter.source_for {
        let (chain, config) = parse_source_for(arg, chain_id).map_err(CliError::input)?;
        if let Some(url) = url_of(arg).and_then(url_of) {
            context.remember_full_url(url);
        }
        if doc.case().chain_sources.get(&chain) != Some(&config) {
            door::apply(
                &mut doc,
                Action::SetChainSource {
                    chain,
                    source: Some(config),
                },
            )?;
        }
    }
    let node = NodeId::parse(node).map_err(|e| CliError::input(format!("--node: {e}")))?;
    let case = doc.case();
    if !case.nodes.contains_key(&node) {
        return Err(CliError::input(format!(
            "--node: {node} is not in {}",
            file.display()
        )));
    }
    let router = build_router(&case.source, &case.chain_sources, &context);
    let report = expand_into(
        &mut doc,
        &router,
        &node,
        direction,
        &options,
        filter.resume.as_deref(),
    )?;
    door::save(&doc, output)?;
    report.print(&node, direction);
    println!("{}", case_file::summary_json(doc.case()));
    Ok(())
}

/// What one expansion added and what it said, for the command line's report.
pub(crate) struct ExpandReport {
    nodes_added: usize,
    transfers_added: usize,
    total: usize,
    left_out: String,
    filtered_out: usize,
    resume: Option<String>,
    gaps: Vec<String>,
}

impl ExpandReport {
    /// Prints the report on stderr.
    pub(crate) fn print(&self, node: &NodeId, direction: Direction) {
        eprintln!(
            "expanded {node} ({}): {} nodes, {} transfers added; of {} counterparties {}, {} filtered out",
            direction.name(),
            self.nodes_added,
            self.transfers_added,
            self.total,
            self.left_out,
            self.filtered_out
        );
        if let Some(cursor) = &self.resume {
            eprintln!("older history not read yet; continue with --resume {cursor}");
        }
        for gap in &self.gaps {
            eprintln!("note: {gap}");
        }
    }
}

/// Expands `node` of `doc` with `router` (the case's sources), through the door (new facts,
/// the node read whole and its gaps in one step; bundled packs flag what arrived; the layout
/// settles).
pub(crate) fn expand_into(
    doc: &mut crate::model::Document,
    router: &crate::sources::router::SourceRouter,
    node: &NodeId,
    direction: Direction,
    options: &ExpandOptions,
    resume: Option<&str>,
) -> Result<ExpandReport, CliError> {
    let page = router
        .counterparties_page_within(
            node,
            direction,
            resume,
            options.time_range(),
            &JobControl::default(),
        )
        .map_err(|e| CliError {
            code: 1,
            message: e.to_string(),
        })?;
    let prices = crate::prices::PriceBook::bundled();
    let plan = plan_expansion(doc.case(), node, page.counterparties, options, &prices);
    let (nodes_added, transfers_added) = (plan.fragment.nodes.len(), plan.fragment.transfers.len());
    let left_out = plan
        .left_out_text()
        .unwrap_or_else(|| "0 left out".to_owned());
    let (total, filtered_out) = (plan.total_counterparties, plan.filtered_out);
    let inserted = !plan.fragment.is_empty();
    let filters = options.describe();
    let label = format!(
        "expand {} ({}{}{})",
        crate::model::address::short_form(node.value()),
        direction.name(),
        if filters.is_empty() { "" } else { ", " },
        filters
    );
    // New facts, nodes now read whole, and the gaps kept on the expanded node: one step.
    if let Some(action) = plan.into_action(doc.case(), node, &page.gaps, label) {
        door::apply(doc, action)?;
        if inserted {
            door::flag_with_bundled_packs(doc)?;
            door::settle_layout(doc);
        }
    }
    Ok(ExpandReport {
        nodes_added,
        transfers_added,
        total,
        left_out,
        filtered_out,
        resume: page.resume,
        gaps: page.gaps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_per_chain_sources() {
        assert_eq!(
            parse_source_for("btc=esplora=http://127.0.0.1:3000", 1),
            Ok((
                "btc".to_owned(),
                SourceConfig::Esplora {
                    url: "http://127.0.0.1:3000".into()
                }
            ))
        );
        assert!(parse_source_for("tron=demo", 1).is_err());
        assert!(parse_source_for("btc", 1).is_err());
        assert_eq!(
            url_of("eth=evm-rpc=https://n.example/?apikey=K").and_then(url_of),
            Some("https://n.example/?apikey=K")
        );
    }
}
