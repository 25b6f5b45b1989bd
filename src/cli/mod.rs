//! The command line: no arguments opens the GUI on the demo case, `caseboard CASE.ron` opens a
//! case, and subcommands do headless work for scripts and tests. Every failure prints a clear
//! message and exits with code 2 (bad input) or 1 (runtime failure).

mod analyze;
mod args;
mod door;
mod error;
mod expand;
mod generate;
mod layout;
mod merge;
mod paths;
mod render;
mod settings;
mod summary;
mod tags;
mod taint;
mod trace;

pub use args::{Cli, CliCommand, ExpandFilterArgs, TagsCommand};
pub use error::CliError;

use crate::case_file;
use crate::model::start::{StartPoint, parse_start};
use crate::model::{Action, Case, Fragment, Node, NodeId};
use crate::sources::demo::demo_case;
use crate::sources::factory::parse_source_arg;

/// Runs a headless subcommand, printing its output.
pub fn run_headless(command: CliCommand) -> Result<(), CliError> {
    match command {
        CliCommand::Demo { output } => {
            case_file::save(&demo_case(), &output)?;
            Ok(())
        }
        CliCommand::New {
            output,
            title,
            source,
            chain_id,
            chain,
            addresses,
        } => {
            let chain = chain
                .as_deref()
                .map(crate::model::start::parse_chain_choice)
                .transpose()
                .map_err(|e| CliError::input(format!("--chain: {e}")))?;
            let mut context = settings::source_context();
            if let Some(url) = source
                .as_deref()
                .and_then(|s| s.split_once('='))
                .map(|(_, u)| u)
            {
                context.remember_full_url(url.trim());
            }
            let source = source
                .map(|s| parse_source_arg(&s, chain_id))
                .transpose()
                .map_err(CliError::input)?;
            let (mut doc, transactions, by_hash) =
                new_document_on(&title, &addresses, source, chain)?;
            // One set of live sources for every read of this run (shared HTTP pools and limits).
            let router = crate::sources::factory::build_router(
                &doc.case().source,
                &doc.case().chain_sources,
                &context,
            );
            // An account-chain transaction is its transfers: the case's source reads them.
            for (chain, hash) in &by_hash {
                read_transaction(&mut doc, &router, *chain, hash)?;
            }
            // A transaction is its inputs and outputs: the case's source brings them now.
            let options = crate::analysis::expansion::ExpandOptions::with_limit(
                crate::analysis::expansion::DEFAULT_LIMIT,
            );
            for tx in &transactions {
                let report = expand::expand_into(
                    &mut doc,
                    &router,
                    tx,
                    crate::sources::Direction::Both,
                    &options,
                    None,
                )?;
                report.print(tx, crate::sources::Direction::Both);
            }
            door::save(&doc, &output)?;
            println!("{}", case_file::summary_json(doc.case()));
            Ok(())
        }
        CliCommand::Check { file } => {
            let (case, report) = case_file::load_report(&file)?;
            if let Some(message) = report.message() {
                eprintln!("{}: {message}", file.display());
            }
            println!("{}", case_file::summary_json(&case));
            Ok(())
        }
        CliCommand::Migrate { file, output } => {
            let (mut case, report) = case_file::load_report(&file)?;
            if let Some(old) = report.migrated_from {
                let by = std::env::var("CASEBOARD_INVESTIGATOR").unwrap_or_default();
                case.record(
                    &by,
                    crate::util::now_unix(),
                    format!(
                        "migrated from case format {old} to {}",
                        case_file::FORMAT_VERSION
                    ),
                );
            }
            let target = output.unwrap_or_else(|| file.clone());
            case_file::save(&case, &target)?;
            match report.migrated_from {
                Some(old) => eprintln!(
                    "{}: case format {old} → {} written to {}",
                    file.display(),
                    case_file::FORMAT_VERSION,
                    target.display()
                ),
                None => eprintln!(
                    "{}: already case format {}; rewritten to {}",
                    file.display(),
                    case_file::FORMAT_VERSION,
                    target.display()
                ),
            }
            println!("{}", case_file::summary_json(&case));
            Ok(())
        }
        CliCommand::Expand {
            file,
            node,
            direction,
            limit,
            source,
            chain_id,
            offline,
            filter,
            output,
        } => expand::expand(
            &file,
            &node,
            direction,
            limit,
            source.as_deref(),
            offline,
            &filter,
            chain_id,
            &output,
        ),
        CliCommand::Summary {
            case,
            nodes,
            since,
            until,
            prices,
        } => summary::run_summary(&case, &nodes, since.as_deref(), until.as_deref(), &prices),
        CliCommand::Paths {
            case,
            from,
            to,
            max_hops,
            k,
        } => paths::run_paths(&case, &from, &to, max_hops, k),
        CliCommand::Analyze {
            case,
            kinds,
            include_dismissed,
            prices,
        } => analyze::run_analyze(&case, &kinds, include_dismissed, &prices),
        CliCommand::Trace {
            case,
            from,
            hops,
            budget,
            prefer_payment,
            source,
            offline,
            output,
        } => trace::run_trace(
            &case,
            &from,
            (hops, budget, prefer_payment),
            source.as_deref(),
            offline,
            &output,
        ),
        CliCommand::Taint {
            case,
            from,
            model,
            through_hops,
        } => taint::run_taint(&case, &from, &model, through_hops),
        CliCommand::Tags { command } => tags::run_tags(command),
        CliCommand::Layout {
            case,
            output,
            ticks,
            all,
        } => layout::run_layout(&case, output.as_deref(), ticks, all),
        CliCommand::Render {
            case,
            output,
            width,
            scale,
            since,
            until,
            min_usd,
        } => render::run_render(
            &case,
            &output,
            width,
            scale,
            &render::FilterArgs {
                since,
                until,
                min_usd,
            },
        ),
        CliCommand::ExportCsv {
            case,
            output,
            prices,
        } => render::run_export_csv(&case, &output, &prices),
        CliCommand::Merge {
            mine,
            theirs,
            base,
            output,
            by,
        } => merge::run_merge(&mine, &theirs, base.as_deref(), &output, by),
        CliCommand::Generate {
            nodes,
            seed,
            output,
        } => generate::run_generate(nodes, seed, &output),
        CliCommand::Screenshot { .. } => Err(CliError::input("screenshot needs the window")),
    }
}

