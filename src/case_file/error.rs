//! Why a case file could not be read or written, with the file, line and column to point at.
//!
//! Every failure of [`load`](super::load), [`save`](super::save) and friends is one
//! [`CaseFileError`]: the path it concerns, an optional line/column (1-based, counted in
//! characters) and a [`CaseFileErrorKind`] saying what went wrong. Its `Display` is one line
//! an investigator can act on, in the compiler style `demo.ron:12:5: expected comma`. Input
//! quoted in a message (ids, field names, values) is cut at about 200 characters with an
//! ellipsis, so a hostile file cannot flood the terminal or a log.

use std::fmt;
use std::path::{Path, PathBuf};

/// At most this many cross-reference problems are spelled out in a message; the rest are
/// counted (all of them stay in [`CaseFileErrorKind::Invalid`]).
const SHOWN_PROBLEMS: usize = 50;

/// A case file could not be loaded or saved. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct CaseFileError {
    /// The file concerned (as given by the caller); empty when there is no file
    /// ([`to_ron_string`](super::to_ron_string)).
    pub path: PathBuf,
    /// 1-based line of the problem, when it has a place in the text.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the problem, when it has a place in the text.
    pub column: Option<usize>,
    /// What went wrong.
    pub kind: CaseFileErrorKind,
}

impl CaseFileError {
    /// An error about the whole file (no line/column).
    pub fn new(path: &Path, kind: CaseFileErrorKind) -> CaseFileError {
        CaseFileError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            kind,
        }
    }

    /// An error at a place in the text.
    pub fn at(path: &Path, line: usize, column: usize, kind: CaseFileErrorKind) -> CaseFileError {
        CaseFileError {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            kind,
        }
    }

    fn render(&self) -> String {
        let mut out = String::new();
        if !self.path.as_os_str().is_empty() {
            out.push_str(&self.path.display().to_string());
            if let Some(line) = self.line {
                out.push_str(&format!(":{line}"));
                if let Some(column) = self.column {
                    out.push_str(&format!(":{column}"));
                }
            }
            out.push_str(": ");
        } else if let Some(line) = self.line {
            out.push_str(&format!("line {line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(", column {column}"));
            }
            out.push_str(": ");
        }
        out.push_str(&self.kind.to_string());
        out
    }
}

/// What went wrong with a case file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseFileErrorKind {
    /// The operating system refused (file not found, permission denied, disk full…).
    #[error("{0}")]
    Io(String),
    /// The path is a folder or a special file, not a regular file.
    #[error("{0}")]
    NotAFile(String),
    /// The file is bigger than any case Caseboard will read.
    #[error(
        "the file is {size} bytes, over the {limit}-byte limit for case files \
         (is this really a Caseboard case?)"
    )]
    TooLarge {
        /// Size of the input in bytes.
        size: u64,
        /// The limit ([`MAX_FILE_BYTES`](super::MAX_FILE_BYTES)).
        limit: u64,
    },
    /// The file holds nothing (or only whitespace).
    #[error("the file is empty, there is no case in it")]
    Empty,
    /// The bytes are not UTF-8 text; the error's line/column point at the bad byte.
    #[error(
        "not UTF-8 text: invalid byte 0x{byte:02x} at byte offset {offset} \
         (is this really a Caseboard case file?)"
    )]
    NotUtf8 {
        /// 0-based byte offset of the first invalid byte.
        offset: usize,
        /// The invalid byte (0 when the text ends in the middle of a character).
        byte: u8,
    },
    /// Not valid RON, or RON of the wrong shape (wrong types, unknown or missing fields).
    #[error("{}", crate::util::clip_quoted(.0))]
    Syntax(String),
    /// The top-level `format:` field is missing.
    #[error(
        "no `format:` field at the top: not a Caseboard case file \
         (a case file starts with `(format: 2, …`)"
    )]
    MissingFormat,
    /// Written by a newer Caseboard; refused before the rest was read.
    #[error(
        "written by a newer Caseboard: case format {found}, this build reads format {supported} \
         — update Caseboard"
    )]
    NewerFormat {
        /// The format number in the file.
        found: u32,
        /// The newest format this build reads ([`FORMAT_VERSION`](super::FORMAT_VERSION)).
        supported: u32,
    },
    /// A format number that no Caseboard ever wrote (0).
    #[error("case format {found} does not exist (formats start at 1)")]
    UnknownFormat {
        /// The format number in the file.
        found: u32,
    },
    /// A node id that does not parse, or is not in canonical form.
    #[error(
        "invalid node id {:?} in {}: {}",
        clip(id),
        clip(place),
        crate::util::clip_quoted(reason)
    )]
    InvalidNodeId {
        /// The id as stored.
        id: String,
        /// Where it was found (`the node list`, `transfer … (to)`, `cluster 3`, …).
        place: Box<str>,
        /// Why it is refused.
        reason: Box<str>,
    },
    /// The same id twice in a list (or the same key twice in a map).
    #[error("duplicate {what} {}", clip(id))]
    Duplicate {
        /// What is duplicated: `node id`, `transfer id`, `cluster id`, `tags entry for node`,
        /// `layout position for node`.
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// Text a case may not hold: a NUL character, or a custom category without a name.
    #[error("{}: {reason}", clip(place))]
    InvalidText {
        /// Where (`a tag of btc:…`, `cluster 3`, `note 2`, `the case title`…).
        place: Box<str>,
        /// What is wrong.
        reason: &'static str,
    },
    /// Broken cross-references ([`Case::validate`](crate::model::Case::validate)), all of them.
    #[error("{}", render_problems(.0))]
    Invalid(Vec<String>),
    /// The case could not be turned into RON (should not happen).
    #[error("cannot write the case as RON: {0}")]
    Serialize(String),
}

