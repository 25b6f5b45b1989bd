//! Directed, time-respecting paths between two sets of nodes: how money could have moved from
//! a source to a destination. Money moves forward in time, so along a path each transfer must
//! not be earlier than the one before it (compared by block height, then by time; a transfer
//! with neither known is allowed anywhere — it cannot be proven out of order).
//!
//! petgraph answers the cheap questions (is there any directed route at all, ignoring time),
//! which lets us say *why* there is no path. The time-respecting search itself is hand-written:
//! petgraph's `k_shortest_path` and friends work on node-to-node edge weights and cannot carry
//! the "each hop not earlier than the previous one" constraint, which depends on the hop that
//! led into a node. A breadth-first pass backwards from the targets (hops to the nearest target,
//! ignoring time) prunes every hop from which no target is within the hops left, so the search
//! stays near the route. It is bounded by the hop limit, `k`, and a cap on expanded states so a
//! hostile case cannot hang it. A bridge hop the investigator applied (a hop arrow) is an edge
//! too ([`hop_transfers`]), so a path crosses chains where the case says the money did.

use crate::model::{Case, NodeId, Transfer, TransferId};
use crate::prices::{AssetKey, PriceBook, Usd};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// Default number of paths returned.
pub const DEFAULT_K: usize = 5;
/// Default hop limit.
pub const DEFAULT_MAX_HOPS: usize = 8;
/// Default cap on states the search expands.
pub const DEFAULT_MAX_STATES: usize = 1_000_000;

/// Parameters of a path search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathQuery {
    /// Most transfers on one path.
    pub max_hops: usize,
    /// Most paths returned.
    pub k: usize,
    /// Most search states expanded before giving up (the result says it was truncated).
    pub max_states: usize,
}

impl Default for PathQuery {
    fn default() -> Self {
        PathQuery {
            max_hops: DEFAULT_MAX_HOPS,
            k: DEFAULT_K,
            max_states: DEFAULT_MAX_STATES,
        }
    }
}

/// Why no path was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPathReason {
    /// No directed route at all from the sources to the targets.
    NoDirectedRoute,
    /// A directed route within the hop limit exists, but none moves forward in time.
    OnlyAgainstTimeOrder,
    /// Directed routes exist, but all are longer than the hop limit.
    BeyondHopLimit,
    /// The search hit its state cap before finding a path.
    SearchCapped,
}

impl NoPathReason {
    /// A sentence for the user.
    pub fn describe(self) -> &'static str {
        match self {
            NoPathReason::NoDirectedRoute => "no directed route from the sources to the targets",
            NoPathReason::OnlyAgainstTimeOrder => {
                "directed routes exist, but none moves forward in time"
            }
            NoPathReason::BeyondHopLimit => "directed routes exist only beyond the hop limit",
            NoPathReason::SearchCapped => "the search hit its state cap before finding a path",
        }
    }
}

/// Amount of one asset carried by a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathAmount {
    /// The asset (chain + contract); symbol and decimals from the first hop of that asset.
    pub asset: crate::model::Asset,
    /// The smallest hop amount of this asset along the path (the bottleneck), base units.
    pub amount: u128,
}

/// One time-respecting path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPath {
    /// Transfers in order.
    pub hops: Vec<TransferId>,
    /// Nodes in order (one more than hops).
    pub nodes: Vec<NodeId>,
    /// Per asset, the bottleneck amount, sorted by asset key.
    pub value: Vec<PathAmount>,
    /// The smallest USD value of any hop, when every hop is priced.
    pub usd: Option<Usd>,
}

/// The outcome of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathResult {
    /// Paths found, in output order (see [`find_paths`]).
    pub paths: Vec<FoundPath>,
    /// Why there is none, when `paths` is empty.
    pub reason: Option<NoPathReason>,
    /// The state cap was hit: more paths may exist.
    pub truncated: bool,
}

