//! Where the picture's labels go: cluster names and node labels, ranked by importance and
//! placed so that none covers another, a note, or the picture's edge.
//!
//! The rules are the canvas's: highlighted nodes first (the picture's "selection"), then one
//! name per cluster (above its outline, else below), then tagged nodes — services where money
//! goes (exchange, mixer, bridge, router, sanctioned) first — by the number of edges they
//! touch, then — zoomed in only — every other node. A cluster's members leave their name to the
//! cluster (zoomed in they show their address); a tagged node shows its tag alone unless zoomed
//! in close. Each label tries below its node, above, right and left (and zoomed in, the tag
//! alone in the same places); a label that would run past the graph area is slid back inside
//! it; a label with no free place is left out (the SVG keeps every full label as a tooltip).

use super::graph::halo;
use super::*;
use crate::export::scene::{DETAIL_ZOOM, SceneHull};

/// Rectangles already covered by text, in a grid of square cells for quick look-up.
pub(super) struct Taken {
    cell: f32,
    rects: Vec<[f32; 4]>,
    grid: std::collections::HashMap<(i64, i64), Vec<usize>>,
}

impl Taken {
    pub(super) fn new(cell: f32) -> Taken {
        Taken {
            cell: cell.max(1.0),
            rects: Vec::new(),
            grid: std::collections::HashMap::new(),
        }
    }

