//! Every public GraphSense TagPack imports (issue 12 point 12), with tags whose address is not
//! valid on its network skipped and listed, and GraphSense's ActorPack imports too.
//!
//! The packs are the 86 of github.com/graphsense/graphsense-tagpacks at commit 29ff93c8
//! (2026-05-12), copied offline to `/work/shared/data/attribution/graphsense-tagpacks/` (MIT;
//! several are Etherscan-derived, so they are read here and not bundled). Another copy can be
//! pointed at with `CASEBOARD_TAGPACKS_DIR`. Without the folder the test says so and checks
//! nothing else (the bundled packs are tested in `tests/attribution.rs`).

use caseboard::attribution::{ActorIndex, AttributionIndex, load_actorpack_file, load_pack_file};
use std::path::{Path, PathBuf};

/// The packs: `CASEBOARD_TAGPACKS_DIR`, else `shared/` beside the checkout (as on every
/// developer's machine and in CI). Missing packs fail the test: it must run, not skip.
fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CASEBOARD_TAGPACKS_DIR").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/data/attribution/graphsense-tagpacks")
        },
        PathBuf::from,
    );
    assert!(
        dir.join("packs").is_dir(),
        "no GraphSense TagPacks at {} (set CASEBOARD_TAGPACKS_DIR)",
        dir.display()
    );
    Some(dir)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

#[test]
fn all_86_public_tagpacks_import_and_invalid_addresses_are_listed() {
    let Some(dir) = data_dir() else { return };
    let mut files = Vec::new();
    yaml_files(&dir.join("packs"), &mut files);
    files.sort();
    assert_eq!(files.len(), 86, "the public repository has 86 packs");
    let mut packs = Vec::new();
    let mut failures = Vec::new();
    let (mut total_entries, mut total_skipped, mut total_duplicates) = (0, 0, 0);
    let mut packs_with_skips = 0;
    for file in &files {
        let name = file
            .strip_prefix(dir.join("packs"))
            .unwrap()
            .display()
            .to_string();
        match load_pack_file(file) {
            Ok(pack) => {
                println!(
                    "{name}: {} address tags, {} tx tags, {} unsupported, {} skipped, {} duplicates",
                    pack.entries.len(),
                    pack.tx_tags,
                    pack.unsupported,
                    pack.skipped.len(),
                    pack.duplicates
                );
                for skipped in &pack.skipped {
                    assert!(skipped.position.starts_with("tags["), "{skipped:?}");
                    assert!(skipped.line.is_some(), "{skipped:?}");
                    assert!(!skipped.address.is_empty() && !skipped.reason.is_empty());
                    println!(
                        "    {} (line {}): {:?}: {}",
                        skipped.position,
                        skipped.line.unwrap_or(0),
                        skipped.address,
                        skipped.reason
                    );
                }
                if !pack.skipped.is_empty() {
                    packs_with_skips += 1;
                    assert!(pack.import_summary().contains("skipped (invalid address)"));
                }
                total_entries += pack.entries.len();
                total_skipped += pack.skipped.len();
                total_duplicates += pack.duplicates;
                packs.push(pack);
            }
            Err(errors) => failures.push(format!("{name}: {errors}")),
        }
    }
    assert!(failures.is_empty(), "refused:\n{}", failures.join("\n"));
    println!(
        "86 packs: {total_entries} address tags, {total_skipped} skipped in {packs_with_skips} packs, {total_duplicates} duplicates"
    );
    // The official OFAC pack tags a Tron address as BTC: that tag alone is left out.
    let ofac = packs
        .iter()
        .find(|p| p.info.id == "ofac")
        .expect("ofac.yaml");
    let tron = ofac
        .skipped
        .iter()
        .find(|s| s.address == "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq")
        .expect("the Tron address tagged as BTC is listed");
    assert_eq!(tron.line, Some(1069));
    assert!(
        tron.reason.contains("Bitcoin") || tron.reason.contains("bitcoin"),
        "{}",
        tron.reason
    );
    assert!(ofac.entries.len() > 500, "{}", ofac.entries.len());
    assert!(
        packs_with_skips >= 6,
        "GraphSense's own validator warns on six packs: {packs_with_skips}"
    );
    // Duplicates count once: no pack keeps two entries with the same node, label and source.
    for pack in &packs {
        let mut keys: Vec<(String, String, String)> = pack
            .entries
            .iter()
            .map(|e| {
                (
                    e.node.as_str().to_owned(),
                    e.tag.label.to_lowercase(),
                    e.tag.source.to_lowercase(),
                )
            })
            .collect();
        let before = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), before, "{}", pack.info.id);
    }
    // All of them can be active at once.
    let index = AttributionIndex::build(&packs);
    assert!(index.len() > 100_000, "{}", index.len());
}

#[test]
fn graphsense_actorpack_imports_and_names_the_actors_tags_use() {
    let Some(dir) = data_dir() else { return };
    let pack = load_actorpack_file(&dir.join("actors/graphsense.actorpack.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "actorpack: {} actors, {} duplicates",
        pack.actors.len(),
        pack.duplicates
    );
    assert_eq!(pack.actors.len() + pack.duplicates, 3813);
    assert_eq!(pack.info.date, "2023-02-17");
    let actors = ActorIndex::build([&pack]);
    let lazarus = actors.get("lazarusgroup").expect("lazarusgroup");
    assert_eq!(lazarus.label, "Lazarus Group");
    assert!(lazarus.uri.starts_with("https://"), "{}", lazarus.uri);
    assert!(lazarus.categories.iter().any(|c| c == "service_hack"));
    // The tags of the Lazarus pack name an actor the index knows.
    let tags = load_pack_file(&dir.join("packs/lazarus.yaml")).unwrap();
    let named: Vec<_> = tags
        .entries
        .iter()
        .filter_map(|e| actors.actor_of(&e.tag))
        .collect();
    assert!(!named.is_empty());
    assert!(named.iter().all(|a| a.id == "lazarusgroup"));
}
