//! The command line's arguments: the clap definitions of every subcommand and its options.

use crate::analysis::expansion::DEFAULT_LIMIT;
use crate::sources::Direction;
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

/// Which source serves which chain, and how an expansion is filtered (`expand`).
#[derive(Debug, clap::Args)]
pub struct ExpandFilterArgs {
    /// Source for one chain, recorded in the case: CHAIN=KIND[=URL], e.g.
    /// btc=esplora=http://127.0.0.1:3000 (CHAIN is btc, eth or evm<chain id>). Repeatable.
    #[arg(long = "source-for", value_name = "CHAIN=KIND[=URL]")]
    pub source_for: Vec<String>,
    /// Keep hops worth at least this many whole units of their asset (0.5 = 0.5 BTC/ETH/USDT).
    #[arg(long)]
    pub min_value: Option<String>,
    /// Keep transfers from this time on (YYYY-MM-DD or RFC 3339, UTC).
    #[arg(long)]
    pub since: Option<String>,
    /// Keep transfers up to this time (YYYY-MM-DD = to the end of that day, or RFC 3339).
    #[arg(long)]
    pub until: Option<String>,
    /// Load more: skip counterparties the case already shows in full.
    #[arg(long)]
    pub more: bool,
    /// Continue reading the history from this cursor (printed by an earlier expansion).
    #[arg(long)]
    pub resume: Option<String>,
}

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Write the demo case to a file.
    Demo {
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Create a case from addresses and Bitcoin transaction ids (every invalid one is named;
    /// exit 2). A transaction is expanded at once with the case's source (its inputs and
    /// outputs).
    New {
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value = "Untitled case")]
        title: String,
        /// Data source recorded in the case: demo, esplora=URL, evm-rpc=URL, etherscan[=CHAIN_ID], blockscout=URL, tron[=URL] (TronGrid).
        #[arg(long)]
        source: Option<String>,
        /// Chain id for etherscan/blockscout sources.
        #[arg(long, default_value_t = 1)]
        chain_id: u64,
        /// The chain the addresses and hashes are on: btc, eth, trx, ltc, bch, zec or
        /// evm<chain id> (needed for a 64-hex-digit transaction id, which could be Bitcoin's or
        /// TRON's, and for a 1…/3… address of Litecoin or Bitcoin Cash; puts 0x addresses on
        /// that EVM chain).
        #[arg(long)]
        chain: Option<String>,
        /// Addresses (any chain) and transaction ids.
        #[arg(required = true)]
        addresses: Vec<String>,
    },
    /// Validate a case file and print a one-line JSON summary.
    Check { file: PathBuf },
    /// Print the money of a case or of some nodes as one JSON object: per asset (chain +
    /// contract) in and out in base units and in USD at the time of each transfer.
    Summary {
        case: PathBuf,
        /// A node to sum (repeatable); none = the whole case, every transfer once, as `in`.
        #[arg(long = "node")]
        nodes: Vec<String>,
        /// Count transfers from this UTC day on (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Count transfers up to the end of this UTC day (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        /// A daily price table for one asset: CHAIN[:CONTRACT]=FILE with `date,close_usd` rows
        /// (repeatable; replaces the bundled table for that asset).
        #[arg(long = "prices", value_name = "CHAIN[:CONTRACT]=FILE")]
        prices: Vec<String>,
    },
    /// Time-respecting paths between nodes: one JSON line per path (none: reason on stderr).
    Paths {
        case: PathBuf,
        /// Start node (repeatable).
        #[arg(long = "from", required = true)]
        from: Vec<String>,
        /// Target node (repeatable).
        #[arg(long = "to", required = true)]
        to: Vec<String>,
        /// Most transfers on one path.
        #[arg(long, default_value_t = crate::analysis::paths::DEFAULT_MAX_HOPS)]
        max_hops: usize,
        /// Most paths printed.
        #[arg(long, default_value_t = crate::analysis::paths::DEFAULT_K)]
        k: usize,
    },
    /// Laundering patterns and Bitcoin heuristics: one JSON line per finding (kind, method,
    /// confidence, nodes, transfers, summary, fingerprint). Nothing in the case changes.
    Analyze {
        case: PathBuf,
        /// Only these kinds (repeatable): peel_chain, fan_out, consolidation, pass_through,
        /// mixer_deposit, mixer_withdrawal, bridge_hop, swap_hop, coinjoin, co_spend, change.
        #[arg(long = "kind")]
        kinds: Vec<String>,
        /// Also list findings dismissed in the case.
        #[arg(long)]
        include_dismissed: bool,
        /// A daily price table for one asset: CHAIN[:CONTRACT]=FILE (repeatable).
        #[arg(long = "prices", value_name = "CHAIN[:CONTRACT]=FILE")]
        prices: Vec<String>,
    },
    /// Follow the money out of a node through the data source (auto-trace): adds what it finds
    /// as one step, prints one JSON line per node handled (node, hop, reason).
    Trace {
        case: PathBuf,
        /// Start node (must be in the case).
        #[arg(long)]
        from: String,
        /// Most hops from the start.
        #[arg(long, default_value_t = 8)]
        hops: usize,
        /// Most source requests.
        #[arg(long, default_value_t = 200)]
        budget: usize,
        /// On Bitcoin transactions follow the payments, not the detected change output.
        #[arg(long)]
        prefer_payment: bool,
        /// Data source for this run: demo, esplora=URL, evm-rpc=URL, etherscan[=CHAIN_ID],
        /// blockscout=URL, tron[=URL] (default: the case's).
        #[arg(long)]
        source: Option<String>,
        /// Never use the network.
        #[arg(long)]
        offline: bool,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Taint from source nodes: one JSON line per node reached, sorted by node id.
    Taint {
        case: PathBuf,
        /// Source node (repeatable).
        #[arg(long = "from", required = true)]
        from: Vec<String>,
        /// poison, haircut or fifo.
        #[arg(long)]
        model: String,
        /// Move taint across the swap and bridge hops the detectors find (by share of value).
        #[arg(long)]
        through_hops: bool,
    },
    /// Rewrite a case file in the current format (in place, atomically, or to -o).
    Migrate {
        file: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
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
        /// demo, esplora=URL, evm-rpc=URL, etherscan[=CHAIN_ID], blockscout=URL, tron[=URL].
        #[arg(long)]
        source: Option<String>,
        /// Chain id for etherscan/blockscout sources.
        #[arg(long, default_value_t = 1)]
        chain_id: u64,
        /// Serve only from the response cache.
        #[arg(long)]
        offline: bool,
        #[command(flatten)]
        filter: ExpandFilterArgs,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Attribution packs: validate, match, export.
    Tags {
        #[command(subcommand)]
        command: TagsCommand,
    },
    /// Merge two copies of a case (THEIRS into MINE) and write the result; with --base (the
    /// version both started from) one-sided changes and deletions win without a conflict.
    Merge {
        mine: PathBuf,
        theirs: PathBuf,
        /// The common base both copies started from.
        #[arg(long)]
        base: Option<PathBuf>,
        #[arg(short, long)]
        output: PathBuf,
        /// Investigator doing the merge (default: $CASEBOARD_INVESTIGATOR).
        #[arg(long)]
        by: Option<String>,
    },
    /// Render the annotated picture of a case (title, legend, notes, date, source) as SVG or
    /// PNG, chosen by the output's extension; a case without positions is laid out first.
    Render {
        case: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// Picture width in pixels (default 2400).
        #[arg(long)]
        width: Option<u32>,
        /// Multiplies the pixel size (PNG pixels, SVG width/height), e.g. 2 for a 4800 px PNG.
        #[arg(long)]
        scale: Option<f32>,
        /// Only transfers from this UTC day on (YYYY-MM-DD; replaces the case's own filter's).
        #[arg(long)]
        since: Option<String>,
        /// Only transfers up to the end of this UTC day (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        /// Only edges worth at least this many US dollars at the time (unpriced edges go too).
        #[arg(long = "min-usd")]
        min_usd: Option<String>,
    },
    /// Write the case's transfers as CSV (human and base-unit amounts, time, tags of both ends).
    ExportCsv {
        case: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// A daily price table `CHAIN[:CONTRACT]=FILE` (`date,close_usd` CSV) for the USD
        /// column, besides the bundled ones; repeatable.
        #[arg(long)]
        prices: Vec<String>,
    },
    /// Write a synthetic case of N nodes (exchanges, peel chains, fan-outs, a mixer, noise; about
    /// 1.5 transfers per node) for benchmarks and for trying Caseboard at scale.
    Generate {
        /// Number of nodes (exact).
        #[arg(long)]
        nodes: usize,
        /// Seed: the same nodes and seed give the same file.
        #[arg(long, default_value_t = crate::generate::DEFAULT_SEED)]
        seed: u64,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Settle the layout without the window and write the positions (one undoable step in the
    /// case's history): nodes without a position by default, every unpinned node with --all.
    Layout {
        case: PathBuf,
        /// Where to write the result (default: the case file itself, atomically).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Most layout ticks to run.
        #[arg(long, default_value_t = 2_000)]
        ticks: usize,
        /// Lay out every node that is not pinned (Re-layout everything), not only new ones.
        #[arg(long)]
        all: bool,
    },
    /// Open the real window on a case, wait until the layout settles, save a screenshot, exit.
    Screenshot {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// Window size in logical pixels, WIDTHxHEIGHT.
        #[arg(long, default_value = "1280x800", value_parser = parse_size)]
        size: (u32, u32),
        /// Show the timeline's replay held at this share of the case's time span (0 to 1).
        #[arg(long = "replay-at", value_parser = parse_share)]
        replay_at: Option<f32>,
        /// Select this node before the picture (repeatable; the inspector shows it, or the
        /// money of the selection for several), e.g. `--select eth:0xabc…`.
        #[arg(long = "select", value_name = "NODE_ID")]
        select: Vec<String>,
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

pub(crate) fn parse_size(text: &str) -> Result<(u32, u32), String> {
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

/// A share between 0 and 1.
fn parse_share(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{text:?} is not a number from 0 to 1")),
    }
}
