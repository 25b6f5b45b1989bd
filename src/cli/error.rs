//! The command line's failure: a message and the process exit code (2 bad input, 1 runtime).
//! A refused output path (a folder, FIFO or device node, see [`crate::fs_atomic`]) is bad
//! input: exit code 2 for every command, like a refused case save.

use crate::case_file;
use crate::fs_atomic::WriteError;
use std::path::Path;

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

impl From<WriteError<String>> for CliError {
    fn from(err: WriteError<String>) -> Self {
        let code = if err.is_refused_path() { 2 } else { 1 };
        CliError {
            code,
            message: err.to_string(),
        }
    }
}

/// Refuses an output path that is not a regular file (or a symlink to one, or nothing yet),
/// before any work is done; exit code 2.
pub(crate) fn check_output(output: &Path) -> Result<(), CliError> {
    crate::fs_atomic::check_writable_target::<String>(output)
        .map(|_| ())
        .map_err(CliError::from)
}
