//! Unit tests of the merge rules, one rule at a time, on small hand-built cases.

use super::*;
use crate::model::{
    Arrow, ArrowEnd, ArrowId, Asset, Category, Chain, Cluster, ClusterId, Confidence, Conflict,
    ConflictId, Highlight, Node, NodeId, Note, NoteId, Tag, Transfer, TransferId,
};
use std::collections::BTreeSet;

fn n(i: u64) -> NodeId {
    NodeId::parse(&format!("eth:0x{i:040x}")).expect("valid id")
}

/// A case with nodes 1..=count and transfers i → i+1.
fn chain_case(count: u64) -> Case {
    let mut case = Case::new("t", 100);
    for i in 1..=count {
        case.nodes.insert(n(i), Node::address(n(i)));
    }
    for i in 1..count {
        add_transfer(&mut case, i, i + 1);
    }
    case
}

fn add_transfer(case: &mut Case, from: u64, to: u64) -> TransferId {
    let hash = format!("0x{:064x}", from * 1000 + to);
    let id = TransferId::new("eth", &hash, "native");
    case.transfers.insert(
        id.clone(),
        Transfer {
            id: id.clone(),
            from: n(from),
            to: n(to),
            asset: Asset::native(Chain::ETHEREUM),
            amount: u128::from(from * 1000 + to),
            tx_hash: hash,
            block_height: None,
            time: None,
            provenance: None,
            relation_txs: None,
            memo: None,
        },
    );
    id
}

fn tag(label: &str, category: Category, created: i64) -> Tag {
    Tag {
        created,
        ..Tag::new(label, category, Confidence::ForensicInvestigation, "test")
    }
}

fn cluster(id: u64, label: &str, category: Category, members: &[u64]) -> Cluster {
    Cluster {
        id: ClusterId(id),
        label: label.to_owned(),
        category,
        confidence: Confidence::Heuristic,
        source: String::new(),
        note: String::new(),
        members: members.iter().map(|i| n(*i)).collect(),
    }
}

fn note(id: u64, text: &str, anchor: Option<u64>) -> Note {
    Note {
        id: NoteId(id),
        text: text.to_owned(),
        anchor: anchor.map(n),
        position: [10.0, 20.0],
        author: "alice".to_owned(),
        modified: 5,
    }
}

fn opts() -> MergeOptions {
    MergeOptions {
        theirs_label: "bob".to_owned(),
        by: "alice".to_owned(),
        at: 1_000,
    }
}

fn run(mine: &Case, theirs: &Case, base: Option<&Case>) -> MergeOutcome {
    let outcome = merge(mine, theirs, base, &opts());
    assert_eq!(outcome.case.validate(), vec![], "merged case validates");
    outcome
}

fn kinds(case: &Case) -> Vec<&ConflictKind> {
    case.conflicts.values().map(|c| &c.kind).collect()
}

#[test]
fn facts_union_and_fill_in() {
    let mut mine = chain_case(3);
    let mut theirs = chain_case(2);
    theirs.nodes.insert(n(9), Node::address(n(9)));
    let t = add_transfer(&mut theirs, 2, 9);
    if let Some(node) = mine.nodes.get_mut(&n(1)) {
        node.balance = Some(5);
    }
    if let Some(node) = theirs.nodes.get_mut(&n(1)) {
        node.balance = Some(7);
        node.tx_count = Some(3);
    }
    let first = TransferId::new("eth", &format!("0x{:064x}", 1002), "native");
    if let Some(tr) = theirs.transfers.get_mut(&first) {
        tr.time = Some(42);
    }
    let out = run(&mine, &theirs, None);
    let case = &out.case;
    assert_eq!(case.nodes.len(), 4);
    assert_eq!(case.transfers.len(), 3);
    assert!(case.transfers.contains_key(&t));
    let one = &case.nodes[&n(1)];
    assert_eq!(
        (one.balance, one.tx_count),
        (Some(5), Some(3)),
        "mine kept, gaps filled"
    );
    assert_eq!(case.transfers[&first].time, Some(42));
    assert_eq!(out.report.nodes_added, 1);
    assert_eq!(out.report.transfers_added, 1);
    assert_eq!(out.report.nodes_filled, 1);
    assert_eq!(out.report.transfers_filled, 1);
}