/// Untrusted text as quoted in a message: at most [`crate::util::QUOTE_MAX_CHARS`] characters.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    crate::util::clip(text, crate::util::QUOTE_MAX_CHARS)
}

fn render_problems(problems: &[String]) -> String {
    let mut out = match problems.len() {
        1 => "the case is inconsistent: ".to_owned(),
        n => format!("the case is inconsistent ({n} problems): "),
    };
    out.push_str(
        &problems
            .iter()
            .take(SHOWN_PROBLEMS)
            .map(|problem| crate::util::clip_quoted(problem))
            .collect::<Vec<_>>()
            .join("; "),
    );
    if problems.len() > SHOWN_PROBLEMS {
        out.push_str(&format!("; … and {} more", problems.len() - SHOWN_PROBLEMS));
    }
    out
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Node => f.write_str("the node list"),
            Place::TransferFrom(id) => write!(f, "transfer {id} (from)"),
            Place::TransferTo(id) => write!(f, "transfer {id} (to)"),
            Place::Tags => f.write_str("the tags"),
            Place::Cluster(id) => write!(f, "cluster {id}"),
            Place::Position => f.write_str("the layout positions"),
            Place::Pinned => f.write_str("the pinned nodes"),
            Place::Annotation => f.write_str("the annotations or conflicts"),
        }
    }
}

/// Where a node id sits in a case, for [`CaseFileErrorKind::InvalidNodeId`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'a> {
    Node,
    TransferFrom(&'a str),
    TransferTo(&'a str),
    Tags,
    Cluster(u64),
    Position,
    Pinned,
    /// A note anchor, arrow end, highlight or conflict.
    Annotation,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_line_and_column() {
        let e = CaseFileError::at(
            Path::new("demo.ron"),
            12,
            5,
            CaseFileErrorKind::Syntax("expected comma".into()),
        );
        assert_eq!(e.to_string(), "demo.ron:12:5: expected comma");
        let e = CaseFileError::new(Path::new("demo.ron"), CaseFileErrorKind::Empty);
        assert_eq!(
            e.to_string(),
            "demo.ron: the file is empty, there is no case in it"
        );
        let e = CaseFileError::new(Path::new(""), CaseFileErrorKind::Serialize("x".into()));
        assert_eq!(e.to_string(), "cannot write the case as RON: x");
    }

    #[test]
    fn long_problem_lists_are_cut_in_the_message_only() {
        let problems: Vec<String> = (0..60).map(|i| format!("p{i}")).collect();
        let kind = CaseFileErrorKind::Invalid(problems);
        let text = kind.to_string();
        assert!(text.starts_with("the case is inconsistent (60 problems): p0; p1;"));
        assert!(text.ends_with("p49; … and 10 more"), "{text}");
    }
}
