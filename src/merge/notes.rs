//! Notes and arrows. Like clusters, their ids are allocated independently on each side: with a
//! base, an id present in base is the same note (merged three-way; changed differently on both
//! sides → [`ConflictKind::Note`] with mine in place); without one, an equal id with equal text
//! and anchor is the same note, and so is equal text and anchor under another id not matched
//! yet (a note an earlier merge renumbered); mine's position and author are kept, no conflict.
//! Every other note of theirs is new: its id is kept when free, else renumbered past the
//! largest in use.
//!
//! Theirs' arrows follow their notes' new ids. An arrow is the same as one already placed when
//! it joins the same two ends; base arrows are merged three-way (where both sides changed one,
//! mine stays and theirs is added as another arrow). An arrow left pointing at a note that is
//! not in the merged case (the note was deleted, or its deletion is in conflict) is dropped and
//! counted in [`MergeReport::arrows_dropped`].

use super::MergeReport;
use super::ids::{Choice, IdAlloc, Renumbering, choose};
use crate::model::{Arrow, ArrowEnd, ArrowId, Case, ConflictKind, Note, NoteId};
use std::collections::{BTreeMap, BTreeSet};

/// Merges notes into `out.annotations.notes`; returns how theirs' note ids were renumbered.
pub(super) fn merge_notes(
    mine: &Case,
    theirs: &Case,
    base: Option<&Case>,
    out: &mut Case,
    report: &mut MergeReport,
    conflicts: &mut Vec<ConflictKind>,
) -> Renumbering {
    let mine_notes = &mine.annotations.notes;
    let theirs_notes = &theirs.annotations.notes;
    let base_ids: BTreeSet<u64> = base
        .map(|b| b.annotations.notes.keys().map(|id| id.0).collect())
        .unwrap_or_default();
    let mut used: BTreeSet<u64> = mine_notes.keys().map(|id| id.0).collect();
    used.extend(&base_ids);
    used.extend(mine.conflicts.values().filter_map(|c| match &c.kind {
        ConflictKind::Note { id, .. } => Some(id.0),
        _ => None,
    }));
    let mut ids = Renumbering {
        map: BTreeMap::new(),
        shared: base_ids,
        alloc: IdAlloc::new(used, theirs_notes.keys().map(|id| id.0)),
    };
    let mut placed: BTreeMap<NoteId, Note> = BTreeMap::new();
    let mut theirs_new: Vec<&Note> = Vec::new();
    match base {
        Some(base) => {
            for (id, base_note) in &base.annotations.notes {
                let m = mine_notes.get(id);
                let t = theirs_notes.get(id);
                if t.is_some() {
                    ids.map.insert(id.0, id.0);
                }
                match choose(Some(base_note), m, t) {
                    Choice::Mine => {
                        if let Some(m) = m {
                            placed.insert(*id, m.clone());
                        }
                    }
                    Choice::Theirs => match t {
                        Some(t) => {
                            placed.insert(*id, t.clone());
                            report.notes_updated += 1;
                        }
                        None => report.deletions_applied += 1,
                    },
                    Choice::Conflict => {
                        if let Some(m) = m {
                            placed.insert(*id, m.clone());
                        }
                        conflicts.push(ConflictKind::Note {
                            id: *id,
                            mine: m.cloned(),
                            theirs: t.cloned(),
                        });
                    }
                }
            }
            for (id, m) in mine_notes {
                if !base.annotations.notes.contains_key(id) {
                    placed.insert(*id, m.clone());
                }
            }
            theirs_new.extend(
                theirs_notes
                    .iter()
                    .filter(|(id, _)| !base.annotations.notes.contains_key(id))
                    .map(|(_, t)| t),
            );
        }
        None => {
            placed.clone_from(mine_notes);
            let same = |m: &Note, t: &Note| m.text == t.text && m.anchor == t.anchor;
            // Equal id first, then an equal note under another id not matched yet.
            let mut pairs: BTreeMap<NoteId, NoteId> = BTreeMap::new();
            for (id, t) in theirs_notes {
                if mine_notes.get(id).is_some_and(|m| same(m, t)) {
                    pairs.insert(*id, *id);
                }
            }
            for (id, t) in theirs_notes {
                if pairs.contains_key(id) {
                    continue;
                }
                let taken: BTreeSet<NoteId> = pairs.values().copied().collect();
                match mine_notes
                    .values()
                    .find(|m| same(m, t) && !taken.contains(&m.id))
                {
                    Some(m) => {
                        pairs.insert(*id, m.id);
                    }
                    None => theirs_new.push(t),
                }
            }
            for (theirs_id, mine_id) in pairs {
                ids.map.insert(theirs_id.0, mine_id.0);
            }
        }
    }
    for t in theirs_new {
        let id = NoteId(ids.alloc.keep_or_fresh(t.id.0));
        ids.map.insert(t.id.0, id.0);
        placed.insert(id, Note { id, ..t.clone() });
        report.notes_added += 1;
    }
    out.annotations.notes = placed;
    ids
}

