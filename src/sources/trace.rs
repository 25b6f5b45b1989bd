//! Trace from here (auto-trace): follow the money out of a node through a data source, hop by
//! hop, and return what was found as one fragment plus the reason for every hop.
//!
//! Breadth first from the start node. Each traced node is expanded in both directions (so a
//! swap's return leg and a node's other sources come in too) with at most `per_node_limit`
//! counterparties, ranked as the Expand command ranks them. Of its outgoing counterparties,
//! those that received at least `min_share_percent` of what the node sent in some asset (per
//! asset: never raw units across assets) are followed, the largest first, at most
//! `max_follow_per_node`. Following stops at a node the case or the known attribution calls a
//! service (exchange, mixer, bridge, DeFi, service), at a CoinJoin (tagged, or recognised by the
//! Bitcoin heuristics once the transaction is whole), at the hop limit and when the request
//! budget is spent; each stop is listed with its reason. With `prefer_payment`, a Bitcoin
//! transaction's detected change output is not followed (the payments are). A deposit into a
//! bridge whose THORChain memo names an address on another chain is crossed: the trace goes on
//! from that address (added to the case when new), so it follows the money across chains.
//!
//! Bounded in requests (`budget_requests`), nodes (`max_nodes`) and by [`JobControl`]
//! (cancel). Nothing changes the case: the caller applies the fragment as one action.

use super::{DataSource, Direction, JobControl, SourceError};
use crate::analysis::expand_options::ExpandOptions;
use crate::analysis::expansion::plan_expansion;
use crate::model::action::{Action, Fragment, apply};
use crate::model::{Case, Category, NodeId, Note, Tag};
use crate::prices::{AssetKey, PriceBook};
use std::collections::{BTreeMap, HashSet, VecDeque};

/// How far and how wide a trace goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceOptions {
    /// Most hops from the start node.
    pub max_hops: usize,
    /// Most source requests (one per expanded node).
    pub budget_requests: usize,
    /// Counterparties kept per expansion (ranked).
    pub per_node_limit: usize,
    /// Outgoing counterparties followed per node, at most.
    pub max_follow_per_node: usize,
    /// Follow a counterparty that got at least this share of the node's outflow in an asset.
    pub min_share_percent: u128,
    /// Most nodes the trace may add.
    pub max_nodes: usize,
    /// On a Bitcoin transaction, follow the payments and not the output the change heuristics
    /// single out.
    pub prefer_payment: bool,
    /// Go on from the address a bridge deposit's THORChain memo names on another chain.
    pub cross_bridges: bool,
}

impl Default for TraceOptions {
    fn default() -> Self {
        TraceOptions {
            max_hops: 8,
            budget_requests: 200,
            per_node_limit: 60,
            max_follow_per_node: 50,
            min_share_percent: 1,
            max_nodes: 20_000,
            prefer_payment: false,
            cross_bridges: true,
        }
    }
}

/// Why the trace did what it did at one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceStep {
    /// The node.
    pub node: NodeId,
    /// Hops from the start.
    pub hop: usize,
    /// "followed 3 of 4 outgoing", "stopped: exchange (tag)", "stopped: hop limit".
    pub reason: String,
}

/// What a trace found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TraceOutcome {
    /// Everything new, to apply as one step.
    pub fragment: Fragment,
    /// One step per node reached, in the order handled.
    pub steps: Vec<TraceStep>,
    /// Source requests made.
    pub requests: usize,
    /// True when the budget or the node cap ended the trace early.
    pub cut_short: bool,
}

impl TraceOutcome {
    /// "stopped at exchange ×12, mixer ×3, hop limit ×4" (or "followed to the end").
    pub fn summary(&self) -> String {
        let mut stops: BTreeMap<&str, usize> = BTreeMap::new();
        for step in &self.steps {
            if let Some(reason) = step.reason.strip_prefix("stopped: ") {
                *stops.entry(reason).or_default() += 1;
            }
        }
        if stops.is_empty() {
            return "followed to the end".into();
        }
        let parts: Vec<String> = stops.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
        format!("stopped at {}", parts.join(", "))
    }
}

