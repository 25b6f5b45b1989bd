//! The scene: one description of what a case looks like, shared by the canvas and the exports.
//!
//! The look decisions that follow from the case itself live here and nowhere else: a node's
//! fill (its category's colour, else the neutral address or transaction fill), its shape and
//! radius, its labels, its badges, and an edge's width from the value it carries. The canvas
//! (`app::canvas`) converts [`NodeStyle`] into egui colours; [`Scene::from_case`] collects the
//! same decisions for the whole case, plus cluster hulls, notes, arrows, highlights, a legend of
//! the categories used, and the title, date and source lines, for the SVG and PNG exports. No
//! screen here: positions are canvas units, colours sRGB bytes, sizes in canvas units or in
//! reference pixels (the canvas at zoom 1).

use crate::analysis::flows::flow_view;
use crate::model::{ArrowEnd, Case, Category, EdgeKey, NodeId, NodeKind, NoteId, SourceConfig};
use crate::prices::PriceBook;

pub mod colour_vision;
pub mod glyphs;
mod style;
mod text;

use std::collections::{BTreeMap, BTreeSet};
pub use style::{
    MarkShape, NodeLabels, NodeStyle, flow_width, largest_by_asset, node_labels, node_style,
};
use text::{bounds, date_line, filtered_line, legend, source_line, summary_line};
pub use text::{source_label, utc_minute};

/// Canvas radius of an address node.
pub const ADDRESS_RADIUS: f32 = 9.0;
/// Canvas half-size of a transaction node.
pub const TRANSACTION_HALF: f32 = 5.0;
/// Label font size in reference pixels (the canvas draws it at this screen size at any zoom).
pub const LABEL_PX: f32 = 12.0;
/// Zoom above which every node gets its short label (below it only tagged nodes, by tag).
pub const LABEL_ZOOM: f32 = 0.7;
/// Zoom above which a tagged node's label shows its address beside the tag (below it, the tag
/// alone: forty "0x… · Theft split address" labels are a wall of text).
pub const DETAIL_ZOOM: f32 = 2.0;
/// Smallest radius in reference pixels, so zoomed-out nodes stay visible.
pub const MIN_SCREEN_RADIUS: f32 = 2.5;
/// Margin around cluster members in reference pixels (as the canvas's hulls).
pub const HULL_MARGIN_PX: f32 = 18.0;
/// Fill of an address no one has judged yet.
pub const NEUTRAL_ADDRESS_RGB: [u8; 3] = [102, 102, 102];
/// Fill of a transaction node no one has judged yet.
pub const TRANSACTION_RGB: [u8; 3] = [69, 90, 100];
/// Note box fill, text and border (a paper note on either theme).
pub const NOTE_FILL_RGB: [u8; 3] = [255, 249, 196];
/// Note text colour.
pub const NOTE_TEXT_RGB: [u8; 3] = [33, 33, 33];
/// Note border and leader-line colour.
pub const NOTE_BORDER_RGB: [u8; 3] = [251, 192, 45];
/// Width at which note text wraps, reference pixels.
pub const NOTE_WRAP_PX: f32 = 220.0;
/// Padding inside a note box, reference pixels.
pub const NOTE_PAD_PX: f32 = 6.0;
/// Note text size, reference pixels.
pub const NOTE_FONT_PX: f32 = 13.0;
/// Extra radius of a node highlight halo, reference pixels.
pub const HALO_PX: f32 = 9.0;
/// Width of the band under a highlighted edge, reference pixels.
pub const EDGE_BAND_PX: f32 = 10.0;
/// Default export width in pixels (about 8 inches at 300 dpi).
pub const DEFAULT_WIDTH_PX: u32 = 2400;
/// Narrowest export the layout supports.
pub const MIN_WIDTH_PX: u32 = 400;
/// Widest export (SVG coordinates; the PNG has its own pixel limit).
pub const MAX_WIDTH_PX: u32 = 20_000;

/// Colour scheme of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// White background, dark text: for reports and print.
    #[default]
    Paper,
    /// The canvas's dark background.
    Dark,
}

/// What an export should look like.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneOptions {
    /// Width of the picture in pixels (the SVG's viewBox; clamped to
    /// [`MIN_WIDTH_PX`]..=[`MAX_WIDTH_PX`]); the height follows the graph.
    pub width_px: u32,
    /// Multiplies the pixel size (PNG pixels, SVG width/height); 1 when not finite or ≤ 0.
    pub scale: f32,
    /// Colours.
    pub theme: Theme,
    /// Unix seconds of the export, printed in the footer; `None` leaves it out (tests,
    /// reproducible output). The app and the CLI pass the current time.
    pub exported_at: Option<i64>,
}

