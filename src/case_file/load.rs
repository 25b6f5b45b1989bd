//! Reading a case file: size and UTF-8 checks, the format probe, parsing, and the case checks.
//!
//! The `format:` number is read first by a probe that stops as soon as it has it, so a file
//! from a newer Caseboard is refused before anything else in it is interpreted. Parsing uses a
//! recursion limit, so hostile nesting returns an error instead of overflowing the stack. Any
//! failure returns an error and nothing else happens: the caller keeps whatever case it had.

use super::check::check_case;
use super::error::{CaseFileError, CaseFileErrorKind};
use super::fast_read;
use super::format::{CaseFileData, TOP_NAME, clear_duplicate, take_duplicate};
use super::integrity::{self, LoadReport};
use super::{FORMAT_VERSION, MAX_FILE_BYTES};
use crate::model::{Case, LayoutState};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::cell::Cell;
use std::collections::BTreeMap;
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

/// How far loading a case file has come, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadStage {
    /// Reading the file from disk.
    Reading { read_bytes: u64, total_bytes: u64 },
    /// Parsing the text (and hashing it on a second thread).
    Parsing { total_bytes: u64 },
    /// Checking node ids and cross-references.
    Checking,
}

impl std::fmt::Display for LoadStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = |bytes: u64| bytes as f64 / 1e6;
        match *self {
            LoadStage::Reading {
                read_bytes,
                total_bytes,
            } => write!(
                f,
                "reading {:.1} of {:.1} MB",
                mb(read_bytes),
                mb(total_bytes)
            ),
            LoadStage::Parsing { total_bytes } => write!(f, "parsing {:.1} MB", mb(total_bytes)),
            LoadStage::Checking => f.write_str("checking ids and references"),
        }
    }
}

/// Bytes read between two progress reports.
const READ_CHUNK_BYTES: usize = 4 << 20;

/// Reads and checks the case file at `path`; also says whether it was migrated from an older
/// format and whether its content still matches its last save by Caseboard.
pub fn load_report(path: &Path) -> Result<(Case, LoadReport), CaseFileError> {
    load_report_with_progress(path, &|_| {})
}

/// [`load_report`], telling `progress` each stage it reaches (from the calling thread).
pub fn load_report_with_progress(
    path: &Path,
    progress: &dyn Fn(LoadStage),
) -> Result<(Case, LoadReport), CaseFileError> {
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
    let total_bytes = meta.len();
    let mut bytes = Vec::with_capacity(usize::try_from(total_bytes).unwrap_or(0));
    // The file may grow between the size check and the read: never read past the limit.
    let mut reader = file.take(MAX_FILE_BYTES + 1);
    loop {
        let read = (&mut reader)
            .take(READ_CHUNK_BYTES as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| fail(CaseFileErrorKind::Io(format!("cannot read the file: {e}"))))?;
        progress(LoadStage::Reading {
            read_bytes: bytes.len() as u64,
            total_bytes: total_bytes.max(bytes.len() as u64),
        });
        if read == 0 {
            break;
        }
    }
    load_bytes_report(&bytes, path, progress)
}

/// Reads a case from bytes; `origin` only names the source in messages.
pub fn load_bytes(bytes: &[u8], origin: &Path) -> Result<Case, CaseFileError> {
    load_bytes_report(bytes, origin, &|_| {}).map(|(case, _)| case)
}

