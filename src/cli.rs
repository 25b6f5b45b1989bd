//! The command line: no arguments opens the GUI on the demo case, `caseboard CASE.ron` opens a
//! case, and subcommands do headless work for scripts and tests. Every failure prints a clear
//! message and exits with code 2 (bad input) or 1 (runtime failure).

use crate::analysis::expansion::{DEFAULT_LIMIT, plan_expansion};
use crate::app::layout_driver::LayoutDriver;
use crate::case_file;
use crate::model::address::parse_address;
use crate::model::{Action, Case, Fragment, Node, NodeId};
use crate::sources::demo::demo_case;
use crate::sources::factory::{SourceContext, build_source, parse_source_arg};
use crate::sources::{Direction, JobControl};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Caseboard: a desktop workbench for tracing stolen and laundered crypto.
#[derive(Debug, Parser)]
#[command(name = "caseboard", version, about)]
pub struct Cli {
    /// Case file to open in the window (default: the built-in demo case).
    pub case: Option<PathBuf>,
    /// Extra attribution pack (GraphSense TagPack .yaml or CSV) to match against, repeatable.
    #[arg(long = "pack")]
    pub packs: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Write the demo case to a file.
    Demo {
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Create a case from addresses (every invalid one is named; exit 2).
    New {
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value = "Untitled case")]
        title: String,
        /// Data source recorded in the case: demo, esplora=URL, evm-rpc=URL, etherscan[=CHAIN_ID], blockscout=URL.
        #[arg(long)]
        source: Option<String>,
        /// Chain id for etherscan/blockscout sources.
        #[arg(long, default_value_t = 1)]
        chain_id: u64,
        #[arg(required = true)]
        addresses: Vec<String>,
    },
    /// Validate a case file and print a one-line JSON summary.
    Check { file: PathBuf },
    /// Expand a node with the case's data source and write the result.
    Expand {
        file: PathBuf,
        #[arg(long)]
        node: String,
        #[arg(long, value_enum, default_value = "both")]
        direction: Direction,
        #[arg(long, default_value_t = DEFAULT_LIMIT)]
        limit: usize,
        /// Data source to use (and record in the case) instead of the case's own:
        /// demo, esplora=URL, evm-rpc=URL, etherscan[=CHAIN_ID], blockscout=URL.
        #[arg(long)]
        source: Option<String>,
        /// Chain id for etherscan/blockscout sources.
        #[arg(long, default_value_t = 1)]
        chain_id: u64,
        /// Serve only from the response cache.
        #[arg(long)]
        offline: bool,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Attribution packs: validate, match, export.
    Tags {
        #[command(subcommand)]
        command: TagsCommand,
    },
    /// Open the real window on a case, wait until the layout settles, save a screenshot, exit.
    Screenshot {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// Window size in logical pixels, WIDTHxHEIGHT.
        #[arg(long, default_value = "1280x800", value_parser = parse_size)]
        size: (u32, u32),
    },
}

