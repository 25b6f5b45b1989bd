//! What the judgement merges share: the three-way choice for one object, id allocation for
//! objects renumbered into the merged case, and the record of how theirs' ids were renumbered.

use std::collections::{BTreeMap, BTreeSet};

/// Which version of one object the merged case keeps in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Choice {
    /// Mine (both sides agree, or only mine changed it, or theirs left it as in base).
    Mine,
    /// Theirs (only theirs changed it; a deletion when theirs is absent).
    Theirs,
    /// Both changed it, differently: mine stays in place and a conflict is recorded.
    Conflict,
}

/// The three-way choice for one object; `None` means absent (never made, or deleted) on that
/// side.
pub(super) fn choose<T: PartialEq>(
    base: Option<&T>,
    mine: Option<&T>,
    theirs: Option<&T>,
) -> Choice {
    if mine == theirs || theirs == base {
        Choice::Mine
    } else if mine == base {
        Choice::Theirs
    } else {
        Choice::Conflict
    }
}

/// Allocates numeric ids in one id space of the merged case.
#[derive(Debug, Clone)]
pub(super) struct IdAlloc {
    used: BTreeSet<u64>,
    next: u64,
}

impl IdAlloc {
    /// `used` are taken; fresh ids start past the largest of `used` and `also_past`.
    pub(super) fn new(
        used: impl IntoIterator<Item = u64>,
        also_past: impl IntoIterator<Item = u64>,
    ) -> IdAlloc {
        let used: BTreeSet<u64> = used.into_iter().collect();
        let largest = used.iter().copied().chain(also_past).max().unwrap_or(0);
        IdAlloc {
            used,
            next: largest.wrapping_add(1),
        }
    }

    /// `id` itself when it is still free, else a fresh id.
    pub(super) fn keep_or_fresh(&mut self, id: u64) -> u64 {
        if self.used.insert(id) {
            id
        } else {
            self.fresh()
        }
    }

    /// A fresh id, past every id in use (ids start at 1; wraps to the lowest free id only if
    /// `u64::MAX` is taken).
    pub(super) fn fresh(&mut self) -> u64 {
        let mut candidate = self.next;
        while candidate == 0 || self.used.contains(&candidate) {
            candidate = candidate.wrapping_add(1);
        }
        self.used.insert(candidate);
        self.next = candidate.wrapping_add(1);
        candidate
    }
}

/// How theirs' ids of one kind (clusters or notes) map to ids in the merged case.
#[derive(Debug, Clone)]
pub(super) struct Renumbering {
    /// Theirs' id → merged id, for every object of theirs that was placed or compared.
    pub(super) map: BTreeMap<u64, u64>,
    /// Ids that name the same object on both sides (present in base).
    pub(super) shared: BTreeSet<u64>,
    /// The allocator of this id space, for ids only theirs' conflicts still name.
    pub(super) alloc: IdAlloc,
}

impl Renumbering {
    /// The merged id for theirs' `id`; an id theirs no longer uses (named only by one of
    /// theirs' conflicts) keeps its number when free and is renumbered otherwise.
    pub(super) fn theirs_id(&mut self, id: u64) -> u64 {
        if let Some(mapped) = self.map.get(&id) {
            return *mapped;
        }
        let mapped = if self.shared.contains(&id) {
            id
        } else {
            self.alloc.keep_or_fresh(id)
        };
        self.map.insert(id, mapped);
        mapped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_way_choice() {
        let (a, b, c) = (1, 2, 3);
        assert_eq!(choose(Some(&a), Some(&a), Some(&a)), Choice::Mine);
        assert_eq!(choose(Some(&a), Some(&b), Some(&a)), Choice::Mine);
        assert_eq!(choose(Some(&a), Some(&a), Some(&b)), Choice::Theirs);
        assert_eq!(choose(Some(&a), Some(&a), None), Choice::Theirs);
        assert_eq!(choose(Some(&a), None, Some(&a)), Choice::Mine);
        assert_eq!(choose(Some(&a), Some(&b), Some(&b)), Choice::Mine);
        assert_eq!(choose(Some(&a), Some(&b), Some(&c)), Choice::Conflict);
        assert_eq!(choose(Some(&a), None, Some(&b)), Choice::Conflict);
        assert_eq!(choose(None, Some(&a), Some(&b)), Choice::Conflict);
        assert_eq!(choose::<i32>(None, None, None), Choice::Mine);
    }

    #[test]
    fn ids_are_kept_when_free_and_fresh_ones_go_past_everything() {
        let mut alloc = IdAlloc::new([1, 2, 3], [7]);
        assert_eq!(alloc.keep_or_fresh(5), 5);
        assert_eq!(alloc.keep_or_fresh(2), 8);
        assert_eq!(alloc.fresh(), 9);
        assert_eq!(alloc.keep_or_fresh(5), 10);
        let mut empty = IdAlloc::new([], []);
        assert_eq!(empty.fresh(), 1);
        let mut full = IdAlloc::new([u64::MAX, 1], []);
        assert_eq!(full.fresh(), 2);
    }
}
