//! Runs the force layout for the open case: keeps the engine's graph in step with the case,
//! ticks it, and writes positions back into the case.
//!
//! A case below [`WORKER_MIN_NODES`] nodes is ticked on the UI thread within a per-frame time
//! budget (deterministic, and cheap: a tick of 10k nodes takes about 2 ms). A larger case is
//! ticked on a worker thread (`worker`), because one tick alone would take longer than
//! the budget: the frame only copies the newest positions the worker published, so the layout
//! never holds the frame.
//!
//! "Don't move my graph": once a layout has settled, nothing reheats it but the user's
//! Re-layout. New nodes (an expansion) settle among their neighbours, which stay put
//! ([`super::local`]); a dragged node moves alone, taking its leaves (neighbours with no other
//! edge) along; a move or removal by an action changes only what it names.
//!
//! Positions the layout computes are view state, written into the case's positions that its
//! [`crate::model::Document`] lends ([`crate::model::Document::update_positions`]); only a
//! user's drag is an [`crate::model::Action`]. The driver holds no egui: the app and the
//! command line use it alike. When the layout has settled it does nothing, so
//! an idle case costs no CPU for layout.

use super::local::LocalSettle;
use super::worker::{Start, Worker};
use crate::layout::{ForceLayout, LayoutParams, place_near};
use crate::model::{Case, NodeId};
use std::collections::{BTreeMap, HashMap};

/// Node positions in canvas units: the case's `layout.positions`, lent by its document.
pub type Positions = BTreeMap<NodeId, [f32; 2]>;
use std::time::{Duration, Instant};

/// Cases with at least this many nodes are laid out on a worker thread.
pub const WORKER_MIN_NODES: usize = 20_000;

/// Seed of the layout.
const LAYOUT_SEED: u64 = 0x5eed;

/// Wall time the layout may use per frame.
const FRAME_BUDGET: Duration = Duration::from_millis(6);

/// Alpha used when nodes were added.
const REHEAT_ALPHA_ADDED: f32 = 0.6;

/// New nodes are settled among the others (not by reheating everything) when they are at most
/// this many, and at most half the case.
const LOCAL_MAX_NODES: usize = 5_000;

/// Layout engine bound to a case's node ids.
pub struct LayoutDriver {
    engine: Engine,
    ids: Vec<NodeId>,
    index_of: crate::util::FastMap<NodeId, usize>,
    synced_revision: Option<u64>,
    /// Cases with at least this many nodes go to the worker.
    worker_min_nodes: usize,
    /// The graph's edges and pinned flags, by index (for local settles and drags).
    edges: Vec<(u32, u32)>,
    pinned: Vec<bool>,
    /// New nodes settling among the others, if any.
    local: Option<LocalSettle>,
    /// The node being dragged and its leaves (they move along with it).
    dragged: Option<(usize, Vec<usize>)>,
}

/// Where the simulation runs.
enum Engine {
    /// On the UI thread, within the frame budget.
    Inline(Box<ForceLayout>),
    /// On a worker thread.
    Worker(Worker),
}

impl Default for LayoutDriver {
    fn default() -> Self {
        LayoutDriver::with_worker_min_nodes(WORKER_MIN_NODES)
    }
}

impl LayoutDriver {
    /// A driver that moves cases of at least `nodes` nodes to a worker thread.
    pub fn with_worker_min_nodes(nodes: usize) -> Self {
        LayoutDriver {
            engine: Engine::Inline(fresh_engine()),
            ids: Vec::new(),
            index_of: crate::util::FastMap::default(),
            synced_revision: None,
            worker_min_nodes: nodes,
            edges: Vec::new(),
            pinned: Vec::new(),
            local: None,
            dragged: None,
        }
    }

    /// Whether the simulation currently runs on a worker thread.
    pub fn uses_worker(&self) -> bool {
        matches!(self.engine, Engine::Worker(_))
    }