/// True when `next` may follow `prev` on a path: by block height when both are known, else by
/// time when both are known, else allowed.
pub fn not_before(prev: &Transfer, next: &Transfer) -> bool {
    if let (Some(a), Some(b)) = (prev.block_height, next.block_height)
        && a != b
    {
        return b > a;
    }
    match (prev.time, next.time) {
        (Some(a), Some(b)) => b >= a,
        _ => true,
    }
}

/// Finds up to `query.k` simple, time-respecting paths from any of `from` to any of `to`.
///
/// Order: the result alternates between the fewest-hop paths (ties by transfer ids) and the
/// highest-value paths (USD bottleneck where every hop is priced first, then by the largest
/// per-asset bottleneck scaled to 18 decimals), skipping duplicates, so both kinds are present.
pub fn find_paths(
    case: &Case,
    from: &BTreeSet<NodeId>,
    to: &BTreeSet<NodeId>,
    query: PathQuery,
    book: &PriceBook,
) -> PathResult {
    let numbering = super::dense::Numbering::of_case(case);
    let count = numbering.len();
    let hops = hop_transfers(case);
    let mut out_edges: Vec<Vec<(&Transfer, u32)>> = vec![Vec::new(); count];
    let mut in_edges: Vec<Vec<u32>> = vec![Vec::new(); count];
    for t in case.transfers.values().chain(&hops) {
        // A transfer whose ends are not nodes of the case cannot be on a path.
        let (Some(a), Some(b)) = (numbering.get(&t.from), numbering.get(&t.to)) else {
            continue;
        };
        out_edges[a as usize].push((t, b));
        in_edges[b as usize].push(a);
    }
    let mut is_target = vec![false; count];
    // Hops to the nearest target ignoring time (BFS backwards): the search never takes a hop
    // from which no target is within the hops left, which keeps it near the route.
    let mut to_target = vec![usize::MAX; count];
    let mut queue: VecDeque<u32> = VecDeque::new();
    for target in to.iter().filter_map(|n| numbering.get(n)) {
        is_target[target as usize] = true;
        to_target[target as usize] = 0;
        queue.push_back(target);
    }
    while let Some(node) = queue.pop_front() {
        let d = to_target[node as usize];
        if d >= query.max_hops {
            continue;
        }
        for &prev in &in_edges[node as usize] {
            if to_target[prev as usize] == usize::MAX {
                to_target[prev as usize] = d + 1;
                queue.push_back(prev);
            }
        }
    }
    let search = Search {
        is_target: &is_target,
        out_edges: &out_edges,
        to_target: &to_target,
        query,
    };
    let mut found: Vec<Vec<&Transfer>> = Vec::new();
    let mut states = 0usize;
    let mut truncated = false;
    let mut on_path = vec![false; count];
    for start in from.iter().filter_map(|n| numbering.get(n)) {
        let mut stack: Vec<&Transfer> = Vec::new();
        on_path[start as usize] = true;
        search.dfs(
            start,
            &mut stack,
            &mut on_path,
            &mut found,
            &mut states,
            &mut truncated,
        );
        on_path[start as usize] = false;
    }
    if found.is_empty() || query.k == 0 {
        let reason = if found.is_empty() {
            Some(if truncated {
                NoPathReason::SearchCapped
            } else {
                explain(case, &hops, &numbering, from, to, query.max_hops)
            })
        } else {
            None
        };
        return PathResult {
            paths: Vec::new(),
            reason,
            truncated,
        };
    }
    let paths: Vec<FoundPath> = found.iter().map(|p| describe_path(p, book)).collect();
    PathResult {
        paths: pick(paths, query.k),
        reason: None,
        truncated,
    }
}

/// What the depth-first search reads (nodes by dense position).
struct Search<'a, 'q> {
    is_target: &'q [bool],
    /// Per node: its outgoing transfers with their receiving end.
    out_edges: &'q [Vec<(&'a Transfer, u32)>],
    to_target: &'q [usize],
    query: PathQuery,
}

