//! Reading a case file: size and UTF-8 checks, the format probe, parsing, and the case checks.
//!
//! The `format:` number is read first by a probe that stops as soon as it has it, so a file
//! from a newer Caseboard is refused before anything else in it is interpreted. Parsing uses a
//! recursion limit, so hostile nesting returns an error instead of overflowing the stack. Any
//! failure returns an error and nothing else happens: the caller keeps whatever case it had.

use super::check::check_case;
use super::error::{CaseFileError, CaseFileErrorKind};
use super::format::{CaseFileData, TOP_NAME, clear_duplicate, take_duplicate};
use super::integrity::{self, LoadReport};
use super::{FORMAT_VERSION, MAX_FILE_BYTES};
use crate::model::{Case, LayoutState};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Deepest nesting accepted. A valid case nests about six levels; this leaves ample room for
/// hand-written files and keeps the parser's recursion far from the stack's end.
pub const RECURSION_LIMIT: usize = 64;

/// The UTF-8 byte order mark some editors put at the start of a file; skipped on load.
const BOM: &str = "\u{feff}";

/// Parser settings. `UNWRAP_NEWTYPES` lets newtype structs be read as their inner value: the
/// model's `Option<u128>` amount helper reads `Some("…")` through a private newtype, which plain
/// RON would expect as `Some(("…"))`. No case-file type is written as a newtype struct, so this
/// changes nothing else.
fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .with_default_extension(ron::extensions::Extensions::UNWRAP_NEWTYPES)
}

/// Reads and checks the case file at `path`.
pub fn load(path: &Path) -> Result<Case, CaseFileError> {
    load_report(path).map(|(case, _)| case)
}

