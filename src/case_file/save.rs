//! Writing a case file: deterministic pretty RON, written atomically.
//!
//! The text is produced from a borrowed view of the case (the case is not changed) and
//! streamed through a buffered writer into a temporary sibling, hashed on the way (see
//! `integrity`); the digest is then written over its placeholder. The same checks load applies
//! run on a second thread meanwhile; if they fail, nothing is kept. The temporary file is
//! flushed to disk and renamed over the target; the folder is then synced (best effort). A
//! failure at any step leaves the previous file as it was, and the temporary file is removed.

use super::check::check_case;
use super::error::{CaseFileError, CaseFileErrorKind};
use super::format::CaseFileRef;
use super::integrity::{HASH_PLACEHOLDER, HashingSink, Stamp};
use crate::model::Case;
use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

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

/// Checks `case` and writes it to `path` atomically.
pub fn save(case: &Case, path: &Path) -> Result<(), CaseFileError> {
    write_atomic(path, |file| {
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
    .map_err(|kind| CaseFileError::new(path, kind))
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

/// Replaces `path` with what `write` puts into a temporary sibling, by temp file + fsync +
/// rename; the old file survives failures.
fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> Result<(), CaseFileErrorKind>,
) -> Result<(), CaseFileErrorKind> {
    let target = resolve_symlink(path);
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return Err(CaseFileErrorKind::NotAFile(
            "there is a folder or special file at this path, not a case file".to_owned(),
        ));
    }
    let Some(name) = target.file_name() else {
        return Err(CaseFileErrorKind::NotAFile(
            "the path names no file".to_owned(),
        ));
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    remove_stale_temps(&dir, &prefix);
    let io = |what: &str, e: std::io::Error| CaseFileErrorKind::Io(format!("{what}: {e}"));
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| io(&format!("cannot create a file in {}", dir.display()), e))?;
    if let Some(meta) = &existing {
        // Keep the replaced file's permissions (best effort; a new file keeps the private
        // default of the temporary file).
        let _ = temp.as_file().set_permissions(meta.permissions());
    }
    write(temp.as_file_mut())?;
    temp.as_file()
        .sync_all()
        .map_err(|e| io("cannot flush the file to disk", e))?;
    temp.persist(&target)
        .map_err(|e| io("cannot replace the file", e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Temporary files of this case left by a save that was killed midway are removed once they
/// are older than any save could take (best effort; a fresh one may belong to a save in
/// another process).
fn remove_stale_temps(dir: &Path, prefix: &std::ffi::OsStr) {
    const STALE: std::time::Duration = std::time::Duration::from_secs(600);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = prefix.to_string_lossy();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_ours = name.starts_with(prefix.as_ref()) && name.ends_with(".tmp");
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if is_ours && old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A symlink is followed so the link stays and its target is replaced.
fn resolve_symlink(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Makes the rename durable (Unix); errors are ignored, the data itself is already synced.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
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
