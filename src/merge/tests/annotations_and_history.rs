//! Merge rules for notes, arrows, highlights, positions, history and conflicts (the second
//! half of the merge tests; the helpers are in the parent module).

use super::*;

#[test]
fn notes_and_arrows_follow_renumbering() {
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    mine.annotations
        .notes
        .insert(NoteId(1), note(1, "mine", Some(1)));
    theirs
        .annotations
        .notes
        .insert(NoteId(1), note(1, "theirs", None));
    theirs.annotations.arrows.insert(
        ArrowId(1),
        Arrow {
            id: ArrowId(1),
            from: ArrowEnd::Note(NoteId(1)),
            to: ArrowEnd::Node(n(2)),
            hop: None,
        },
    );
    let out = run(&mine, &theirs, None);
    let notes = &out.case.annotations.notes;
    assert_eq!(notes[&NoteId(1)].text, "mine");
    assert_eq!(notes[&NoteId(2)].text, "theirs");
    assert_eq!(
        out.case.annotations.arrows.values().collect::<Vec<_>>(),
        vec![&Arrow {
            id: ArrowId(1),
            from: ArrowEnd::Note(NoteId(2)),
            to: ArrowEnd::Node(n(2)),
            hop: None,
        }]
    );
    assert_eq!((out.report.notes_added, out.report.arrows_added), (1, 1));

    // Same id, text and anchor: the same note (mine's position kept), no conflict.
    let mut theirs = mine.clone();
    if let Some(nt) = theirs.annotations.notes.get_mut(&NoteId(1)) {
        nt.position = [99.0, 99.0];
    }
    let out = run(&mine, &theirs, None);
    assert_eq!(out.case.annotations.notes, mine.annotations.notes);
    assert!(out.case.conflicts.is_empty());
}

#[test]
fn notes_with_base_deletion_wins_and_drops_arrows_both_changed_conflict() {
    let mut base = chain_case(2);
    base.annotations
        .notes
        .insert(NoteId(1), note(1, "one", None));
    base.annotations
        .notes
        .insert(NoteId(2), note(2, "two", Some(2)));
    base.annotations.arrows.insert(
        ArrowId(1),
        Arrow {
            id: ArrowId(1),
            from: ArrowEnd::Note(NoteId(1)),
            to: ArrowEnd::Node(n(1)),
            hop: None,
        },
    );
    let mut mine = base.clone();
    let mut theirs = base.clone();
    theirs.annotations.notes.remove(&NoteId(1));
    theirs.annotations.arrows.clear();
    let m2 = note(2, "two (mine)", Some(2));
    let t2 = note(2, "two (theirs)", Some(2));
    mine.annotations.notes.insert(NoteId(2), m2.clone());
    theirs.annotations.notes.insert(NoteId(2), t2.clone());
    let out = run(&mine, &theirs, Some(&base));
    assert_eq!(
        out.case.annotations.notes.values().collect::<Vec<_>>(),
        vec![&m2]
    );
    assert!(out.case.annotations.arrows.is_empty());
    assert_eq!(
        kinds(&out.case),
        vec![&ConflictKind::Note {
            id: NoteId(2),
            mine: Some(m2),
            theirs: Some(t2),
        }]
    );
    assert_eq!(out.report.deletions_applied, 2, "note 1 and its arrow");

    // Mine's arrow, drawn after the base, to a note theirs deleted: dropped and counted.
    let mut mine = base.clone();
    mine.annotations.arrows.insert(
        ArrowId(2),
        Arrow {
            id: ArrowId(2),
            from: ArrowEnd::Note(NoteId(1)),
            to: ArrowEnd::Node(n(2)),
            hop: None,
        },
    );
    let mut theirs = base.clone();
    theirs.annotations.notes.remove(&NoteId(1));
    theirs.annotations.arrows.clear();
    let out = run(&mine, &theirs, Some(&base));
    assert!(out.case.annotations.arrows.is_empty());
    assert_eq!(out.report.arrows_dropped, 1);
    assert_eq!(out.report.deletions_applied, 2, "note 1 and arrow 1");
}

