//! Exports of a case: pictures of the canvas (and later SVG and CSV). No egui here: callers
//! hand over plain RGBA pixels.

pub mod png;

use std::io::Write as _;
use std::path::Path;

/// Writes `text` to `path` atomically (temp file in the same folder, fsync, rename).
pub fn write_text_atomic(path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("{}: {}", path.display(), e.error))?;
    Ok(())
}