impl Default for SceneOptions {
    fn default() -> Self {
        SceneOptions {
            width_px: DEFAULT_WIDTH_PX,
            scale: 1.0,
            theme: Theme::Paper,
            exported_at: None,
        }
    }
}

impl SceneOptions {
    /// The width actually used, in pixels.
    pub fn effective_width_px(&self) -> u32 {
        self.width_px.clamp(MIN_WIDTH_PX, MAX_WIDTH_PX)
    }

    /// The scale actually used.
    pub fn effective_scale(&self) -> f32 {
        if self.scale.is_finite() && self.scale > 0.0 {
            self.scale
        } else {
            1.0
        }
    }
}

/// Small marks on a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Badges {
    /// Matched by an attribution pack.
    pub attributed: bool,
    /// Tags in conflict.
    pub conflict: bool,
    /// Pinned by the user.
    pub pinned: bool,
}

/// One node of the scene.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneNode {
    /// Case node id.
    pub id: NodeId,
    /// Centre in canvas units.
    pub pos: [f32; 2],
    /// Radius (half-size for squares) in canvas units.
    pub radius: f32,
    /// Fill colour.
    pub fill: [u8; 3],
    /// The category's glyph, if it has one.
    pub glyph: Option<glyphs::Glyph>,
    /// Shape.
    pub shape: MarkShape,
    /// Short label.
    pub label: String,
    /// The short address alone (what a cluster's member shows, the hull naming the cluster).
    pub address_label: String,
    /// Full label (for tooltips).
    pub full_label: String,
    /// Tag or cluster label, shown alone when zoomed out.
    pub tag_label: Option<String>,
    /// Label always shown.
    pub emphasised: bool,
    /// A member of a cluster (zoomed out, its cluster's name stands for it).
    pub clustered: bool,
    /// Highlight colour the investigator gave it.
    pub highlight: Option<[u8; 3]>,
    /// Badges.
    pub badges: Badges,
    /// Number of edges touching it (hubs are labelled first where labels compete).
    pub degree: usize,
}

/// One edge of the scene: all transfers from one node to another.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneEdge {
    /// Centre of the sender, canvas units.
    pub from: [f32; 2],
    /// Centre of the receiver, canvas units.
    pub to: [f32; 2],
    /// Sender's radius, canvas units.
    pub from_radius: f32,
    /// Receiver's radius, canvas units.
    pub to_radius: f32,
    /// Stroke width in reference pixels (see [`flow_width`]).
    pub width: f32,
    /// Highlight colour; `None` draws the theme's neutral edge colour.
    pub highlight: Option<[u8; 3]>,
}

/// A cluster's outline: drawn around its members' centres with a margin.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneHull {
    /// Members' centres, canvas units.
    pub members: Vec<[f32; 2]>,
    /// `label (category)`.
    pub label: String,
    /// Category colour.
    pub rgb: [u8; 3],
}

/// Points on the ring around each member of a hull.
const RING_POINTS: usize = 16;

impl SceneHull {
    /// The outline after mapping the members with `map`: a convex polygon `margin` away from
    /// every mapped member (so one or two members still get a round outline). Fewer than three
    /// points when there is nothing to draw.
    pub fn outline(&self, map: impl Fn([f32; 2]) -> [f32; 2], margin: f32) -> Vec<[f32; 2]> {
        let points: Vec<[f32; 2]> = self
            .members
            .iter()
            .flat_map(|p| {
                let c = map(*p);
                (0..RING_POINTS).map(move |k| {
                    let angle = std::f32::consts::TAU * k as f32 / RING_POINTS as f32;
                    [c[0] + margin * angle.cos(), c[1] + margin * angle.sin()]
                })
            })
            .collect();
        crate::layout::convex_hull(&points)
    }
}

/// A note: a text box.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneNote {
    /// The text (may span lines).
    pub text: String,
    /// Who wrote it (may be empty).
    pub author: String,
    /// Top-left corner of the box, canvas units.
    pub pos: [f32; 2],
    /// Centre and radius of the node the note is pinned to.
    pub anchor: Option<([f32; 2], f32)>,
}

/// One end of an annotation arrow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArrowPoint {
    /// A node: centre and radius in canvas units.
    Node { pos: [f32; 2], radius: f32 },
    /// A note, by index into [`Scene::notes`].
    Note(usize),
}

