//! The command line's side of the one door: every subcommand that changes a case opens it as a
//! [`Document`], applies [`Action`]s through [`Document::apply`] (so the case's history records
//! who did what, when, exactly as in the app), and writes the document's case. The investigator
//! recorded is `CASEBOARD_INVESTIGATOR`, else the login name, else "command line".

use super::CliError;
use crate::case_file;
use crate::layout::LayoutDriver;
use crate::model::{Action, Case, Document};
use std::path::Path;

/// Layout ticks a headless settle runs at most.
const SETTLE_MAX_TICKS: usize = 2_000;

/// Who the command line records as the author of its changes.
pub(crate) fn author() -> String {
    ["CASEBOARD_INVESTIGATOR", "USER", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "command line".to_owned())
}

/// A document for `case` whose changes are recorded under [`author`].
pub(crate) fn document(case: Case, path: Option<&Path>) -> Document {
    let mut doc = Document::new(case, path.map(Path::to_path_buf));
    doc.set_author(&author());
    doc
}

/// Opens a case file as a document.
pub(crate) fn open(path: &Path) -> Result<Document, CliError> {
    Ok(document(case_file::load(path)?, Some(path)))
}

/// Applies `action` through the door; a refusal is bad input (exit 2), the case unchanged.
pub(crate) fn apply(doc: &mut Document, action: Action) -> Result<(), CliError> {
    let what = action.describe();
    doc.apply(action)
        .map_err(|e| CliError::input(format!("could not {what}: {e}")))
}

/// Writes the document's case (its last-changed time set) to `output`.
pub(crate) fn save(doc: &Document, output: &Path) -> Result<(), CliError> {
    case_file::save(&doc.case_to_save(), output)?;
    Ok(())
}

/// Tags nodes the bundled attribution packs know (as the app does when nodes enter a case).
pub(crate) fn flag_with_bundled_packs(doc: &mut Document) -> Result<(), CliError> {
    let packs = crate::attribution::bundled_packs();
    let index = crate::attribution::AttributionIndex::build(&packs);
    match crate::attribution::flag_case(&index, doc.case()) {
        Some(action) => apply(doc, action),
        None => Ok(()),
    }
}

/// Runs the layout to rest: nodes without a position get one (view state, not an action).
pub(crate) fn settle_layout(doc: &mut Document) {
    let mut driver = LayoutDriver::default();
    doc.update_positions(|case, positions| {
        driver.sync(case, positions, 1);
        driver.settle(positions, SETTLE_MAX_TICKS);
    });
}