/// Reads and checks the case file at `path`; also says whether it was migrated from an older
/// format and whether its content still matches its last save by Caseboard.
pub fn load_report(path: &Path) -> Result<(Case, LoadReport), CaseFileError> {
    let fail = |kind| CaseFileError::new(path, kind);
    let meta = std::fs::metadata(path)
        .map_err(|e| fail(CaseFileErrorKind::Io(format!("cannot open the file: {e}"))))?;
    if meta.is_dir() {
        return Err(fail(CaseFileErrorKind::NotAFile(
            "this is a folder, not a case file".to_owned(),
        )));
    }
    if !meta.is_file() {
        return Err(fail(CaseFileErrorKind::NotAFile(
            "this is not a regular file".to_owned(),
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(too_large(meta.len())));
    }
    let file = File::open(path)
        .map_err(|e| fail(CaseFileErrorKind::Io(format!("cannot open the file: {e}"))))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow between the size check and the read: never read past the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(CaseFileErrorKind::Io(format!("cannot read the file: {e}"))))?;
    load_bytes_report(&bytes, path)
}

/// Reads a case from bytes; `origin` only names the source in messages.
pub fn load_bytes(bytes: &[u8], origin: &Path) -> Result<Case, CaseFileError> {
    load_bytes_report(bytes, origin).map(|(case, _)| case)
}

fn load_bytes_report(bytes: &[u8], origin: &Path) -> Result<(Case, LoadReport), CaseFileError> {
    check_size(bytes.len(), origin)?;
    let skipped = if bytes.starts_with(BOM.as_bytes()) {
        BOM.len()
    } else {
        0
    };
    let body = &bytes[skipped..];
    match std::str::from_utf8(body) {
        Ok(text) => load_text(text, origin),
        Err(e) => {
            let valid = e.valid_up_to();
            let prefix = std::str::from_utf8(&body[..valid]).unwrap_or("");
            let (line, column) = end_position(prefix);
            Err(CaseFileError::at(
                origin,
                line,
                column,
                CaseFileErrorKind::NotUtf8 {
                    offset: skipped + valid,
                    byte: body.get(valid).copied().unwrap_or(0),
                },
            ))
        }
    }
}

/// Reads a case from text; `origin` only names the source in messages.
pub fn load_str(text: &str, origin: &Path) -> Result<Case, CaseFileError> {
    load_str_report(text, origin).map(|(case, _)| case)
}

/// [`load_str`] with the [`LoadReport`].
pub fn load_str_report(text: &str, origin: &Path) -> Result<(Case, LoadReport), CaseFileError> {
    check_size(text.len(), origin)?;
    load_text(text.strip_prefix(BOM).unwrap_or(text), origin)
}

fn too_large(size: u64) -> CaseFileErrorKind {
    CaseFileErrorKind::TooLarge {
        size,
        limit: MAX_FILE_BYTES,
    }
}

fn check_size(len: usize, origin: &Path) -> Result<(), CaseFileError> {
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    if len > MAX_FILE_BYTES {
        return Err(CaseFileError::new(origin, too_large(len)));
    }
    Ok(())
}

/// Line and column (1-based, in characters) just after `prefix`.
fn end_position(prefix: &str) -> (usize, usize) {
    let line = 1 + prefix.bytes().filter(|&b| b == b'\n').count();
    let last_line = prefix.rsplit('\n').next().unwrap_or("");
    (line, 1 + last_line.chars().count())
}

fn load_text(text: &str, origin: &Path) -> Result<(Case, LoadReport), CaseFileError> {
    if text.trim().is_empty() {
        return Err(CaseFileError::new(origin, CaseFileErrorKind::Empty));
    }
    match probe_format(text, origin)? {
        0 => Err(CaseFileError::new(
            origin,
            CaseFileErrorKind::UnknownFormat { found: 0 },
        )),
        // Format 1 is format 2 without annotations, history, conflicts, per-chain sources
        // and the content hash: the same reader fills them with their defaults.
        found @ 1..FORMAT_VERSION => {
            let case = read_data(text, origin)?;
            Ok((
                case,
                LoadReport {
                    migrated_from: Some(found),
                    integrity: integrity::check(text),
                },
            ))
        }
        FORMAT_VERSION => Ok((
            read_data(text, origin)?,
            LoadReport {
                migrated_from: None,
                integrity: integrity::check(text),
            },
        )),
        found => Err(CaseFileError::new(
            origin,
            CaseFileErrorKind::NewerFormat {
                found,
                supported: FORMAT_VERSION,
            },
        )),
    }
}

/// Turns a RON error into a located [`CaseFileError`].
fn ron_error(origin: &Path, err: ron::error::SpannedError) -> CaseFileError {
    if let ron::Error::Message(message) = &err.code
        && let Some(kind) = take_duplicate(message)
    {
        return CaseFileError::at(origin, err.span.start.line, err.span.start.col, kind);
    }
    let message = match err.code {
        ron::Error::Eof => "unexpected end of file (is the file cut short?)".to_owned(),
        ron::Error::ExceededRecursionLimit => {
            format!("nested more than {RECURSION_LIMIT} levels deep")
        }
        code => code.to_string(),
    };
    CaseFileError::at(
        origin,
        err.span.start.line,
        err.span.start.col,
        CaseFileErrorKind::Syntax(message),
    )
}

/// Reads only the top-level `format:` number (stops as soon as it has it).
fn probe_format(text: &str, origin: &Path) -> Result<u32, CaseFileError> {
    let found = Cell::new(None);
    let mut de = ron::Deserializer::from_str_with_options(text, &ron_options())
        .map_err(|e| ron_error(origin, e))?;
    let result = FormatProbe { found: &found }.deserialize(&mut de);
    if let Some(format) = found.get() {
        return Ok(format);
    }
    match result {
        Ok(()) => Err(CaseFileError::new(origin, CaseFileErrorKind::MissingFormat)),
        Err(e) => Err(ron_error(origin, de.span_error(e))),
    }
}

/// Visits the top-level struct's fields until `format`; stores it and stops the parse with an
/// error (the rest is never read).
struct FormatProbe<'a> {
    found: &'a Cell<Option<u32>>,
}

impl<'de> DeserializeSeed<'de> for FormatProbe<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct(TOP_NAME, &["format"], self)
    }
}

impl<'de> Visitor<'de> for FormatProbe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Caseboard case `(format: 1, …)`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<FieldName>()? {
            if key.is_format {
                let format: u32 = map.next_value()?;
                self.found.set(Some(format));
                return Err(de::Error::custom("format found; probe stops here"));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// A struct field name, only telling whether it is `format`.
struct FieldName {
    is_format: bool,
}

impl<'de> de::Deserialize<'de> for FieldName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FieldName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldName, E> {
                Ok(FieldName {
                    is_format: v == "format",
                })
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<FieldName, E> {
                Ok(FieldName {
                    is_format: v == b"format",
                })
            }
        }
        deserializer.deserialize_identifier(V)
    }
}

