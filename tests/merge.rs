//! Case merge end to end (issue #6): the scenarios on cases built from the demo world
//! and real Bitcoin ids, with exact expected results; the merged case validates, survives a
//! save/load round trip, and `caseboard merge` does the same from the command line.

use caseboard::case_file;
use caseboard::merge::{MergeOptions, MergeOutcome, merge};
use caseboard::model::{
    Asset, Case, Category, Chain, Cluster, ClusterId, Confidence, Conflict, ConflictId,
    ConflictKind, HistoryEntry, Node, NodeId, Note, NoteId, Tag, Transfer, TransferId,
};
use caseboard::sources::demo::{demo_case, split_addresses, theft_address, victim_cold_wallet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

const GENESIS: &str = "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
const BECH32: &str = "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const GENESIS_TX: &str = "btc-tx:4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

fn id(text: &str) -> NodeId {
    NodeId::parse(text).expect("valid node id")
}

/// The demo case, built once.
fn demo() -> &'static Case {
    static DEMO: OnceLock<Case> = OnceLock::new();
    DEMO.get_or_init(demo_case)
}

fn split(i: usize) -> NodeId {
    split_addresses()[i].clone()
}

/// The demo case cut down to `keep` and the transfers among them, with no judgements.
fn subset(keep: &[NodeId]) -> Case {
    let demo = demo();
    let keep: BTreeSet<&NodeId> = keep.iter().collect();
    let mut case = Case::new("Bybit-style drain", 1_740_000_000);
    case.nodes = demo
        .nodes
        .iter()
        .filter(|(id, _)| keep.contains(id))
        .map(|(id, n)| (id.clone(), n.clone()))
        .collect();
    case.transfers = demo
        .transfers
        .iter()
        .filter(|(_, t)| keep.contains(&t.from) && keep.contains(&t.to))
        .map(|(id, t)| (id.clone(), t.clone()))
        .collect();
    case.layout.positions = demo
        .layout
        .positions
        .iter()
        .filter(|(id, _)| keep.contains(id))
        .map(|(id, p)| (id.clone(), *p))
        .collect();
    case
}

/// Victim, theft address and the first `splits` split addresses.
fn drain(splits: usize) -> Vec<NodeId> {
    let mut ids = vec![victim_cold_wallet(), theft_address()];
    ids.extend(split_addresses().into_iter().take(splits));
    ids
}

/// The genesis coinbase as a small Bitcoin case: address → tx → bech32 output.
fn btc_case() -> Case {
    let mut case = Case::new("Genesis", 1_231_006_505);
    for text in [GENESIS, GENESIS_TX, BECH32] {
        let node_id = id(text);
        let node = if node_id.is_transaction() {
            Node::transaction(node_id.clone())
        } else {
            Node::address(node_id.clone())
        };
        case.nodes.insert(node_id, node);
    }
    let txid = GENESIS_TX.trim_start_matches("btc-tx:");
    for (leg, from, to, amount) in [
        ("in0", GENESIS, GENESIS_TX, 5_000_000_000),
        ("out0", GENESIS_TX, BECH32, 4_999_990_000),
    ] {
        let tid = TransferId::new("btc", txid, leg);
        case.transfers.insert(
            tid.clone(),
            Transfer {
                id: tid,
                from: id(from),
                to: id(to),
                asset: Asset::native(Chain::Bitcoin),
                amount,
                tx_hash: txid.to_owned(),
                block_height: Some(0),
                time: Some(1_231_006_505),
                provenance: None,
                relation_txs: None,
                memo: None,
            },
        );
    }
    case.layout.positions.insert(id(GENESIS), [-40.0, 0.0]);
    case
}

fn own_tag(label: &str, category: Category, author: &str, created: i64) -> Tag {
    Tag {
        author: author.to_owned(),
        created,
        ..Tag::new(
            label,
            category,
            Confidence::ForensicInvestigation,
            "case notes",
        )
    }
}

fn cluster(id: u64, label: &str, category: Category, members: &[NodeId]) -> Cluster {
    Cluster {
        id: ClusterId(id),
        label: label.to_owned(),
        category,
        confidence: Confidence::ForensicInvestigation,
        source: "co-spend".to_owned(),
        note: String::new(),
        members: members.iter().cloned().collect(),
    }
}

