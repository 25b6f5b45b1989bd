//! An attribution pack: where it comes from (title, creator, source, date, licence) and the tags
//! it puts on addresses.
//!
//! Every entry's tag carries `pack == Some(info.id)`, so a tag on the canvas always says which
//! pack it came from. Valid tags on chains Caseboard cannot read yet (Tron, Litecoin, Monero …)
//! are counted in `unsupported` and kept out of matching; tags on EVM transaction hashes, which
//! are no node, are counted in `tx_tags`.

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
}

impl AttributionPack {
    /// Gives the pack another id, and every entry's tag with it.
    pub fn set_id(&mut self, id: &str) {
        self.info.id = id.to_owned();
        for entry in &mut self.entries {
            entry.tag.pack = Some(id.to_owned());
        }
    }

    /// Number of distinct nodes the pack tags.
    pub fn node_count(&self) -> usize {
        let mut nodes: Vec<&NodeId> = self.entries.iter().map(|e| &e.node).collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes.len()
    }
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
