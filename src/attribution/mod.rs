//! Attribution: who is behind an address, the moment it lands on the canvas.
//!
//! Packs of tags (bundled: FBI, OFAC, GraphSense TagPacks; or imported: TagPack YAML, simple CSV)
//! are parsed whole or rejected whole with every error positioned ([`PackErrors`]). The active
//! packs are merged into an [`AttributionIndex`], a hash map from canonical node id to tags, so
//! matching a 1,000-node expansion is 1,000 hash lookups. [`flag_fragment`] and [`flag_case`]
//! attach matching tags to nodes; [`conflict`] tells when packs disagree about a node and the
//! investigator has not ruled yet; [`export_tagpack_yaml`] writes the case's own tags as a
//! GraphSense TagPack. Pure domain: no screen, no network.

mod actors;
mod bundled;
mod csv;
mod error;
mod file;
mod flag;
mod index;
mod network;
mod pack;
mod tagpack;
pub mod taxonomy;
mod yaml;

pub use actors::{
    Actor, ActorIndex, ActorPack, load_actorpack_file, looks_like_actorpack, parse_actorpack_yaml,
};
pub use bundled::{TORNADO_NOTE, bundled_ids, bundled_packs};
pub use csv::parse_tags_csv;
pub use error::{PackError, PackErrors};
pub use file::MAX_PACK_BYTES;
pub use flag::{Hit, conflict, flag_case, flag_fragment, hit_summary, hits};
pub use index::AttributionIndex;
pub use pack::{AttributionPack, PackEntry, PackInfo, QUOTE_LIMIT, SkippedTag, quote_capped};
pub use tagpack::{export_tagpack_yaml, parse_tagpack_yaml};

use std::path::Path;

/// Reads a pack file, by extension: `.yaml`/`.yml` as a GraphSense TagPack, `.csv` as the simple
/// CSV. Unreadable files, anything that is not a regular file (a FIFO, a link to a device),
/// files over [`MAX_PACK_BYTES`] and unknown extensions are reported as [`PackErrors`] at
/// `file`, before anything is read.
pub fn load_pack_file(path: &Path) -> Result<AttributionPack, PackErrors> {
    let origin = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let parse: fn(&str, &str) -> Result<AttributionPack, PackErrors> = match ext.as_str() {
        "yaml" | "yml" => parse_tagpack_yaml,
        "csv" => parse_tags_csv,
        _ => {
            return Err(PackErrors::single(
                &origin,
                PackError::new(
                    "file",
                    None,
                    format!(
                        "unknown file type {:?}: expected a TagPack (.yaml, .yml) or a CSV (.csv)",
                        ext
                    ),
                ),
            ));
        }
    };
    let text = file::read_pack_text(path).map_err(|e| PackErrors::single(&origin, e))?;
    parse(&text, &origin)
}
