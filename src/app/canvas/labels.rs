//! Node labels, placed each frame, at most [`LABEL_CAP`] a frame, so that they stay readable:
//! a label goes below its node, else above, right or left, wherever it does not cover a label
//! already placed. Selected nodes come first and always get theirs; tagged nodes next, at any
//! zoom; the others only when zoomed in, with some air around them. A tagged node whose four
//! places are all taken still gets its label below it, over the others, unless a label with the
//! same text already covers that place (zoomed out, a cluster of nodes tagged "Binance" shows
//! "Binance" once, not a smudge of copies). The hovered node's full label goes on top, on a
//! background.
//!
//! Edge labels (amount, count, USD) come after every node label, largest flows first, centred
//! on their edge (or just above or below it), and only where they cover nothing: the largest
//! flows keep theirs, none overlap, and at most [`EDGE_LABEL_CAP`] are drawn.
//!
//! Text is laid out through egui's galley cache, so a label seen last frame costs a lookup.

use super::display::{LABEL_PX, NodeVisual};
use super::paint::Bulk;
use super::view::Transform;
use egui::{Color32, CornerRadius, FontId, Pos2, Rect, Shape, Vec2};

/// Most labels drawn in one frame.
pub const LABEL_CAP: usize = 400;
/// Most edge labels drawn in one frame.
pub const EDGE_LABEL_CAP: usize = 150;
/// Size of an occupancy bucket, screen points.
const BUCKET_PX: Vec2 = Vec2::new(64.0, 32.0);
/// How far two labels may overlap and both stay readable, screen points (each side).
const OVERLAP_SLACK_PX: f32 = 2.5;
/// Free space kept around the label of a node that is neither tagged nor selected, points.
const AIR_PX: f32 = 6.0;
/// Opacity of the backing under an edge label.
const EDGE_LABEL_BACKING_ALPHA: f32 = 0.85;
/// Opacity of the backing under a label.
const LABEL_BACKING_ALPHA: f32 = 0.55;
/// Gap between a node and its label, screen points.
const LABEL_GAP_PX: f32 = 3.0;

/// The rectangles of the labels placed so far (with a hash of their text), bucketed by screen
/// area.
struct Occupancy {
    origin: Pos2,
    cols: usize,
    rows: usize,
    buckets: Vec<Vec<(Rect, u64)>>,
}

impl Occupancy {
    fn new(clip: Rect) -> Self {
        let cols = (clip.width() / BUCKET_PX.x).ceil().max(1.0) as usize;
        let rows = (clip.height() / BUCKET_PX.y).ceil().max(1.0) as usize;
        Occupancy {
            origin: clip.min,
            cols,
            rows,
            buckets: vec![Vec::new(); cols * rows],
        }
    }

    fn buckets(&self, rect: Rect) -> impl Iterator<Item = usize> + use<> {
        let cell =
            |v: f32, o: f32, size: f32, n: usize| (((v - o) / size).max(0.0) as usize).min(n - 1);
        let (o, cols, rows) = (self.origin, self.cols, self.rows);
        let (c0, c1) = (
            cell(rect.min.x, o.x, BUCKET_PX.x, cols),
            cell(rect.max.x, o.x, BUCKET_PX.x, cols),
        );
        let (r0, r1) = (
            cell(rect.min.y, o.y, BUCKET_PX.y, rows),
            cell(rect.max.y, o.y, BUCKET_PX.y, rows),
        );
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| r * cols + c))
    }

    fn is_free(&self, rect: Rect) -> bool {
        self.buckets(rect).all(|b| {
            !self.buckets[b]
                .iter()
                .any(|(other, _)| overlaps(rect, *other))
        })
    }

    /// Whether a label with text hash `text` already overlaps `rect`.
    fn has_same_text(&self, rect: Rect, text: u64) -> bool {
        self.buckets(rect).any(|b| {
            self.buckets[b]
                .iter()
                .any(|(other, hash)| *hash == text && overlaps(rect, *other))
        })
    }

    fn take(&mut self, rect: Rect, text: u64) {
        for b in self.buckets(rect) {
            self.buckets[b].push((rect, text));
        }
    }
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Where a label of `size` goes under a node at `centre` with screen radius `r`.
fn label_pos(centre: Pos2, r: f32, size: Vec2) -> Pos2 {
    Pos2::new(centre.x - size.x / 2.0, centre.y + r + LABEL_GAP_PX)
}

/// The places a label may take around its node, best first: below, above, right, left.
fn label_spots(centre: Pos2, r: f32, size: Vec2) -> [Pos2; 4] {
    let gap = r + LABEL_GAP_PX;
    [
        label_pos(centre, r, size),
        Pos2::new(centre.x - size.x / 2.0, centre.y - gap - size.y),
        Pos2::new(centre.x + gap, centre.y - size.y / 2.0),
        Pos2::new(centre.x - gap - size.x, centre.y - size.y / 2.0),
    ]
}

