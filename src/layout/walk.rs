//! Interaction lists of the Barnes–Hut query (`field.rs`): which cells a group of bodies
//! meets as point masses and which leaves it opens, in the order one walk of the flat tree
//! meets them. The walk is the query's other half besides the sums: each visited cell is a
//! dependent load, a test and a hard-to-predict branch, so its test is kept to plain
//! comparisons (no NaN-aware `max`; positions and cells are always finite).

use super::quadtree::{Cell, QuadTree};

/// Axis-aligned box around a group's bodies.
#[derive(Clone, Copy, Debug)]
pub(super) struct GroupBox {
    min: [f32; 2],
    max: [f32; 2],
}

impl GroupBox {
    /// The box around points `(xs[k], ys[k])` (an empty box for no points).
    pub(super) fn around(xs: &[f32], ys: &[f32]) -> Self {
        let (mut min_x, mut min_y) = (f32::INFINITY, f32::INFINITY);
        let (mut max_x, mut max_y) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for (&x, &y) in xs.iter().zip(ys) {
            min_x = min_x.min(x);
            max_x = max_x.max(x);
            min_y = min_y.min(y);
            max_y = max_y.max(y);
        }
        Self {
            min: [min_x, min_y],
            max: [max_x, max_y],
        }
    }

    /// Whether every point of the box may treat `cell` as a point mass: the box's squared
    /// distance to the cell's centre of mass is beyond the cell's opening distance.
    #[inline(always)]
    fn is_far(&self, cell: &Cell) -> bool {
        let dx = larger(larger(self.min[0] - cell.x, cell.x - self.max[0]), 0.0);
        let dy = larger(larger(self.min[1] - cell.y, cell.y - self.max[1]), 0.0);
        dx * dx + dy * dy > cell.open2
    }
}

/// One group's interaction list: runs of far cells (as point masses, in `xs`, `ys`, `ms`)
/// between the opened leaves, whose bodies the sums read where the tree keeps them.
#[derive(Debug, Default)]
pub(super) struct InteractionList {
    pub(super) xs: Vec<f32>,
    pub(super) ys: Vec<f32>,
    pub(super) ms: Vec<f32>,
    /// The leaves that were opened (walked body by body), in walk order.
    pub(super) near: Vec<NearLeaf>,
}

/// An opened leaf: its sorted-body range, and how many far cells the walk had met before it.
#[derive(Clone, Copy, Debug)]
pub(super) struct NearLeaf {
    pub(super) far_before: u32,
    pub(super) start: u32,
    pub(super) end: u32,
}

impl InteractionList {
    fn clear(&mut self) {
        self.xs.clear();
        self.ys.clear();
        self.ms.clear();
        self.near.clear();
    }

    fn push_far(&mut self, cell: &Cell) {
        self.xs.push(cell.x);
        self.ys.push(cell.y);
        self.ms.push(cell.mass);
    }

    fn push_near(&mut self, cell: &Cell) {
        self.near.push(NearLeaf {
            far_before: self.xs.len() as u32,
            start: cell.start,
            end: cell.end,
        });
    }
}

/// `a.max(b)` for numbers that are never NaN, as one plain comparison (`f32::max` also
/// handles NaN, which costs the walk two more instructions a test).
#[inline(always)]
fn larger(a: f32, b: f32) -> f32 {
    if a > b { a } else { b }
}

impl QuadTree {
    /// The interaction list of the group with box `group` into `list`.
    pub(super) fn group_list(&self, group: &GroupBox, list: &mut InteractionList) {
        list.clear();
        let cells = &self.cells[..];
        let mut i = 0;
        while let Some(cell) = cells.get(i) {
            let next = cell.next as usize;
            if group.is_far(cell) {
                list.push_far(cell);
                i = next;
            } else if next == i + 1 {
                list.push_near(cell);
                i = next;
            } else {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_comparisons_decide_like_max() {
        for (a, b) in [
            (1.0f32, 2.0),
            (-3.0, -0.0),
            (0.0, -0.0),
            (5.0, 5.0),
            (-1e30, 1e-30),
        ] {
            // Equal as numbers (the sign of a zero does not survive the squaring).
            assert_eq!(larger(a, b), a.max(b), "{a} {b}");
            assert_eq!(larger(b, a), b.max(a), "{b} {a}");
        }
        let cell = Cell {
            x: 10.0,
            y: 0.0,
            mass: 1.0,
            open2: 25.0,
            next: 1,
            start: 0,
            end: 1,
        };
        assert!(GroupBox::around(&[0.0, 1.0], &[0.0, 1.0]).is_far(&cell));
        assert!(!GroupBox::around(&[0.0, 6.0], &[0.0, 0.0]).is_far(&cell));
        assert!(!GroupBox::around(&[9.0, 11.0], &[-1.0, 1.0]).is_far(&cell));
    }
}
