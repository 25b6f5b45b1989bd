//! The demo case the app opens on first start: the theft and its first hop, laid out.
//!
//! It holds the victim's cold wallet, the theft address and the 40 split addresses with the
//! transfers between them, exactly as the demo source reports them, so expanding any node in the
//! app continues seamlessly. It is built the way every case grows: the theft address is added,
//! then expanded (both directions) through the same expansion planning
//! ([`plan_expansion`]) and the same [`Action`] door as an expansion in the app or on the command
//! line; only the settled layout is the demo's own (ring placement, then a force layout with the
//! theft address held at the origin), applied as one placement action.

use super::clock::DEMO_SNAPSHOT_UNIX_SECS;
use super::ids::theft_address;
use super::source::DemoSource;
use crate::analysis::expansion::{DEFAULT_LIMIT, ExpandOptions, plan_expansion};
use crate::layout::{ForceLayout, LayoutParams, place_near};
use crate::model::action::Placement;
use crate::model::{
    Action, ActionError, Case, CaseMeta, Fragment, Node, NodeId, SourceConfig, apply,
};
use crate::sources::{DataSource as _, Direction, JobControl};
use std::collections::BTreeMap;

/// Title of the demo case.
pub const DEMO_CASE_TITLE: &str = "Demo: DPRK-style laundering walkthrough (synthetic)";

const DEMO_CASE_DESCRIPTION: &str = "All synthetic, from Caseboard's offline demo ledger: a \
DPRK-style laundering (2024–25) of a drained exchange wallet through peel chains, a mixer and a \
bridge to two exchanges. Known actors are coloured as they appear.\n\n\
1. Start at the theft address in the middle: it split the victim's ETH across 40 addresses.\n\
2. Follow the split: double-click a split address, then the next hop of its peel chain.\n\
3. Find the exchange: right-click a split address, Trace from here, and look for the exchange \
hot wallets where the money lands.\n\
4. Press Ctrl+Shift+A to name the patterns: splits, peel chains, mixer deposits (Findings tab).";

/// Most layout ticks spent settling the demo case.
const LAYOUT_MAX_TICKS: usize = 600;
/// Seed of the demo case's layout.
const LAYOUT_SEED: u64 = 0x00de_0ca5_e000_2025;

/// The demo case: the theft address with the victim's cold wallet and the split addresses.
pub fn demo_case() -> Case {
    let theft = theft_address();
    let mut case = Case {
        meta: CaseMeta {
            title: DEMO_CASE_TITLE.to_owned(),
            description: DEMO_CASE_DESCRIPTION.to_owned(),
            created: DEMO_SNAPSHOT_UNIX_SECS,
            modified: DEMO_SNAPSHOT_UNIX_SECS,
            ..CaseMeta::default()
        },
        source: SourceConfig::Demo,
        ..Case::default()
    };
    if let Err(err) = grow(&mut case, &theft) {
        // The demo world always knows the theft address and the door refuses a step whole, so
        // this cannot happen; should it, the case keeps the steps that went in, still valid.
        tracing::warn!("demo case incomplete: {err}");
    }
    case
}

/// Adds the theft address, expands it in both directions and lays the result out, each step
/// an [`Action`] through the door.
fn grow(case: &mut Case, theft: &NodeId) -> Result<(), ActionError> {
    let source = DemoSource::new();
    let control = JobControl::default();
    let theft_node = source
        .lookup(theft, &control)
        .ok()
        .flatten()
        .unwrap_or_else(|| Node::address(theft.clone()));
    apply(
        case,
        Action::Insert {
            label: format!("add {theft}"),
            fragment: Fragment {
                nodes: vec![theft_node],
                positions: vec![(theft.clone(), [0.0, 0.0])],
                ..Fragment::default()
            },
        },
    )?;
    let counterparties = source
        .counterparties_page(theft, Direction::Both, None, &control)
        .map(|page| page.counterparties)
        .unwrap_or_default();
    let plan = plan_expansion(
        case,
        theft,
        counterparties,
        &ExpandOptions::with_limit(DEFAULT_LIMIT),
        crate::prices::PriceBook::bundled_ref(),
    );
    if !plan.fragment.is_empty() {
        apply(
            case,
            Action::Insert {
                label: format!("expand {theft} ({})", Direction::Both.name()),
                fragment: plan.fragment,
            },
        )?;
    }
    let placements = layout_positions(case, theft)
        .into_iter()
        .map(|(node, position)| Placement {
            node,
            position: Some(position),
            pinned: false,
        })
        .collect();
    apply(
        case,
        Action::Place {
            label: "lay out the demo case".to_owned(),
            placements,
        },
    )?;
    Ok(())
}

/// Places the theft address at the origin, its neighbours on a spiral around it, and settles.
fn layout_positions(case: &Case, center: &NodeId) -> BTreeMap<NodeId, [f32; 2]> {
    let mut order: Vec<&NodeId> = vec![center];
    order.extend(case.nodes.keys().filter(|id| *id != center));
    let index: BTreeMap<&NodeId, u32> = order
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    let neighbours = order.len() - 1;
    let mut positions = vec![[0.0f32, 0.0]];
    positions.extend((0..neighbours).map(|i| place_near([0.0, 0.0], i, neighbours, LAYOUT_SEED)));
    let mut pinned = vec![false; order.len()];
    if let Some(first) = pinned.first_mut() {
        *first = true;
    }
    let edges: Vec<(u32, u32)> = case
        .transfers
        .values()
        .filter_map(|t| Some((*index.get(&t.from)?, *index.get(&t.to)?)))
        .collect();
    let mut layout = ForceLayout::new(LayoutParams::default(), LAYOUT_SEED);
    layout.set_graph(positions.clone(), pinned, &edges);
    layout.run_until_settled(LAYOUT_MAX_TICKS);
    let settled = layout.positions();
    order
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let position = settled
                .get(i)
                .copied()
                .filter(|p| p.iter().all(|v| v.is_finite()))
                .or_else(|| positions.get(i).copied())
                .unwrap_or([0.0, 0.0]);
            (id.clone(), position)
        })
        .collect()
}
