//! Tests of the action door: every action's inverse restores the case exactly, and a refused
//! action leaves it untouched.

use super::action::{Action, ActionError, ClusterFields, Fragment, Placement, apply};
use super::{
    Asset, Case, Category, Chain, Cluster, ClusterId, Confidence, Node, NodeId, SourceConfig, Tag,
    Transfer, TransferId,
};
use std::collections::BTreeSet;

fn id(n: u8) -> NodeId {
    NodeId::parse(&format!("eth:0x{:040x}", 0x5000 + u32::from(n))).expect("valid id")
}

fn transfer(from: u8, to: u8) -> Transfer {
    let hash = format!("{:064x}", u32::from(from) * 256 + u32::from(to));
    Transfer {
        id: TransferId::new("eth", &hash, "native"),
        from: id(from),
        to: id(to),
        asset: Asset::native(Chain::ETHEREUM),
        amount: u128::from(from) * 1_000_000_000_000_000_000 + u128::from(to),
        tx_hash: hash,
        block_height: Some(100),
        time: Some(1_740_000_000),
        provenance: None,
        relation_txs: None,
        memo: None,
    }
}

fn tag(label: &str, category: Category) -> Tag {
    Tag::new(label, category, Confidence::AuthorityData, "test")
}

/// A case with nodes 1..=4, transfers 1→2, 2→3, 3→4, a cluster {3, 4}, tags and positions.
fn sample() -> Case {
    let mut case = Case::new("sample", 0);
    let fragment = Fragment {
        nodes: (1..=4).map(|n| Node::address(id(n))).collect(),
        transfers: vec![transfer(1, 2), transfer(2, 3), transfer(3, 4)],
        positions: (1..=4)
            .map(|n| (id(n), [f32::from(n) * 10.0, 0.5]))
            .collect(),
        pinned: vec![id(2)],
        tags: vec![(id(1), vec![tag("victim", Category::Victim)])],
        memberships: vec![],
        ..Fragment::default()
    };
    apply(
        &mut case,
        Action::Insert {
            label: "seed".into(),
            fragment,
        },
    )
    .expect("seed applies");
    let cluster = Cluster {
        id: ClusterId(1),
        label: "exit".into(),
        category: Category::Exchange,
        confidence: Confidence::ServiceData,
        source: String::new(),
        note: String::new(),
        members: [id(3), id(4)].into_iter().collect(),
    };
    apply(&mut case, Action::CreateCluster(cluster)).expect("cluster applies");
    assert!(case.validate().is_empty());
    case
}

/// Applies `action`, checks the inverse restores `case` exactly, and that redo gives the same.
fn round_trip(case: &Case, action: Action) -> Case {
    let mut changed = case.clone();
    let inverse = apply(&mut changed, action).expect("applies");
    assert!(changed.validate().is_empty(), "{:?}", changed.validate());
    let mut restored = changed.clone();
    let redo = apply(&mut restored, inverse).expect("inverse applies");
    assert_eq!(&restored, case, "undo restores the case exactly");
    let mut again = restored;
    apply(&mut again, redo).expect("redo applies");
    assert_eq!(again, changed, "redo gives the same result");
    changed
}

#[test]
fn insert_and_its_undo_are_exact() {
    let case = sample();
    let fragment = Fragment {
        nodes: vec![Node::address(id(5)), Node::address(id(6))],
        transfers: vec![transfer(4, 5), transfer(5, 6)],
        positions: vec![(id(5), [1.0, 2.0]), (id(6), [3.0, 4.0])],
        ..Fragment::default()
    };
    let after = round_trip(
        &case,
        Action::Insert {
            label: "expand".into(),
            fragment,
        },
    );
    assert_eq!(after.nodes.len(), 6);
    assert_eq!(after.transfers.len(), 5);
}

