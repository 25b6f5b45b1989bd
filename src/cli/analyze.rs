//! `caseboard analyze`: every detector over a case, one JSON line per finding, in the order
//! the Findings panel lists them. Findings dismissed in the case are left out unless asked for.

use super::CliError;
use super::summary::price_book;
use crate::analysis::findings::{AnalysisLimits, CaseIndex, FindingKind, detect};
use crate::case_file;
use serde_json::json;
use std::path::Path;

/// Runs `caseboard analyze`.
pub(crate) fn run_analyze(
    case_path: &Path,
    kind_names: &[String],
    include_dismissed: bool,
    prices: &[String],
) -> Result<(), CliError> {
    let mut kinds = Vec::new();
    for name in kind_names {
        let kind = FindingKind::from_name(name.trim()).ok_or_else(|| {
            let known: Vec<&str> = FindingKind::ALL.iter().map(|k| k.name()).collect();
            CliError::input(format!(
                "--kind {name:?}: expected one of {}",
                known.join(", ")
            ))
        })?;
        kinds.push(kind);
    }
    let book = price_book(prices)?;
    let case = case_file::load(case_path)?;
    let index = CaseIndex::build(&case, &book);
    for finding in detect(&index, &kinds, AnalysisLimits::default()) {
        let fingerprint = finding.fingerprint();
        if !include_dismissed && case.findings.dismissed.contains_key(&fingerprint) {
            continue;
        }
        let line = json!({
            "kind": finding.kind.name(),
            "method": finding.method,
            "params": finding.params,
            "confidence": finding.confidence,
            "nodes": finding.nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            "transfers": finding.transfers.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            "summary": finding.summary,
            "fingerprint": fingerprint,
        });
        println!("{line}");
    }
    Ok(())
}