impl<'a> Search<'a, '_> {
    fn dfs(
        &self,
        node: u32,
        stack: &mut Vec<&'a Transfer>,
        on_path: &mut [bool],
        found: &mut Vec<Vec<&'a Transfer>>,
        states: &mut usize,
        truncated: &mut bool,
    ) {
        if *truncated {
            return;
        }
        *states += 1;
        if *states > self.query.max_states {
            *truncated = true;
            return;
        }
        if !stack.is_empty() && self.is_target[node as usize] {
            found.push(stack.clone());
            return;
        }
        if stack.len() >= self.query.max_hops {
            return;
        }
        let hops_left_after = self.query.max_hops - stack.len() - 1;
        for &(t, next) in &self.out_edges[node as usize] {
            if on_path[next as usize] || self.to_target[next as usize] > hops_left_after {
                continue;
            }
            if let Some(prev) = stack.last()
                && !not_before(prev, t)
            {
                continue;
            }
            stack.push(t);
            on_path[next as usize] = true;
            self.dfs(next, stack, on_path, found, states, truncated);
            on_path[next as usize] = false;
            stack.pop();
        }
    }
}

/// The applied bridge hops (hop arrows between two nodes, [`crate::model::HopEvidence`]) as
/// transfers a path can take: from the depositor to the recipient, in the payout's asset and
/// amount, at the payout's time and without a block height (heights of two chains do not
/// compare). Id `hop:<deposit id>`. A hop whose payout is not in the case is left out.
pub fn hop_transfers(case: &Case) -> Vec<Transfer> {
    use crate::model::ArrowEnd;
    case.annotations
        .arrows
        .values()
        .filter_map(|arrow| {
            let hop = arrow.hop.as_ref()?;
            let (ArrowEnd::Node(from), ArrowEnd::Node(to)) = (&arrow.from, &arrow.to) else {
                return None;
            };
            let payout = case.transfers.get(&hop.payout)?;
            Some(Transfer {
                id: TransferId::from(format!("hop:{}", hop.deposit)),
                from: from.clone(),
                to: to.clone(),
                asset: payout.asset.clone(),
                amount: payout.amount,
                tx_hash: payout.tx_hash.clone(),
                block_height: None,
                time: payout.time,
                provenance: None,
                relation_txs: None,
                memo: None,
            })
        })
        .collect()
}

/// Why there is no time-respecting path: petgraph reachability, then a BFS for the hop count.
fn explain(
    case: &Case,
    hops: &[Transfer],
    numbering: &super::dense::Numbering,
    from: &BTreeSet<NodeId>,
    to: &BTreeSet<NodeId>,
    max_hops: usize,
) -> NoPathReason {
    // Graph node i is the case's node at dense position i; transfer ends that are not nodes of
    // the case (an invalid case) get graph nodes of their own after those.
    let mut graph: DiGraph<(), ()> = DiGraph::new();
    for _ in 0..numbering.len() {
        graph.add_node(());
    }
    let mut extra: HashMap<&NodeId, NodeIndex> = HashMap::new();
    for t in case.transfers.values().chain(hops) {
        let mut end = |id| match numbering.get(id) {
            Some(p) => NodeIndex::new(p as usize),
            None => *extra.entry(id).or_insert_with(|| graph.add_node(())),
        };
        let (a, b) = (end(&t.from), end(&t.to));
        graph.update_edge(a, b, ());
    }
    let index = |id: &NodeId| {
        numbering
            .get(id)
            .map(|p| NodeIndex::new(p as usize))
            .or_else(|| extra.get(id).copied())
    };
    let starts: Vec<NodeIndex> = from.iter().filter_map(index).collect();
    let targets: BTreeSet<NodeIndex> = to.iter().filter_map(index).collect();
    // At least one hop: some successor of a start reaches a target.
    let reachable = starts.iter().any(|&s| {
        graph.neighbors(s).any(|n| {
            targets
                .iter()
                .any(|&t| petgraph::algo::has_path_connecting(&graph, n, t, None))
        })
    });
    if !reachable {
        return NoPathReason::NoDirectedRoute;
    }
    // Hop distance ignoring time (at least one hop).
    let mut dist: HashMap<NodeIndex, usize> = HashMap::new();
    let mut queue: VecDeque<NodeIndex> = VecDeque::new();
    for &s in &starts {
        for n in graph.neighbors(s) {
            if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(n) {
                e.insert(1);
                queue.push_back(n);
            }
        }
    }
    while let Some(n) = queue.pop_front() {
        let d = dist.get(&n).copied().unwrap_or(0);
        for m in graph.neighbors(n) {
            if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(m) {
                e.insert(d + 1);
                queue.push_back(m);
            }
        }
    }
    let shortest = targets.iter().filter_map(|t| dist.get(t)).min().copied();
    match shortest {
        Some(d) if d <= max_hops => NoPathReason::OnlyAgainstTimeOrder,
        _ => NoPathReason::BeyondHopLimit,
    }
}