    fn cells(&self, r: [f32; 4]) -> impl Iterator<Item = (i64, i64)> + use<> {
        let cell = self.cell;
        let to_cell = move |v: f32| (v / cell).floor().clamp(-1e6, 1e6) as i64;
        let (x0, y0, x1, y1) = (to_cell(r[0]), to_cell(r[1]), to_cell(r[2]), to_cell(r[3]));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    pub(super) fn is_free(&self, r: [f32; 4]) -> bool {
        self.cells(r).all(|c| {
            self.grid
                .get(&c)
                .is_none_or(|ids| ids.iter().all(|&i| !overlaps(r, self.rects[i])))
        })
    }

    pub(super) fn add(&mut self, r: [f32; 4]) {
        let id = self.rects.len();
        self.rects.push(r);
        let cells: Vec<(i64, i64)> = self.cells(r).collect();
        for c in cells {
            self.grid.entry(c).or_default().push(id);
        }
    }
}

/// Whether two rectangles `[x0, y0, x1, y1]` share any area.
pub(super) fn overlaps(a: [f32; 4], b: [f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// One label placed in the picture.
pub(super) struct Placed<'a> {
    /// The box its text takes, pixels.
    pub(super) rect: [f32; 4],
    pub(super) text: &'a str,
    /// `Some(colour)` for a cluster's name (bold, in its category colour).
    pub(super) hull: Option<[u8; 3]>,
}

impl Placed<'_> {
    fn size(&self, u: f32) -> f32 {
        if self.hull.is_some() {
            HULL_LABEL_PX * u
        } else {
            LABEL_PX * u
        }
    }
}

/// Size of a cluster's name at the reference width.
const HULL_LABEL_PX: f32 = 13.0;
/// Height of a label's box, in font sizes.
const LINE_EM: f32 = 1.05;

/// The labels of `scene` in frame `f`, none covering another or a note (`notes`: their boxes).
pub(super) fn place_labels<'a>(scene: &'a Scene, f: &Frame, notes: &[[f32; 4]]) -> Vec<Placed<'a>> {
    let u = f.u;
    let zoomed_out = f.zoom < LABEL_ZOOM;
    let mut taken = Taken::new(64.0 * u);
    for note in notes {
        taken.add(*note);
    }
    let [g0, g1, g2, g3] = f.graph;
    // Slides a box back inside the graph area; `None` if it cannot fit at all.
    let inside = |r: [f32; 4]| -> Option<[f32; 4]> {
        let (w, h) = (r[2] - r[0], r[3] - r[1]);
        if w > g2 - g0 || h > g3 - g1 {
            return None;
        }
        let x0 = r[0].clamp(g0, g2 - w);
        let y0 = r[1].clamp(g1, g3 - h);
        Some([x0, y0, x0 + w, y0 + h])
    };
    let mut placed: Vec<Placed<'a>> = Vec::new();
    let mut try_place = |spots: &mut dyn Iterator<Item = (&'a str, [f32; 4])>,
                         hull: Option<[u8; 3]>,
                         placed: &mut Vec<Placed<'a>>| {
        for (text, rect) in spots {
            let Some(rect) = inside(rect) else { continue };
            if taken.is_free(rect) {
                taken.add(rect);
                placed.push(Placed { rect, text, hull });
                return;
            }
        }
    };

    let node_spots = |node: &'a SceneNode| {
        let size = LABEL_PX * u;
        let c = f.map(node.pos);
        let r = f.node_radius(node.radius);
        let gap = r + 3.0 * u;
        let texts: Vec<&'a str> = if node.clustered {
            // The hull names the cluster; a member shows its address.
            vec![node.address_label.as_str()]
        } else {
            let first = match (&node.tag_label, f.zoom < DETAIL_ZOOM) {
                (Some(tag), true) => tag.as_str(),
                _ => node.label.as_str(),
            };
            std::iter::once(first)
                .chain(node.tag_label.as_deref().filter(|t| *t != first))
                .collect()
        };
        let h = size * LINE_EM;
        [0usize, 1, 2, 3].into_iter().flat_map(move |spot| {
            let texts = texts.clone();
            texts.into_iter().map(move |text| {
                let w = text_width_px(text, size, false);
                let (x0, y0) = match spot {
                    0 => (c[0] - w / 2.0, c[1] + gap),
                    1 => (c[0] - w / 2.0, c[1] - gap - h),
                    2 => (c[0] + gap, c[1] - h / 2.0),
                    _ => (c[0] - gap - w, c[1] - h / 2.0),
                };
                (text, [x0, y0, x0 + w, y0 + h])
            })
        })
    };

    // Highlighted nodes first.
    for node in scene.nodes.iter().filter(|n| n.highlight.is_some()) {
        try_place(&mut node_spots(node), None, &mut placed);
    }
    // One name per cluster, the largest clusters first.
    let mut hulls: Vec<&SceneHull> = scene.hulls.iter().collect();
    hulls.sort_by_key(|h| std::cmp::Reverse(h.members.len()));
    for hull in hulls {
        let outline = hull.outline(|q| f.map(q), HULL_MARGIN_PX * u);
        if outline.len() < 3 {
            continue;
        }
        let top =
            outline.iter().copied().fold(
                [0.0, f32::MAX],
                |best, q| {
                    if q[1] < best[1] { q } else { best }
                },
            );
        let bottom =
            outline.iter().copied().fold(
                [0.0, f32::MIN],
                |best, q| {
                    if q[1] > best[1] { q } else { best }
                },
            );
        let size = HULL_LABEL_PX * u;
        let w = text_width_px(&hull.label, size, true);
        let h = size * LINE_EM;
        let text = hull.label.as_str();
        let mut spots = [
            [top[0] - w / 2.0, top[1] - 3.0 * u - h],
            [bottom[0] - w / 2.0, bottom[1] + 3.0 * u],
        ]
        .into_iter()
        .map(|[x0, y0]| (text, [x0, y0, x0 + w, y0 + h]));
        try_place(&mut spots, Some(hull.rgb), &mut placed);
    }
    // Tagged nodes by the edges they touch (zoomed out, not a cluster's members), then the rest
    // when zoomed in.
    let mut order: Vec<&SceneNode> = scene
        .nodes
        .iter()
        .filter(|n| n.highlight.is_none())
        .filter(|n| {
            if zoomed_out {
                n.emphasised && !n.clustered
            } else {
                true
            }
        })
        .collect();
    let service = |n: &SceneNode| n.glyph.is_some_and(|g| g.is_service());
    order.sort_by_key(|n| (!n.emphasised, !service(n), usize::MAX - n.degree));
    for node in order {
        try_place(&mut node_spots(node), None, &mut placed);
    }
    placed
}