#[test]
fn remove_takes_everything_attached_and_undo_restores_it() {
    let case = sample();
    let after = round_trip(
        &case,
        Action::Remove {
            label: "delete".into(),
            nodes: vec![id(2), id(3)],
            transfers: vec![],
        },
    );
    assert_eq!(after.nodes.len(), 2);
    assert_eq!(
        after.transfers.len(),
        0,
        "every transfer touching 2 or 3 goes"
    );
    assert!(!after.layout.pinned.contains(&id(2)));
    let cluster = after.clusters.get(&ClusterId(1)).expect("cluster stays");
    assert_eq!(
        cluster.members,
        [id(4)].into_iter().collect::<BTreeSet<_>>()
    );
}

#[test]
fn refused_actions_change_nothing() {
    let case = sample();
    let refusals = [
        (
            Action::Insert {
                label: "dup".into(),
                fragment: Fragment {
                    nodes: vec![Node::address(id(1))],
                    ..Fragment::default()
                },
            },
            ActionError::NodeExists(id(1)),
        ),
        (
            Action::Insert {
                label: "dangling".into(),
                fragment: Fragment {
                    transfers: vec![transfer(1, 9)],
                    ..Fragment::default()
                },
            },
            ActionError::DanglingTransfer {
                transfer: transfer(1, 9).id,
                node: id(9),
            },
        ),
        (
            Action::Remove {
                label: "ghost".into(),
                nodes: vec![id(1), id(9)],
                transfers: vec![],
            },
            ActionError::UnknownNode(id(9)),
        ),
        (
            Action::CreateCluster(Cluster {
                id: ClusterId(2),
                label: "again".into(),
                category: Category::Mixer,
                confidence: Confidence::Heuristic,
                source: String::new(),
                note: String::new(),
                members: [id(1), id(3)].into_iter().collect(),
            }),
            ActionError::AlreadyClustered {
                node: id(3),
                cluster: "exit".into(),
            },
        ),
        (
            Action::Place {
                label: "nan".into(),
                placements: vec![Placement {
                    node: id(1),
                    position: Some([f32::NAN, 0.0]),
                    pinned: true,
                }],
            },
            ActionError::BadPosition(id(1)),
        ),
    ];
    for (action, expected) in refusals {
        let mut attempt = case.clone();
        assert_eq!(apply(&mut attempt, action), Err(expected));
        assert_eq!(attempt, case, "refused action left the case untouched");
    }
}

#[test]
fn a_failing_batch_rolls_back_what_it_applied() {
    let case = sample();
    let mut attempt = case.clone();
    let batch = Action::Batch {
        label: "mixed".into(),
        actions: vec![
            Action::SetMeta {
                title: "new".into(),
                description: "d".into(),
            },
            Action::DeleteCluster(ClusterId(7)),
        ],
    };
    assert_eq!(
        apply(&mut attempt, batch),
        Err(ActionError::UnknownCluster(ClusterId(7)))
    );
    assert_eq!(attempt, case);
}

#[test]
fn cluster_actions_undo_exactly() {
    let case = sample();
    round_trip(&case, Action::DeleteCluster(ClusterId(1)));
    round_trip(
        &case,
        Action::EditCluster {
            id: ClusterId(1),
            fields: ClusterFields {
                label: "Exchange Beta".into(),
                category: Category::Custom("otc_desk".into()),
                confidence: Confidence::Forensic,
                source: "KYC response".into(),
                note: "n".into(),
            },
        },
    );
    // Moving a node between clusters is explicit and undoable.
    let moved = round_trip(
        &case,
        Action::SetMembership {
            changes: vec![(id(3), None), (id(1), Some(ClusterId(1)))],
        },
    );
    let members = &moved.clusters[&ClusterId(1)].members;
    assert!(members.contains(&id(1)) && !members.contains(&id(3)));
}

