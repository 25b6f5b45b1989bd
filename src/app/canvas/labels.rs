//! Labels, placed each frame so that none covers another, at most [`LABEL_CAP`] a frame, in
//! order of importance: selected nodes first, then one name per cluster (above its outline,
//! else below), then tagged nodes, heaviest flows first, then — zoomed in — every other node
//! with some air around it, then edge labels (amount, count, USD), largest flows first.
//!
//! A node's label goes below it, else above, right or left, wherever it covers no label
//! already placed; where all four are taken it is left out (hover shows it). Zoomed out, a
//! cluster's members leave their names to the cluster; a tagged node shows its tag alone unless
//! zoomed in close or selected; a label never runs off the canvas;
//! a tag whose text already shows right there is not repeated (a crowd of nodes tagged
//! "Binance" shows "Binance" once). The hovered node's full label goes on top, on a
//! background, as a tooltip would.
//!
//! Text is laid out through egui's galley cache, so a label seen last frame costs a lookup.

use super::display::{LABEL_PX, NodeVisual};
use super::hulls::HullName;
use super::paint::Bulk;
use super::view::Transform;
use egui::{Color32, CornerRadius, FontId, Pos2, Rect, Shape, Vec2};

/// Most labels drawn in one frame.
pub const LABEL_CAP: usize = 400;
/// Most edge labels drawn in one frame.
pub const EDGE_LABEL_CAP: usize = 150;
/// Size of an occupancy bucket, screen points.
const BUCKET_PX: Vec2 = Vec2::new(64.0, 32.0);
/// Size of a cluster's name, points.
const HULL_NAME_PX: f32 = 13.0;
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

/// A label's box: its text with the backing's margin at either side.
fn boxed(text: Rect) -> Rect {
    text.expand2(Vec2::new(2.0, 0.0))
}

/// Where a label of `size` goes under a node at `centre` with screen radius `r`.
fn label_pos(centre: Pos2, r: f32, size: Vec2) -> Pos2 {
    Pos2::new(centre.x - size.x / 2.0, centre.y + vertical_gap(r))
}

/// Distance from a node's centre to the label below or above it: clear of the node, and of
/// the labels at its right and left (which are centred on it).
fn vertical_gap(r: f32) -> f32 {
    // Half the tallest label (see `estimated_size`), and a little air.
    (r + LABEL_GAP_PX).max(LABEL_PX * 0.65 + 0.5)
}

/// The places a label may take around its node, best first: below, above, right, left.
fn label_spots(centre: Pos2, r: f32, size: Vec2) -> [Pos2; 4] {
    let gap = r + LABEL_GAP_PX;
    [
        label_pos(centre, r, size),
        Pos2::new(centre.x - size.x / 2.0, centre.y - vertical_gap(r) - size.y),
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

/// The labels of one frame: their shapes (a backing and the text each) and the boxes they
/// take on screen.
#[derive(Default)]
pub struct LabelPass {
    /// Backings and texts.
    pub shapes: Vec<Shape>,
    /// Every label's box, screen points (none overlaps another).
    pub rects: Vec<Rect>,
    /// Every label's text, in the order of `rects`.
    pub texts: Vec<std::sync::Arc<egui::Galley>>,
}

impl LabelPass {
    /// Records the label `galley` placed at `pos` in `color` on `backing`: its box is taken in
    /// `occupancy` (with the text's `hash`) and kept, its backing and text drawn.
    fn place(
        &mut self,
        occupancy: &mut Occupancy,
        pos: Pos2,
        galley: std::sync::Arc<egui::Galley>,
        (color, backing): (Color32, Color32),
        hash: u64,
    ) {
        let rect = boxed(Rect::from_min_size(pos, galley.size()));
        occupancy.take(rect, hash);
        self.rects.push(rect);
        self.shapes
            .push(Shape::rect_filled(rect, CornerRadius::same(3), backing));
        self.texts.push(galley.clone());
        self.shapes.push(Shape::galley(pos, galley, color));
    }
}

/// What the label pass is given: the nodes and where they are, the clusters' names, and the
/// edges that may carry a label (`edge_labels`: centre and text, largest first).
pub struct LabelInput<'a> {
    pub bulk: &'a Bulk,
    pub nodes: &'a [NodeVisual],
    pub positions: &'a [Pos2],
    pub selected: &'a [bool],
    pub hull_names: &'a [HullName],
    pub edge_labels: &'a [(Pos2, &'a str)],
    /// Screen areas no label may cover (the legend, the notes).
    pub avoid: &'a [Rect],
}