fn describe_path(path: &[&Transfer], book: &PriceBook) -> FoundPath {
    let mut value: BTreeMap<AssetKey, PathAmount> = BTreeMap::new();
    let mut usd: Option<Usd> = None;
    let mut all_priced = true;
    for t in path {
        value
            .entry(AssetKey::of(&t.asset))
            .and_modify(|v| v.amount = v.amount.min(t.amount))
            .or_insert_with(|| PathAmount {
                asset: t.asset.clone(),
                amount: t.amount,
            });
        match book.transfer_value(t) {
            Some(v) => {
                usd = Some(usd.map_or(v.usd, |u: Usd| if v.usd.0 < u.0 { v.usd } else { u }))
            }
            None => all_priced = false,
        }
    }
    let mut nodes: Vec<NodeId> = Vec::with_capacity(path.len() + 1);
    if let Some(first) = path.first() {
        nodes.push(first.from.clone());
    }
    nodes.extend(path.iter().map(|t| t.to.clone()));
    FoundPath {
        hops: path.iter().map(|t| t.id.clone()).collect(),
        nodes,
        value: value.into_values().collect(),
        usd: if all_priced { usd } else { None },
    }
}

fn raw_rank(p: &FoundPath) -> u128 {
    p.value
        .iter()
        .map(|v| {
            let scale = 18u32.saturating_sub(u32::from(v.asset.decimals));
            v.amount.saturating_mul(10u128.saturating_pow(scale))
        })
        .max()
        .unwrap_or(0)
}

/// Alternates fewest-hop and highest-value picks until `k` distinct paths are chosen.
fn pick(paths: Vec<FoundPath>, k: usize) -> Vec<FoundPath> {
    let mut by_hops: Vec<usize> = (0..paths.len()).collect();
    by_hops.sort_by(|&a, &b| {
        (paths[a].hops.len(), &paths[a].hops).cmp(&(paths[b].hops.len(), &paths[b].hops))
    });
    let mut by_value: Vec<usize> = (0..paths.len()).collect();
    by_value.sort_by(|&a, &b| {
        let (pa, pb) = (&paths[a], &paths[b]);
        let key = |p: &FoundPath| (p.usd.is_some(), p.usd.map_or(0, |u| u.0), raw_rank(p));
        key(pb)
            .cmp(&key(pa))
            .then_with(|| (pa.hops.len(), &pa.hops).cmp(&(pb.hops.len(), &pb.hops)))
    });
    let mut chosen: Vec<usize> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while chosen.len() < k.min(paths.len()) {
        while i < by_hops.len() && chosen.contains(&by_hops[i]) {
            i += 1;
        }
        if i < by_hops.len() {
            chosen.push(by_hops[i]);
        }
        if chosen.len() >= k {
            break;
        }
        while j < by_value.len() && chosen.contains(&by_value[j]) {
            j += 1;
        }
        if j < by_value.len() {
            chosen.push(by_value[j]);
        }
    }
    let mut slots: Vec<Option<FoundPath>> = paths.into_iter().map(Some).collect();
    chosen
        .into_iter()
        .filter_map(|c| slots.get_mut(c).and_then(Option::take))
        .collect()
}

#[cfg(test)]
#[path = "paths_tests.rs"]
mod tests;