fn load_bytes_report(
    bytes: &[u8],
    origin: &Path,
    progress: &dyn Fn(LoadStage),
) -> Result<(Case, LoadReport), CaseFileError> {
    check_size(bytes.len(), origin)?;
    let skipped = if bytes.starts_with(BOM.as_bytes()) {
        BOM.len()
    } else {
        0
    };
    let body = &bytes[skipped..];
    match std::str::from_utf8(body) {
        Ok(text) => load_text(text, origin, progress),
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
    load_text(text.strip_prefix(BOM).unwrap_or(text), origin, &|_| {})
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

fn load_text(
    text: &str,
    origin: &Path,
    progress: &dyn Fn(LoadStage),
) -> Result<(Case, LoadReport), CaseFileError> {
    if text.trim().is_empty() {
        return Err(CaseFileError::new(origin, CaseFileErrorKind::Empty));
    }
    let found = probe_format(text, origin)?;
    if found == 0 {
        return Err(CaseFileError::new(
            origin,
            CaseFileErrorKind::UnknownFormat { found: 0 },
        ));
    }
    if found > FORMAT_VERSION {
        return Err(CaseFileError::new(
            origin,
            CaseFileErrorKind::NewerFormat {
                found,
                supported: FORMAT_VERSION,
            },
        ));
    }
    // Format 1 is format 2 without annotations, history, conflicts, per-chain sources and
    // the content hash: the same reader fills them with their defaults. The content hash is
    // computed on a second thread while the text is parsed.
    progress(LoadStage::Parsing {
        total_bytes: text.len() as u64,
    });
    let migrated_from = (found < FORMAT_VERSION).then_some(found);
    if let Some((case, integrity)) = read_fast(text, origin, progress) {
        return Ok((
            case?,
            LoadReport {
                migrated_from,
                integrity,
            },
        ));
    }
    let (case, integrity) = std::thread::scope(|scope| {
        let integrity = scope.spawn(|| integrity::check(text));
        let case = read_data(text, origin, progress);
        (
            case,
            integrity.join().unwrap_or(integrity::Integrity::Edited),
        )
    });
    Ok((
        case?,
        LoadReport {
            migrated_from,
            integrity,
        },
    ))
}

/// The fast path for a file exactly as Caseboard wrote it (see `fast_read`): the hash and
/// the nodes and layout on a second thread, the transfers and the other fields on this one.
/// `None` when the file is not in that shape or its hash does not verify: then the caller
/// parses it with `ron`.
fn read_fast(
    text: &str,
    origin: &Path,
    progress: &dyn Fn(LoadStage),
) -> Option<(Result<Case, CaseFileError>, integrity::Integrity)> {
    let started = std::time::Instant::now();
    let stage = |name: &str| {
        tracing::debug!(target: "caseboard::timing", "open: {name} done at {:.3} s", started.elapsed().as_secs_f64());
    };
    let sections = fast_read::split(text)?;
    stage("split");
    // Nodes first: transfers and positions then share the text of their ids.
    let nodes = sections
        .nodes
        .map_or(Some(BTreeMap::new()), fast_read::nodes)?;
    stage("nodes");
    let texts = fast_read::NodeTexts::new(&nodes);
    let (second, transfers, rest) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let integrity = integrity::check(text);
            if integrity != integrity::Integrity::Verified {
                return None;
            }
            let layout = sections
                .layout
                .map_or(Some(Default::default()), |t| fast_read::layout(t, &texts))?;
            Some((integrity, layout))
        });
        let transfers = sections
            .transfers
            .map_or(Some(BTreeMap::new()), |t| fast_read::transfers(t, &texts));
        clear_duplicate();
        let rest: Option<CaseFileData> = transfers
            .is_some()
            .then(|| ron_options().from_str(&sections.rest).ok())
            .flatten();
        (second.join().ok().flatten(), transfers, rest)
    });
    stage("transfers, hash and layout");
    let (integrity, (positions, pinned)) = second?;
    let data = rest?;
    drop(texts);
    let case = case_from(
        data,
        Some((nodes, transfers?, LayoutState { positions, pinned })),
    );
    stage("the rest");
    progress(LoadStage::Checking);
    let checked = check_case(&case).map_err(|kind| located(text, origin, kind));
    stage("checks");
    Some((checked.map(|()| case), integrity))
}

/// The big sections the fast reader reads itself: nodes, transfers, positions and pins.
type BigSections = (
    BTreeMap<crate::model::NodeId, crate::model::Node>,
    BTreeMap<crate::model::TransferId, crate::model::Transfer>,
    LayoutState,
);

/// The one place a `Case` is built from file data: `ron` read all of `data`, or the fast
/// reader read the big sections (`big`) and `ron` the rest.
fn case_from(data: CaseFileData, big: Option<BigSections>) -> Case {
    let (nodes, transfers, layout) = big.unwrap_or((
        data.nodes,
        data.transfers,
        LayoutState {
            positions: data.layout.positions,
            pinned: data.layout.pinned,
        },
    ));
    Case {
        meta: data.meta,
        nodes,
        transfers,
        tags: data.tags,
        clusters: data.clusters,
        layout,
        view: data.view,
        source: data.source,
        chain_sources: data.chain_sources,
        annotations: data.annotations,
        conflicts: data.conflicts,
        history: data.history,
        findings: data.findings,
    }
}

/// Makes every mention of a node (transfer ends, positions, pins, tags) share the text of the
/// node's own id, as ids created in the app do: a large case then holds each id once.
fn share_node_ids(mut case: Case) -> Case {
    let nodes = &case.nodes;
    let shared = |id: &mut crate::model::NodeId| {
        if let Some((key, _)) = nodes.get_key_value(&*id) {
            *id = key.clone();
        }
    };
    for t in case.transfers.values_mut() {
        shared(&mut t.from);
        shared(&mut t.to);
    }
    case.layout.positions = std::mem::take(&mut case.layout.positions)
        .into_iter()
        .map(|(mut id, p)| {
            shared(&mut id);
            (id, p)
        })
        .collect();
    case.layout.pinned = std::mem::take(&mut case.layout.pinned)
        .into_iter()
        .map(|mut id| {
            shared(&mut id);
            id
        })
        .collect();
    case
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

/// The `ron` path alone, for tests that compare it with the fast reader: the same checks as
/// [`load_str`] on a text without BOM, never taking the fast path.
#[cfg(test)]
pub(crate) fn load_str_serde_only(text: &str, origin: &Path) -> Result<Case, CaseFileError> {
    check_size(text.len(), origin)?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(CaseFileError::new(origin, CaseFileErrorKind::Empty));
    }
    let found = probe_format(text, origin)?;
    if found == 0 || found > FORMAT_VERSION {
        return Err(CaseFileError::new(
            origin,
            CaseFileErrorKind::UnknownFormat { found },
        ));
    }
    read_data(text, origin, &|_| {})
}

/// Whether the fast reader alone reads `text` (a verified canonical file), for tests.
#[cfg(test)]
pub(crate) fn fast_path_taken(text: &str) -> bool {
    read_fast(text, Path::new("t"), &|_| {}).is_some()
}

fn read_data(
    text: &str,
    origin: &Path,
    progress: &dyn Fn(LoadStage),
) -> Result<Case, CaseFileError> {
    clear_duplicate();
    let data: CaseFileData = ron_options()
        .from_str(text)
        .map_err(|e| ron_error(origin, e))?;
    let case = share_node_ids(case_from(data, None));
    progress(LoadStage::Checking);
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
#[path = "load_tests.rs"]
mod tests;
