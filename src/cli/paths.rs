//! `caseboard paths`: time-respecting paths between two nodes (or sets), one JSON line per
//! path. When there is none, nothing is printed, the reason goes to stderr, and the exit code
//! is 0 — "no path" is an answer, not an error.

use super::CliError;
use crate::analysis::paths::{FoundPath, PathQuery, find_paths};
use crate::case_file;
use crate::model::{Case, NodeId};
use crate::prices::PriceBook;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

/// Parses node ids given on the command line and checks they are in the case.
pub(crate) fn node_set(
    case: &Case,
    flag: &str,
    texts: &[String],
) -> Result<BTreeSet<NodeId>, CliError> {
    let mut set = BTreeSet::new();
    for text in texts {
        let id = NodeId::parse(text.trim()).map_err(|e| CliError::input(format!("{flag}: {e}")))?;
        if !case.nodes.contains_key(&id) {
            return Err(CliError::input(format!("{flag}: {id} is not in the case")));
        }
        set.insert(id);
    }
    if set.is_empty() {
        return Err(CliError::input(format!(
            "{flag}: at least one node is needed"
        )));
    }
    Ok(set)
}

/// Runs `caseboard paths`.
pub(crate) fn run_paths(
    case_path: &Path,
    from: &[String],
    to: &[String],
    max_hops: usize,
    k: usize,
) -> Result<(), CliError> {
    if max_hops == 0 || k == 0 {
        return Err(CliError::input("--max-hops and --k must be at least 1"));
    }
    let case = case_file::load(case_path)?;
    let from = node_set(&case, "--from", from)?;
    let to = node_set(&case, "--to", to)?;
    let query = PathQuery {
        max_hops,
        k,
        ..PathQuery::default()
    };
    let result = find_paths(&case, &from, &to, query, PriceBook::bundled_ref());
    for path in &result.paths {
        println!("{}", path_json(path));
    }
    if let Some(reason) = result.reason {
        eprintln!("no path: {}", reason.describe());
    } else if result.truncated {
        eprintln!("note: the search hit its state cap; more paths may exist");
    }
    Ok(())
}

/// The JSON object printed for one path.
pub(crate) fn path_json(path: &FoundPath) -> Value {
    let value: Vec<Value> = path
        .value
        .iter()
        .map(|v| {
            json!({
                "chain": v.asset.chain.id_prefix(),
                "symbol": v.asset.symbol,
                "contract": v.asset.contract,
                "amount": v.amount.to_string(),
            })
        })
        .collect();
    json!({
        "hops": path.hops.iter().map(|h| h.as_str()).collect::<Vec<_>>(),
        "nodes": path.nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        "value": value,
        "usd": path.usd.map_or(Value::Null, |u| Value::String(u.to_decimal_string())),
    })
}
