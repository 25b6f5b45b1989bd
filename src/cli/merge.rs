//! `caseboard merge MINE THEIRS [--base BASE] -o OUT`: two copies of a case combined into one
//! (see [`crate::merge`]), saved atomically, with a one-line report on stdout. An output that
//! is a folder or special file is refused (exit code 2) before the cases are read.

use super::CliError;
use crate::case_file;
use crate::merge::{MergeOptions, merge};
use crate::model::Case;
use std::path::Path;

/// At most this many problems of an invalid merge result are listed (each cut short).
const SHOWN_PROBLEMS: usize = 50;

/// Environment variable naming the investigator when `--by` is not given.
pub const INVESTIGATOR_ENV: &str = "CASEBOARD_INVESTIGATOR";

/// Loads the cases, merges `theirs` into `mine`, saves the result to `output`.
pub fn run_merge(
    mine: &Path,
    theirs: &Path,
    base: Option<&Path>,
    output: &Path,
    by: Option<String>,
) -> Result<(), CliError> {
    super::error::check_output(output)?;
    let mine_case = case_file::load(mine)?;
    let theirs_case = case_file::load(theirs)?;
    let base_case = base.map(case_file::load).transpose()?;
    let by = by.unwrap_or_else(|| std::env::var(INVESTIGATOR_ENV).unwrap_or_default());
    let options = MergeOptions {
        theirs_label: theirs_label(&mine_case, &theirs_case, theirs),
        by,
        at: crate::util::now_unix(),
    };
    let outcome = merge(&mine_case, &theirs_case, base_case.as_ref(), &options);
    let problems = outcome.case.validate();
    if !problems.is_empty() {
        let mut listed: Vec<String> = problems
            .iter()
            .take(SHOWN_PROBLEMS)
            .map(|p| crate::util::clip_quoted(&p.to_string()).into_owned())
            .collect();
        if problems.len() > SHOWN_PROBLEMS {
            listed.push(format!("… and {} more", problems.len() - SHOWN_PROBLEMS));
        }
        return Err(CliError {
            code: 1,
            message: format!(
                "merging {} into {} gave an invalid case, nothing written:\n  {}",
                theirs.display(),
                mine.display(),
                listed.join("\n  ")
            ),
        });
    }
    case_file::save(&outcome.case, output)?;
    println!(
        "merged {} into {} → {}: {}",
        theirs.display(),
        mine.display(),
        output.display(),
        outcome.report.summary()
    );
    Ok(())
}

/// A short name for theirs: the investigators who worked on theirs but not on mine, else the
/// file name.
pub fn theirs_label(mine: &Case, theirs: &Case, path: &Path) -> String {
    let new: Vec<&str> = theirs
        .meta
        .contributors
        .difference(&mine.meta.contributors)
        .map(String::as_str)
        .filter(|name| !name.is_empty())
        .collect();
    if new.is_empty() {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    } else {
        new.join(", ")
    }
}
