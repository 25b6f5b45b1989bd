//! An attribution pack: where it comes from (title, creator, source, date, licence) and the tags
//! it puts on addresses.
//!
//! Every entry's tag carries `pack == Some(info.id)`, so a tag on the canvas always says which
//! pack it came from. Valid tags on chains Caseboard cannot read yet (Tron, Litecoin, Monero …)
//! are counted in `unsupported` and kept out of matching; tags on EVM transaction hashes, which
//! are no node, are counted in `tx_tags`.

use super::error::PackError;
use crate::model::{NodeId, Tag};

/// Provenance of a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackInfo {
    /// Stable id (`fbi-psa-250226`, `ofac-sdn-2024-09-27`, `graphsense-lazarus`); imported packs
    /// get one from their file name.
    pub id: String,
    /// Title.
    pub title: String,
    /// Who made it.
    pub creator: String,
    /// Where it comes from (URL, or the file it was read from).
    pub source: String,
    /// Date of the data, `YYYY-MM-DD` (empty when the pack gives none).
    pub date: String,
    /// Licence of the data (empty when the pack gives none).
    pub licence: String,
    /// What it is.
    pub description: String,
    /// Shipped with Caseboard (as opposed to imported by the user).
    pub bundled: bool,
}

/// One tag on one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackEntry {
    /// Canonical node id (EVM lower-case, Bitcoin canonical).
    pub node: NodeId,
    /// The tag; `tag.pack == Some(info.id)`.
    pub tag: Tag,
}

/// A tag left out of a pack because its address (or transaction hash) is not valid on the
/// network it names: a Tron address tagged as BTC, a bad checksum. GraphSense's own validator
/// only warns about these; the rest of the pack is used. (When a pack is refused for
/// structural errors, these are listed among its errors too, so one pass fixes the file.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedTag {
    /// Where: `tags[3].address`, `tags[4].tx_hash` (TagPack, tags counted from 0) or
    /// `row 5 column address` (CSV, rows are the file's lines).
    pub position: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// The address or hash as written (at most [`QUOTE_LIMIT`] characters, then `…`).
    pub address: String,
    /// Why it is not valid.
    pub reason: String,
}

impl SkippedTag {
    /// The same problem as an error of a refused pack.
    pub fn to_error(&self) -> PackError {
        PackError::new(
            self.position.clone(),
            self.line,
            format!("{}: {:?}", self.reason, self.address),
        )
    }
}

/// Longest piece of the input quoted in a [`SkippedTag`] or a summary, in characters.
pub const QUOTE_LIMIT: usize = 200;

/// `text` cut to [`QUOTE_LIMIT`] characters (by characters, never inside one), with `…` when
/// cut.
pub fn quote_capped(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Skipped tags listed one per line in [`AttributionPack::import_summary`]; all are kept in
/// [`AttributionPack::skipped`].
const SUMMARY_SKIPPED_LINES: usize = 20;

/// A parsed, valid pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributionPack {
    /// Provenance.
    pub info: PackInfo,
    /// Tags on nodes Caseboard can show, in file order.
    pub entries: Vec<PackEntry>,
    /// Valid tags on chains Caseboard can't read yet (TRX, LTC, XMR …): kept out of matching.
    pub unsupported: usize,
    /// Valid tags on EVM transaction hashes (no node to match).
    pub tx_tags: usize,
    /// Tags left out for an invalid address, in file order.
    pub skipped: Vec<SkippedTag>,
    /// Tags that repeat an earlier one (same node, label and source, ignoring letter case, as
    /// GraphSense counts duplicates): counted once, the first kept.
    pub duplicates: usize,
}

impl AttributionPack {
    /// Gives the pack another id, and every entry's tag with it.
    pub fn set_id(&mut self, id: &str) {
        self.info.id = id.to_owned();
        for entry in &mut self.entries {
            entry.tag.pack = Some(id.to_owned());
        }
    }

