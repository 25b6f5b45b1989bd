//! `caseboard taint`: taint from source nodes under one model, one JSON line per node reached
//! (sorted by node id), amounts in base units as strings.

use super::CliError;
use super::paths::node_set;
use crate::analysis::taint::{TaintModel, taint_through};
use crate::case_file;
use serde_json::{Value, json};
use std::path::Path;

/// Runs `caseboard taint`.
pub(crate) fn run_taint(
    case_path: &Path,
    from: &[String],
    model: &str,
    through_hops: bool,
) -> Result<(), CliError> {
    let model = match model.trim() {
        "poison" => TaintModel::Poison,
        "haircut" => TaintModel::Haircut,
        "fifo" => TaintModel::Fifo,
        other => {
            return Err(CliError::input(format!(
                "--model {other:?}: expected poison, haircut or fifo"
            )));
        }
    };
    let case = case_file::load(case_path)?;
    let sources = node_set(&case, "--from", from)?;
    let detected = if through_hops {
        let prices = crate::prices::PriceBook::bundled();
        let index = crate::analysis::findings::CaseIndex::build(&case, &prices);
        crate::analysis::findings::hop_links(&index)
    } else {
        Vec::new()
    };
    let links = crate::analysis::taint::with_applied_hops(&case, detected);
    for (node, assets) in taint_through(&case, &sources, model, &links) {
        let tainted: Vec<Value> = assets
            .values()
            .map(|v| {
                json!({
                    "chain": v.asset.chain.id_prefix(),
                    "symbol": v.asset.symbol,
                    "contract": v.asset.contract,
                    "amount": v.amount.to_string(),
                })
            })
            .collect();
        println!("{}", json!({"node": node.to_string(), "tainted": tainted}));
    }
    Ok(())
}