/// A size at least as large as most labels of `text` (glyphs are narrower than 0.62 em).
fn estimated_size(text: &str) -> Vec2 {
    Vec2::new(
        text.chars().count() as f32 * LABEL_PX * 0.62,
        LABEL_PX * 1.3,
    )
}

/// Label shapes (a backing and the text each) for the visible nodes that want one, then for
/// the edges offered (`edge_labels`: centre and text, largest first).
#[allow(clippy::too_many_arguments)]
pub fn label_shapes(
    ctx: &egui::Context,
    bulk: &Bulk,
    nodes: &[NodeVisual],
    positions: &[Pos2],
    selected: &[bool],
    edge_labels: &[(Pos2, &str)],
    transform: &Transform,
    clip: Rect,
) -> Vec<Shape> {
    let visuals = &ctx.global_style().visuals;
    let color = visuals.text_color();
    // A faint backing keeps a label readable over edges and crowded nodes.
    let backing = visuals.extreme_bg_color.gamma_multiply(LABEL_BACKING_ALPHA);
    let font = FontId::proportional(LABEL_PX);
    let zoom = transform.zoom;
    let mut occupancy = Occupancy::new(clip);
    let mut shapes = Vec::new();
    ctx.fonts_mut(|fonts| {
        let wanted = bulk.must_label.iter().chain(&bulk.may_label);
        for &i in wanted {
            if shapes.len() >= 2 * LABEL_CAP {
                break;
            }
            let i = i as usize;
            let node = &nodes[i];
            let centre = transform.to_screen(positions[i]);
            let r = node.screen_radius(zoom);
            let text = node.label_text(zoom, selected[i], false);
            // Tagged and selected labels may nearly touch; the others keep some air.
            let keep = if node.emphasised || selected[i] {
                -OVERLAP_SLACK_PX
            } else {
                AIR_PX
            };
            let free_spot = |size: Vec2, occupancy: &Occupancy| {
                label_spots(centre, r, size).into_iter().find(|&pos| {
                    let rect = Rect::from_min_size(pos, size);
                    clip.intersects(rect) && occupancy.is_free(rect.expand(keep))
                })
            };
            let hash = text_hash(text);
            let must_show = selected[i] || node.emphasised;
            // A tagged node's label is left out only where the same text is already shown.
            if node.emphasised && !selected[i] {
                let guess = estimated_size(text);
                let place = Rect::from_min_size(label_pos(centre, r, guess), guess);
                if occupancy.has_same_text(place, hash) {
                    continue;
                }
            }
            // Where labels crowd, most find no room: ask with a generous guess of the size
            // before laying the text out.
            if !must_show && free_spot(estimated_size(text), &occupancy).is_none() {
                continue;
            }
            let galley = fonts.layout_no_wrap(text.to_owned(), font.clone(), color);
            let size = galley.size();
            let free = free_spot(size, &occupancy);
            // Selected and tagged nodes show their label even where it overlaps.
            let Some(pos) = free.or_else(|| must_show.then(|| label_pos(centre, r, size))) else {
                continue;
            };
            let rect = Rect::from_min_size(pos, size);
            occupancy.take(rect.shrink(OVERLAP_SLACK_PX), hash);
            shapes.push(Shape::rect_filled(
                rect.expand2(Vec2::new(2.0, 0.0)),
                CornerRadius::same(3),
                backing,
            ));
            shapes.push(Shape::galley(pos, galley, color));
        }
        let edge_color = visuals.weak_text_color();
        // Edge labels sit on their (possibly highlighted) edge: a firmer backing.
        let edge_backing = visuals
            .extreme_bg_color
            .gamma_multiply(EDGE_LABEL_BACKING_ALPHA);
        let edge_font = FontId::proportional(LABEL_PX - 1.0);
        let mut placed = 0;
        for &(mid, text) in edge_labels {
            if placed >= EDGE_LABEL_CAP {
                break;
            }
            let guess = estimated_size(text);
            let spots = |size: Vec2| {
                let centred = mid - size / 2.0;
                [
                    centred,
                    centred - Vec2::new(0.0, size.y * 0.8),
                    centred + Vec2::new(0.0, size.y * 0.8),
                ]
            };
            let fits = |pos: Pos2, size: Vec2, occupancy: &Occupancy| {
                let rect = Rect::from_min_size(pos, size);
                clip.contains_rect(rect) && occupancy.is_free(rect.expand(1.0))
            };
            if !spots(guess).into_iter().any(|p| fits(p, guess, &occupancy)) {
                continue;
            }
            let galley = fonts.layout_no_wrap(text.to_owned(), edge_font.clone(), edge_color);
            let size = galley.size();
            let Some(pos) = spots(size).into_iter().find(|&p| fits(p, size, &occupancy)) else {
                continue;
            };
            let rect = Rect::from_min_size(pos, size);
            occupancy.take(rect, 0);
            shapes.push(Shape::rect_filled(
                rect.expand2(Vec2::new(2.0, 0.0)),
                CornerRadius::same(3),
                edge_backing,
            ));
            shapes.push(Shape::galley(pos, galley, edge_color));
            placed += 1;
        }
    });
    shapes
}