fn note(id: u64, text: &str, anchor: Option<NodeId>, author: &str) -> Note {
    Note {
        id: NoteId(id),
        text: text.to_owned(),
        anchor,
        position: [30.0, -20.0],
        author: author.to_owned(),
        modified: 1_740_100_000,
    }
}

fn options() -> MergeOptions {
    MergeOptions {
        theirs_label: "bob.ron".to_owned(),
        by: "alice".to_owned(),
        at: 1_740_200_000,
    }
}

/// Merges and checks the result validates and can be written.
fn merged(mine: &Case, theirs: &Case, base: Option<&Case>) -> MergeOutcome {
    let outcome = merge(mine, theirs, base, &options());
    assert_eq!(outcome.case.validate(), vec![], "merge result validates");
    case_file::to_ron_string(&outcome.case).expect("merge result can be saved");
    outcome
}

fn cluster_labels(case: &Case) -> Vec<(u64, String)> {
    case.clusters
        .values()
        .map(|c| (c.id.0, c.label.clone()))
        .collect()
}

fn note_texts(case: &Case) -> Vec<(u64, String)> {
    case.annotations
        .notes
        .values()
        .map(|n| (n.id.0, n.text.clone()))
        .collect()
}

#[test]
fn disjoint_cases_are_unioned() {
    let mut mine = subset(&drain(0));
    mine.clusters.insert(
        ClusterId(1),
        cluster(1, "Theft", Category::DprkAttributed, &[theft_address()]),
    );
    mine.annotations.notes.insert(
        NoteId(1),
        note(1, "drained 21 Feb", Some(victim_cold_wallet()), "alice"),
    );
    let mut theirs = btc_case();
    let genesis_tag = own_tag("Satoshi", Category::Unknown, "bob", 10);
    theirs.tags.insert(id(GENESIS), vec![genesis_tag.clone()]);
    theirs.clusters.insert(
        ClusterId(1),
        cluster(1, "Genesis", Category::Unknown, &[id(GENESIS)]),
    );
    theirs
        .annotations
        .notes
        .insert(NoteId(1), note(1, "block 0", None, "bob"));

    let out = merged(&mine, &theirs, None);
    let case = &out.case;
    let mut nodes = mine.nodes.clone();
    nodes.extend(theirs.nodes.clone());
    let mut transfers = mine.transfers.clone();
    transfers.extend(theirs.transfers.clone());
    assert_eq!(case.nodes, nodes);
    assert_eq!(case.transfers, transfers);
    assert_eq!(case.nodes.len(), 5);
    assert_eq!(case.transfers.len(), 3);
    assert_eq!(
        case.tags,
        BTreeMap::from([(id(GENESIS), vec![genesis_tag])])
    );
    assert_eq!(
        cluster_labels(case),
        vec![(1, "Theft".to_owned()), (2, "Genesis".to_owned())]
    );
    assert_eq!(
        note_texts(case),
        vec![(1, "drained 21 Feb".to_owned()), (2, "block 0".to_owned())]
    );
    assert_eq!(case.layout.positions.len(), 3);
    assert!(case.conflicts.is_empty());
    assert_eq!(
        out.report.summary(),
        "+3 nodes, +2 transfers, +1 tags, +1 clusters, +1 notes, 0 conflicts"
    );
    assert_eq!(
        case.history.last(),
        Some(&HistoryEntry {
            at: 1_740_200_000,
            by: "alice".to_owned(),
            what: "merge bob.ron: +3 nodes, +2 transfers, 0 conflicts".to_owned(),
        })
    );
}

#[test]
fn overlapping_facts_keep_mine_and_fill_in_from_theirs() {
    let theft = theft_address();
    let mut mine = subset(&drain(2)); // victim, theft, s0, s1
    let mut theirs = subset(&[theft.clone(), split(1), split(2)]);
    // Mine lacks s1's balance; theirs lacks the theft address's provenance; both know the
    // theft address's tx count, differently.
    let s1 = mine.nodes.get_mut(&split(1)).expect("s1");
    assert!(s1.balance.is_some());
    s1.balance = None;
    theirs.nodes.get_mut(&theft).expect("theft").provenance = None;
    mine.nodes.get_mut(&theft).expect("theft").tx_count = Some(999);

    let out = merged(&mine, &theirs, None);
    let mut expected = subset(&drain(3)).nodes;
    expected.get_mut(&theft).expect("theft").tx_count = Some(999);
    assert_eq!(out.case.nodes, expected);
    assert_eq!(out.case.transfers, subset(&drain(3)).transfers);
    assert_eq!(out.case.transfers.len(), 4);
    assert_eq!(
        (
            out.report.nodes_added,
            out.report.transfers_added,
            out.report.nodes_filled
        ),
        (1, 1, 1)
    );
}