    /// Rebuilds the engine's graph from `case` if `revision` changed. Nodes without a position
    /// are seeded next to a neighbour; the layout is reheated only if something changed shape.
    pub fn sync(&mut self, case: &Case, positions: &mut Positions, revision: u64) {
        if self.synced_revision == Some(revision) {
            return;
        }
        let first_sync = self.synced_revision.is_none();
        self.synced_revision = Some(revision);
        let old_index_of = std::mem::take(&mut self.index_of);
        let was_settled = self.is_settled();

        self.ids = case.nodes.keys().cloned().collect();
        self.index_of = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let edges: Vec<(u32, u32)> = case
            .transfers
            .values()
            .filter_map(|t| {
                let a = *self.index_of.get(&t.from)?;
                let b = *self.index_of.get(&t.to)?;
                Some((u32::try_from(a).ok()?, u32::try_from(b).ok()?))
            })
            .collect();

        let seeded = seed_missing_positions(positions, &self.ids, &edges);
        let positions = in_id_order(
            &self.ids,
            positions.iter().map(|(id, p)| (id, *p)),
            [0.0, 0.0],
        );
        let pinned = in_id_order(
            &self.ids,
            case.layout.pinned.iter().map(|id| (id, true)),
            false,
        );
        // The nodes this change brought: those without a place (first sync) or not there before.
        let new_nodes: Vec<usize> = if first_sync {
            seeded
        } else {
            (0..self.ids.len())
                .filter(|&i| !old_index_of.contains_key(&self.ids[i]))
                .collect()
        };
        let n = self.ids.len();
        let local_fits =
            !new_nodes.is_empty() && new_nodes.len() <= LOCAL_MAX_NODES && new_nodes.len() * 2 <= n;
        let settle_locally = local_fits && (first_sync || was_settled);
        let start = if first_sync && new_nodes.is_empty() {
            // A loaded case is shown exactly as it was saved.
            Start::Stop
        } else if settle_locally {
            // The rest stays where it is; only the new nodes settle, among their neighbours.
            if first_sync { Start::Stop } else { Start::Keep }
        } else if !new_nodes.is_empty() {
            Start::Reheat(REHEAT_ALPHA_ADDED)
        } else {
            // A move or a removal by an action: nothing else moves.
            Start::Keep
        };
        self.local = if settle_locally {
            let params = LayoutParams::default();
            LocalSettle::new(params, LAYOUT_SEED, &new_nodes, &positions, &pinned, &edges)
        } else {
            None
        };
        self.dragged = None;
        self.edges.clone_from(&edges);
        self.pinned.clone_from(&pinned);
        self.choose_engine(n >= self.worker_min_nodes);
        match &mut self.engine {
            Engine::Inline(engine) => {
                engine.set_graph(positions, pinned, &edges);
                start.apply(engine);
            }
            Engine::Worker(worker) => worker.set_graph(positions, pinned, edges, start),
        }
    }

    /// Moves the simulation to a worker thread or back to this one.
    fn choose_engine(&mut self, on_worker: bool) {
        let engine = std::mem::replace(&mut self.engine, Engine::Inline(fresh_engine()));
        self.engine = match (engine, on_worker) {
            (Engine::Inline(engine), true) => match Worker::spawn(engine) {
                Ok(worker) => Engine::Worker(worker),
                // No thread to be had: stay on this one.
                Err(engine) => Engine::Inline(engine),
            },
            (Engine::Worker(worker), false) => Engine::Inline(worker.stop()),
            (engine, _) => engine,
        };
    }

    /// The positions the engine last reported, indexed like `ids` (empty before the first
    /// report of a worker).
    fn current_positions(&self) -> &[[f32; 2]] {
        match &self.engine {
            Engine::Inline(engine) => engine.positions(),
            Engine::Worker(worker) => worker.positions(),
        }
    }

    /// Ticks within the frame budget (or takes the worker's newest positions) and writes
    /// positions into `case`, except `held` (a node being dragged). Returns true if anything
    /// moved or the worker is still running (the caller repaints).
    pub fn step(&mut self, positions: &mut Positions, held: Option<&NodeId>) -> bool {
        if self.local.is_some() {
            return self.step_local(positions, held);
        }
        let moved = match &mut self.engine {
            Engine::Inline(engine) => {
                if engine.is_settled() {
                    return false;
                }
                let start = Instant::now();
                let mut moved = false;
                while start.elapsed() < FRAME_BUDGET {
                    let report = engine.tick();
                    moved |= report.moved;
                    if report.settled {
                        break;
                    }
                }
                moved
            }
            Engine::Worker(worker) => {
                let fresh = worker.take_update();
                if !fresh {
                    return !worker.is_settled();
                }
                true
            }
        };
        if moved {
            let computed = match &self.engine {
                Engine::Inline(engine) => engine.positions(),
                Engine::Worker(worker) => worker.positions(),
            };
            for (id, pos) in self.ids.iter().zip(computed) {
                if Some(id) == held {
                    continue;
                }
                if let Some(slot) = positions.get_mut(id) {
                    *slot = *pos;
                } else {
                    positions.insert(id.clone(), *pos);
                }
            }
        }
        // The worker may still be running although nothing new arrived this frame.
        moved || (self.uses_worker() && !self.is_settled())
    }