/// Places the labels of one frame (see the module doc).
pub fn label_shapes(
    ctx: &egui::Context,
    input: &LabelInput<'_>,
    transform: &Transform,
    clip: Rect,
) -> LabelPass {
    let visuals = &ctx.global_style().visuals;
    let color = visuals.text_color();
    // A faint backing keeps a label readable over edges and crowded nodes.
    let backing = visuals.extreme_bg_color.gamma_multiply(LABEL_BACKING_ALPHA);
    let font = FontId::proportional(LABEL_PX);
    let zoom = transform.zoom;
    let mut occupancy = Occupancy::new(clip);
    for rect in input.avoid {
        occupancy.take(*rect, 0);
    }
    let mut pass = LabelPass::default();
    ctx.fonts_mut(|fonts| {
        let node_label = |i: u32,
                          fonts: &mut egui::epaint::FontsView<'_>,
                          pass: &mut LabelPass,
                          occupancy: &mut Occupancy| {
            if pass.rects.len() >= LABEL_CAP {
                return;
            }
            let i = i as usize;
            let node = &input.nodes[i];
            let selected = input.selected[i];
            let centre = transform.to_screen(input.positions[i]);
            let r = node.screen_radius(zoom);
            let text = node.label_text(zoom, selected, false);
            // Tagged and selected labels may nearly touch; the others keep some air.
            let keep = if node.emphasised || selected {
                0.0
            } else {
                AIR_PX
            };
            let free_spot = |size: Vec2, occupancy: &Occupancy| {
                label_spots(centre, r, size).into_iter().find(|&pos| {
                    let rect = Rect::from_min_size(pos, size);
                    clip.contains_rect(rect) && occupancy.is_free(boxed(rect).expand(keep))
                })
            };
            let hash = text_hash(text);
            // A tag already shown right there is not repeated.
            if node.emphasised && !selected {
                let guess = estimated_size(text);
                let place = Rect::from_min_size(label_pos(centre, r, guess), guess);
                if occupancy.has_same_text(place.expand(guess.y), hash) {
                    return;
                }
            }
            // Where labels crowd, most find no room: ask with a generous guess of the size
            // before laying the text out.
            if free_spot(estimated_size(text), occupancy).is_none() {
                return;
            }
            let galley = fonts.layout_no_wrap(text.to_owned(), font.clone(), color);
            let size = galley.size();
            let Some(pos) = free_spot(size, occupancy) else {
                return;
            };
            pass.place(occupancy, pos, galley, (color, backing), hash);
        };
        for &i in &input.bulk.selected_label {
            node_label(i, fonts, &mut pass, &mut occupancy);
        }
        let name_font = FontId::proportional(HULL_NAME_PX);
        for name in input.hull_names {
            if pass.rects.len() >= LABEL_CAP {
                break;
            }
            let galley = fonts.layout_no_wrap(name.text.clone(), name_font.clone(), name.color);
            let size = galley.size();
            let spots = [
                name.top - Vec2::new(size.x / 2.0, size.y + LABEL_GAP_PX),
                name.bottom + Vec2::new(-size.x / 2.0, LABEL_GAP_PX),
            ];
            let Some(pos) = spots.into_iter().find(|&pos| {
                let rect = Rect::from_min_size(pos, size);
                clip.contains_rect(rect) && occupancy.is_free(boxed(rect))
            }) else {
                continue;
            };
            let hash = text_hash(&name.text);
            pass.place(&mut occupancy, pos, galley, (name.color, backing), hash);
        }
        for &i in input.bulk.tagged_label.iter().chain(&input.bulk.may_label) {
            node_label(i, fonts, &mut pass, &mut occupancy);
        }
        let edge_color = visuals.weak_text_color();
        // Edge labels sit on their (possibly highlighted) edge: a firmer backing.
        let edge_backing = visuals
            .extreme_bg_color
            .gamma_multiply(EDGE_LABEL_BACKING_ALPHA);
        let edge_font = FontId::proportional(LABEL_PX - 1.0);
        let mut placed = 0;
        for &(mid, text) in input.edge_labels {
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
                clip.contains_rect(rect) && occupancy.is_free(boxed(rect).expand(1.0))
            };
            if !spots(guess).into_iter().any(|p| fits(p, guess, &occupancy)) {
                continue;
            }
            let galley = fonts.layout_no_wrap(text.to_owned(), edge_font.clone(), edge_color);
            let size = galley.size();
            let Some(pos) = spots(size).into_iter().find(|&p| fits(p, size, &occupancy)) else {
                continue;
            };
            pass.place(&mut occupancy, pos, galley, (edge_color, edge_backing), 0);
            placed += 1;
        }
    });
    pass
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
            selected_label: Vec::new(),
            tagged_label: (0..nodes.len() as u32).collect(),
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
            let input = LabelInput {
                bulk: &bulk,
                nodes: &nodes,
                positions: &positions,
                selected: &selected,
                hull_names: &[],
                edge_labels: &[],
                avoid: &[],
            };
            let pass = label_shapes(&ctx, &input, &transform, clip);
            for (i, a) in pass.rects.iter().enumerate() {
                assert!(
                    pass.rects[..i].iter().all(|b| !overlaps(*a, *b)),
                    "labels overlap: {:?}",
                    pass.rects
                );
            }
            for shape in pass.shapes {
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
    fn crowded_labels_never_overlap_and_a_tag_shows_once() {
        // Five tagged nodes on one spot with different tags: four spots, the fifth left out.
        let labels = crowded_labels(&["Binance", "Kraken", "Mixer", "Lazarus", "Bybit"]);
        assert_eq!(labels, ["Binance", "Kraken", "Mixer", "Lazarus"]);
        // Twenty nodes of one cluster on one spot: its name once, not twenty times.
        let labels = crowded_labels(&["Binance"; 20]);
        assert_eq!(labels, vec!["Binance".to_owned()]);
    }
}