#[test]
fn conflicting_tags_are_both_kept_and_recorded() {
    let base = subset(&drain(3));
    let mut mine = base.clone();
    let mut theirs = base.clone();
    let exchange = own_tag("Alpha deposit", Category::Exchange, "alice", 100);
    let mixer = own_tag("Mixer hop", Category::Mixer, "bob", 200);
    mine.tags.insert(split(0), vec![exchange.clone()]);
    theirs.tags.insert(split(0), vec![mixer.clone()]);
    // Same category from both sides: union, no conflict.
    let peel_a = own_tag("peel chain", Category::DprkAttributed, "alice", 100);
    let peel_b = own_tag("Lazarus peel", Category::DprkAttributed, "bob", 200);
    mine.tags.insert(split(1), vec![peel_a.clone()]);
    theirs
        .tags
        .insert(split(1), vec![peel_b.clone(), peel_a.clone()]);

    let out = merged(&mine, &theirs, None);
    assert_eq!(
        out.case.tags,
        BTreeMap::from([
            (split(0), vec![exchange.clone(), mixer.clone()]),
            (split(1), vec![peel_a, peel_b]),
        ])
    );
    assert_eq!(
        out.case.conflicts,
        BTreeMap::from([(
            ConflictId(1),
            Conflict {
                id: ConflictId(1),
                theirs_label: "bob.ron".to_owned(),
                kind: ConflictKind::Tags {
                    node: split(0),
                    mine: vec![exchange],
                    theirs: vec![mixer],
                },
            }
        )])
    );
    assert_eq!(
        out.report.summary(),
        "+0 nodes, +0 transfers, +2 tags, +0 clusters, +0 notes, 1 conflicts"
    );
}

/// A base with a tag, a cluster and two notes, the starting point of both investigators.
fn judged_base() -> Case {
    let mut base = subset(&drain(4));
    base.tags.insert(
        victim_cold_wallet(),
        vec![own_tag(
            "Victim exchange cold wallet",
            Category::Victim,
            "alice",
            50,
        )],
    );
    base.clusters.insert(
        ClusterId(1),
        cluster(
            1,
            "Split wallets",
            Category::DprkAttributed,
            &[split(0), split(1)],
        ),
    );
    base.annotations.notes.insert(
        NoteId(1),
        note(1, "theft tx", Some(theft_address()), "alice"),
    );
    base.annotations
        .notes
        .insert(NoteId(2), note(2, "40-way split", None, "alice"));
    base
}

#[test]
fn with_a_base_one_sided_changes_win_without_a_conflict() {
    let base = judged_base();
    let mut mine = base.clone();
    let mut theirs = base.clone();
    // Mine: a new tag, note 2 edited.
    let s2_tag = own_tag("hop 1", Category::DprkAttributed, "alice", 300);
    mine.tags.insert(split(2), vec![s2_tag.clone()]);
    mine.annotations
        .notes
        .get_mut(&NoteId(2))
        .expect("note 2")
        .text = "40-way split, equal parts".to_owned();
    // Theirs: the victim tag and cluster 1 deleted, note 1 edited, a new cluster.
    theirs.tags.remove(&victim_cold_wallet());
    theirs.clusters.remove(&ClusterId(1));
    theirs
        .annotations
        .notes
        .get_mut(&NoteId(1))
        .expect("note 1")
        .text = "theft tx 0xb614…".to_owned();
    let peel = cluster(2, "Peel chain", Category::DprkAttributed, &[split(3)]);
    theirs.clusters.insert(ClusterId(2), peel.clone());

    let out = merged(&mine, &theirs, Some(&base));
    let case = &out.case;
    assert!(case.conflicts.is_empty(), "{:?}", case.conflicts);
    assert_eq!(case.tags, BTreeMap::from([(split(2), vec![s2_tag])]));
    assert_eq!(case.clusters, BTreeMap::from([(ClusterId(2), peel)]));
    assert_eq!(
        note_texts(case),
        vec![
            (1, "theft tx 0xb614…".to_owned()),
            (2, "40-way split, equal parts".to_owned())
        ]
    );
    assert_eq!(out.report.deletions_applied, 2, "victim tag, cluster 1");
    assert_eq!(
        out.report.summary(),
        "+0 nodes, +0 transfers, +0 tags, +1 clusters, +0 notes, 0 conflicts, \
         2 deletions applied, 1 notes updated"
    );

    // Without the base nothing is deleted: the deleted tag and cluster stay (mine has them).
    let out = merged(&mine, &theirs, None);
    assert!(out.case.tags.contains_key(&victim_cold_wallet()));
    assert_eq!(
        cluster_labels(&out.case),
        vec![
            (1, "Split wallets".to_owned()),
            (2, "Peel chain".to_owned())
        ]
    );
}