#[test]
fn facts_are_never_deleted_even_with_a_base() {
    let base = chain_case(3);
    let mut mine = base.clone();
    mine.transfers.clear();
    mine.nodes.remove(&n(3));
    let out = run(&mine, &base, Some(&base));
    assert_eq!(out.case.nodes, base.nodes);
    assert_eq!(out.case.transfers, base.transfers);
}

#[test]
fn tags_union_without_base_and_same_category_is_no_conflict() {
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    let a = tag("Alpha hot wallet", Category::Exchange, 1);
    let b = tag("Alpha deposit", Category::Exchange, 2);
    mine.tags.insert(n(1), vec![a.clone()]);
    theirs.tags.insert(n(1), vec![a.clone(), b.clone()]);
    let out = run(&mine, &theirs, None);
    assert_eq!(out.case.tags[&n(1)], vec![a, b]);
    assert!(out.case.conflicts.is_empty());
    assert_eq!(out.report.tags_added, 1);
}

#[test]
fn different_categories_keep_both_tags_and_record_a_conflict() {
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    let a = tag("Alpha", Category::Exchange, 1);
    let b = tag("Mixer", Category::Mixer, 2);
    mine.tags.insert(n(2), vec![a.clone()]);
    theirs.tags.insert(n(2), vec![b.clone()]);
    let out = run(&mine, &theirs, None);
    assert_eq!(out.case.tags[&n(2)], vec![a.clone(), b.clone()]);
    assert_eq!(
        out.case.conflicts.values().collect::<Vec<_>>(),
        vec![&Conflict {
            id: ConflictId(1),
            theirs_label: "bob".to_owned(),
            kind: ConflictKind::Tags {
                node: n(2),
                mine: vec![a],
                theirs: vec![b],
            },
        }]
    );
    assert_eq!(out.report.conflicts, 1);
}

#[test]
fn a_cluster_category_is_not_a_tag_conflict() {
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    mine.clusters
        .insert(ClusterId(1), cluster(1, "Alpha", Category::Exchange, &[1]));
    theirs
        .tags
        .insert(n(1), vec![tag("mix", Category::Mixer, 1)]);
    let out = run(&mine, &theirs, None);
    assert!(out.case.conflicts.is_empty());
    // The investigator's own latest tag decides over a pack's, as on the canvas.
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    let pack = Tag {
        pack: Some("lazarus".to_owned()),
        confidence: Confidence::AuthorityData,
        ..tag("Lazarus", Category::DprkAttributed, 9)
    };
    mine.tags
        .insert(n(1), vec![pack.clone(), tag("own", Category::Exchange, 1)]);
    theirs.tags.insert(n(1), vec![pack]);
    let out = run(&mine, &theirs, None);
    assert_eq!(out.case.conflicts.len(), 1);
}

#[test]
fn with_base_a_one_sided_tag_change_wins_including_deletion() {
    let mut base = chain_case(3);
    let old = tag("old", Category::Exchange, 1);
    let kept = tag("kept", Category::Service, 1);
    base.tags.insert(n(1), vec![old.clone()]);
    base.tags.insert(n(2), vec![kept.clone()]);
    let mine = base.clone();
    let mut theirs = base.clone();
    theirs.tags.remove(&n(1));
    let new = tag("new", Category::Mixer, 2);
    theirs.tags.insert(n(2), vec![new.clone()]);
    let out = run(&mine, &theirs, Some(&base));
    assert_eq!(out.case.tags.get(&n(1)), None, "deleted on theirs only");
    assert_eq!(out.case.tags[&n(2)], vec![new], "changed on theirs only");
    assert!(out.case.conflicts.is_empty());
    assert_eq!(out.report.deletions_applied, 2);
    assert_eq!(out.report.tags_added, 1);
}

