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
pub use bundled::{TORNADO_NOTE, bundled_actors, bundled_ids, bundled_packs};
pub use csv::parse_tags_csv;
pub use error::{PackError, PackErrors};
pub use file::MAX_PACK_BYTES;
pub use flag::{Hit, conflict, flag_case, flag_fragment, hit_summary, hits};
pub use index::AttributionIndex;
pub use pack::{AttributionPack, PackEntry, PackInfo, QUOTE_LIMIT, SkippedTag, quote_capped};
pub use tagpack::{export_tagpack_yaml, parse_tagpack_yaml};

use std::path::Path;

/// A pack file as read: tags, or the actors tags name.
#[derive(Debug, Clone)]
pub enum LoadedPack {
    /// A TagPack or tag CSV.
    Tags(AttributionPack),
    /// A GraphSense ActorPack.
    Actors(ActorPack),
}

/// Reads a pack file, by extension: `.yaml`/`.yml` as a GraphSense TagPack (or an ActorPack,
/// when it has `actors:` and no `tags:`), `.csv` as the simple CSV. Unreadable files, anything
/// that is not a regular file (a FIFO, a link to a device), files over [`MAX_PACK_BYTES`] and
/// unknown extensions are reported as [`PackErrors`] at `file`, before anything is read.
pub fn load_any_pack_file(path: &Path) -> Result<LoadedPack, PackErrors> {
    let origin = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(ext.as_str(), "yaml" | "yml" | "csv") {
        return Err(PackErrors::single(
            &origin,
            PackError::new(
                "file",
                None,
                format!(
                    "unknown file type {ext:?}: expected a TagPack or ActorPack (.yaml, .yml) or a CSV (.csv)"
                ),
            ),
        ));
    }
    let text = file::read_pack_text(path).map_err(|e| PackErrors::single(&origin, e))?;
    if ext == "csv" {
        parse_tags_csv(&text, &origin).map(LoadedPack::Tags)
    } else if looks_like_actorpack(&text) {
        parse_actorpack_yaml(&text, &origin).map(LoadedPack::Actors)
    } else {
        parse_tagpack_yaml(&text, &origin).map(LoadedPack::Tags)
    }
}

/// Reads a tag pack file (see [`load_any_pack_file`]); an ActorPack is refused here, as it
/// carries no tags.
pub fn load_pack_file(path: &Path) -> Result<AttributionPack, PackErrors> {
    match load_any_pack_file(path)? {
        LoadedPack::Tags(pack) => Ok(pack),
        LoadedPack::Actors(_) => Err(PackErrors::single(
            &path.display().to_string(),
            PackError::new(
                "file",
                None,
                "this is an ActorPack (actors, no tags): import it from the app, or pass it where actors are read".to_owned(),
            ),
        )),
    }
}