#[test]
fn changes_on_both_sides_are_conflicts_with_mine_in_place() {
    let base = judged_base();
    let mut mine = base.clone();
    let mut theirs = base.clone();
    let mut mine_cluster = base.clusters[&ClusterId(1)].clone();
    mine_cluster.label = "Split wallets (peel starts)".to_owned();
    mine_cluster.members.insert(split(2));
    let mut theirs_cluster = base.clusters[&ClusterId(1)].clone();
    theirs_cluster.category = Category::Mixer;
    mine.clusters.insert(ClusterId(1), mine_cluster.clone());
    theirs.clusters.insert(ClusterId(1), theirs_cluster.clone());
    let mine_note = note(1, "theft tx, 401k ETH", Some(theft_address()), "alice");
    let theirs_note = note(1, "theft tx (Lazarus)", Some(theft_address()), "bob");
    mine.annotations.notes.insert(NoteId(1), mine_note.clone());
    theirs
        .annotations
        .notes
        .insert(NoteId(1), theirs_note.clone());

    let out = merged(&mine, &theirs, Some(&base));
    let case = &out.case;
    assert_eq!(case.clusters[&ClusterId(1)], mine_cluster);
    assert_eq!(case.annotations.notes[&NoteId(1)], mine_note);
    let expected: Vec<Conflict> = vec![
        Conflict {
            id: ConflictId(1),
            theirs_label: "bob.ron".to_owned(),
            kind: ConflictKind::Cluster {
                id: ClusterId(1),
                mine: Some(mine_cluster),
                theirs: Some(theirs_cluster),
            },
        },
        Conflict {
            id: ConflictId(2),
            theirs_label: "bob.ron".to_owned(),
            kind: ConflictKind::Note {
                id: NoteId(1),
                mine: Some(mine_note),
                theirs: Some(theirs_note),
            },
        },
    ];
    assert_eq!(
        case.conflicts.values().cloned().collect::<Vec<_>>(),
        expected
    );
    assert_eq!(out.report.conflicts, 2);
    assert_eq!(
        case.history.last().map(|h| h.what.as_str()),
        Some("merge bob.ron: +0 nodes, +0 transfers, 2 conflicts")
    );
}

#[test]
fn a_node_claimed_by_two_clusters_stays_in_mine_and_is_a_conflict() {
    let base = judged_base();
    let mut mine = base.clone();
    let mut theirs = base.clone();
    // Both create cluster 2, with split 3 in it, differently.
    mine.clusters.insert(
        ClusterId(2),
        cluster(2, "Alpha deposits", Category::Exchange, &[split(3)]),
    );
    let theirs_new = cluster(2, "Mixer inputs", Category::Mixer, &[split(2), split(3)]);
    theirs.clusters.insert(ClusterId(2), theirs_new.clone());

    let out = merged(&mine, &theirs, Some(&base));
    let case = &out.case;
    assert_eq!(case.cluster_of(&split(3)).map(|c| c.id), Some(ClusterId(2)));
    let placed = cluster(3, "Mixer inputs", Category::Mixer, &[split(2)]);
    assert_eq!(case.clusters[&ClusterId(3)], placed);
    assert_eq!(
        case.conflicts
            .values()
            .map(|c| c.kind.clone())
            .collect::<Vec<_>>(),
        vec![ConflictKind::Cluster {
            id: ClusterId(3),
            mine: Some(placed),
            theirs: Some(Cluster {
                id: ClusterId(3),
                ..theirs_new
            }),
        }]
    );
}