#[test]
fn with_base_tags_merge_per_tag() {
    let mut base = chain_case(2);
    let x = tag("x", Category::Exchange, 1);
    let y = tag("y", Category::Exchange, 1);
    base.tags.insert(n(1), vec![x.clone(), y.clone()]);
    let mut mine = base.clone();
    let mut theirs = base.clone();
    let m = tag("m", Category::Exchange, 2);
    let t = tag("t", Category::Exchange, 3);
    mine.tags.insert(n(1), vec![x.clone(), m.clone()]); // deleted y, added m
    theirs.tags.insert(n(1), vec![y, t.clone()]); // deleted x, added t
    let out = run(&mine, &theirs, Some(&base));
    assert_eq!(out.case.tags[&n(1)], vec![m, t]);
    assert!(out.case.conflicts.is_empty(), "same category on both sides");
}

#[test]
fn with_base_both_recategorising_is_a_conflict_one_side_is_not() {
    let mut base = chain_case(2);
    base.tags.insert(n(1), vec![tag("u", Category::Unknown, 1)]);
    let mut mine = base.clone();
    let mut theirs = base.clone();
    mine.tags
        .insert(n(1), vec![tag("e", Category::Exchange, 2)]);
    theirs.tags.insert(n(1), vec![tag("m", Category::Mixer, 3)]);
    let out = run(&mine, &theirs, Some(&base));
    assert_eq!(out.case.conflicts.len(), 1);
    assert_eq!(out.case.tags[&n(1)].len(), 2);

    // Theirs only adds a second tag of another category, mine unchanged: theirs wins quietly.
    let mut theirs = base.clone();
    theirs.tags.insert(
        n(1),
        vec![tag("u", Category::Unknown, 1), tag("m", Category::Mixer, 3)],
    );
    let out = run(&base, &theirs, Some(&base));
    assert!(out.case.conflicts.is_empty());
    assert_eq!(out.case.tags[&n(1)].len(), 2);
}

#[test]
fn clusters_without_base_same_id_and_label_merge_members() {
    let mut mine = chain_case(4);
    let mut theirs = mine.clone();
    mine.clusters
        .insert(ClusterId(1), cluster(1, "Alpha", Category::Exchange, &[1]));
    theirs.clusters.insert(
        ClusterId(1),
        cluster(1, "Alpha", Category::Exchange, &[1, 2]),
    );
    let out = run(&mine, &theirs, None);
    assert_eq!(
        out.case.clusters[&ClusterId(1)].members,
        [n(1), n(2)].into_iter().collect::<BTreeSet<_>>()
    );
    assert!(out.case.conflicts.is_empty());
    assert_eq!(out.report.clusters_updated, 1);
}

#[test]
fn clusters_without_base_other_label_is_renumbered() {
    let mut mine = chain_case(4);
    let mut theirs = mine.clone();
    mine.clusters
        .insert(ClusterId(1), cluster(1, "Alpha", Category::Exchange, &[1]));
    theirs
        .clusters
        .insert(ClusterId(1), cluster(1, "Mixer", Category::Mixer, &[3]));
    theirs
        .clusters
        .insert(ClusterId(4), cluster(4, "Bridge", Category::Bridge, &[4]));
    let out = run(&mine, &theirs, None);
    let labels: Vec<(u64, &str)> = out
        .case
        .clusters
        .values()
        .map(|c| (c.id.0, c.label.as_str()))
        .collect();
    assert_eq!(labels, vec![(1, "Alpha"), (4, "Bridge"), (5, "Mixer")]);
    assert_eq!(out.report.clusters_added, 2);
}

#[test]
fn clusters_without_base_same_label_other_category_conflict_with_mine_in_place() {
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    let m = cluster(1, "Alpha", Category::Exchange, &[1]);
    let t = cluster(1, "Alpha", Category::Service, &[1, 2]);
    mine.clusters.insert(ClusterId(1), m.clone());
    theirs.clusters.insert(ClusterId(1), t.clone());
    let out = run(&mine, &theirs, None);
    assert_eq!(out.case.clusters[&ClusterId(1)], m);
    assert_eq!(
        kinds(&out.case),
        vec![&ConflictKind::Cluster {
            id: ClusterId(1),
            mine: Some(m),
            theirs: Some(t),
        }]
    );
}

