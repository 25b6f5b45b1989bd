//! The content hash a case file carries, and what loading learns from it.
//!
//! On save, Caseboard writes `content_hash: "<SHA-256 hex>"` as the second line of the body:
//! the hash of the file's bytes with that one line taken out. On load the same hash is
//! computed again; a file edited outside Caseboard (it is plain text, meant to be diffed and
//! edited) still opens, and the app says that its content no longer matches its last save.

use sha2::{Digest, Sha256};

/// The start of the hash line as [`super::save`] writes it.
const HASH_LINE_START: &str = "    content_hash: \"";

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
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Fills the (empty) hash line of freshly serialised `text`.
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
