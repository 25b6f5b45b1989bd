//! Errors of a rejected attribution pack: every mistake found, each with its position.
//!
//! A pack with errors is rejected whole. [`PackErrors`] lists all of them, so the investigator can
//! fix a file in one go; each [`PackError`] names where it is (`header.confidence`,
//! `tags[3].address`, `row 5 column chain`) and, where the reader knows it, the line.

use std::fmt;

/// At most this many errors are printed by `Display`; all are kept in [`PackErrors::errors`].
const DISPLAY_LIMIT: usize = 200;

/// One mistake in a pack.
#[derive(Debug, Clone, PartialEq)]
pub struct PackError {
    /// Where: `header.confidence`, `tags[3].address` (tags counted from 0), `row 5 column chain`
    /// (rows are file lines, counted from 1), `yaml`, `file`.
    pub position: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
}

impl PackError {
    /// An error at `position`, on `line` if known.
    pub fn new(
        position: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        PackError {
            position: position.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} (line {line}): {}", self.position, self.message),
            None => write!(f, "{}: {}", self.position, self.message),
        }
    }
}

/// At most this many errors are kept for one pack: a crafted file with millions of mistakes
/// costs no more memory than this many messages. The rest are counted as one last error.
pub(crate) const MAX_ERRORS: usize = 10_000;

/// Position of the last error that stands for those not kept.
const MORE_POSITION: &str = "errors";

/// Adding errors with the [`MAX_ERRORS`] cap.
pub(crate) trait ErrorList {
    /// Adds `error` unless the list is full (then one "more errors" entry stands for the rest).
    fn add(&mut self, error: PackError);
    /// After merging lists: at most [`MAX_ERRORS`] errors, then the "more" entry if any were
    /// left out.
    fn settle(&mut self);
}

fn more_errors() -> PackError {
    PackError::new(
        MORE_POSITION,
        None,
        format!("more errors not listed (only the first {MAX_ERRORS} are kept)"),
    )
}

impl ErrorList for Vec<PackError> {
    fn add(&mut self, error: PackError) {
        if self.len() < MAX_ERRORS {
            self.push(error);
        } else if self.len() == MAX_ERRORS {
            self.push(more_errors());
        }
    }

    fn settle(&mut self) {
        let before = self.len();
        self.retain(|e| !(e.position == MORE_POSITION && e.line.is_none()));
        if self.len() != before || self.len() > MAX_ERRORS {
            self.truncate(MAX_ERRORS);
            self.push(more_errors());
        }
    }
}

/// Every error of a rejected pack. `Display`: `<origin>: N errors:` then one line per error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", render(.origin, .errors))]
pub struct PackErrors {
    /// File name or other description of where the pack came from.
    pub origin: String,
    /// All errors, in file order.
    pub errors: Vec<PackError>,
}

impl PackErrors {
    /// A rejection with a single error.
    pub fn single(origin: &str, error: PackError) -> PackErrors {
        PackErrors {
            origin: origin.to_owned(),
            errors: vec![error],
        }
    }
}

fn render(origin: &str, errors: &[PackError]) -> String {
    let n = errors.len();
    let mut out = format!("{origin}: {n} error{}:", if n == 1 { "" } else { "s" });
    for error in errors.iter().take(DISPLAY_LIMIT) {
        out.push_str("\n  ");
        out.push_str(&error.to_string());
    }
    if n > DISPLAY_LIMIT {
        out.push_str(&format!("\n  … and {} more", n - DISPLAY_LIMIT));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_lists_every_error_with_position_and_line() {
        let errors = PackErrors {
            origin: "bad.yaml".into(),
            errors: vec![
                PackError::new("header.confidence", Some(4), "unknown confidence \"sure\""),
                PackError::new("tags[3].address", None, "missing"),
            ],
        };
        assert_eq!(
            errors.to_string(),
            "bad.yaml: 2 errors:\n  header.confidence (line 4): unknown confidence \"sure\"\n  tags[3].address: missing"
        );
        let one = PackErrors::single("x.csv", PackError::new("file", None, "empty"));
        assert_eq!(one.to_string(), "x.csv: 1 error:\n  file: empty");
    }

    #[test]
    fn display_is_capped_but_all_errors_are_kept() {
        let errors = PackErrors {
            origin: "big.csv".into(),
            errors: (0..250)
                .map(|i| PackError::new(format!("row {i} column chain"), Some(i), "bad"))
                .collect(),
        };
        let text = errors.to_string();
        assert!(text.starts_with("big.csv: 250 errors:"));
        assert!(text.ends_with("… and 50 more"));
        assert_eq!(errors.errors.len(), 250);
    }
}