#[test]
fn a_node_claimed_by_two_clusters_stays_in_mine() {
    let mut mine = chain_case(3);
    let mut theirs = mine.clone();
    mine.clusters.insert(
        ClusterId(1),
        cluster(1, "Alpha", Category::Exchange, &[1, 2]),
    );
    let t = cluster(1, "Mixer", Category::Mixer, &[2, 3]);
    theirs.clusters.insert(ClusterId(1), t.clone());
    let out = run(&mine, &theirs, None);
    let moved = cluster(2, "Mixer", Category::Mixer, &[3]);
    assert_eq!(out.case.clusters[&ClusterId(2)], moved);
    assert_eq!(out.case.cluster_of(&n(2)).map(|c| c.id), Some(ClusterId(1)));
    assert_eq!(
        kinds(&out.case),
        vec![&ConflictKind::Cluster {
            id: ClusterId(2),
            mine: Some(moved),
            theirs: Some(Cluster {
                id: ClusterId(2),
                ..t
            }),
        }]
    );

    // A cluster left with no members is not kept in place.
    let mut theirs = mine.clone();
    theirs.clusters.clear();
    theirs
        .clusters
        .insert(ClusterId(7), cluster(7, "Dup", Category::Mixer, &[1]));
    let out = run(&mine, &theirs, None);
    assert_eq!(out.case.clusters.len(), 1);
    assert!(matches!(
        kinds(&out.case)[..],
        [ConflictKind::Cluster {
            id: ClusterId(7),
            mine: None,
            theirs: Some(_)
        }]
    ));
    assert_eq!(out.report.clusters_added, 0);
}

#[test]
fn clusters_with_base_one_sided_change_wins_both_sided_conflicts() {
    let mut base = chain_case(4);
    base.clusters
        .insert(ClusterId(1), cluster(1, "A", Category::Exchange, &[1]));
    base.clusters
        .insert(ClusterId(2), cluster(2, "B", Category::Mixer, &[2]));
    base.clusters
        .insert(ClusterId(3), cluster(3, "C", Category::Bridge, &[3]));
    let mut mine = base.clone();
    let mut theirs = base.clone();
    // 1: theirs edits only. 2: theirs deletes only. 3: both edit differently.
    let edited = cluster(1, "A (hot)", Category::Exchange, &[1, 4]);
    theirs.clusters.insert(ClusterId(1), edited.clone());
    theirs.clusters.remove(&ClusterId(2));
    let m3 = cluster(3, "C mine", Category::Bridge, &[3]);
    let t3 = cluster(3, "C theirs", Category::Bridge, &[3]);
    mine.clusters.insert(ClusterId(3), m3.clone());
    theirs.clusters.insert(ClusterId(3), t3.clone());
    // New on both sides under the same id 4: different clusters.
    mine.clusters
        .insert(ClusterId(4), cluster(4, "mine new", Category::Victim, &[]));
    theirs
        .clusters
        .insert(ClusterId(4), cluster(4, "theirs new", Category::Defi, &[]));
    let out = run(&mine, &theirs, Some(&base));
    let got: Vec<(u64, &str)> = out
        .case
        .clusters
        .values()
        .map(|c| (c.id.0, c.label.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "A (hot)"),
            (3, "C mine"),
            (4, "mine new"),
            (5, "theirs new")
        ]
    );
    assert_eq!(out.case.clusters[&ClusterId(1)], edited);
    assert_eq!(
        kinds(&out.case),
        vec![&ConflictKind::Cluster {
            id: ClusterId(3),
            mine: Some(m3),
            theirs: Some(t3),
        }]
    );
    assert_eq!(out.report.deletions_applied, 1);
    assert_eq!(out.report.clusters_updated, 1);
    assert_eq!(out.report.clusters_added, 1);
}

mod annotations_and_history;