#[test]
fn merge_is_commutative_for_facts() {
    let mut a = subset(&drain(10));
    let mut b_ids = vec![theft_address()];
    b_ids.extend((5..20).map(split));
    let mut b = subset(&b_ids);
    for (i, node) in a.nodes.values_mut().enumerate() {
        if i % 2 == 0 {
            node.balance = None;
        }
    }
    for (i, node) in b.nodes.values_mut().enumerate() {
        if i % 3 == 0 {
            node.provenance = None;
            node.tx_count = None;
        }
    }
    for (i, t) in a.transfers.values_mut().enumerate() {
        if i % 2 == 1 {
            t.provenance = None;
        }
    }
    let btc = btc_case();
    b.nodes.extend(btc.nodes.clone());
    b.transfers.extend(btc.transfers.clone());
    let ab = merged(&a, &b, None).case;
    let ba = merged(&b, &a, None).case;
    assert_eq!(ab.nodes, ba.nodes);
    assert_eq!(ab.transfers, ba.transfers);
    assert_eq!(ab.nodes.len(), 2 + 20 + 3);
    assert_eq!(ab.transfers.len(), 1 + 20 + 2);
    // Nodes on both sides get the fields back that only one side had stripped.
    let mut all: Vec<NodeId> = drain(20);
    all.retain(|n| a.nodes.contains_key(n) && b.nodes.contains_key(n));
    for n in all {
        let both_stripped_balance = a.nodes[&n].balance.is_none() && b.nodes[&n].balance.is_none();
        if !both_stripped_balance {
            assert_eq!(ab.nodes[&n].balance, demo().nodes[&n].balance, "{n}");
        }
    }
}

#[test]
fn every_merge_of_the_scenario_cases_validates() {
    let base = judged_base();
    let mut variants = vec![base.clone(), subset(&drain(2)), btc_case()];
    let mut v = base.clone();
    v.clusters.clear();
    v.clusters.insert(
        ClusterId(1),
        cluster(1, "Everything", Category::Mixer, &drain(4)),
    );
    v.annotations.notes.remove(&NoteId(1));
    variants.push(v);
    let mut v = base.clone();
    v.tags.insert(
        theft_address(),
        vec![own_tag("x", Category::Bridge, "bob", 9)],
    );
    v.annotations.notes.clear();
    v.nodes.extend(btc_case().nodes);
    v.transfers.extend(btc_case().transfers);
    v.clusters.insert(
        ClusterId(5),
        cluster(5, "Genesis", Category::Unknown, &[id(GENESIS), split(0)]),
    );
    variants.push(v);
    for mine in &variants {
        for theirs in &variants {
            for base_case in [None, Some(&base)] {
                let once = merged(mine, theirs, base_case);
                // Merging the result again with theirs records nothing new.
                let twice = merged(&once.case, theirs, base_case.map(|_| theirs));
                assert_eq!(twice.report.conflicts, 0, "{:?}", twice.case.conflicts);
            }
        }
    }
}