/// Theirs' arrow with its note ends renumbered.
fn follow(arrow: &Arrow, notes: &Renumbering) -> Arrow {
    let end = |end: &ArrowEnd| match end {
        ArrowEnd::Note(id) => ArrowEnd::Note(NoteId(notes.map.get(&id.0).copied().unwrap_or(id.0))),
        ArrowEnd::Node(node) => ArrowEnd::Node(node.clone()),
    };
    Arrow {
        id: arrow.id,
        from: end(&arrow.from),
        to: end(&arrow.to),
        hop: arrow.hop.clone(),
    }
}

/// Merges arrows into `out.annotations.arrows` (after the notes).
pub(super) fn merge_arrows(
    mine: &Case,
    theirs: &Case,
    base: Option<&Case>,
    notes: &Renumbering,
    out: &mut Case,
    report: &mut MergeReport,
) {
    let mine_arrows = &mine.annotations.arrows;
    let theirs_arrows: BTreeMap<ArrowId, Arrow> = theirs
        .annotations
        .arrows
        .iter()
        .map(|(id, a)| (*id, follow(a, notes)))
        .collect();
    let base_arrows = base.map(|b| &b.annotations.arrows);
    let mut used: BTreeSet<u64> = mine_arrows.keys().map(|id| id.0).collect();
    used.extend(
        base_arrows
            .into_iter()
            .flat_map(|a| a.keys().map(|id| id.0)),
    );
    let mut alloc = IdAlloc::new(used, theirs_arrows.keys().map(|id| id.0));
    let mut placed: BTreeMap<ArrowId, Arrow> = BTreeMap::new();
    let mut theirs_new: Vec<&Arrow> = Vec::new();
    match base_arrows {
        Some(base_arrows) => {
            for (id, b) in base_arrows {
                let m = mine_arrows.get(id);
                let t = theirs_arrows.get(id);
                match choose(Some(b), m, t) {
                    Choice::Mine => {
                        if let Some(m) = m {
                            placed.insert(*id, m.clone());
                        }
                    }
                    Choice::Theirs => match t {
                        Some(t) => {
                            placed.insert(*id, t.clone());
                        }
                        None => report.deletions_applied += 1,
                    },
                    Choice::Conflict => {
                        if let Some(m) = m {
                            placed.insert(*id, m.clone());
                        }
                        theirs_new.extend(t);
                    }
                }
            }
            for (id, m) in mine_arrows {
                if !base_arrows.contains_key(id) {
                    placed.insert(*id, m.clone());
                }
            }
            theirs_new.extend(
                theirs_arrows
                    .iter()
                    .filter(|(id, _)| !base_arrows.contains_key(id))
                    .map(|(_, t)| t),
            );
        }
        None => {
            placed.clone_from(mine_arrows);
            theirs_new.extend(theirs_arrows.values());
        }
    }
    for t in theirs_new {
        let known = placed.values().any(|p| p.from == t.from && p.to == t.to);
        if known {
            continue;
        }
        let id = ArrowId(alloc.keep_or_fresh(t.id.0));
        placed.insert(id, Arrow { id, ..t.clone() });
        report.arrows_added += 1;
    }
    let note_ids = &out.annotations.notes;
    let before = placed.len();
    placed.retain(|_, arrow| {
        [&arrow.from, &arrow.to]
            .into_iter()
            .all(|end| !matches!(end, ArrowEnd::Note(id) if !note_ids.contains_key(id)))
    });
    report.arrows_dropped += before - placed.len();
    out.annotations.arrows = placed;
}