/// An arrow the investigator drew.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SceneArrow {
    /// Tail.
    pub from: ArrowPoint,
    /// Head.
    pub to: ArrowPoint,
    /// A word at the middle: "bridge hop" for an applied hop, none for a hand-drawn arrow.
    pub label: Option<&'static str>,
}

/// The symbol of a legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendMark {
    /// A filled circle (address fill).
    Circle,
    /// A filled square (transaction fill).
    Square,
    /// The attribution badge.
    Badge,
    /// The conflict ring.
    Conflict,
}

/// One line of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// Text (a category's machine name, or a description).
    pub label: String,
    /// Colour of the mark.
    pub rgb: [u8; 3],
    /// Mark.
    pub mark: LegendMark,
    /// The category's glyph on the mark.
    pub glyph: Option<glyphs::Glyph>,
}

/// The extent of the scene in canvas units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Smallest x and y.
    pub min: [f32; 2],
    /// Largest x and y.
    pub max: [f32; 2],
}

impl Bounds {
    /// Width and height (at least 1 canvas unit each).
    pub fn size(&self) -> [f32; 2] {
        [
            (self.max[0] - self.min[0]).max(1.0),
            (self.max[1] - self.min[1]).max(1.0),
        ]
    }
}

/// Everything an export draws, in canvas units and sRGB.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Case title.
    pub title: String,
    /// `42 nodes · 41 transfers · 2 clusters · 1 note`.
    pub summary_line: String,
    /// `Exported … UTC · case last changed … UTC` (empty parts left out).
    pub date_line: String,
    /// Where the data came from (source names; URLs reduced to their host, never a secret).
    pub source_line: String,
    /// Nodes, in id order.
    pub nodes: Vec<SceneNode>,
    /// Edges, in id order.
    pub edges: Vec<SceneEdge>,
    /// Cluster outlines, in cluster order.
    pub hulls: Vec<SceneHull>,
    /// Notes, in id order.
    pub notes: Vec<SceneNote>,
    /// Arrows, in id order.
    pub arrows: Vec<SceneArrow>,
    /// Categories used (in menu order, custom ones by name), then the neutral fills and the
    /// badges that appear.
    pub legend: Vec<LegendEntry>,
    /// Extent of nodes, notes and arrow ends.
    pub bounds: Bounds,
}

/// Farthest a position may be from the origin, canvas units (keeps every size computed from
/// the bounds finite).
const FAR_CANVAS: f32 = 1.0e9;

/// A usable position: non-finite coordinates become 0 (as the canvas treats a missing one),
/// absurdly far ones are pulled in to [`FAR_CANVAS`].
fn finite(p: [f32; 2]) -> [f32; 2] {
    p.map(|v| {
        if v.is_finite() {
            v.clamp(-FAR_CANVAS, FAR_CANVAS)
        } else {
            0.0
        }
    })
}

impl Scene {
    /// Collects the scene of `case`, valued with the bundled prices (see
    /// [`Scene::from_case_with`]).
    pub fn from_case(case: &Case, options: &SceneOptions) -> Scene {
        Scene::from_case_with(case, options, PriceBook::bundled_ref())
    }