#[test]
fn a_merged_case_with_conflicts_round_trips_through_a_file() {
    let base = judged_base();
    let mut mine = base.clone();
    let mut theirs = base.clone();
    mine.tags.insert(
        split(0),
        vec![own_tag("Alpha", Category::Exchange, "alice", 1)],
    );
    theirs
        .tags
        .insert(split(0), vec![own_tag("Mixer", Category::Mixer, "bob", 2)]);
    mine.clusters.get_mut(&ClusterId(1)).expect("c1").note = "mine".to_owned();
    theirs.clusters.remove(&ClusterId(1));
    mine.annotations.notes.remove(&NoteId(2));
    theirs
        .annotations
        .notes
        .get_mut(&NoteId(2))
        .expect("n2")
        .text = "theirs".to_owned();
    let out = merged(&mine, &theirs, Some(&base));
    assert_eq!(out.case.conflicts.len(), 3);
    assert!(matches!(
        out.case.conflicts[&ConflictId(2)].kind,
        ConflictKind::Cluster {
            mine: Some(_),
            theirs: None,
            ..
        }
    ));
    assert!(matches!(
        out.case.conflicts[&ConflictId(3)].kind,
        ConflictKind::Note {
            mine: None,
            theirs: Some(_),
            ..
        }
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("merged.ron");
    case_file::save(&out.case, &file).expect("saves");
    let loaded = case_file::load(&file).expect("loads");
    assert_eq!(loaded, out.case);
}

fn caseboard(args: &[&str], investigator: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caseboard"));
    command.args(args).env_remove("CASEBOARD_INVESTIGATOR");
    if let Some(name) = investigator {
        command.env("CASEBOARD_INVESTIGATOR", name);
    }
    command.output().expect("binary runs")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

#[test]
fn cli_merge_writes_the_merged_case_and_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = judged_base();
    let mut mine = base.clone();
    mine.meta.contributors.insert("alice".to_owned());
    let mut theirs = base.clone();
    theirs.meta.contributors.insert("alice".to_owned());
    theirs.meta.contributors.insert("bob".to_owned());
    theirs.nodes.extend(btc_case().nodes);
    theirs.transfers.extend(btc_case().transfers);
    theirs.tags.remove(&victim_cold_wallet());
    mine.tags.insert(
        split(0),
        vec![own_tag("Alpha", Category::Exchange, "alice", 1)],
    );
    theirs
        .tags
        .insert(split(0), vec![own_tag("Mixer", Category::Mixer, "bob", 2)]);
    let (mine_file, theirs_file, base_file, out_file) = (
        dir.path().join("alice.ron"),
        dir.path().join("bob.ron"),
        dir.path().join("base.ron"),
        dir.path().join("merged.ron"),
    );
    case_file::save(&mine, &mine_file).expect("save");
    case_file::save(&theirs, &theirs_file).expect("save");
    case_file::save(&base, &base_file).expect("save");

    let out = caseboard(
        &[
            "merge",
            path(&mine_file),
            path(&theirs_file),
            "--base",
            path(&base_file),
            "-o",
            path(&out_file),
        ],
        Some("carol"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.trim_end().ends_with(
            ": +3 nodes, +2 transfers, +1 tags, +0 clusters, +0 notes, 1 conflicts, \
             1 deletions applied"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("bob.ron"), "{stdout}");

    let written = case_file::load(&out_file).expect("merged file loads");
    let expected = merge(
        &mine,
        &theirs,
        Some(&base),
        &MergeOptions {
            theirs_label: "bob".to_owned(),
            by: "carol".to_owned(),
            at: written.meta.modified,
        },
    );
    assert_eq!(written, expected.case);
    let last = written.history.last().expect("merge entry");
    assert_eq!(last.by, "carol");
    assert_eq!(last.what, "merge bob: +3 nodes, +2 transfers, 1 conflicts");
    assert_eq!(
        written
            .conflicts
            .values()
            .map(|c| c.theirs_label.as_str())
            .collect::<Vec<_>>(),
        vec!["bob"]
    );

    // --by wins over the environment; without new contributors theirs is named by its file.
    let out = caseboard(
        &[
            "merge",
            path(&mine_file),
            path(&mine_file),
            "-o",
            path(&out_file),
            "--by",
            "dave",
        ],
        Some("carol"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = case_file::load(&out_file).expect("loads");
    let last = written.history.last().expect("merge entry");
    assert_eq!(last.by, "dave");
    assert_eq!(
        last.what,
        "merge alice.ron: +0 nodes, +0 transfers, 0 conflicts"
    );
}

#[test]
fn cli_merge_refuses_bad_input_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.ron");
    case_file::save(&btc_case(), &good).expect("save");
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format: 2, nodes: [").expect("write");
    let missing = dir.path().join("missing.ron");
    let out_file = dir.path().join("out.ron");
    for (mine, theirs, base, bad) in [
        (&good, &broken, None, "broken.ron"),
        (&missing, &good, None, "missing.ron"),
        (&good, &good, Some(&broken), "broken.ron"),
    ] {
        let mut args = vec!["merge", path(mine), path(theirs), "-o", path(&out_file)];
        if let Some(base) = base {
            args.extend(["--base", path(base)]);
        }
        let out = caseboard(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(bad), "names {bad}: {stderr}");
        assert!(!out_file.exists(), "nothing written");
    }
}
