//! The content hash a case file carries, and what loading learns from it.
//!
//! On save, Caseboard writes `content_hash: "<SHA-256 hex>"` as the second line of the body:
//! the hash of the file's bytes with that one line taken out. On load the same hash is
//! computed again; a file edited outside Caseboard (it is plain text, meant to be diffed and
//! edited) still opens, and the app says that its content no longer matches its last save.
//!
//! Saving streams: the serialiser writes into a [`HashingSink`], which passes the text on
//! to its destination (a buffered file, or memory) while hashing it, with a placeholder of
//! the digest's length on the hash line; [`HashingSink::finish`] says where the placeholder
//! is and what goes there, so the text is never held twice.

use sha2::{Digest, Sha256};
use std::io::Write;

/// The start of the hash line as [`super::save`] writes it.
const HASH_LINE_START: &str = "    content_hash: \"";

/// What the serialiser writes on the hash line until the digest is known: as long as a
/// SHA-256 hex digest.
pub(crate) const HASH_PLACEHOLDER: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// What loading a file learned besides the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// The file's format when it was older than this build's (the case was migrated in
    /// memory; saving writes the current format).
    pub migrated_from: Option<u32>,
    /// Whether the content still matches its last save by Caseboard.
    pub integrity: Integrity,
}

/// Result of the content-hash check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrity {
    /// The hash matches: the file is exactly as Caseboard last saved it.
    Verified,
    /// The file carries no hash (written by hand or by an older Caseboard).
    NoHash,
    /// The hash does not match: the file was changed after Caseboard saved it.
    Edited,
}