/// The one step a trace goes in as: its fragment (when anything is new) and a note on `start`
/// by `author` that sums it up ("Trace (trace@1, 8 hops, budget 200): …"), as one batch.
pub fn trace_action(
    case: &Case,
    start: &NodeId,
    options: &TraceOptions,
    outcome: &TraceOutcome,
    author: String,
) -> Action {
    let (hops, budget) = (options.max_hops, options.budget_requests);
    let mut actions = Vec::new();
    if !outcome.fragment.is_empty() {
        actions.push(Action::Insert {
            label: "trace".into(),
            fragment: outcome.fragment.clone(),
        });
    }
    let note_id = case.annotations.next_note_id();
    actions.push(Action::SetNote {
        id: note_id,
        note: Some(Note {
            id: note_id,
            text: format!(
                "Trace (trace@1, {hops} hops, budget {budget}): {} nodes and {} transfers added, \
                 {} requests; {}",
                outcome.fragment.nodes.len(),
                outcome.fragment.transfers.len(),
                outcome.requests,
                outcome.summary()
            ),
            anchor: Some(start.clone()),
            position: [40.0, 60.0],
            author,
            modified: crate::util::now_unix(),
        }),
    });
    Action::Batch {
        label: format!(
            "trace from {} (trace@1, {hops} hops, budget {budget})",
            crate::model::address::short_form(start.value())
        ),
        actions,
    }
}

/// A known category for a node the case has not tagged (bundled attribution).
pub type KnownCategory<'a> = &'a dyn Fn(&NodeId) -> Option<Category>;

/// Traces from `start` (which must be in `case`).
pub fn trace(
    source: &dyn DataSource,
    case: &Case,
    start: &NodeId,
    options: &TraceOptions,
    known: KnownCategory<'_>,
    prices: &PriceBook,
    control: &JobControl,
) -> Result<TraceOutcome, SourceError> {
    let mut work = case.clone();
    let mut outcome = TraceOutcome::default();
    let mut queue = VecDeque::from([(start.clone(), 0usize)]);
    let mut seen: HashSet<NodeId> = HashSet::from([start.clone()]);
    let category = |work: &Case, node: &NodeId| -> Option<Category> {
        work.display_category(node).cloned().or_else(|| known(node))
    };
    while let Some((node, hop)) = queue.pop_front() {
        control.check()?;
        let cat = category(&work, &node);
        if hop > 0 && cat.as_ref().is_some_and(Category::is_service) {
            let name = cat.map(|c| c.name().to_owned()).unwrap_or_default();
            outcome
                .steps
                .push(step(&node, hop, format!("stopped: {name}")));
            continue;
        }
        if is_coinjoin(work.tags.get(&node)) {
            outcome
                .steps
                .push(step(&node, hop, "stopped: CoinJoin".into()));
            continue;
        }
        if hop >= options.max_hops {
            outcome
                .steps
                .push(step(&node, hop, "stopped: hop limit".into()));
            continue;
        }
        if outcome.requests >= options.budget_requests
            || outcome.fragment.nodes.len() >= options.max_nodes
        {
            outcome.cut_short = true;
            outcome
                .steps
                .push(step(&node, hop, "stopped: request budget spent".into()));
            continue;
        }
        outcome.requests += 1;
        control.step();
        let counterparties = match source.counterparties(&node, Direction::Both, control) {
            Ok(list) => list,
            Err(SourceError::Cancelled) => return Err(SourceError::Cancelled),
            Err(e) => {
                outcome
                    .steps
                    .push(step(&node, hop, format!("not expanded: {e}")));
                continue;
            }
        };
        let followed = to_follow(&node, &counterparties, options);
        let crossings = if options.cross_bridges {
            memo_destinations(&node, &counterparties)
        } else {
            Vec::new()
        };
        let outgoing = counterparties
            .iter()
            .filter(|c| c.transfers.iter().any(|t| t.from == node))
            .count();
        let plan = plan_expansion(
            &work,
            &node,
            counterparties,
            &ExpandOptions::with_limit(options.per_node_limit),
            prices,
        );
        if !plan.fragment.is_empty() {
            let fragment = plan.fragment;
            let label = format!("trace {node}");
            // The plan only holds what is new to `work`, so applying cannot collide.
            if apply(
                &mut work,
                Action::Insert {
                    label,
                    fragment: fragment.clone(),
                },
            )
            .is_ok()
            {
                extend(&mut outcome.fragment, fragment);
            }
        }
        // A whole Bitcoin transaction is read by the heuristics: a CoinJoin ends the trail (who
        // got what cannot be told), and the detected change can be left for the payments.
        let mut followed = followed;
        let mut skipped_change = false;
        if node.is_transaction() && node.chain() == Some(crate::model::Chain::Bitcoin) {
            // Only this transaction's neighbourhood is indexed, not the whole case.
            let index = crate::analysis::findings::CaseIndex::around(&work, &node, prices);
            let reading = crate::analysis::findings::bitcoin::read_tx(&index, &node);
            if let Some(method) = reading.coinjoin {
                outcome
                    .steps
                    .push(step(&node, hop, format!("stopped: CoinJoin ({method})")));
                continue;
            }
            if options.prefer_payment
                && let Some(change) = reading.change
            {
                let before = followed.len();
                followed.retain(|n| *n != change);
                skipped_change = followed.len() < before;
            }
        }
        let mut count = 0;
        for next in followed {
            if work.nodes.contains_key(&next) && seen.insert(next.clone()) {
                queue.push_back((next, hop + 1));
                count += 1;
            }
        }
        let mut crossed = Vec::new();
        for (i, (destination, chain)) in crossings.iter().enumerate() {
            if !seen.insert(destination.clone()) {
                continue;
            }
            if !work.nodes.contains_key(destination) {
                let centre = work
                    .layout
                    .positions
                    .get(&node)
                    .copied()
                    .unwrap_or_default();
                let mut fragment = Fragment::default();
                fragment
                    .nodes
                    .push(crate::model::Node::address(destination.clone()));
                fragment.positions.push((
                    destination.clone(),
                    crate::layout::place_near(centre, i, crossings.len(), 7),
                ));
                let insert = Action::Insert {
                    label: format!("trace across to {destination}"),
                    fragment: fragment.clone(),
                };
                if apply(&mut work, insert).is_err() {
                    continue;
                }
                extend(&mut outcome.fragment, fragment);
            }
            queue.push_back((destination.clone(), hop + 1));
            crossed.push(format!(
                "crossed to {chain} at {} (a THORChain memo names it)",
                crate::model::address::short_form(destination.value())
            ));
        }
        outcome.steps.push(step(
            &node,
            hop,
            format!(
                "followed {count} of {outgoing} outgoing{}{}",
                if skipped_change {
                    " (the detected change left out)"
                } else {
                    ""
                },
                crossed.iter().map(|c| format!("; {c}")).collect::<String>()
            ),
        ));
    }
    Ok(outcome)
}

