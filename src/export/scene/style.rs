//! The look of one node and one flow: a node's mark (shape, radius, fill, badges, glyph) and
//! labels, and a flow's width from the value it carries. The canvas draws these per node and
//! per flow; [`super::Scene::from_case`] collects them for the whole case.

use super::glyphs;
use super::{ADDRESS_RADIUS, NEUTRAL_ADDRESS_RGB, TRANSACTION_HALF, TRANSACTION_RGB};
use crate::analysis::flows::Flow;
use crate::model::address::short_form;
use crate::model::{Case, Chain, NodeId};
use crate::prices::USD_SCALE;
use std::collections::HashMap;

/// How a node is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkShape {
    /// An address.
    Circle,
    /// A transaction (a square, rounded on the canvas).
    Square,
}

/// Everything the case decides about how one node looks.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeStyle {
    /// Fill colour (category, else neutral address or transaction fill).
    pub fill: [u8; 3],
    /// The category's glyph, if it has one.
    pub glyph: Option<glyphs::Glyph>,
    /// Circle for addresses, square for transactions.
    pub shape: MarkShape,
    /// Radius (half-size for squares) in canvas units.
    pub radius: f32,
    /// The cluster label, else the highest-confidence tag's label.
    pub tag_label: Option<String>,
    /// Tagged or clustered: its label is always shown.
    pub emphasised: bool,
    /// A member of a cluster (zoomed out, the cluster's one name stands for it).
    pub clustered: bool,
    /// Matched by an attribution pack (badge).
    pub attributed: bool,
    /// Its tags disagree and no own tag resolves it (warning ring and mark).
    pub conflict: bool,
    /// Pinned by the user (yellow dot).
    pub pinned: bool,
}

/// A node's label texts (derived from its id and tag label alone, so a canvas can make them
/// only for the few nodes it labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeLabels {
    /// Short label (`bc1qar…5mdq · Lazarus`).
    pub short: String,
    /// The short address alone (`bc1qar…5mdq`; `tx 4a5e…3b1c` for a transaction).
    pub address: String,
    /// Full label (whole id, plus the tag or cluster label).
    pub full: String,
}

/// The labels of node `id` whose tag or cluster label is `tag_label`.
pub fn node_labels(id: &NodeId, is_transaction: bool, tag_label: Option<&str>) -> NodeLabels {
    // EVM addresses are shown checksummed (EIP-55); the id stays lower-case.
    let value = id.display_value();
    let address = if is_transaction {
        format!("tx {}", short_form(&value))
    } else {
        short_form(&value)
    };
    let short = match tag_label {
        Some(label) => format!("{address} · {label}"),
        None => address.clone(),
    };
    let full = match tag_label {
        Some(label) => format!("{} · {label}", id.display_id()),
        None => id.display_id(),
    };
    NodeLabels {
        short,
        address,
        full,
    }
}

/// The look of node `id` from the case's judgements; `is_transaction` picks shape and fill.
/// Its labels are [`node_labels`].
pub fn node_style(case: &Case, id: &NodeId, is_transaction: bool) -> NodeStyle {
    let category = case.display_category(id);
    let tags = case.tags.get(id).map(Vec::as_slice).unwrap_or_default();
    let fill = match category {
        Some(c) => c.rgb(),
        None if is_transaction => TRANSACTION_RGB,
        None => NEUTRAL_ADDRESS_RGB,
    };
    let cluster = case.cluster_of(id);
    let tag_label = cluster.map(|c| c.label.clone()).or_else(|| {
        tags.iter()
            .max_by_key(|t| t.confidence.level())
            .map(|t| t.label.clone())
    });
    NodeStyle {
        fill,
        glyph: category.and_then(glyphs::Glyph::of),
        shape: if is_transaction {
            MarkShape::Square
        } else {
            MarkShape::Circle
        },
        radius: if is_transaction {
            TRANSACTION_HALF
        } else {
            ADDRESS_RADIUS
        },
        tag_label,
        emphasised: category.is_some(),
        clustered: cluster.is_some(),
        attributed: tags.iter().any(|t| t.pack.is_some()),
        conflict: crate::attribution::conflict(tags).is_some(),
        pinned: case.layout.pinned.contains(id),
    }
}

/// Width in reference pixels of a flow (the canvas draws one edge per flow, the export one
/// per pair of nodes, as wide as its widest flow): one point plus 0.7 per decade of USD above
/// $100 (at most 7); unpriced, five points for the asset's largest flow (`largest`), one less
/// per decade below it.
pub fn flow_width(flow: &Flow, largest: u128) -> f32 {
    let decades = |v: u128| v.checked_ilog10().map_or(0, |d| d + 1) as f32;
    match flow.usd {
        Some(usd) => (1.0 + 0.7 * (decades(usd.0 / USD_SCALE) - 2.0).max(0.0)).min(7.0),
        None => (5.0 - (decades(largest.max(flow.amount)) - decades(flow.amount))).clamp(1.0, 5.0),
    }
}

/// The largest flow of each asset (by chain + contract), for [`flow_width`].
pub fn largest_by_asset(flows: &[Flow]) -> HashMap<(Chain, Option<&str>), u128> {
    let mut largest = HashMap::new();
    for f in flows {
        let slot = largest
            .entry((f.asset.chain, f.asset.contract.as_deref()))
            .or_insert(0u128);
        *slot = (*slot).max(f.amount);
    }
    largest
}
