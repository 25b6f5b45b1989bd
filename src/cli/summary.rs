//! `caseboard summary`: the money of a case or of some nodes as one JSON object, for scripts
//! and reports. Amounts are base-unit integers as strings (exact at any size); USD values are
//! decimal strings with two places (rounded down to the cent), or null where no price is known.

use super::CliError;
use crate::analysis::money::{MoneySummary, TimeWindow, summarize};
use crate::case_file;
use crate::model::NodeId;
use crate::prices::{AssetKey, PriceBook, Usd, parse_day};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

/// Reads `--prices CHAIN[:CONTRACT]=FILE` arguments into the bundled book.
pub(crate) fn price_book(args: &[String]) -> Result<PriceBook, CliError> {
    let mut book = PriceBook::bundled();
    for arg in args {
        let (key, file) = arg.split_once('=').ok_or_else(|| {
            CliError::input(format!("--prices {arg:?}: expected CHAIN[:CONTRACT]=FILE"))
        })?;
        let key = AssetKey::parse(key).map_err(|e| CliError::input(format!("--prices: {e}")))?;
        book.import_file(key, Path::new(file.trim()))
            .map_err(|e| CliError::input(format!("--prices: {e}")))?;
    }
    Ok(book)
}

/// `--since`/`--until` days as a window in unix seconds (both inclusive, whole UTC days).
pub(crate) fn time_window(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<TimeWindow, CliError> {
    let day = |flag: &str, text: &str| {
        parse_day(text.trim())
            .map_err(|e| CliError::input(format!("{flag} {text:?}: expected YYYY-MM-DD ({e})")))
    };
    let since = since
        .map(|t| day("--since", t))
        .transpose()?
        .map(|d| d * 86_400);
    let until = until
        .map(|t| day("--until", t))
        .transpose()?
        .map(|d| d * 86_400 + 86_399);
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(CliError::input("--since is after --until"));
    }
    Ok(TimeWindow { since, until })
}

/// Runs `caseboard summary`.
pub(crate) fn run_summary(
    case_path: &Path,
    nodes: &[String],
    since: Option<&str>,
    until: Option<&str>,
    prices: &[String],
) -> Result<(), CliError> {
    let window = time_window(since, until)?;
    let book = price_book(prices)?;
    let case = case_file::load(case_path)?;
    let mut set = BTreeSet::new();
    for text in nodes {
        let id = NodeId::parse(text).map_err(|e| CliError::input(format!("--node: {e}")))?;
        if !case.nodes.contains_key(&id) {
            return Err(CliError::input(format!(
                "--node: {id} is not in {}",
                case_path.display()
            )));
        }
        set.insert(id);
    }
    let summary = summarize(&case, &set, window, &book);
    println!("{}", summary_json(&summary));
    Ok(())
}

fn usd(value: Option<Usd>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.to_decimal_string()))
}

/// The JSON object `summary` prints.
pub(crate) fn summary_json(summary: &MoneySummary) -> Value {
    let assets: Vec<Value> = summary
        .assets
        .iter()
        .map(|flow| {
            json!({
                "chain": flow.asset.chain.id_prefix(),
                "symbol": flow.asset.symbol,
                "contract": flow.asset.contract,
                "decimals": flow.asset.decimals,
                "in": flow.amount_in.to_string(),
                "out": flow.amount_out.to_string(),
                "usd_in": usd(flow.usd_in),
                "usd_out": usd(flow.usd_out),
                "transfers": flow.transfers,
                "unpriced_transfers": flow.unpriced,
            })
        })
        .collect();
    json!({
        "assets": assets,
        "usd_in": summary.usd_in().to_decimal_string(),
        "usd_out": summary.usd_out().to_decimal_string(),
        "counterparties": summary.counterparties,
        "first_time": summary.first_time,
        "last_time": summary.last_time,
        "internal_transfers": summary.internal,
    })
}