#[test]
fn highlights_positions_pins_and_sources_mine_first() {
    let mut mine = chain_case(3);
    let mut theirs = mine.clone();
    mine.annotations
        .node_highlights
        .insert(n(1), Highlight::Red);
    theirs
        .annotations
        .node_highlights
        .insert(n(1), Highlight::Blue);
    theirs
        .annotations
        .node_highlights
        .insert(n(2), Highlight::Green);
    mine.layout.positions.insert(n(1), [1.0, 1.0]);
    theirs.layout.positions.insert(n(1), [2.0, 2.0]);
    theirs.layout.positions.insert(n(3), [3.0, 3.0]);
    mine.layout.pinned.insert(n(1));
    theirs.layout.pinned.insert(n(3));
    theirs.view.zoom = 3.0;
    theirs.meta.title = "other".to_owned();
    let out = run(&mine, &theirs, None);
    let a = &out.case.annotations;
    assert_eq!(a.node_highlights[&n(1)], Highlight::Red);
    assert_eq!(a.node_highlights[&n(2)], Highlight::Green);
    assert_eq!(out.case.layout.positions[&n(1)], [1.0, 1.0]);
    assert_eq!(out.case.layout.positions[&n(3)], [3.0, 3.0]);
    assert_eq!(out.case.layout.pinned, [n(1), n(3)].into_iter().collect());
    assert_eq!(out.case.view, mine.view);
    assert_eq!(out.case.meta.title, "t");
}

