//! The attribution packs shipped with Caseboard (`assets/attribution/`, compiled in).
//!
//! All are TagPack YAML, read by the same parser as imported packs:
//! - `fbi-psa-250226`: the 51 Ethereum addresses of the Bybit theft that FBI PSA 250226
//!   (2025-02-26) attributes to DPRK TraderTraitor actors → `dprk_attributed`, `authority_data`;
//! - `ofac-sdn-2024-09-27`: OFAC SDN digital currency addresses per asset (snapshot of
//!   2024-09-27, Tornado Cash left out after its 2025-03-21 delisting) → `sanctioned`;
//! - `graphsense-*`: GraphSense public TagPacks (MIT): Lazarus (OFAC 2020, FBI 2023), Ronin
//!   bridge, Tornado Cash (a mixer; its tags note the delisting), Blender.io, Sinbad.io,
//!   service hacks, the USDT blacklist, Bybit's exchange wallets. Etherscan-derived packs are
//!   not shipped.
//!
//! With them comes the part of GraphSense's ActorPack that their tags name (who `lazarusgroup`,
//! `bybit`, `tornado` … are), entries copied unchanged.
//!
//! `assets/attribution/README.md` lists each file with its source, date and licence.

use super::actors::{ActorPack, parse_actorpack_yaml};
use super::pack::AttributionPack;
use super::tagpack::parse_tagpack_yaml;

/// Note on every tag of the Tornado Cash pack.
pub const TORNADO_NOTE: &str = "OFAC delisted Tornado Cash on 2025-03-21 (Fifth Circuit, Van Loon v. Treasury); formerly sanctioned";

const GRAPHSENSE_COMMIT: &str = "29ff93c8ab0db37370453a290b7becba429b73f8";
const GRAPHSENSE_LICENCE: &str = "MIT (Copyright (c) 2022 Iknaio Cryptoasset Analytics GmbH, 2018-2022 AIT Austrian Institute of Technology; assets/attribution/graphsense/LICENSE)";

/// One bundled file and what the file itself doesn't say.
struct Spec {
    id: &'static str,
    /// Path under `assets/attribution/`.
    file: &'static str,
    text: &'static str,
    /// GraphSense pack (source and licence come from the GraphSense repository).
    graphsense: bool,
    /// Date when the pack has no `lastmod`.
    date: Option<&'static str>,
    /// Note for every tag.
    note: Option<&'static str>,
}

macro_rules! spec {
    ($id:literal, $file:literal, $graphsense:literal, $date:expr, $note:expr) => {
        Spec {
            id: $id,
            file: $file,
            text: include_str!(concat!("../../assets/attribution/", $file)),
            graphsense: $graphsense,
            date: $date,
            note: $note,
        }
    };
}

const SPECS: &[Spec] = &[
    spec!("fbi-psa-250226", "fbi-psa-250226.yaml", false, None, None),
    spec!(
        "ofac-sdn-2024-09-27",
        "ofac-sdn-2024-09-27.yaml",
        false,
        None,
        None
    ),
    spec!(
        "graphsense-lazarus",
        "graphsense/lazarus.yaml",
        true,
        None,
        None
    ),
    spec!(
        "graphsense-lazarus2",
        "graphsense/lazarus2.yaml",
        true,
        None,
        None
    ),
    spec!(
        "graphsense-ronin-bridge",
        "graphsense/ronin_bridge.yaml",
        true,
        None,
        None
    ),
    spec!(
        "graphsense-tornado-cash",
        "graphsense/tornado_cash.yaml",
        true,
        None,
        Some(TORNADO_NOTE)
    ),
    spec!(
        "graphsense-blender-io",
        "graphsense/blender_io.yaml",
        true,
        None,
        None
    ),
    // No lastmod in the pack: the date of the OFAC action its source cites.
    spec!(
        "graphsense-sinbad-io",
        "graphsense/sinbad_io.yaml",
        true,
        Some("2023-11-29"),
        None
    ),
    spec!(
        "graphsense-hacks",
        "graphsense/hacks.yaml",
        true,
        None,
        None
    ),
    spec!(
        "graphsense-usdt-blacklist",
        "graphsense/usdt_blacklist.yaml",
        true,
        None,
        None
    ),
    spec!(
        "graphsense-bybit-wallets",
        "graphsense/exchange-wallets-bybit.yaml",
        true,
        None,
        None
    ),
];