#[test]
fn place_tags_and_meta_undo_exactly() {
    let case = sample();
    let moved = round_trip(
        &case,
        Action::Place {
            label: "drag".into(),
            placements: vec![
                Placement {
                    node: id(1),
                    position: Some([-5.0, 7.25]),
                    pinned: true,
                },
                Placement {
                    node: id(2),
                    position: Some([0.0, 0.0]),
                    pinned: false,
                },
            ],
        },
    );
    assert!(moved.layout.pinned.contains(&id(1)) && !moved.layout.pinned.contains(&id(2)));
    round_trip(
        &case,
        Action::SetTags {
            label: "tag".into(),
            entries: vec![
                (
                    id(2),
                    vec![
                        tag("Lazarus", Category::DprkAttributed),
                        tag("Bybit", Category::Exchange),
                    ],
                ),
                (id(1), vec![]),
            ],
        },
    );
    round_trip(
        &case,
        Action::SetMeta {
            title: "Renamed".into(),
            description: "why".into(),
        },
    );
}

#[test]
fn chain_source_is_set_cleared_and_undone_exactly() {
    let mut case = Case::new("t", 0);
    let esplora = SourceConfig::Esplora {
        url: "http://127.0.0.1:3000".into(),
    };
    let inverse = apply(
        &mut case,
        Action::SetChainSource {
            chain: "btc".into(),
            source: Some(esplora.clone()),
        },
    )
    .expect("applies");
    assert_eq!(case.source_for_chain("btc"), &esplora);
    assert_eq!(case.source_for_chain("eth"), &SourceConfig::Demo);
    apply(&mut case, inverse).expect("undo");
    assert!(case.chain_sources.is_empty());
    let before = case.clone();
    assert!(
        apply(
            &mut case,
            Action::SetChainSource {
                chain: "tron".into(),
                source: None
            }
        )
        .is_err()
    );
    assert_eq!(case, before);
}

fn note(n: u64, anchor: Option<u8>, text: &str) -> super::Note {
    super::Note {
        id: super::NoteId(n),
        text: text.into(),
        anchor: anchor.map(id),
        position: [5.0, -5.0],
        author: "alice".into(),
        modified: 1,
    }
}

/// Applies `action`, checks the inverse restores the case exactly, re-applies it.
fn apply_undo_redo(case: &mut Case, action: Action) {
    let before = case.clone();
    let inverse = apply(case, action.clone()).expect("applies");
    let after = case.clone();
    let redo = apply(case, inverse).expect("inverse applies");
    assert_eq!(case, &before, "undo restores exactly");
    apply(case, redo).expect("redo applies");
    assert_eq!(case, &after, "redo gives the same case");
}

#[test]
fn annotations_apply_undo_and_follow_removed_nodes() {
    use super::action::HighlightTarget;
    use super::{Arrow, ArrowEnd, ArrowId, EdgeKey, Highlight};
    let mut case = sample();
    apply_undo_redo(
        &mut case,
        Action::SetNote {
            id: super::NoteId(1),
            note: Some(note(1, Some(3), "peel chain starts <here> & splits")),
        },
    );
    apply_undo_redo(
        &mut case,
        Action::SetNote {
            id: super::NoteId(2),
            note: Some(note(2, None, "free note")),
        },
    );
    apply_undo_redo(
        &mut case,
        Action::SetArrow {
            id: ArrowId(1),
            arrow: Some(Arrow {
                id: ArrowId(1),
                from: ArrowEnd::Note(super::NoteId(2)),
                to: ArrowEnd::Node(id(4)),
                hop: None,
            }),
        },
    );
    apply_undo_redo(
        &mut case,
        Action::SetHighlight {
            target: HighlightTarget::Node(id(3)),
            color: Some(Highlight::Red),
        },
    );
    let edge = EdgeKey {
        from: id(2),
        to: id(3),
    };
    apply_undo_redo(
        &mut case,
        Action::SetHighlight {
            target: HighlightTarget::Edge(edge.clone()),
            color: Some(Highlight::Yellow),
        },
    );
    assert!(case.validate().is_empty(), "{:?}", case.validate());

    // Removing node 3 takes its anchored note, its highlight and the edge highlight along;
    // undo brings all of them back.
    let before = case.clone();
    let inverse = apply(
        &mut case,
        Action::Remove {
            label: "remove".into(),
            nodes: vec![id(3)],
            transfers: vec![],
        },
    )
    .expect("removes");
    assert!(case.validate().is_empty(), "{:?}", case.validate());
    assert_eq!(case.annotations.notes.len(), 1, "the free note stays");
    assert!(case.annotations.node_highlights.is_empty());
    assert!(case.annotations.edge_highlights.is_empty());
    assert_eq!(
        case.annotations.arrows.len(),
        1,
        "the arrow to node 4 stays"
    );
    apply(&mut case, inverse).expect("undo");
    assert_eq!(case, before);

    // Removing node 4 takes the arrow pointing at it.
    let inverse = apply(
        &mut case,
        Action::Remove {
            label: "remove".into(),
            nodes: vec![id(4)],
            transfers: vec![],
        },
    )
    .expect("removes");
    assert!(case.annotations.arrows.is_empty());
    apply(&mut case, inverse).expect("undo");
    assert_eq!(case, before);

    // Deleting a note with an arrow alone is refused; remove_note takes both.
    let refused = apply(
        &mut case,
        Action::SetNote {
            id: super::NoteId(2),
            note: None,
        },
    );
    assert!(refused.is_err());
    assert_eq!(case, before);
    let batch = super::action::remove_note(&case, super::NoteId(2));
    apply_undo_redo(&mut case, batch);
}

