//! How nodes and edges look on the canvas: what is known about each (from the case) and the
//! colours and sizes that turn it into marks on the screen.
//!
//! Colour by category, shape by kind (circle = address, rounded square = transaction), labels
//! in a fixed screen size so they stay readable at any zoom (short address; the full one on
//! hover). Nodes never shrink below a few pixels, so zoomed-out nodes stay visible and
//! clickable. Edges grow with value on a log scale and carry an arrow for direction.

use crate::export::scene::{NodeLabels, node_labels};
use crate::model::NodeId;
use egui::Color32;

// Sizes shared with the SVG/PNG export, so the two pictures agree: node radii, the label size
// in screen pixels (independent of zoom), the zoom above which every node gets its short label,
// and the smallest on-screen radius (zoomed-out nodes stay visible and clickable).
pub use crate::export::scene::ADDRESS_RADIUS;
use crate::export::scene::CONFLICT_RGB;
pub use crate::export::scene::{
    DETAIL_ZOOM, LABEL_PX, LABEL_ZOOM, MIN_SCREEN_RADIUS, TRANSACTION_HALF,
};

/// The canvas behind the graph, dark theme (the category colours are checked against it).
pub const CANVAS_DARK_RGB: [u8; 3] = [24, 28, 34];
/// The canvas behind the graph, light theme.
pub const CANVAS_LIGHT_RGB: [u8; 3] = [248, 249, 250];

/// Colour of the conflict ring and mark.
pub const CONFLICT: Color32 = Color32::from_rgb(CONFLICT_RGB[0], CONFLICT_RGB[1], CONFLICT_RGB[2]);
/// Selection: the ring around a selected node, and edges touching the selection.
pub const SELECTION: Color32 = Color32::from_rgb(255, 215, 0);
/// Outline of a selected node.
pub const SELECTED_OUTLINE: Color32 = Color32::WHITE;
/// Outline of the hovered node.
pub const HOVER_OUTLINE: Color32 = Color32::from_gray(230);
/// The pin dot of a pinned node.
pub const PIN: Color32 = Color32::from_rgb(255, 215, 0);
/// An edge.
pub const EDGE: Color32 = Color32::from_rgba_premultiplied(100, 106, 118, 150);
/// Gap between a selected node and its selection ring, screen points.
pub const SELECTION_GAP_PX: f32 = 4.0;

/// What the canvas needs to draw one node.
#[derive(Debug, Clone)]
pub struct NodeVisual {
    /// Case node id.
    pub id: NodeId,
    /// Its labels (short `bc1qar…5mdq · tag`, the address alone, the full id for hover), made
    /// the first time the canvas labels it: a big case labels a few hundred of its nodes.
    pub labels: std::sync::OnceLock<Box<NodeLabels>>,
    /// Transaction node (drawn as a square).
    pub is_transaction: bool,
    /// Fill colour (category, or neutral).
    pub fill: Color32,
    /// The category's glyph, drawn inside the node when it is large enough.
    pub glyph: Option<crate::export::scene::glyphs::Glyph>,
    /// The glyph's colour: dark on light fills, white on dark ones.
    pub glyph_color: Color32,
    /// Tagged or clustered: label always shown.
    pub emphasised: bool,
    /// The tag or cluster label, shown alone when zoomed out.
    pub tag_label: Option<String>,
    /// A member of a cluster (zoomed out, the cluster's one name stands for it).
    pub clustered: bool,
    /// Importance for labelling: the width of its widest edge (larger flows first).
    pub weight: f32,
    /// Pinned by the user.
    pub pinned: bool,
    /// Matched by an attribution pack (drawn with a badge).
    pub attributed: bool,
    /// Its tags disagree and no own tag resolves it (drawn with a warning mark).
    pub conflict: bool,
    /// Whether the graph filter lets it through.
    pub shown: Shown,
}

/// How the graph filter lets a node through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Drawn as usual.
    Normal,
    /// Filtered, drawn faintly (the user chose "dim").
    Dimmed,
    /// Filtered and not drawn.
    Hidden,
}

impl NodeVisual {
    /// Radius (half-size for a transaction square) in canvas units.
    pub fn canvas_radius(&self) -> f32 {
        if self.is_transaction {
            TRANSACTION_HALF
        } else {
            ADDRESS_RADIUS
        }
    }

    /// Radius on screen at `zoom`, never below [`MIN_SCREEN_RADIUS`].
    #[inline]
    pub fn screen_radius(&self, zoom: f32) -> f32 {
        (self.canvas_radius() * zoom).max(MIN_SCREEN_RADIUS)
    }

    /// The label text: the full label when hovered; the short label when selected; a
    /// cluster's member its address alone (its hull names the cluster); a tagged node its tag
    /// alone unless zoomed in close; else the short label.
    pub fn label_text(&self, zoom: f32, selected: bool, hovered: bool) -> &str {
        if hovered {
            return &self.labels().full;
        }
        if self.clustered && !selected {
            return &self.labels().address;
        }
        match &self.tag_label {
            Some(tag) if zoom < DETAIL_ZOOM && !selected => tag,
            _ => &self.labels().short,
        }
    }

    /// Its labels, made on first use.
    pub fn labels(&self) -> &NodeLabels {
        self.labels.get_or_init(|| {
            Box::new(node_labels(
                &self.id,
                self.is_transaction,
                self.tag_label.as_deref(),
            ))
        })
    }
}

/// One edge: every transfer from one node to another in one asset (a flow).
#[derive(Debug, Clone, Copy)]
pub struct EdgeVisual {
    /// Index of the sending node.
    pub from: u32,
    /// Index of the receiving node.
    pub to: u32,
    /// Stroke width in screen points at zoom 1.
    pub width: f32,
    /// Index of its flow in the graph's flows.
    pub flow: u32,
    /// Sideways offset in screen points (edges joining the same nodes run side by side),
    /// measured to the left of the lower-indexed node → higher-indexed node direction.
    pub lane: f32,
    /// Filtered and drawn faintly.
    pub dimmed: bool,
}

impl EdgeVisual {
    /// Stroke width on screen at `zoom` (thinner when zoomed out, never invisible).
    #[inline]
    pub fn screen_width(&self, zoom: f32) -> f32 {
        (self.width * zoom.clamp(0.4, 2.0)).max(0.6)
    }
}

#[cfg(test)]
impl NodeVisual {
    /// Address node number `i` for tests: tagged (`emphasised`) or not, with `tag` as the label
    /// it shows zoomed out.
    pub(super) fn test_address(i: usize, emphasised: bool, tag: Option<&str>) -> NodeVisual {
        let id = NodeId::parse(&format!("eth:0x{i:040x}")).expect("valid id");
        NodeVisual {
            labels: std::sync::OnceLock::from(Box::new(NodeLabels {
                short: id.as_str().to_owned(),
                address: id.as_str().to_owned(),
                full: id.as_str().to_owned(),
            })),
            id,
            is_transaction: false,
            fill: Color32::GRAY,
            glyph: None,
            glyph_color: Color32::BLACK,
            emphasised,
            tag_label: tag.map(str::to_owned),
            clustered: false,
            weight: 0.0,
            pinned: false,
            attributed: false,
            conflict: false,
            shown: Shown::Normal,
        }
    }
}

#[cfg(test)]
impl EdgeVisual {
    /// A plain edge for tests.
    pub(super) fn test_edge(from: u32, to: u32) -> EdgeVisual {
        EdgeVisual {
            from,
            to,
            width: 1.0,
            flow: 0,
            lane: 0.0,
            dimmed: false,
        }
    }
}