    /// Collects the scene of `case` under its view's filter: what the filter takes away is
    /// left out of the picture, and the summary line says so. Nodes without a position sit at
    /// the origin, as on the canvas; lay the case out first for a useful picture.
    pub fn from_case_with(case: &Case, options: &SceneOptions, prices: &PriceBook) -> Scene {
        let filter = &case.view.filter;
        let flows = flow_view(case, prices, filter);
        let pos_of = |id: &NodeId| -> [f32; 2] {
            finite(case.layout.positions.get(id).copied().unwrap_or([0.0, 0.0]))
        };
        let mut nodes = Vec::with_capacity(case.nodes.len());
        let mut radius_of: BTreeMap<&NodeId, f32> = BTreeMap::new();
        let mut used: BTreeSet<Category> = BTreeSet::new();
        let (mut neutral_address, mut neutral_tx) = (false, false);
        for (id, node) in &case.nodes {
            if flows.hidden_nodes.contains(id) {
                continue;
            }
            let is_tx = node.kind == NodeKind::Transaction;
            let style = node_style(case, id, is_tx);
            let labels = node_labels(id, is_tx, style.tag_label.as_deref());
            match case.display_category(id) {
                Some(category) => {
                    used.insert(category.clone());
                }
                None if is_tx => neutral_tx = true,
                None => neutral_address = true,
            }
            radius_of.insert(id, style.radius);
            nodes.push(SceneNode {
                id: id.clone(),
                pos: pos_of(id),
                radius: style.radius,
                fill: style.fill,
                glyph: style.glyph,
                shape: style.shape,
                label: labels.short,
                address_label: labels.address,
                full_label: labels.full,
                tag_label: style.tag_label,
                emphasised: style.emphasised,
                clustered: style.clustered,
                highlight: case.annotations.node_highlights.get(id).map(|h| h.rgb()),
                badges: Badges {
                    attributed: style.attributed,
                    conflict: style.conflict,
                    pinned: style.pinned,
                },
                degree: 0,
            });
        }
        let largest = largest_by_asset(&flows.shown);
        let mut by_pair: BTreeMap<(&NodeId, &NodeId), f32> = BTreeMap::new();
        for f in &flows.shown {
            let width = flow_width(
                f,
                largest
                    .get(&(f.asset.chain, f.asset.contract.as_deref()))
                    .copied()
                    .unwrap_or(0),
            );
            let slot = by_pair.entry((&f.from, &f.to)).or_insert(0.0);
            *slot = slot.max(width);
        }
        let aggregated: Vec<(&NodeId, &NodeId, f32)> =
            by_pair.into_iter().map(|((a, b), w)| (a, b, w)).collect();
        let mut degree: BTreeMap<&NodeId, usize> = BTreeMap::new();
        for (from, to, _) in &aggregated {
            *degree.entry(*from).or_default() += 1;
            *degree.entry(*to).or_default() += 1;
        }
        for node in &mut nodes {
            node.degree = degree.get(&node.id).copied().unwrap_or(0);
        }
        let edges = aggregated
            .into_iter()
            .filter_map(|(from, to, width)| {
                let from_radius = *radius_of.get(from)?;
                let to_radius = *radius_of.get(to)?;
                let key = EdgeKey {
                    from: from.clone(),
                    to: to.clone(),
                };
                Some(SceneEdge {
                    from: pos_of(from),
                    to: pos_of(to),
                    from_radius,
                    to_radius,
                    width,
                    highlight: case.annotations.edge_highlights.get(&key).map(|h| h.rgb()),
                })
            })
            .collect();
        let hulls = case
            .clusters
            .values()
            .map(|cluster| SceneHull {
                members: cluster
                    .members
                    .iter()
                    .filter(|id| case.nodes.contains_key(*id))
                    .filter_map(|id| case.layout.positions.get(id).copied().map(finite))
                    .collect(),
                label: format!("{} ({})", cluster.label, cluster.category),
                rgb: cluster.category.rgb(),
            })
            .filter(|hull| !hull.members.is_empty())
            .collect();
        let mut note_index: BTreeMap<NoteId, usize> = BTreeMap::new();
        let mut notes = Vec::with_capacity(case.annotations.notes.len());
        for (id, note) in &case.annotations.notes {
            note_index.insert(*id, notes.len());
            let anchor = note
                .anchor
                .as_ref()
                .and_then(|a| Some((pos_of(a), *radius_of.get(a)?)));
            notes.push(SceneNote {
                text: note.text.clone(),
                author: note.author.clone(),
                pos: finite(note.canvas_position(&case.layout.positions)),
                anchor,
            });
        }
        let point = |end: &ArrowEnd| -> Option<ArrowPoint> {
            match end {
                ArrowEnd::Note(id) => note_index.get(id).map(|&i| ArrowPoint::Note(i)),
                ArrowEnd::Node(id) => radius_of.get(id).map(|&radius| ArrowPoint::Node {
                    pos: pos_of(id),
                    radius,
                }),
            }
        };
        let arrows = case
            .annotations
            .arrows
            .values()
            .filter_map(|a| {
                Some(SceneArrow {
                    from: point(&a.from)?,
                    to: point(&a.to)?,
                    label: a.hop.is_some().then_some("bridge hop"),
                })
            })
            .collect();
        let legend = legend(
            &used,
            neutral_address,
            neutral_tx,
            nodes.iter().any(|n| n.badges.attributed),
            nodes.iter().any(|n| n.badges.conflict),
        );
        let bounds = bounds(&nodes, &notes);
        Scene {
            title: case.meta.title.trim().to_owned(),
            summary_line: summary_line(case, filtered_line(case, &flows)),
            date_line: date_line(case, options.exported_at),
            source_line: source_line(case),
            nodes,
            edges,
            hulls,
            notes,
            arrows,
            legend,
            bounds,
        }
    }
}

/// Colour of the conflict ring and mark (as on the canvas).
pub const CONFLICT_RGB: [u8; 3] = [255, 167, 38];

#[cfg(test)]
mod tests;