/// The hovered node's full label on a background, over everything else.
pub fn hover_label_shapes(
    ctx: &egui::Context,
    node: &NodeVisual,
    centre: Pos2,
    r: f32,
    zoom: f32,
    selected: bool,
) -> [Shape; 2] {
    let visuals = ctx.global_style().visuals.clone();
    let color = visuals.text_color();
    let text = node.label_text(zoom, selected, true).to_owned();
    let galley = ctx.fonts_mut(|f| f.layout_no_wrap(text, FontId::proportional(LABEL_PX), color));
    let pos = label_pos(centre, r, galley.size());
    let bg = Rect::from_min_size(pos, galley.size()).expand(3.0);
    [
        Shape::rect_filled(bg, CornerRadius::same(3), visuals.extreme_bg_color),
        Shape::galley(pos, galley, Color32::PLACEHOLDER),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupancy_refuses_overlaps_only() {
        let clip = Rect::from_min_size(Pos2::ZERO, Vec2::new(200.0, 100.0));
        let mut o = Occupancy::new(clip);
        let a = Rect::from_min_size(Pos2::new(10.0, 10.0), Vec2::new(60.0, 14.0));
        assert!(o.is_free(a));
        o.take(a, text_hash("Binance"));
        assert!(!o.is_free(a.translate(Vec2::new(30.0, 5.0))));
        assert!(o.is_free(a.translate(Vec2::new(0.0, 30.0))));
        assert!(o.has_same_text(a.translate(Vec2::new(30.0, 5.0)), text_hash("Binance")));
        assert!(!o.has_same_text(a.translate(Vec2::new(30.0, 5.0)), text_hash("Kraken")));
        assert!(!o.has_same_text(a.translate(Vec2::new(0.0, 30.0)), text_hash("Binance")));
        // Outside the canvas: clamped to the border cells, no panic.
        o.is_free(Rect::from_min_size(
            Pos2::new(-50.0, 500.0),
            Vec2::splat(10.0),
        ));
    }

    /// The label texts drawn for tagged nodes crowded onto one spot, zoomed out.
    fn crowded_labels(tags: &[&str]) -> Vec<String> {
        let ctx = egui::Context::default();
        let nodes: Vec<NodeVisual> = tags
            .iter()
            .enumerate()
            .map(|(i, t)| NodeVisual::test_address(i, true, Some(t)))
            .collect();
        // All within a point of each other: every spot around one is taken by the first.
        let positions: Vec<Pos2> = (0..nodes.len())
            .map(|i| Pos2::new(100.0 + i as f32 * 0.3, 100.0))
            .collect();
        let bulk = Bulk {
            mesh: Default::default(),
            must_label: (0..nodes.len() as u32).collect(),
            may_label: Vec::new(),
            edge_labels: Vec::new(),
        };
        let transform = Transform {
            zoom: LABEL_ZOOM_FOR_TEST,
            offset: Vec2::new(100.0, 100.0),
        };
        let clip = Rect::from_min_size(Pos2::ZERO, Vec2::new(400.0, 300.0));
        let mut texts = Vec::new();
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {
            let selected = vec![false; nodes.len()];
            let shapes = label_shapes(
                &ctx,
                &bulk,
                &nodes,
                &positions,
                &selected,
                &[],
                &transform,
                clip,
            );
            for shape in shapes {
                if let Shape::Text(text) = shape {
                    texts.push(text.galley.text().to_owned());
                }
            }
        });
        // No renderer here to take the font texture.
        output.textures_delta.clear();
        texts
    }

    /// Zoomed out far enough that tagged nodes show their tag.
    const LABEL_ZOOM_FOR_TEST: f32 = super::super::display::LABEL_ZOOM * 0.5;

    #[test]
    fn tagged_nodes_keep_their_labels_unless_the_same_text_is_there() {
        // Five tagged nodes on one spot with different tags: four spots, then one overlapping.
        let labels = crowded_labels(&["Binance", "Kraken", "Mixer", "Lazarus", "Bybit"]);
        assert_eq!(labels.len(), 5, "{labels:?}");
        // Twenty nodes of one cluster on one spot: its name once, not twenty times.
        let labels = crowded_labels(&["Binance"; 20]);
        assert_eq!(labels, vec!["Binance".to_owned()]);
    }
}