/// `caseboard tags …`
#[derive(Debug, Subcommand)]
pub enum TagsCommand {
    /// Validate a GraphSense TagPack (.yaml) or CSV pack; print a summary or every error (exit 2).
    Import { file: PathBuf },
    /// Print the case's nodes that the bundled packs (and any --pack) know, as JSON lines.
    Match {
        case: PathBuf,
        #[arg(long = "pack")]
        packs: Vec<PathBuf>,
        /// Match only the given --pack files, not the bundled packs.
        #[arg(long)]
        no_bundled: bool,
    },
    /// Write the case's own tags (not those from packs) as a GraphSense TagPack.
    Export {
        case: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// A failure with its exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    pub(crate) fn input(message: impl Into<String>) -> CliError {
        CliError {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<case_file::CaseFileError> for CliError {
    fn from(err: case_file::CaseFileError) -> Self {
        CliError::input(err.to_string())
    }
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("size {text:?} is not WIDTHxHEIGHT"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("bad width in {text:?}"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("bad height in {text:?}"))?;
    if !(200..=8192).contains(&w) || !(200..=8192).contains(&h) {
        return Err(format!("size {text:?} out of range (200..8192 each)"));
    }
    Ok((w, h))
}

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
            addresses,
        } => {
            let mut case = case_from_addresses(&title, &addresses)?;
            if let Some(source) = source {
                case.source = parse_source_arg(&source, chain_id).map_err(CliError::input)?;
            }
            case_file::save(&case, &output)?;
            println!("{}", case_file::summary_json(&case));
            Ok(())
        }
        CliCommand::Check { file } => {
            let case = case_file::load(&file)?;
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
            output,
        } => {
            let source = source
                .map(|s| parse_source_arg(&s, chain_id))
                .transpose()
                .map_err(CliError::input)?;
            expand(&file, &node, direction, limit, source, offline, &output)
        }
        CliCommand::Tags { command } => crate::cli_tags::run_tags(command),
        CliCommand::Screenshot { .. } => Err(CliError::input("screenshot needs the window")),
    }
}

/// Builds a case from addresses; every invalid one is reported.
pub fn case_from_addresses(title: &str, addresses: &[String]) -> Result<Case, CliError> {
    let mut ids = Vec::new();
    let mut problems = Vec::new();
    for text in addresses {
        match parse_address(text) {
            Ok(parsed) => {
                let id = NodeId::for_address(&parsed);
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Err(err) => problems.push(format!("{text}: {err}")),
        }
    }
    if !problems.is_empty() {
        return Err(CliError::input(format!(
            "{} invalid address(es), nothing written:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    let mut case = Case::new(title, crate::util::now_unix());
    let fragment = Fragment {
        nodes: ids.iter().cloned().map(Node::address).collect(),
        ..Fragment::default()
    };
    crate::model::apply(
        &mut case,
        Action::Insert {
            label: "add addresses".into(),
            fragment,
        },
    )
    .map_err(|e| CliError::input(e.to_string()))?;
    flag_with_bundled_packs(&mut case);
    settle_layout(&mut case);
    Ok(case)
}

/// Tags nodes the bundled attribution packs know (as the app does when nodes enter a case).
fn flag_with_bundled_packs(case: &mut Case) {
    let packs = crate::attribution::bundled_packs();
    let index = crate::attribution::AttributionIndex::build(&packs);
    if let Some(action) = crate::attribution::flag_case(&index, case)
        && crate::model::apply(case, action).is_err()
    {
        eprintln!("caseboard: attribution tags could not be applied");
    }
}

fn expand(
    file: &std::path::Path,
    node: &str,
    direction: Direction,
    limit: usize,
    source: Option<crate::model::SourceConfig>,
    offline: bool,
    output: &std::path::Path,
) -> Result<(), CliError> {
    let mut case = case_file::load(file)?;
    if let Some(source) = source {
        case.source = source;
    }
    let node = NodeId::parse(node).map_err(|e| CliError::input(format!("--node: {e}")))?;
    if !case.nodes.contains_key(&node) {
        return Err(CliError::input(format!(
            "--node: {node} is not in {}",
            file.display()
        )));
    }
    let context = SourceContext {
        offline,
        ..SourceContext::with_key_from("")
    };
    let source = build_source(&case.source, &context).map_err(|e| CliError {
        code: 1,
        message: e.to_string(),
    })?;
    let counterparties = source
        .counterparties(&node, direction, &JobControl::default())
        .map_err(|e| CliError {
            code: 1,
            message: e.to_string(),
        })?;
    let plan = plan_expansion(&case, &node, counterparties, limit);
    let added = (plan.fragment.nodes.len(), plan.fragment.transfers.len());
    if !plan.fragment.is_empty() {
        crate::model::apply(
            &mut case,
            Action::Insert {
                label: format!("expand {node}"),
                fragment: plan.fragment,
            },
        )
        .map_err(|e| CliError::input(e.to_string()))?;
        flag_with_bundled_packs(&mut case);
        settle_layout(&mut case);
    }
    case.meta.modified = crate::util::now_unix();
    case_file::save(&case, output)?;
    eprintln!(
        "expanded {node} ({}): {} nodes, {} transfers added; {} of {} counterparties left out",
        direction.name(),
        added.0,
        added.1,
        plan.omitted,
        plan.total_counterparties
    );
    println!("{}", case_file::summary_json(&case));
    Ok(())
}

/// Runs the layout to rest (new nodes get positions).
fn settle_layout(case: &mut Case) {
    let mut driver = LayoutDriver::default();
    driver.sync(case, 1);
    driver.settle(case, 2_000);
}