impl LoadReport {
    /// One sentence for the user, or `None` when there is nothing to say.
    pub fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(old) = self.migrated_from {
            parts.push(format!(
                "This case was written in case format {old}; it was converted to format {} \
                 (saving writes the new format, which older Caseboard versions cannot read).",
                super::FORMAT_VERSION
            ));
        }
        if self.integrity == Integrity::Edited {
            parts.push(
                "The file was changed outside Caseboard since it was last saved here (its \
                 content no longer matches the recorded hash). Review the changes before \
                 relying on it."
                    .to_owned(),
            );
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// Byte range of the hash line (with its newline), if the text has one near the top.
fn hash_line(text: &str) -> Option<(usize, usize)> {
    // The line is written third; look only at the first few lines so a note that happens to
    // contain the same characters further down is never taken for it.
    let mut offset = 0;
    for line in text.split_inclusive('\n').take(4) {
        if line.starts_with(HASH_LINE_START) {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// `text` with its hash line (if any) carrying the hash of the rest, as a save would stamp it:
/// for tests that edit a file and still want the fast reader to take it.
#[cfg(test)]
pub(crate) fn restamp(text: &str) -> String {
    let Some((start, end)) = hash_line(text) else {
        return text.to_owned();
    };
    let digest = digest_without_hash_line(text, Some((start, end)));
    let line = &text[start..end];
    let old_len = line
        .get(HASH_LINE_START.len()..)
        .and_then(|rest| rest.find('"'))
        .unwrap_or(0);
    let value_at = start + HASH_LINE_START.len();
    if old_len != digest.len() {
        return text.to_owned();
    }
    format!(
        "{}{digest}{}",
        &text[..value_at],
        &text[value_at + old_len..]
    )
}

/// SHA-256 hex of `text` without its hash line.
fn digest_without_hash_line(text: &str, line: Option<(usize, usize)>) -> String {
    let mut hasher = Sha256::new();
    match line {
        Some((start, end)) => {
            hasher.update(&text.as_bytes()[..start]);
            hasher.update(&text.as_bytes()[end..]);
        }
        None => hasher.update(text.as_bytes()),
    }
    hex(&hasher.finalize())
}

/// Where the digest goes and what it is, once a [`HashingSink`] is finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Byte offset of the placeholder in the written text (`None`: the text has no hash line).
    pub offset: Option<u64>,
    /// SHA-256 hex of the text without its hash line.
    pub digest: String,
}

/// A `fmt::Write` for the serialiser that hashes the text (all but the hash line) while
/// passing it on to `out`. The first lines are held back until the hash line has been seen.
pub(crate) struct HashingSink<W: Write> {
    out: W,
    hasher: Sha256,
    /// The text so far while the hash line may still be ahead; `None` once it was handled.
    head: Option<Vec<u8>>,
    placeholder_at: Option<u64>,
    written: u64,
    error: Option<std::io::Error>,
    /// Text not yet hashed and passed on: the serialiser writes a character at a time.
    pending: Vec<u8>,
}

/// Text collected before it is hashed and passed on in one piece.
const PENDING_BYTES: usize = 64 << 10;

/// Lines of the text within which the hash line must appear (as `hash_line` looks).
const HEAD_LINES: usize = 4;

impl<W: Write> HashingSink<W> {
    pub(crate) fn new(out: W) -> Self {
        HashingSink {
            out,
            hasher: Sha256::new(),
            head: Some(Vec::with_capacity(256)),
            placeholder_at: None,
            written: 0,
            error: None,
            pending: Vec::with_capacity(PENDING_BYTES),
        }
    }

    /// Hashes and passes on the pending text.
    fn flush_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.hasher.update(&pending);
        self.emit(&pending);
        self.pending = pending;
        self.pending.clear();
    }

    fn emit(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(bytes)
        {
            self.error = Some(e);
        }
        self.written += bytes.len() as u64;
    }

    /// Hashes and writes the held-back head (all of it: the text is complete or long enough).
    fn flush_head(&mut self) {
        let Some(head) = self.head.take() else {
            return;
        };
        let text = String::from_utf8_lossy(&head);
        match hash_line(&text) {
            Some((start, end)) => {
                self.hasher.update(&head[..start]);
                self.hasher.update(&head[end..]);
                let line = &text[start..end];
                if line[HASH_LINE_START.len()..].starts_with(HASH_PLACEHOLDER) {
                    self.placeholder_at =
                        Some(self.written + (start + HASH_LINE_START.len()) as u64);
                }
            }
            None => self.hasher.update(&head),
        }
        self.emit(&head);
    }

    /// Ends the text: returns the destination and the stamp, or the first write error.
    pub(crate) fn finish(mut self) -> Result<(W, Stamp), std::io::Error> {
        self.flush_head();
        self.flush_pending();
        if let Some(e) = self.error {
            return Err(e);
        }
        let digest = hex(&self.hasher.finalize());
        Ok((
            self.out,
            Stamp {
                offset: self.placeholder_at,
                digest,
            },
        ))
    }
}

impl<W: Write> std::fmt::Write for HashingSink<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if let Some(head) = &mut self.head {
            head.extend_from_slice(s.as_bytes());
            if head.iter().filter(|&&b| b == b'\n').count() >= HEAD_LINES {
                self.flush_head();
            }
        } else {
            self.pending.extend_from_slice(s.as_bytes());
            if self.pending.len() >= PENDING_BYTES {
                self.flush_pending();
            }
        }
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fills the (empty) hash line of freshly serialised `text`.
#[cfg(test)]
pub(crate) fn stamp(text: &mut String) {
    if let Some((start, end)) = hash_line(text) {
        let digest = digest_without_hash_line(text, Some((start, end)));
        text.replace_range(start..end, &format!("{HASH_LINE_START}{digest}\",\n"));
    }
}

/// Checks the hash of loaded `text`.
pub(crate) fn check(text: &str) -> Integrity {
    let Some((start, end)) = hash_line(text) else {
        return Integrity::NoHash;
    };
    let stored = text[start..end]
        .trim_end()
        .trim_start_matches(HASH_LINE_START)
        .trim_end_matches(',')
        .trim_end_matches('"');
    if stored.is_empty() {
        return Integrity::NoHash;
    }
    if stored == digest_without_hash_line(text, Some((start, end))) {
        Integrity::Verified
    } else {
        Integrity::Edited
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "(\n    format: 2,\n    content_hash: \"\",\n    meta: (title: \"x\"),\n)\n";

    #[test]
    fn stamped_text_verifies_and_any_edit_is_seen() {
        let mut text = SAMPLE.to_owned();
        stamp(&mut text);
        assert!(text.contains("content_hash: \""));
        assert_ne!(text, SAMPLE);
        assert_eq!(check(&text), Integrity::Verified);
        let edited = text.replace("title: \"x\"", "title: \"y\"");
        assert_eq!(check(&edited), Integrity::Edited);
        assert_eq!(check(SAMPLE), Integrity::NoHash);
        assert_eq!(
            check("(\n    format: 1,\n    meta: ()\n)"),
            Integrity::NoHash
        );
    }

    #[test]
    fn sink_gives_the_same_text_and_hash_as_stamping() {
        let body = format!(
            "(\n    format: 2,\n    content_hash: \"{HASH_PLACEHOLDER}\",\n    meta: (title: \"x\"),\n)\n"
        );
        let mut sink = HashingSink::new(Vec::new());
        for piece in body.as_bytes().chunks(7) {
            std::fmt::Write::write_str(&mut sink, std::str::from_utf8(piece).expect("ascii"))
                .expect("writes");
        }
        let (mut bytes, stamp) = sink.finish().expect("finishes");
        let at = stamp.offset.expect("placeholder found") as usize;
        bytes[at..at + 64].copy_from_slice(stamp.digest.as_bytes());
        let mut expected = SAMPLE.to_owned();
        super::stamp(&mut expected);
        assert_eq!(String::from_utf8(bytes).expect("utf8"), expected);
        // Text without a hash line is hashed whole and has no placeholder.
        let mut sink = HashingSink::new(Vec::new());
        std::fmt::Write::write_str(&mut sink, "(format: 1)").expect("writes");
        let (_, stamp) = sink.finish().expect("finishes");
        assert_eq!(stamp.offset, None);
        assert_eq!(stamp.digest, digest_without_hash_line("(format: 1)", None));
    }

    #[test]
    fn report_messages() {
        let quiet = LoadReport {
            migrated_from: None,
            integrity: Integrity::Verified,
        };
        assert_eq!(quiet.message(), None);
        let loud = LoadReport {
            migrated_from: Some(1),
            integrity: Integrity::Edited,
        };
        let text = loud.message().expect("message");
        assert!(text.contains("format 1") && text.contains("outside Caseboard"));
    }
}