fn step(node: &NodeId, hop: usize, reason: String) -> TraceStep {
    TraceStep {
        node: node.clone(),
        hop,
        reason,
    }
}

fn is_coinjoin(tags: Option<&Vec<Tag>>) -> bool {
    tags.is_some_and(|tags| tags.iter().any(|t| t.label.starts_with("CoinJoin")))
}

/// The addresses on other chains that `node`'s outgoing transfers name in a THORChain swap
/// memo (a bridge deposit), with their chain, first named first.
fn memo_destinations(
    node: &NodeId,
    counterparties: &[crate::model::Counterparty],
) -> Vec<(NodeId, crate::model::Chain)> {
    use crate::analysis::thorchain::{MemoReading, read_memo};
    let mut found: Vec<(NodeId, crate::model::Chain)> = Vec::new();
    for t in counterparties
        .iter()
        .flat_map(|c| &c.transfers)
        .filter(|t| &t.from == node)
    {
        if let Some(MemoReading::Swap(intent)) = t.memo.as_deref().map(read_memo)
            && intent.chain != t.asset.chain
            && !found.iter().any(|(d, _)| *d == intent.destination)
        {
            found.push((intent.destination, intent.chain));
        }
    }
    found
}

/// The outgoing counterparties worth following, largest share first.
fn to_follow(
    node: &NodeId,
    counterparties: &[crate::model::Counterparty],
    options: &TraceOptions,
) -> Vec<NodeId> {
    let mut total: BTreeMap<AssetKey, u128> = BTreeMap::new();
    let mut sent: Vec<(NodeId, BTreeMap<AssetKey, u128>)> = Vec::new();
    for c in counterparties {
        let mut mine: BTreeMap<AssetKey, u128> = BTreeMap::new();
        for t in c.transfers.iter().filter(|t| &t.from == node) {
            let key = AssetKey::of(&t.asset);
            let sum = mine.entry(key.clone()).or_default();
            *sum = sum.saturating_add(t.amount);
            let all = total.entry(key).or_default();
            *all = all.saturating_add(t.amount);
        }
        if !mine.is_empty() {
            sent.push((c.key.clone(), mine));
        }
    }
    // Best share (in per-mille) of any asset, so assets are compared by share, not units.
    let mut ranked: Vec<(u128, NodeId)> = sent
        .into_iter()
        .filter_map(|(key, amounts)| {
            let best = amounts
                .iter()
                .map(|(asset, amount)| {
                    let all = total.get(asset).copied().unwrap_or(0).max(1);
                    amount.saturating_mul(1_000) / all
                })
                .max()?;
            (best >= options.min_share_percent * 10).then_some((best, key))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .take(options.max_follow_per_node)
        .map(|(_, key)| key)
        .collect()
}

fn extend(into: &mut Fragment, from: Fragment) {
    into.nodes.extend(from.nodes);
    into.transfers.extend(from.transfers);
    into.positions.extend(from.positions);
    into.pinned.extend(from.pinned);
    into.tags.extend(from.tags);
    into.memberships.extend(from.memberships);
    into.notes.extend(from.notes);
    into.arrows.extend(from.arrows);
    into.node_highlights.extend(from.node_highlights);
    into.edge_highlights.extend(from.edge_highlights);
    into.conflicts.extend(from.conflicts);
}