/// Builds a case from addresses through the door (every invalid one is reported, nothing is
/// built then): the addresses, the source and the bundled attribution are history entries.
pub fn new_document(
    title: &str,
    addresses: &[String],
    source: Option<crate::model::SourceConfig>,
) -> Result<crate::model::Document, CliError> {
    new_document_on(title, addresses, source, None).map(|(doc, ..)| doc)
}

/// Reads an account-chain transaction by hash with `router` (the case's sources) and adds its
/// transfers and their ends through the door.
fn read_transaction(
    doc: &mut crate::model::Document,
    router: &crate::sources::router::SourceRouter,
    chain: crate::model::Chain,
    hash: &str,
) -> Result<(), CliError> {
    use crate::sources::DataSource as _;
    let facts = router
        .transaction(chain, hash, &crate::sources::JobControl::default())
        .map_err(|e| CliError {
            code: 1,
            message: e.to_string(),
        })?;
    for gap in &facts.gaps {
        eprintln!("note: {gap}");
    }
    let action = crate::analysis::by_hash::transaction_action(doc.case(), chain, hash, facts);
    eprintln!("read {chain} transaction {hash}");
    if let Some(action) = action {
        door::apply(doc, action)?;
        door::flag_with_bundled_packs(doc)?;
        door::settle_layout(doc);
    }
    Ok(())
}

/// Like [`new_document`] for addresses and transaction ids on `chain` (when chosen); also
/// returns the UTXO transaction nodes, which the caller expands, and the account-chain
/// transactions (chain, hash), which the caller reads.
#[allow(clippy::type_complexity)] // the three lists the caller goes on with
pub(crate) fn new_document_on(
    title: &str,
    tokens: &[String],
    source: Option<crate::model::SourceConfig>,
    chain: Option<crate::model::Chain>,
) -> Result<
    (
        crate::model::Document,
        Vec<NodeId>,
        Vec<(crate::model::Chain, String)>,
    ),
    CliError,
> {
    let mut starts: Vec<StartPoint> = Vec::new();
    let mut problems = Vec::new();
    for text in tokens {
        match parse_start(text, chain) {
            Ok(start) => {
                if !starts.contains(&start) {
                    starts.push(start);
                }
            }
            Err(err) => problems.push(format!("{text}: {err}")),
        }
    }
    if !problems.is_empty() {
        return Err(CliError::input(format!(
            "{} invalid address(es) or transaction id(s), nothing written:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    let transactions: Vec<NodeId> = starts
        .iter()
        .filter_map(|s| match s {
            StartPoint::Transaction(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    let by_hash: Vec<(crate::model::Chain, String)> = starts
        .iter()
        .filter_map(|s| match s {
            StartPoint::Transfers { chain, hash } => Some((*chain, hash.clone())),
            _ => None,
        })
        .collect();
    let nodes: Vec<Node> = starts
        .iter()
        .filter_map(|s| match s {
            StartPoint::Address(id) => Some(Node::address(id.clone())),
            StartPoint::Transaction(id) => Some(Node::transaction(id.clone())),
            StartPoint::Transfers { .. } => None,
        })
        .collect();
    let addresses = nodes.len() - transactions.len();
    let mut doc = door::document(Case::new(title, crate::util::now_unix()), None);
    if let Some(source) = source {
        door::apply(&mut doc, Action::SetSource(source))?;
    }
    let label = if transactions.is_empty() {
        format!("add {addresses} address(es)")
    } else {
        format!(
            "add {addresses} address(es) and {} transaction(s)",
            transactions.len()
        )
    };
    if !nodes.is_empty() {
        let fragment = Fragment {
            nodes,
            ..Fragment::default()
        };
        door::apply(&mut doc, Action::Insert { label, fragment })?;
        door::flag_with_bundled_packs(&mut doc)?;
        door::settle_layout(&mut doc);
    }
    Ok((doc, transactions, by_hash))
}