#[test]
fn history_both_sides_sorted_once_plus_the_merge_entry() {
    let entry = |at: i64, by: &str, what: &str| HistoryEntry {
        at,
        by: by.to_owned(),
        what: what.to_owned(),
    };
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    mine.history = vec![entry(1, "alice", "create"), entry(5, "alice", "tag")];
    theirs.history = vec![entry(1, "alice", "create"), entry(3, "bob", "expand")];
    mine.meta.contributors.insert("alice".to_owned());
    theirs.meta.contributors.insert("bob".to_owned());
    theirs.meta.created = 50;
    let mut with_carol = opts();
    with_carol.by = "carol".to_owned();
    let out = merge(&mine, &theirs, None, &with_carol);
    assert_eq!(
        out.case.history,
        vec![
            entry(1, "alice", "create"),
            entry(3, "bob", "expand"),
            entry(5, "alice", "tag"),
            entry(
                1_000,
                "carol",
                "merge bob: +0 nodes, +0 transfers, 0 conflicts"
            ),
        ]
    );
    assert_eq!(
        out.case.meta.contributors,
        ["alice", "bob", "carol"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    assert_eq!((out.case.meta.created, out.case.meta.modified), (50, 1_000));
}

#[test]
fn conflicts_are_carried_renumbered_and_not_repeated() {
    let mut mine = chain_case(2);
    let mut theirs = mine.clone();
    mine.tags
        .insert(n(1), vec![tag("e", Category::Exchange, 1)]);
    theirs.tags.insert(n(1), vec![tag("m", Category::Mixer, 1)]);
    let first = run(&mine, &theirs, None);
    assert_eq!(first.report.conflicts, 1);
    // Merging the same theirs again records nothing new.
    let again = run(&first.case, &theirs, None);
    assert_eq!(again.report.conflicts, 0);
    assert_eq!(again.case.conflicts, first.case.conflicts);

    // Theirs' own conflicts come over with their ids and cluster ids renumbered.
    let mut mine = chain_case(3);
    let mut theirs = mine.clone();
    mine.clusters
        .insert(ClusterId(1), cluster(1, "Alpha", Category::Exchange, &[1]));
    mine.conflicts.insert(
        ConflictId(1),
        Conflict {
            id: ConflictId(1),
            theirs_label: "x".to_owned(),
            kind: ConflictKind::Tags {
                node: n(1),
                mine: vec![],
                theirs: vec![],
            },
        },
    );
    let c = cluster(1, "Mixer", Category::Mixer, &[3]);
    theirs.clusters.insert(ClusterId(1), c.clone());
    theirs.conflicts.insert(
        ConflictId(1),
        Conflict {
            id: ConflictId(1),
            theirs_label: "carol".to_owned(),
            kind: ConflictKind::Cluster {
                id: ClusterId(1),
                mine: Some(c.clone()),
                theirs: None,
            },
        },
    );
    let out = run(&mine, &theirs, None);
    assert_eq!(out.report.conflicts_carried, 1);
    assert_eq!(
        out.case.conflicts[&ConflictId(2)],
        Conflict {
            id: ConflictId(2),
            theirs_label: "carol".to_owned(),
            kind: ConflictKind::Cluster {
                id: ClusterId(2),
                mine: Some(Cluster {
                    id: ClusterId(2),
                    ..c
                }),
                theirs: None,
            },
        }
    );
}

#[test]
fn a_conflict_resolved_on_theirs_only_goes_away_with_a_base() {
    let mut base = chain_case(2);
    base.conflicts.insert(
        ConflictId(1),
        Conflict {
            id: ConflictId(1),
            theirs_label: "x".to_owned(),
            kind: ConflictKind::Tags {
                node: n(1),
                mine: vec![],
                theirs: vec![],
            },
        },
    );
    let mut theirs = base.clone();
    theirs.conflicts.clear();
    let out = run(&base, &theirs, Some(&base));
    assert!(out.case.conflicts.is_empty());
    assert_eq!(out.report.deletions_applied, 1);
    // Resolved on mine only: stays resolved.
    let out = run(&theirs, &base, Some(&base));
    assert!(out.case.conflicts.is_empty());
}

#[test]
fn merging_a_case_with_itself_changes_only_meta_and_history() {
    let mut case = crate::sources::demo::demo_case();
    for (id, tag) in crate::sources::demo::demo_attribution() {
        if case.nodes.contains_key(&id) {
            case.tags.entry(id).or_default().push(tag);
        }
    }
    assert!(!case.tags.is_empty());
    case.annotations.notes.insert(NoteId(1), note(1, "x", None));
    let out = run(&case, &case, None);
    let mut expected = case.clone();
    expected.meta.modified = 1_000;
    expected.meta.contributors.insert("alice".to_owned());
    expected.history.push(HistoryEntry {
        at: 1_000,
        by: "alice".to_owned(),
        what: "merge bob: +0 nodes, +0 transfers, 0 conflicts".to_owned(),
    });
    assert_eq!(out.case, expected);
    assert_eq!(
        out.report.summary(),
        "+0 nodes, +0 transfers, +0 tags, +0 clusters, +0 notes, 0 conflicts"
    );
}

#[test]
fn summary_lists_non_zero_extras() {
    let report = MergeReport {
        nodes_added: 2,
        transfers_added: 3,
        conflicts: 1,
        deletions_applied: 4,
        arrows_dropped: 1,
        ..MergeReport::default()
    };
    assert_eq!(
        report.summary(),
        "+2 nodes, +3 transfers, +0 tags, +0 clusters, +0 notes, 1 conflicts, \
         4 deletions applied, 1 arrows dropped (note gone)"
    );
}

#[test]
fn merging_the_same_copy_again_adds_nothing_twice() {
    let mut mine = chain_case(3);
    let mut theirs = mine.clone();
    mine.clusters
        .insert(ClusterId(1), cluster(1, "Alpha", Category::Exchange, &[1]));
    mine.annotations
        .notes
        .insert(NoteId(1), note(1, "mine", None));
    theirs
        .clusters
        .insert(ClusterId(1), cluster(1, "Mixer", Category::Mixer, &[1, 3]));
    theirs
        .annotations
        .notes
        .insert(NoteId(1), note(1, "theirs", Some(2)));
    theirs.annotations.arrows.insert(
        ArrowId(1),
        Arrow {
            id: ArrowId(1),
            from: ArrowEnd::Note(NoteId(1)),
            to: ArrowEnd::Node(n(3)),
            hop: None,
        },
    );
    let once = run(&mine, &theirs, None);
    assert_eq!(once.case.clusters.len(), 2);
    assert_eq!(once.case.annotations.notes.len(), 2);
    assert_eq!(once.report.conflicts, 1, "node 1 claimed by both clusters");
    let twice = run(&once.case, &theirs, None);
    assert_eq!(twice.case.clusters, once.case.clusters);
    assert_eq!(twice.case.annotations, once.case.annotations);
    assert_eq!(twice.case.conflicts, once.case.conflicts);
    assert_eq!(
        twice.report.summary(),
        "+0 nodes, +0 transfers, +0 tags, +0 clusters, +0 notes, 0 conflicts"
    );
}