/// Draws the placed labels: node labels, then the clusters' names above them.
pub(super) fn draw_labels(out: &mut Out, placed: &[Placed<'_>], f: &Frame, p: &Palette) {
    let halo = halo(p, f.u);
    let (names, nodes): (Vec<&Placed>, Vec<&Placed>) =
        placed.iter().partition(|l| l.hull.is_some());
    for label in nodes.into_iter().chain(names) {
        let size = label.size(f.u);
        let x = (label.rect[0] + label.rect[2]) / 2.0;
        let baseline = label.rect[1] + size * 0.8;
        match label.hull {
            Some(rgb) => out.text(
                x,
                baseline,
                size,
                &hex(scaled(rgb, p.hull_text_factor)),
                "middle",
                &format!(r#" class="hull-label" font-weight="bold"{halo}"#),
                label.text,
            ),
            None => out.text(
                x,
                baseline,
                size,
                p.text,
                "middle",
                &format!(r#" class="label"{halo}"#),
                label.text,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Case;

    /// Every label box of the picture of `case`, the notes' boxes, and the picture's size.
    fn label_boxes(case: &Case, width_px: u32) -> (Vec<[f32; 4]>, Vec<[f32; 4]>, [f32; 2]) {
        let options = SceneOptions {
            width_px,
            ..SceneOptions::default()
        };
        let scene = Scene::from_case(case, &options);
        let f = frame(&scene, &options);
        let notes: Vec<[f32; 4]> = layout_notes(&scene, &f)
            .iter()
            .map(|n| [n.b.x, n.b.y, n.b.x + n.b.w, n.b.y + n.b.h])
            .collect();
        let rects = place_labels(&scene, &f, &notes)
            .iter()
            .map(|l| l.rect)
            .collect();
        (rects, notes, [f.width, f.height])
    }

    /// Pairs of label boxes that overlap, counted with a grid (a 10k case has thousands).
    fn overlapping_pairs(rects: &[[f32; 4]]) -> usize {
        let mut taken = Taken::new(64.0);
        let mut count = 0;
        for r in rects {
            if !taken.is_free(*r) {
                count += rects
                    .iter()
                    .filter(|o| *o != r && overlaps(*r, **o))
                    .count();
            }
            taken.add(*r);
        }
        count
    }

    fn check(case: &Case, width_px: u32, what: &str) -> usize {
        let (rects, notes, [w, h]) = label_boxes(case, width_px);
        assert_eq!(overlapping_pairs(&rects), 0, "{what}: labels overlap");
        for r in &rects {
            assert!(
                r[0] >= 0.0 && r[1] >= 0.0 && r[2] <= w && r[3] <= h,
                "{what}: a label leaves the {w}×{h} picture: {r:?}"
            );
            assert!(
                notes.iter().all(|n| !overlaps(*r, *n)),
                "{what}: a label covers a note"
            );
        }
        rects.len()
    }

    #[test]
    fn the_demo_and_a_10k_case_export_with_no_overlapping_label_inside_the_picture() {
        let demo = crate::sources::demo::demo_case();
        for width in [800, 1600, 4000] {
            let count = check(&demo, width, &format!("demo at {width} px"));
            assert!(
                count > 5,
                "the demo keeps its labels at {width} px: {count}"
            );
        }
        let big = crate::generate::generate_case(10_000, 1);
        let count = check(&big, 1600, "10k case");
        let tagged = Scene::from_case(&big, &SceneOptions::default())
            .nodes
            .iter()
            .filter(|n| n.emphasised)
            .count();
        assert_eq!(
            count, tagged,
            "every tagged hub of the 10k case keeps its label"
        );
    }

    #[test]
    fn a_cluster_is_named_once_and_its_members_are_not_zoomed_out() {
        use crate::model::{Category, Cluster, ClusterId, Confidence};
        let mut case = crate::sources::demo::demo_case();
        let members = case.layout.positions.keys().take(11).cloned().collect();
        case.clusters.insert(
            ClusterId(1),
            Cluster {
                id: ClusterId(1),
                label: "Split wallets".to_owned(),
                category: Category::DprkAttributed,
                confidence: Confidence::ManualTransaction,
                source: String::new(),
                note: String::new(),
                members,
            },
        );
        let options = SceneOptions::default();
        let scene = Scene::from_case(&case, &options);
        let f = frame(&scene, &options);
        let placed = place_labels(&scene, &f, &[]);
        let names: Vec<&str> = placed
            .iter()
            .filter(|l| l.hull.is_some())
            .map(|l| l.text)
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("Split wallets"));
        if f.zoom < LABEL_ZOOM {
            assert!(
                placed
                    .iter()
                    .all(|l| l.hull.is_some() || !l.text.contains("Split wallets")),
                "members leave their name to the cluster"
            );
        }
    }
}
