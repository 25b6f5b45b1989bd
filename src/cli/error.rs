//! The command line's failure: a message and the process exit code (2 bad input, 1 runtime).

use crate::case_file;

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