    /// What an import did, for the command line and the app's notice: the first line counts
    /// (`"T" by C (2024-01-02), 10 address tags, …`), then one line per skipped tag (the
    /// first 20, then how many more).
    pub fn import_summary(&self) -> String {
        let info = &self.info;
        let mut out = format!(
            "\"{}\" by {} ({}), {} address tags, {} transaction tags, {} on chains not read yet",
            quote_capped(&info.title),
            quote_capped(&info.creator),
            info.date,
            self.entries.len(),
            self.tx_tags,
            self.unsupported
        );
        if self.duplicates > 0 {
            out.push_str(&format!(", {} duplicates counted once", self.duplicates));
        }
        if !self.skipped.is_empty() {
            out.push_str(&format!(
                ", {} skipped (invalid address):",
                self.skipped.len()
            ));
            for skipped in self.skipped.iter().take(SUMMARY_SKIPPED_LINES) {
                let at = match skipped.line {
                    Some(line) => format!("{} (line {line})", skipped.position),
                    None => skipped.position.clone(),
                };
                out.push_str(&format!(
                    "\n  {at}: {:?}: {}",
                    skipped.address, skipped.reason
                ));
            }
            if self.skipped.len() > SUMMARY_SKIPPED_LINES {
                out.push_str(&format!(
                    "\n  … and {} more",
                    self.skipped.len() - SUMMARY_SKIPPED_LINES
                ));
            }
        }
        out
    }

    /// Number of distinct nodes the pack tags.
    pub fn node_count(&self) -> usize {
        let mut nodes: Vec<&NodeId> = self.entries.iter().map(|e| &e.node).collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes.len()
    }
}

/// Removes entries that repeat an earlier one (same node, label and source, ignoring letter
/// case and surrounding spaces — GraphSense's rule), keeping the first; returns how many were
/// removed. One hash lookup per entry, no allocation per entry.
pub(crate) fn remove_duplicates(entries: &mut Vec<PackEntry>) -> usize {
    use std::collections::HashSet;
    use std::hash::{Hash, Hasher};

    struct Key<'e>(&'e PackEntry);
    fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
        text.trim().chars().flat_map(char::to_lowercase)
    }
    impl Hash for Key<'_> {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.0.node.hash(state);
            folded(&self.0.tag.label).for_each(|c| c.hash(state));
            0xffu8.hash(state);
            folded(&self.0.tag.source).for_each(|c| c.hash(state));
        }
    }
    impl PartialEq for Key<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.0.node == other.0.node
                && folded(&self.0.tag.label).eq(folded(&other.0.tag.label))
                && folded(&self.0.tag.source).eq(folded(&other.0.tag.source))
        }
    }
    impl Eq for Key<'_> {}

    let mut seen: HashSet<Key<'_>> = HashSet::with_capacity(entries.len());
    let keep: Vec<bool> = entries.iter().map(|e| seen.insert(Key(e))).collect();
    drop(seen);
    let before = entries.len();
    let mut flags = keep.into_iter();
    entries.retain(|_| flags.next().unwrap_or(true));
    before - entries.len()
}

/// A stable pack id from a file name or title: lower-case ASCII letters and digits joined by
/// single dashes (`Lazarus 2.yaml` → `lazarus-2`); `pack` when nothing is left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "pack".to_owned()
    } else {
        out
    }
}

/// The id of a pack read from `origin` (a path or file name): the slug of its file stem.
pub fn id_from_origin(origin: &str) -> String {
    let name = origin.rsplit(['/', '\\']).next().unwrap_or(origin);
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 4 => stem,
        _ => name,
    };
    slug(stem)
}

/// Parses a pack file's YAML and returns its top-level mapping's entries; anything else (bad
/// YAML, a list, a scalar) is one positioned error. `shape` completes "a … is a YAML mapping
/// with …" (`"TagPack"`, `"title, creator and tags"`).
pub(crate) fn pack_mapping<'t>(
    text: &'t str,
    origin: &str,
    (kind, fields): (&str, &str),
) -> Result<Vec<super::yaml::Entry<'t>>, super::error::PackErrors> {
    let reject = |error: PackError| super::error::PackErrors {
        origin: origin.to_owned(),
        errors: vec![error],
    };
    let doc = super::yaml::parse(text).map_err(|e| {
        reject(PackError::new(
            "yaml",
            e.line,
            format!("not valid YAML: {}", e.message),
        ))
    })?;
    let (line, found) = (doc.line(), doc.kind());
    match doc {
        super::yaml::Node::Map { entries, .. } => Ok(entries),
        _ => Err(reject(PackError::new(
            "yaml",
            Some(line),
            format!("a {kind} is a YAML mapping with {fields}; this file holds {found}"),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_file_names() {
        assert_eq!(id_from_origin("/home/a/packs/Lazarus 2.yaml"), "lazarus-2");
        assert_eq!(
            id_from_origin("C:\\packs\\exchange-wallets-bybit.yml"),
            "exchange-wallets-bybit"
        );
        assert_eq!(id_from_origin("tags.csv"), "tags");
        assert_eq!(id_from_origin("<pasted>"), "pasted");
        assert_eq!(id_from_origin(""), "pack");
        assert_eq!(slug("  Ünïcode -- only  "), "n-code-only");
    }
}
