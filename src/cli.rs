//! The command line: no arguments opens the GUI on the demo case, `caseboard CASE.ron` opens a
//! case, and subcommands do headless work for scripts and tests. Every failure prints a clear
//! message and exits with code 2 (bad input) or 1 (runtime failure).

use crate::analysis::expansion::{DEFAULT_LIMIT, plan_expansion};
use crate::app::layout_driver::LayoutDriver;
use crate::case_file;
use crate::model::address::parse_address;
use crate::model::{Action, Case, Fragment, Node, NodeId};
use crate::sources::demo::{DemoSource, demo_case};
use crate::sources::{DataSource, Direction, JobControl};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Caseboard: a desktop workbench for tracing stolen and laundered crypto.
#[derive(Debug, Parser)]
#[command(name = "caseboard", version, about)]
pub struct Cli {
    /// Case file to open in the window (default: the built-in demo case).
    pub case: Option<PathBuf>,
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
        #[arg(short, long)]
        output: PathBuf,
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

/// A failure with its exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    fn input(message: impl Into<String>) -> CliError {
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
            addresses,
        } => {
            let case = case_from_addresses(&title, &addresses)?;
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
            output,
        } => expand(&file, &node, direction, limit, &output),
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
    settle_layout(&mut case);
    Ok(case)
}

fn expand(
    file: &std::path::Path,
    node: &str,
    direction: Direction,
    limit: usize,
    output: &std::path::Path,
) -> Result<(), CliError> {
    let mut case = case_file::load(file)?;
    let node = NodeId::parse(node).map_err(|e| CliError::input(format!("--node: {e}")))?;
    if !case.nodes.contains_key(&node) {
        return Err(CliError::input(format!(
            "--node: {node} is not in {}",
            file.display()
        )));
    }
    let source = match case.source {
        crate::model::SourceConfig::Demo => DemoSource::new(),
    };
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
