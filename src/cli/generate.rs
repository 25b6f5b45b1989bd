//! `caseboard generate --nodes N [--seed S] -o FILE`: writes a synthetic case of exactly N
//! nodes (see [`crate::generate`]) and prints its one-line JSON summary. Sizes above
//! [`MAX_NODES`] are refused with exit code 2 before anything is generated.

use super::CliError;
use crate::case_file;
use crate::generate::generate_case;
use std::path::Path;

/// Largest case `generate` writes (about 570 MB of RON, half the case-file size limit).
pub const MAX_NODES: usize = 500_000;

/// `caseboard generate`.
pub fn run_generate(nodes: usize, seed: u64, output: &Path) -> Result<(), CliError> {
    if nodes > MAX_NODES {
        return Err(CliError::input(format!(
            "--nodes {nodes} is above the largest supported case ({MAX_NODES} nodes)"
        )));
    }
    let case = generate_case(nodes, seed);
    case_file::save(&case, output)?;
    println!("{}", case_file::summary_json(&case));
    Ok(())
}
