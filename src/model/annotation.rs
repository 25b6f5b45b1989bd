//! Annotations: what the investigator draws on the graph to tell its story.
//!
//! Text notes pinned to a node (their position is then an offset from it, so they follow the
//! node) or placed freely (canvas units), arrows between notes and nodes, and a highlight
//! colour on any node or edge. Colours are a small named palette, not floats, so two
//! investigators' highlights compare exactly when cases are merged.

use super::node::NodeId;
use super::transfer::TransferId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Id of a note, unique within a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NoteId(pub u64);

/// Id of an arrow, unique within a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArrowId(pub u64);

/// A text box on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Id.
    pub id: NoteId,
    /// The text (may span lines).
    pub text: String,
    /// The node the note is pinned to; `None` for a free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<NodeId>,
    /// Canvas units: the offset from the anchor node, or the absolute place of a free note.
    pub position: [f32; 2],
    /// Investigator who wrote it.
    #[serde(default)]
    pub author: String,
    /// Unix seconds of the last edit.
    #[serde(default)]
    pub modified: i64,
}

impl Note {
    /// Where the note sits on the canvas, given the positions of nodes.
    pub fn canvas_position(&self, positions: &BTreeMap<NodeId, [f32; 2]>) -> [f32; 2] {
        match self.anchor.as_ref().and_then(|a| positions.get(a)) {
            Some(base) => [base[0] + self.position[0], base[1] + self.position[1]],
            None => self.position,
        }
    }
}

/// One end of an arrow.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ArrowEnd {
    /// A note.
    Note(NoteId),
    /// A node.
    Node(NodeId),
}

/// An arrow drawn from one note or node to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrow {
    /// Id.
    pub id: ArrowId,
    /// Tail.
    pub from: ArrowEnd,
    /// Head.
    pub to: ArrowEnd,
    /// For a bridge hop the investigator applied: the deposit and the payout it links, so
    /// paths and taint cross from the tail (the depositor) to the head (the recipient on the
    /// other chain). `None` for an arrow drawn by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hop: Option<HopEvidence>,
}

impl Arrow {
    /// A hand-drawn arrow.
    pub fn plain(id: ArrowId, from: ArrowEnd, to: ArrowEnd) -> Arrow {
        Arrow {
            id,
            from,
            to,
            hop: None,
        }
    }
}

/// A hop across chains (or through a swap): money went into `deposit` and came out as
/// `payout`, as the finding `method` proposed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HopEvidence {
    /// The transfer into the bridge.
    pub deposit: TransferId,
    /// The transfer the bridge paid out.
    pub payout: TransferId,
    /// The method and version that proposed it (`bridge_memo@1`).
    pub method: String,
}

/// A highlight colour (a fixed palette, chosen to read on the dark canvas and on paper).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Highlight {
    Yellow,
    Red,
    Green,
    Blue,
    Purple,
}

impl Highlight {
    /// Every colour, in menu order.
    pub const ALL: [Highlight; 5] = [
        Highlight::Yellow,
        Highlight::Red,
        Highlight::Green,
        Highlight::Blue,
        Highlight::Purple,
    ];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Highlight::Yellow => "yellow",
            Highlight::Red => "red",
            Highlight::Green => "green",
            Highlight::Blue => "blue",
            Highlight::Purple => "purple",
        }
    }

    /// sRGB colour.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Highlight::Yellow => [255, 214, 0],
            Highlight::Red => [255, 82, 82],
            Highlight::Green => [0, 230, 118],
            Highlight::Blue => [68, 138, 255],
            Highlight::Purple => [224, 64, 251],
        }
    }
}

/// A directed edge of the canvas: all transfers from one node to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeKey {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
}

/// Everything drawn on top of the facts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotations {
    /// Notes by id.
    #[serde(default)]
    pub notes: BTreeMap<NoteId, Note>,
    /// Arrows by id.
    #[serde(default)]
    pub arrows: BTreeMap<ArrowId, Arrow>,
    /// Highlighted nodes.
    #[serde(default)]
    pub node_highlights: BTreeMap<NodeId, Highlight>,
    /// Highlighted edges.
    #[serde(default)]
    pub edge_highlights: BTreeMap<EdgeKey, Highlight>,
}

impl Annotations {
    /// True when nothing is annotated.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
            && self.arrows.is_empty()
            && self.node_highlights.is_empty()
            && self.edge_highlights.is_empty()
    }

    /// The next unused note id.
    pub fn next_note_id(&self) -> NoteId {
        NoteId(self.notes.keys().next_back().map_or(1, |id| id.0 + 1))
    }

    /// The next unused arrow id.
    pub fn next_arrow_id(&self) -> ArrowId {
        ArrowId(self.arrows.keys().next_back().map_or(1, |id| id.0 + 1))
    }
}