    /// Moves one node while the user drags it, and its leaves (neighbours with no other edge,
    /// not pinned) by the same amount; nothing else moves and nothing is reheated.
    pub fn hold(&mut self, positions: &mut Positions, id: &NodeId, position: [f32; 2]) {
        let Some(&i) = self.index_of.get(id) else {
            return;
        };
        if !(position[0].is_finite() && position[1].is_finite()) {
            return;
        }
        // A settle in progress ends where it is: the user has taken over.
        self.local = None;
        if self.dragged.as_ref().map(|d| d.0) != Some(i) {
            self.dragged = Some((i, leaves_of(i, &self.edges, &self.pinned)));
        }
        let Some(&from) = self.current_positions().get(i) else {
            return;
        };
        // The pointer rests: nothing to move (the app calls this every frame of a drag).
        if from == position {
            return;
        }
        let delta = [position[0] - from[0], position[1] - from[1]];
        let mut moves = vec![(i, position, true)];
        if let Some((_, leaves)) = &self.dragged {
            for &leaf in leaves {
                if let Some(&p) = self.current_positions().get(leaf) {
                    moves.push((leaf, [p[0] + delta[0], p[1] + delta[1]], false));
                }
            }
        }
        for &(index, pos, _) in &moves[1..] {
            if let Some(slot) = positions.get_mut(&self.ids[index]) {
                *slot = pos;
            }
        }
        self.place(moves);
    }

    /// Sets positions in the engine (and pins) without reheating it.
    fn place(&mut self, moves: Vec<(usize, [f32; 2], bool)>) {
        match &mut self.engine {
            Engine::Inline(engine) => {
                for (index, pos, pin) in moves {
                    engine.set_position(index, pos, pin);
                }
            }
            Engine::Worker(worker) => worker.place(moves),
        }
    }

    /// Ticks the local settle within the frame budget and writes its nodes' positions.
    fn step_local(&mut self, positions: &mut Positions, held: Option<&NodeId>) -> bool {
        let Some(local) = self.local.as_mut() else {
            return false;
        };
        let moved = local.step(FRAME_BUDGET);
        let settled = local.is_settled();
        let moves: Vec<(usize, [f32; 2], bool)> = local
            .moves()
            .filter(|(i, _)| Some(&self.ids[*i]) != held)
            .map(|(i, p)| (i, p, self.pinned.get(i).copied().unwrap_or(false)))
            .collect();
        for &(i, p, _) in &moves {
            if let Some(slot) = positions.get_mut(&self.ids[i]) {
                *slot = p;
            }
        }
        if settled {
            self.local = None;
        }
        // The engine learns the new places (once at the end is enough for a worker).
        if settled || matches!(self.engine, Engine::Inline(_)) {
            self.place(moves);
        }
        moved || !settled
    }

    /// Runs until settled on this thread (headless use: CLI, tests); returns ticks run.
    pub fn settle(&mut self, positions: &mut Positions, max_ticks: usize) -> usize {
        self.choose_engine(false);
        if let Some(mut local) = self.local.take() {
            let ticks = local.run(max_ticks);
            for (i, p) in local.moves() {
                positions.insert(self.ids[i].clone(), p);
                let pin = self.pinned.get(i).copied().unwrap_or(false);
                if let Engine::Inline(engine) = &mut self.engine {
                    engine.set_position(i, p, pin);
                }
            }
            return ticks;
        }
        let Engine::Inline(engine) = &mut self.engine else {
            return 0;
        };
        let ticks = engine.run_until_settled(max_ticks);
        for (id, pos) in self.ids.iter().zip(engine.positions()) {
            positions.insert(id.clone(), *pos);
        }
        ticks
    }

    /// True once the layout has stopped moving.
    pub fn is_settled(&self) -> bool {
        if self.local.is_some() {
            return false;
        }
        match &self.engine {
            Engine::Inline(engine) => engine.is_settled(),
            Engine::Worker(worker) => worker.is_settled(),
        }
    }

