//! The demo world's known actors: what an investigator would have from the victim's
//! disclosure, a forensic report on the theft, and public service labels. [`demo_pack`] holds
//! them as an attribution pack like the bundled ones (the app keeps it active in cases read
//! from the demo ledger, so demo nodes are tagged the moment they enter the case).

use super::clock::DEMO_SNAPSHOT_UNIX_SECS;
use super::world::world;
use crate::attribution::{AttributionPack, PackEntry, PackInfo};
use crate::model::{Category, Confidence, NodeId, Tag};

/// Where every demo tag says it comes from.
const TAG_SOURCE: &str = "Caseboard demo world (synthetic)";
/// Who every demo tag says made it.
const TAG_AUTHOR: &str = "Caseboard demo";

/// The demo world's attribution: victim, theft and split addresses, mixer, bridge (both chains),
/// swap router and both exchanges' hot wallets. Every node exists in the demo world.
pub fn demo_attribution() -> Vec<(NodeId, Tag)> {
    let ids = &world().actor_ids;
    let mut entries: Vec<(NodeId, Tag)> = vec![
        (
            ids.victim_cold_wallet.clone(),
            tag(
                "Victim exchange cold wallet",
                Category::Victim,
                Confidence::ServiceData,
                "Drained on 2025-02-21 14:13 UTC (as disclosed by the victim exchange).",
            ),
        ),
        (
            ids.theft.clone(),
            tag(
                "Theft address",
                Category::DprkAttributed,
                Confidence::ForensicInvestigation,
                "Received the stolen ETH from the victim's cold wallet and split it across 40 addresses.",
            ),
        ),
    ];
    for (i, split) in ids.splits.iter().enumerate() {
        entries.push((
            split.clone(),
            tag(
                &format!("Theft split address {:02}", i + 1),
                Category::DprkAttributed,
                Confidence::ForensicInvestigation,
                "Received 10,000 ETH from the theft address; start of an ETH peel chain.",
            ),
        ));
    }
    let services = [
        (
            &ids.mixer,
            "Mixer contract",
            Category::Mixer,
            "Fixed-denomination deposits, withdrawals to fresh addresses.",
        ),
        (
            &ids.bridge_contract,
            "Bridge contract (ETH side)",
            Category::Bridge,
            "Takes ETH deposits; the bridge pays BTC from its Bitcoin hot wallet.",
        ),
        (
            &ids.bridge_btc_hot_wallet,
            "Bridge hot wallet (BTC side)",
            Category::Bridge,
            "Pays out BTC for ETH deposited into the bridge contract.",
        ),
        (
            &ids.swap_router,
            "Swap router",
            Category::Defi,
            "Swaps ETH into the USDT-like demo stablecoin.",
        ),
        (
            &ids.alpha_hot_wallet,
            "Exchange Alpha hot wallet",
            Category::Exchange,
            "Collects Alpha's deposit addresses and pays its customers.",
        ),
        (
            &ids.beta_hot_wallet,
            "Exchange Beta hot wallet",
            Category::Exchange,
            "Collects Beta's deposit addresses and pays its customers in batches.",
        ),
    ];
    for (node, label, category, note) in services {
        entries.push((
            node.clone(),
            tag(label, category, Confidence::ServiceData, note),
        ));
    }
    entries
}

fn tag(label: &str, category: Category, confidence: Confidence, note: &str) -> Tag {
    Tag {
        label: format!("{label} (synthetic)"),
        category,
        confidence,
        source: TAG_SOURCE.to_owned(),
        author: TAG_AUTHOR.to_owned(),
        created: DEMO_SNAPSHOT_UNIX_SECS,
        note: note.to_owned(),
        pack: Some(DEMO_PACK_ID.to_owned()),
        ..Tag::new("", Category::Unknown, confidence, "")
    }
}

/// Pack id recorded on the demo world's tags (cases tagged before the pack existed carry it
/// too, so they are not tagged twice).
pub const DEMO_PACK_ID: &str = "caseboard-demo";

/// The demo world's attribution as a pack (id [`DEMO_PACK_ID`]), listed with the bundled ones.
pub fn demo_pack() -> AttributionPack {
    AttributionPack {
        info: PackInfo {
            id: DEMO_PACK_ID.to_owned(),
            title: "Demo world actors (synthetic)".to_owned(),
            creator: TAG_AUTHOR.to_owned(),
            source: TAG_SOURCE.to_owned(),
            date: "2025-03-24".to_owned(),
            licence: "synthetic data, no licence needed".to_owned(),
            description: "The demo ledger's victim, theft and split addresses, mixer, bridge, \
                swap router and exchange hot wallets. Active only in cases read from the demo \
                ledger."
                .to_owned(),
            bundled: true,
        },
        entries: demo_attribution()
            .into_iter()
            .map(|(node, tag)| PackEntry { node, tag })
            .collect(),
        unsupported: 0,
        tx_tags: 0,
        skipped: Vec::new(),
        duplicates: 0,
    }
}