/// The bundled ActorPack file (under `assets/attribution/`).
const ACTORS_FILE: &str = "graphsense/actors/graphsense-bundled.actorpack.yaml";

/// The actors the bundled packs name (a subset of GraphSense's ActorPack, MIT), parsed from
/// the compiled-in file; `None` only if it failed to parse (never, the tests check).
pub fn bundled_actors() -> Option<ActorPack> {
    let text = include_str!(
        "../../assets/attribution/graphsense/actors/graphsense-bundled.actorpack.yaml"
    );
    match parse_actorpack_yaml(text, ACTORS_FILE) {
        Ok(mut pack) => {
            pack.info.bundled = true;
            pack.info.source = format!(
                "https://github.com/graphsense/graphsense-tagpacks/blob/{GRAPHSENSE_COMMIT}/actors/graphsense.actorpack.yaml (the actors the bundled packs name)"
            );
            pack.info.licence = GRAPHSENSE_LICENCE.to_owned();
            Some(pack)
        }
        Err(errors) => {
            tracing::error!("bundled actor pack failed to parse: {errors}");
            None
        }
    }
}

/// Ids of the bundled packs, in the order [`bundled_packs`] returns them.
pub fn bundled_ids() -> Vec<&'static str> {
    SPECS.iter().map(|s| s.id).collect()
}

/// The packs shipped with Caseboard, parsed from the compiled-in files (a few milliseconds).
/// A file that fails to parse (never, the tests check) is logged and left out.
pub fn bundled_packs() -> Vec<AttributionPack> {
    SPECS.iter().filter_map(load).collect()
}

fn load(spec: &Spec) -> Option<AttributionPack> {
    let mut pack = match parse_tagpack_yaml(spec.text, spec.file) {
        Ok(pack) => pack,
        Err(errors) => {
            tracing::error!("bundled attribution pack failed to parse: {errors}");
            return None;
        }
    };
    pack.set_id(spec.id);
    let info = &mut pack.info;
    info.bundled = true;
    if spec.graphsense {
        let cites = std::mem::take(&mut info.source);
        info.source = format!(
            "https://github.com/graphsense/graphsense-tagpacks/blob/{GRAPHSENSE_COMMIT}/packs/{}",
            spec.file.trim_start_matches("graphsense/")
        );
        info.licence = GRAPHSENSE_LICENCE.to_owned();
        if !cites.is_empty() && !cites.ends_with(".yaml") {
            info.description = format!(
                "{} (GraphSense TagPack; its tags cite {cites})",
                info.description
            );
        }
    }
    if info.date.is_empty()
        && let Some(date) = spec.date
    {
        info.date = date.to_owned();
    }
    if let Some(note) = spec.note {
        info.description = format!("{}. {note}.", info.description.trim_end_matches('.'));
        for entry in &mut pack.entries {
            entry.tag.note = if entry.tag.note.is_empty() {
                note.to_owned()
            } else {
                format!("{}; {note}", entry.tag.note)
            };
        }
    }
    Some(pack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::ActorIndex;

    #[test]
    fn every_actor_a_bundled_tag_names_is_bundled() {
        let actors = bundled_actors().expect("the bundled ActorPack parses");
        let index = ActorIndex::build([&actors]);
        let lazarus = index.get("lazarusgroup").expect("Lazarus Group");
        assert_eq!(lazarus.label, "Lazarus Group");
        assert!(lazarus.uri.contains("treasury.gov"));
        let mut named = 0;
        for pack in bundled_packs() {
            for entry in &pack.entries {
                if let Some(actor) = &entry.tag.actor {
                    named += 1;
                    assert!(
                        index.actor_of(&entry.tag).is_some(),
                        "{} names actor {actor}, which is not bundled",
                        pack.info.id
                    );
                }
            }
        }
        assert!(named > 400, "tags naming an actor: {named}");
    }
}
