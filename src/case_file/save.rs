//! Writing a case file: deterministic pretty RON, written atomically.
//!
//! The text is produced from a borrowed view of the case (the case is not changed) and
//! streamed through a buffered writer into a temporary sibling, hashed on the way (see
//! `integrity`); the digest is then written over its placeholder. The same checks load applies
//! run on a second thread meanwhile; if they fail, nothing is kept. The temporary file is
//! flushed to disk and renamed over the target; the folder is then synced (best effort): the
//! one atomic write of [`crate::fs_atomic`]. A failure at any step leaves the previous file as
//! it was, and the temporary file is removed.

use super::check::check_case;
use super::error::{CaseFileError, CaseFileErrorKind};
use super::format::CaseFileRef;
use super::integrity::{HASH_PLACEHOLDER, HashingSink, Stamp};
use crate::fs_atomic::{FileMode, WriteError, write_atomic_with};
use crate::model::Case;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// Write buffer of a case file being saved.
const WRITE_BUFFER_BYTES: usize = 1 << 20;

/// The fixed pretty-printing settings: `\n` line ends on every platform, four-space indent.
pub(crate) fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .separator(" ")
        .struct_names(false)
        .enumerate_arrays(false)
        .compact_arrays(false)
        .escape_strings(true)
}

/// The case as case-file text; checks it first (`path` names it in errors).
pub(crate) fn to_ron_string_for(case: &Case, path: &Path) -> Result<String, CaseFileError> {
    let fail = |kind| CaseFileError::new(path, kind);
    let (mut bytes, stamp) = checked_write(case, Vec::new()).map_err(fail)?;
    if let Some(at) = stamp.offset.and_then(|at| usize::try_from(at).ok())
        && let Some(slot) = bytes.get_mut(at..at + stamp.digest.len())
    {
        slot.copy_from_slice(stamp.digest.as_bytes());
    }
    String::from_utf8(bytes).map_err(|e| fail(CaseFileErrorKind::Serialize(e.to_string())))
}

/// Checks `case` and writes it to `path` atomically (see [`crate::fs_atomic`]); a replaced
/// file keeps its permissions, a new one is readable by others (`0644`).
pub fn save(case: &Case, path: &Path) -> Result<(), CaseFileError> {
    save_with_mode(case, path, FileMode::Normal)
}

/// [`save`] for a file only its owner may read (`0600`, also when it replaces a file): the
/// recovery file of unsaved work.
pub fn save_private(case: &Case, path: &Path) -> Result<(), CaseFileError> {
    save_with_mode(case, path, FileMode::OwnerOnly)
}

fn save_with_mode(case: &Case, path: &Path, mode: FileMode) -> Result<(), CaseFileError> {
    write_atomic_with(path, mode, |file| {
        let out = std::io::BufWriter::with_capacity(WRITE_BUFFER_BYTES, file);
        let (out, stamp) = checked_write(case, out)?;
        let file = out
            .into_inner()
            .map_err(|e| CaseFileErrorKind::Io(format!("cannot write the file: {}", e.error())))?;
        if let Some(at) = stamp.offset {
            file.seek(SeekFrom::Start(at))
                .and_then(|_| file.write_all(stamp.digest.as_bytes()))
                .map_err(|e| CaseFileErrorKind::Io(format!("cannot write the file: {e}")))?;
        }
        Ok(())
    })
    .map_err(|e| {
        let kind = match e {
            WriteError::Write(kind) => kind,
            WriteError::NotAFile { reason, .. } => CaseFileErrorKind::NotAFile(reason),
            WriteError::Io { reason, .. } => CaseFileErrorKind::Io(reason),
        };
        CaseFileError::new(path, kind)
    })
}

/// Serialises `case` into `out` (hash line holding a placeholder) while the case checks run
/// on a second thread; returns `out` and where the digest goes. A failed check wins over
/// anything written.
fn checked_write<W: Write + Send>(case: &Case, out: W) -> Result<(W, Stamp), CaseFileErrorKind> {
    let (checked, written) = std::thread::scope(|scope| {
        let check = scope.spawn(|| check_case(case));
        let written = serialize_into(case, out);
        let checked = check.join().unwrap_or_else(|_| {
            Err(CaseFileErrorKind::Serialize(
                "the case check stopped unexpectedly".to_owned(),
            ))
        });
        (checked, written)
    });
    checked?;
    written
}

/// Pretty RON of `case` through a hashing sink into `out`, with the final newline.
fn serialize_into<W: Write>(case: &Case, out: W) -> Result<(W, Stamp), CaseFileErrorKind> {
    let mut file_ref = CaseFileRef::new(case);
    file_ref.content_hash = HASH_PLACEHOLDER;
    let mut sink = HashingSink::new(out);
    let serialized = super::fast_write::write_case(&mut sink, &file_ref, &pretty());
    let newline = std::fmt::Write::write_str(&mut sink, "\n");
    let finished = sink.finish();
    match (serialized, newline, finished) {
        (_, _, Err(e)) => Err(CaseFileErrorKind::Io(format!("cannot write the file: {e}"))),
        (Err(e), _, _) => Err(CaseFileErrorKind::Serialize(e.to_string())),
        (_, Err(e), _) => Err(CaseFileErrorKind::Serialize(e.to_string())),
        (Ok(_), Ok(()), Ok(done)) => Ok(done),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_case_text_is_stable() {
        let case = Case::new("Empty", 1_700_000_000);
        let text = to_ron_string_for(&case, Path::new("")).expect("serializes");
        assert!(
            text.starts_with("(\n    format: 2,\n    content_hash: \""),
            "{text}"
        );
        assert!(text.ends_with(")\n"));
        assert_eq!(
            text,
            to_ron_string_for(&case, Path::new("")).expect("again")
        );
    }

    #[test]
    fn saving_into_a_missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("no-such-folder").join("c.ron");
        let err = save(&Case::new("x", 0), &path).expect_err("must fail");
        assert!(matches!(err.kind, CaseFileErrorKind::Io(_)), "{err}");
        assert!(err.to_string().contains("c.ron"));
    }
}