#[test]
fn bad_annotations_are_refused_and_change_nothing() {
    use super::action::HighlightTarget;
    use super::{Arrow, ArrowEnd, ArrowId, Highlight};
    let mut case = sample();
    let before = case.clone();
    let bad = [
        Action::SetNote {
            id: super::NoteId(1),
            note: Some(note(1, None, "   ")),
        },
        Action::SetNote {
            id: super::NoteId(1),
            note: Some(note(2, None, "wrong id")),
        },
        Action::SetNote {
            id: super::NoteId(1),
            note: Some(note(1, Some(99), "unknown anchor")),
        },
        Action::SetNote {
            id: super::NoteId(1),
            note: Some(super::Note {
                position: [f32::NAN, 0.0],
                ..note(1, None, "nan")
            }),
        },
        Action::SetArrow {
            id: ArrowId(1),
            arrow: Some(Arrow {
                id: ArrowId(1),
                from: ArrowEnd::Note(super::NoteId(7)),
                to: ArrowEnd::Node(id(1)),
                hop: None,
            }),
        },
        Action::SetArrow {
            id: ArrowId(1),
            arrow: Some(Arrow {
                id: ArrowId(1),
                from: ArrowEnd::Node(id(1)),
                to: ArrowEnd::Node(id(1)),
                hop: None,
            }),
        },
        Action::SetHighlight {
            target: HighlightTarget::Node(id(99)),
            color: Some(Highlight::Blue),
        },
    ];
    for action in bad {
        assert!(apply(&mut case, action.clone()).is_err(), "{action:?}");
        assert_eq!(case, before, "{action:?} changed nothing");
    }
}

#[test]
fn refreshing_a_node_replaces_its_facts_and_undo_restores_them() {
    let case = sample();
    let mut node = Node::address(id(2));
    node.balance = Some(42);
    node.gaps = vec!["cap: 25,000 transactions read; older ones not read".into()];
    let after = round_trip(
        &case,
        Action::RefreshNode {
            label: "expand".into(),
            node: node.clone(),
        },
    );
    assert_eq!(after.nodes.get(&id(2)), Some(&node));

    let mut refused = case.clone();
    let unknown = apply(
        &mut refused,
        Action::RefreshNode {
            label: "x".into(),
            node: Node::address(id(9)),
        },
    );
    assert_eq!(unknown, Err(ActionError::UnknownNode(id(9))));
    let other_kind = apply(
        &mut refused,
        Action::RefreshNode {
            label: "x".into(),
            node: Node::transaction(id(2)),
        },
    );
    assert!(matches!(other_kind, Err(ActionError::InconsistentCase(_))));
    assert_eq!(refused, case, "a refused refresh changes nothing");
}