    /// Settles `nodes` again among the others, which stay where they are ("Re-layout
    /// selection"); pinned nodes stay too.
    pub fn relayout_nodes(&mut self, nodes: &[NodeId]) {
        let indices: Vec<usize> = nodes
            .iter()
            .filter_map(|id| self.index_of.get(id).copied())
            .collect();
        let positions = self.current_positions().to_vec();
        self.local = LocalSettle::new(
            LayoutParams::default(),
            LAYOUT_SEED,
            &indices,
            &positions,
            &self.pinned,
            &self.edges,
        );
    }

    /// Restarts the whole simulation (Re-layout): the one thing that moves every node.
    pub fn reheat(&mut self) {
        self.local = None;
        match &mut self.engine {
            Engine::Inline(engine) => engine.reheat(1.0),
            Engine::Worker(worker) => worker.reheat(1.0),
        }
    }
}

/// The unpinned neighbours of `node` that have no other neighbour.
fn leaves_of(node: usize, edges: &[(u32, u32)], pinned: &[bool]) -> Vec<usize> {
    let mut neighbours: Vec<usize> = edges
        .iter()
        .filter_map(|&(a, b)| match (a as usize, b as usize) {
            (a, b) if a == node && b != node => Some(b),
            (a, b) if b == node && a != node => Some(a),
            _ => None,
        })
        .collect();
    neighbours.sort_unstable();
    neighbours.dedup();
    // Whether each neighbour also has an edge to some other node (then it is no leaf).
    let mut elsewhere: HashMap<usize, bool> = neighbours.iter().map(|&n| (n, false)).collect();
    for &(a, b) in edges {
        let (a, b) = (a as usize, b as usize);
        if b != node
            && let Some(flag) = elsewhere.get_mut(&a)
        {
            *flag = true;
        }
        if a != node
            && let Some(flag) = elsewhere.get_mut(&b)
        {
            *flag = true;
        }
    }
    neighbours
        .into_iter()
        .filter(|n| !pinned.get(*n).copied().unwrap_or(true) && !elsewhere[n])
        .collect()
}

/// A new engine with the app's parameters and seed.
pub(super) fn fresh_engine() -> Box<ForceLayout> {
    Box::new(ForceLayout::new(LayoutParams::default(), LAYOUT_SEED))
}