fn read_data(text: &str, origin: &Path) -> Result<Case, CaseFileError> {
    clear_duplicate();
    let data: CaseFileData = ron_options()
        .from_str(text)
        .map_err(|e| ron_error(origin, e))?;
    let case = Case {
        meta: data.meta,
        nodes: data.nodes,
        transfers: data.transfers,
        tags: data.tags,
        clusters: data.clusters,
        layout: LayoutState {
            positions: data.layout.positions,
            pinned: data.layout.pinned,
        },
        view: data.view,
        source: data.source,
        chain_sources: data.chain_sources,
        annotations: data.annotations,
        conflicts: data.conflicts,
        history: data.history,
    };
    check_case(&case).map_err(|kind| located(text, origin, kind))?;
    Ok(case)
}

/// An error from the case checks; a bad node id is pointed at where it first appears as a
/// string literal (the checks visit the parts of a case in file order).
fn located(text: &str, origin: &Path, kind: CaseFileErrorKind) -> CaseFileError {
    let place = match &kind {
        CaseFileErrorKind::InvalidNodeId { id, .. } => text.find(&format!("\"{id}\"")),
        _ => None,
    };
    match place {
        Some(offset) => {
            let (line, column) = end_position(&text[..offset]);
            CaseFileError::at(origin, line, column, kind)
        }
        None => CaseFileError::new(origin, kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> CaseFileErrorKind {
        load_str(text, Path::new("t.ron"))
            .expect_err("must be refused")
            .kind
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(end_position(""), (1, 1));
        assert_eq!(end_position("ab\ncé"), (2, 3));
        assert_eq!(end_position("ab\n"), (2, 1));
    }

    #[test]
    fn probe_reads_format_wherever_it_is() {
        assert_eq!(
            probe_format("(format: 7, meta: (title: \"x\"))", Path::new("t")),
            Ok(7)
        );
        assert_eq!(
            probe_format(
                "(meta: (title: \"x\", z: [1, {2: 3}]), format: 9)",
                Path::new("t")
            ),
            Ok(9)
        );
        assert_eq!(probe_format("CaseFile(format: 3)", Path::new("t")), Ok(3));
        assert_eq!(
            probe_format("(meta: ())", Path::new("t")).map_err(|e| e.kind),
            Err(CaseFileErrorKind::MissingFormat)
        );
    }

    #[test]
    fn newer_format_is_refused_before_the_rest_is_read() {
        // The rest is not even valid RON: it is never looked at.
        let kind = kind("(format: 3, meta: §§§ this is not RON");
        assert_eq!(
            kind,
            CaseFileErrorKind::NewerFormat {
                found: 3,
                supported: 2
            }
        );
    }

    #[test]
    fn format_zero_and_bad_format_values() {
        assert_eq!(
            kind("(format: 0, meta: (title: \"x\"))"),
            CaseFileErrorKind::UnknownFormat { found: 0 }
        );
        assert!(matches!(
            kind("(format: \"1\")"),
            CaseFileErrorKind::Syntax(_)
        ));
        assert!(matches!(kind("(format: -1)"), CaseFileErrorKind::Syntax(_)));
        assert!(matches!(
            kind("(format: 99999999999)"),
            CaseFileErrorKind::Syntax(_)
        ));
    }

    #[test]
    fn minimal_text_loads() {
        let case = load_str("(format: 1, meta: (title: \"x\"))", Path::new("t")).expect("loads");
        assert_eq!(case.meta.title, "x");
        assert!(case.nodes.is_empty());
    }

    #[test]
    fn unknown_top_level_fields_are_refused() {
        match kind("(format: 2, meta: (title: \"x\"), annotationz: [])") {
            CaseFileErrorKind::Syntax(m) => assert!(m.contains("annotationz"), "{m}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn format_1_migrates_and_says_so() {
        let (case, report) = load_str_report(
            "(format: 1, meta: (title: \"old\"), source: Demo)",
            Path::new("t.ron"),
        )
        .expect("format 1 still opens");
        assert_eq!(case.meta.title, "old");
        assert!(case.annotations.is_empty() && case.history.is_empty());
        assert_eq!(report.migrated_from, Some(1));
        assert_eq!(report.integrity, integrity::Integrity::NoHash);
        assert!(report.message().is_some_and(|m| m.contains("format 1")));
    }
}
