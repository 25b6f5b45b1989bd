//! A uniform grid over node positions (canvas units) for picking: the node under the pointer
//! and the nodes inside a rectangle, looking only at the cells that can hold them.
//!
//! Built with a counting sort in two passes over the nodes (about one node per cell), so a
//! rebuild is cheap; the canvas rebuilds it only when positions changed and a pick is asked for.

use egui::{Pos2, Rect};

/// Most cells along one side (bounds memory for far-flung outliers).
const MAX_CELLS_PER_SIDE: usize = 1024;

/// Node indices bucketed by grid cell.
#[derive(Debug, Default)]
pub struct Grid {
    origin: Pos2,
    cell_size: f32,
    cols: usize,
    rows: usize,
    /// `starts[c]..starts[c + 1]` are cell `c`'s entries in `items`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Grid {
    /// Indexes `positions` (node `i` at `positions[i]`); non-finite positions are left out.
    pub fn build(positions: &[Pos2]) -> Grid {
        let finite = |p: &&Pos2| p.x.is_finite() && p.y.is_finite();
        let mut bounds = Rect::NOTHING;
        let mut count = 0usize;
        for p in positions.iter().filter(finite) {
            bounds.extend_with(*p);
            count += 1;
        }
        if count == 0 {
            return Grid::default();
        }
        let side = (bounds.width().max(bounds.height())).max(1.0);
        let per_side = ((count as f32).sqrt().ceil() as usize).clamp(1, MAX_CELLS_PER_SIDE);
        let cell_size = (side / per_side as f32).max(1.0);
        let cols = ((bounds.width() / cell_size) as usize + 1).min(MAX_CELLS_PER_SIDE);
        let rows = ((bounds.height() / cell_size) as usize + 1).min(MAX_CELLS_PER_SIDE);
        let mut grid = Grid {
            origin: bounds.min,
            cell_size,
            cols,
            rows,
            starts: vec![0; cols * rows + 1],
            items: Vec::new(),
        };
        let cells: Vec<u32> = positions
            .iter()
            .map(|p| {
                if p.x.is_finite() && p.y.is_finite() {
                    grid.cell_of(*p) as u32
                } else {
                    u32::MAX
                }
            })
            .collect();
        for &c in &cells {
            if c != u32::MAX {
                grid.starts[c as usize + 1] += 1;
            }
        }
        for c in 0..cols * rows {
            grid.starts[c + 1] += grid.starts[c];
        }
        let mut fill = grid.starts.clone();
        grid.items = vec![0; count];
        for (i, &c) in cells.iter().enumerate() {
            if c != u32::MAX {
                let slot = &mut fill[c as usize];
                grid.items[*slot as usize] = i as u32;
                *slot += 1;
            }
        }
        grid
    }

    fn col_row(&self, p: Pos2) -> (usize, usize) {
        let col = ((p.x - self.origin.x) / self.cell_size).max(0.0) as usize;
        let row = ((p.y - self.origin.y) / self.cell_size).max(0.0) as usize;
        (
            col.min(self.cols.saturating_sub(1)),
            row.min(self.rows.saturating_sub(1)),
        )
    }

    fn cell_of(&self, p: Pos2) -> usize {
        let (col, row) = self.col_row(p);
        row * self.cols + col
    }

    /// Calls `visit` with every node whose cell overlaps `area` (a superset of the nodes
    /// inside it; the caller checks exactly).
    pub fn for_each_near(&self, area: Rect, mut visit: impl FnMut(usize)) {
        if self.cols == 0 || !area.is_finite() {
            return;
        }
        let grid_rect = Rect::from_min_size(
            self.origin,
            egui::vec2(
                self.cols as f32 * self.cell_size,
                self.rows as f32 * self.cell_size,
            ),
        );
        if !grid_rect.intersects(area) {
            return;
        }
        let (c0, r0) = self.col_row(area.min);
        let (c1, r1) = self.col_row(area.max);
        for row in r0..=r1 {
            for col in c0..=c1 {
                let cell = row * self.cols + col;
                let (a, b) = (self.starts[cell] as usize, self.starts[cell + 1] as usize);
                for &i in &self.items[a..b] {
                    visit(i as usize);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_in(positions: &[Pos2], area: Rect) -> Vec<usize> {
        (0..positions.len())
            .filter(|&i| area.contains(positions[i]))
            .collect()
    }

    #[test]
    fn rectangle_queries_match_a_full_scan() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 10_000) as f32 / 10.0 - 500.0
        };
        let mut positions: Vec<Pos2> = (0..3000).map(|_| Pos2::new(next(), next())).collect();
        positions.push(Pos2::new(f32::NAN, 0.0));
        let grid = Grid::build(&positions);
        for area in [
            Rect::from_min_max(Pos2::new(-100.0, -50.0), Pos2::new(20.0, 80.0)),
            Rect::from_min_max(Pos2::new(-1e6, -1e6), Pos2::new(1e6, 1e6)),
            Rect::from_min_max(Pos2::new(600.0, 600.0), Pos2::new(700.0, 700.0)),
        ] {
            let mut found = Vec::new();
            grid.for_each_near(area, |i| {
                if area.contains(positions[i]) {
                    found.push(i);
                }
            });
            found.sort_unstable();
            assert_eq!(found, brute_in(&positions, area));
        }
    }

    #[test]
    fn one_point_and_no_points() {
        let grid = Grid::build(&[Pos2::new(3.0, 4.0)]);
        let mut seen = Vec::new();
        grid.for_each_near(
            Rect::from_center_size(Pos2::new(3.0, 4.0), egui::vec2(1.0, 1.0)),
            |i| seen.push(i),
        );
        assert_eq!(seen, vec![0]);
        Grid::build(&[]).for_each_near(Rect::EVERYTHING, |_| panic!("empty"));
    }
}