/// Gives every node without a position a place next to an already placed neighbour (or the
/// origin). Returns the indices of the nodes seeded.
/// The values of `entries` (ascending by id, as a map or set iterates) for each of `ids`
/// (ascending too), `missing` where an id has none: one pass over both, no lookups (300,000
/// map lookups by id text cost a tenth of a second when a big case opens).
fn in_id_order<'a, T: Copy + 'a>(
    ids: &[NodeId],
    entries: impl Iterator<Item = (&'a NodeId, T)>,
    missing: T,
) -> Vec<T> {
    let mut entries = entries.peekable();
    ids.iter()
        .map(|id| {
            while entries.next_if(|(key, _)| *key < id).is_some() {}
            match entries.peek() {
                Some((key, value)) if *key == id => *value,
                _ => missing,
            }
        })
        .collect()
}

fn seed_missing_positions(
    positions: &mut Positions,
    ids: &[NodeId],
    edges: &[(u32, u32)],
) -> Vec<usize> {
    let missing: Vec<usize> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !positions.contains_key(*id))
        .map(|(i, _)| i)
        .collect();
    if missing.is_empty() {
        return missing;
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for &(a, b) in edges {
        let (a, b) = (a as usize, b as usize);
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    for (k, &i) in missing.iter().enumerate() {
        let parent = neighbours[i]
            .iter()
            .find_map(|&n| positions.get(&ids[n]).copied())
            .unwrap_or([0.0, 0.0]);
        let pos = place_near(parent, k, missing.len(), i as u64);
        positions.insert(ids[i].clone(), pos);
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::generate_case;

    #[test]
    fn values_in_id_order_pair_up_without_lookups() {
        let id = |i: u32| NodeId::parse(&format!("eth:0x{i:040x}")).expect("id");
        let ids: Vec<NodeId> = [2, 4, 6, 8].map(id).to_vec();
        let (before, two, six, after) = (id(1), id(2), id(6), id(9));
        let entries = [(&before, 10), (&two, 20), (&six, 60), (&after, 90)];
        assert_eq!(in_id_order(&ids, entries.into_iter(), 0), [20, 0, 60, 0]);
        assert_eq!(in_id_order(&ids, std::iter::empty(), 7), [7, 7, 7, 7]);
        assert_eq!(in_id_order(&[], entries.into_iter(), 0), Vec::<i32>::new());
    }

    /// `LayoutDriver::sync` on a bare case (as a document lends its positions).
    fn sync_case(driver: &mut LayoutDriver, case: &mut Case, revision: u64) {
        let mut positions = std::mem::take(&mut case.layout.positions);
        driver.sync(case, &mut positions, revision);
        case.layout.positions = positions;
    }

    /// A generated case with some nodes unplaced (so the layout runs) and one pinned node.
    fn case_to_lay_out() -> (Case, NodeId) {
        let mut case = generate_case(400, 2);
        let ids: Vec<NodeId> = case.nodes.keys().cloned().collect();
        for id in ids.iter().step_by(10) {
            case.layout.positions.remove(id);
        }
        let pinned = ids[1].clone();
        case.layout.pinned.insert(pinned.clone());
        (case, pinned)
    }

    /// Steps until settled; a generous cap on frames, not a timing assertion.
    fn run_until_settled(driver: &mut LayoutDriver, case: &mut Case) {
        for _ in 0..200_000 {
            driver.step(&mut case.layout.positions, None);
            if driver.is_settled() {
                // Take the last positions the worker published.
                driver.step(&mut case.layout.positions, None);
                return;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        panic!("layout did not settle");
    }

    #[test]
    fn worker_gives_the_same_layout_as_the_frame_loop() {
        let (start, pinned) = case_to_lay_out();
        let pinned_at = start.layout.positions[&pinned];

        let mut inline_case = start.clone();
        let mut inline = LayoutDriver::with_worker_min_nodes(usize::MAX);
        sync_case(&mut inline, &mut inline_case, 1);
        inline.reheat();
        assert!(!inline.uses_worker() && !inline.is_settled());
        run_until_settled(&mut inline, &mut inline_case);

        let mut worker_case = start.clone();
        let mut worker = LayoutDriver::with_worker_min_nodes(100);
        sync_case(&mut worker, &mut worker_case, 1);
        worker.reheat();
        assert!(worker.uses_worker() && !worker.is_settled());
        run_until_settled(&mut worker, &mut worker_case);

        assert_eq!(worker_case.layout.positions, inline_case.layout.positions);
        assert_eq!(worker_case.layout.positions[&pinned], pinned_at);
        assert!(
            worker_case
                .layout
                .positions
                .values()
                .all(|p| p[0].is_finite() && p[1].is_finite())
        );
        assert_eq!(worker_case.layout.positions.len(), worker_case.nodes.len());
    }

    #[test]
    fn worker_follows_changes_and_hands_back_for_headless_settling() {
        let (mut case, _) = case_to_lay_out();
        let mut driver = LayoutDriver::with_worker_min_nodes(100);
        sync_case(&mut driver, &mut case, 1);
        run_until_settled(&mut driver, &mut case);
        // A drag moves the node where it is held, and reheats nothing.
        let node = case.nodes.keys().nth(5).cloned().expect("node");
        let mut positions = std::mem::take(&mut case.layout.positions);
        driver.hold(&mut positions, &node, [5_000.0, 5_000.0]);
        case.layout.positions = positions;
        assert!(driver.is_settled(), "a drag reheats nothing");
        // The drop, as the app's pinning move writes it.
        case.layout
            .positions
            .insert(node.clone(), [5_000.0, 5_000.0]);
        case.layout.pinned.insert(node.clone());
        sync_case(&mut driver, &mut case, 2);
        run_until_settled(&mut driver, &mut case);
        assert_eq!(case.layout.positions[&node], [5_000.0, 5_000.0]);
        // Relayout, then settle on this thread (as the CLI does).
        driver.reheat();
        let ticks = driver.settle(&mut case.layout.positions, 2_000);
        assert!(ticks > 0 && driver.is_settled() && !driver.uses_worker());
        // A case below the threshold stays on this thread.
        let mut small = generate_case(50, 1);
        sync_case(&mut driver, &mut small, 3);
        assert!(!driver.uses_worker());
    }
}
