//! Reading a pack file safely: only a regular file (or a link to one), only up to a size
//! limit, checked before anything is read.
//!
//! A "pack" that is a link to `/dev/zero`, a FIFO or a device would otherwise be read without
//! end (or block forever); a huge file would be read whole into memory. Both are refused with
//! a clear error before reading. The limit is checked again while reading, so a file that grows
//! after the check is refused too.

use super::error::PackError;
use std::io::Read;
use std::path::Path;

/// Largest pack file read, in bytes (256 MiB; the largest public GraphSense TagPack is 4 MB).
pub const MAX_PACK_BYTES: u64 = 256 * 1024 * 1024;

/// The text of the pack file at `path`, or why it can't be used (position `file`).
pub(crate) fn read_pack_text(path: &Path) -> Result<String, PackError> {
    read_text_capped(path, MAX_PACK_BYTES)
}

/// [`read_pack_text`] with a given limit (tests use a small one).
pub(crate) fn read_text_capped(path: &Path, max_bytes: u64) -> Result<String, PackError> {
    let fail = |message: String| PackError::new("file", None, message);
    // `metadata` follows links: a link to a regular file is fine, a link to a device is not.
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    check_kind_and_size(&meta, max_bytes).map_err(fail)?;
    let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    // The path may have been replaced between the check and the open: check what was opened.
    let opened = file
        .metadata()
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    check_kind_and_size(&opened, max_bytes).map_err(fail)?;
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).unwrap_or(0));
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(fail(too_big(max_bytes)));
    }
    String::from_utf8(bytes).map_err(|_| fail("the file is not UTF-8 text".to_owned()))
}

fn too_big(max_bytes: u64) -> String {
    format!(
        "the file is larger than {} MiB, the most a pack may be",
        max_bytes / (1024 * 1024)
    )
}

fn check_kind_and_size(meta: &std::fs::Metadata, max_bytes: u64) -> Result<(), String> {
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device, FIFO or socket"
        };
        return Err(format!(
            "not a regular file ({kind}): a pack must be a file"
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_big(max_bytes));
    }
    Ok(())
}
