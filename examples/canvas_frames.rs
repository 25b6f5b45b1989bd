//! Canvas frame cost, headless: builds synthetic cases (random Ethereum addresses, ~1.5
//! edges per node with a few hubs, positions spread over a square, 1 node in 200 tagged) and
//! times one frame of `Canvas::canvas_ui` zoomed to fit — `egui::Context::run_ui` plus
//! `Context::tessellate` — as the median of several frames, beside egui_graphs' default
//! `GraphView` on the same graph (with its default random layout, and with the case's
//! positions).
//!
//! ```sh
//! cargo run --release --example canvas_frames                    # 5k, 10k, 50k nodes
//! cargo run --release --example canvas_frames -- 2000 20000      # other sizes
//! cargo run --release --example canvas_frames -- 50000 --only pan  # rows whose label has "pan"
//! cargo run --release --example canvas_frames -- --save big.ron 20000   # write a case file
//! ```
//!
//! Kinds of canvas frame timed: `pan` (the view moves one point each frame: everything is
//! drawn again — the bars are for this one), `still` (nothing changed: the cached mesh is
//! reused), `hover` (the pointer moves: a pick every frame), `layout` (every position moves, as
//! while the layout runs, and the pointer moves: mesh and picking grid rebuilt; the timing
//! includes moving the positions in the case), `zoom 1` (zoomed in 1:1 on the centre, labels
//! on, panning) and `all sel.` (every node selected, panning). `pan rnd.` is `pan` with the
//! nodes where `GraphView`'s default layout puts them (random in a 250-unit square, so zoomed
//! to fit every node is large and they all overlap): the like-for-like comparison with
//! `GraphView`, which is timed with that layout and with the case's positions (`GraphView pos.`).

use caseboard::app::canvas::Canvas;
use caseboard::model::{
    Asset, Case, Category, Chain, Confidence, Node, NodeId, Tag, Transfer, TransferId,
};
use egui::{Pos2, RawInput, Rect, Vec2};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Window the frames are drawn into, points.
const SCREEN: Vec2 = Vec2::new(1400.0, 900.0);
/// Frames timed per measurement (the median is reported).
const FRAMES: usize = 21;
/// Frames run before timing (fit, layout placement, texture upload).
const WARM_UP_FRAMES: usize = 4;

/// A deterministic pseudo-random stream (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f32 {
        (self.next() % 1_000_000) as f32 / 1_000_000.0
    }
}

/// A synthetic case of `n` address nodes and about `1.5 n` transfers.
fn synthetic_case(n: usize, seed: u64) -> Case {
    let mut rng = Rng(seed | 1);
    let mut case = Case::new(&format!("synthetic {n}"), 0);
    let ids: Vec<NodeId> = (0..n)
        .map(|i| {
            let text = format!("eth:0x{:08x}{:032x}", i, rng.next() as u128 * 0x9e37_79b9);
            NodeId::parse(&text).expect("generated ids are valid")
        })
        .collect();
    let hubs = (n / 2000).max(5).min(n);
    let side = (n as f32).sqrt() * 40.0;
    let mut positions: Vec<[f32; 2]> = Vec::with_capacity(n);
    let mut edges: Vec<(usize, usize)> = Vec::with_capacity(n * 3 / 2);
    for i in 0..n {
        if i < hubs {
            positions.push([rng.unit() * side, rng.unit() * side]);
            continue;
        }
        let (parent, spread) = if rng.below(10) < 3 {
            (rng.below(hubs), 260.0)
        } else {
            (rng.below(i), 70.0)
        };
        let angle = rng.unit() * std::f32::consts::TAU;
        let radius = spread * (0.3 + rng.unit());
        let p = positions[parent];
        positions.push([p[0] + radius * angle.cos(), p[1] + radius * angle.sin()]);
        edges.push(if rng.below(2) == 0 {
            (parent, i)
        } else {
            (i, parent)
        });
        if rng.below(2) == 0 {
            let other = i - 1 - rng.below(i.min(50));
            edges.push((other, i));
        }
    }
    for (i, id) in ids.iter().enumerate() {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
        case.layout.positions.insert(id.clone(), positions[i]);
        if i % 200 == 7 {
            case.tags.insert(
                id.clone(),
                vec![Tag {
                    label: format!("Service {i}"),
                    category: if i % 400 == 7 {
                        Category::Exchange
                    } else {
                        Category::Mixer
                    },
                    confidence: Confidence::ServiceData,
                    source: "synthetic".into(),
                    author: String::new(),
                    created: 0,
                    note: String::new(),
                    pack: None,
                    actor: None,
                    abuse: None,
                    concepts: Vec::new(),
                }],
            );
        }
    }
    for (k, (from, to)) in edges.into_iter().enumerate() {
        let tx_hash = format!("0x{k:064x}");
        let digits = 15 + rng.below(8) as u32;
        case.transfers.insert(
            TransferId::new("eth", &tx_hash, "native"),
            Transfer {
                id: TransferId::new("eth", &tx_hash, "native"),
                from: ids[from].clone(),
                to: ids[to].clone(),
                asset: Asset::native(Chain::ETHEREUM),
                amount: 10u128.pow(digits) * (1 + rng.below(9) as u128),
                tx_hash,
                block_height: None,
                time: None,
                provenance: None,
            },
        );
    }
    case
}

fn raw_input(events: Vec<egui::Event>) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
        events,
        ..RawInput::default()
    }
}

/// Median run and tessellate times of the timed frames, and the vertices of the last.
struct Timing {
    run: Duration,
    tessellate: Duration,
    total: Duration,
    vertices: usize,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Times `FRAMES` frames after the warm-up frames; `before_frame(k)` gives each frame's input.
fn time_frames(
    ctx: &egui::Context,
    mut before_frame: impl FnMut(usize) -> Vec<egui::Event>,
    mut frame_ui: impl FnMut(&mut egui::Ui, usize),
) -> Timing {
    let (mut runs, mut tessellations, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    let mut vertices = 0;
    for k in 0..FRAMES + WARM_UP_FRAMES {
        let input = raw_input(before_frame(k));
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE)
                .show(ui, |ui| frame_ui(ui, k));
        });
        let ran = Instant::now();
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let done = Instant::now();
        vertices = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        if k >= WARM_UP_FRAMES {
            runs.push(ran - start);
            tessellations.push(done - ran);
            totals.push(done - start);
        }
    }
    Timing {
        run: median(runs),
        tessellate: median(tessellations),
        total: median(totals),
        vertices,
    }
}

/// How a canvas frame differs from the last.
#[derive(Clone, Copy)]
enum Motion {
    /// Nothing changes.
    Still,
    /// The view moves a point per frame.
    Pan,
    /// The pointer moves over the canvas.
    Hover,
    /// Every position moves a little (as while the layout runs) and the pointer moves.
    Layout,
    /// Zoomed in to 1:1 on the centre (labels on), the view moving a point per frame.
    ZoomedInPan,
    /// Every node selected (Ctrl+A), the view moving a point per frame.
    SelectedPan,
}

fn time_canvas(case: &Case, motion: Motion) -> Timing {
    let ctx = egui::Context::default();
    let mut canvas = Canvas::default();
    let mut case = case.clone();
    let selection: BTreeSet<NodeId> = match motion {
        Motion::SelectedPan => case.nodes.keys().cloned().collect(),
        _ => BTreeSet::new(),
    };
    let mut commands = Vec::new();
    let events = |k: usize| match motion {
        Motion::Hover | Motion::Layout => {
            let x = 300.0 + (k % 40) as f32 * 17.0;
            let y = 200.0 + (k % 23) as f32 * 21.0;
            vec![egui::Event::PointerMoved(Pos2::new(x, y))]
        }
        _ => Vec::new(),
    };
    time_frames(&ctx, events, |ui, k| {
        let (zoom, pan) = (case.view.zoom, case.view.pan);
        match motion {
            Motion::Pan | Motion::SelectedPan if k > 0 => {
                canvas.request_view(zoom, [pan[0] + 1.0, pan[1]]);
            }
            Motion::ZoomedInPan if k == 1 => {
                // Zoom 1 around the screen centre.
                let centre = [
                    (SCREEN.x / 2.0 - pan[0]) / zoom,
                    (SCREEN.y / 2.0 - pan[1]) / zoom,
                ];
                canvas.request_view(
                    1.0,
                    [SCREEN.x / 2.0 - centre[0], SCREEN.y / 2.0 - centre[1]],
                );
            }
            Motion::ZoomedInPan if k > 1 => {
                canvas.request_view(zoom, [pan[0] + 1.0, pan[1]]);
            }
            Motion::Layout => {
                let step = if k % 2 == 0 { 0.5 } else { -0.5 };
                for p in case.layout.positions.values_mut() {
                    p[0] += step;
                }
            }
            _ => {}
        }
        canvas.canvas_ui(ui, &mut case, 1, &selection, &mut commands);
    })
}

type DefaultGraph = egui_graphs::Graph<(), (), petgraph::Directed>;

/// egui_graphs layout that leaves positions alone (the nodes keep the case's positions).
#[derive(Debug, Default)]
struct FixedLayout;

/// State of [`FixedLayout`] (none).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
struct FixedLayoutState;

impl egui_graphs::LayoutState for FixedLayoutState {}

impl egui_graphs::Layout<FixedLayoutState> for FixedLayout {
    fn from_state(_state: FixedLayoutState) -> impl egui_graphs::Layout<FixedLayoutState> {
        FixedLayout
    }

    fn next<N, E, Ty, Ix, Dn, De>(
        &mut self,
        _g: &mut egui_graphs::Graph<N, E, Ty, Ix, Dn, De>,
        _ui: &egui::Ui,
    ) where
        N: Clone,
        E: Clone,
        Ty: petgraph::EdgeType,
        Ix: petgraph::stable_graph::IndexType,
        Dn: egui_graphs::DisplayNode<N, E, Ty, Ix>,
        De: egui_graphs::DisplayEdge<N, E, Ty, Ix, Dn>,
    {
    }

    fn state(&self) -> FixedLayoutState {
        FixedLayoutState
    }
}

/// egui_graphs' default `GraphView` (default node and edge shapes, fit to screen) on the case's
/// graph; with `keep_positions` the nodes sit where the case puts them (a layout that does
/// nothing), else the default random layout places them.
fn time_graph_view(case: &Case, keep_positions: bool) -> Timing {
    let mut stable = petgraph::stable_graph::StableGraph::<(), ()>::new();
    let index: std::collections::HashMap<&NodeId, _> = case
        .nodes
        .keys()
        .map(|id| (id, stable.add_node(())))
        .collect();
    for t in case.transfers.values() {
        if let (Some(&a), Some(&b)) = (index.get(&t.from), index.get(&t.to)) {
            stable.add_edge(a, b, ());
        }
    }
    let mut graph: DefaultGraph = egui_graphs::to_graph(&stable);
    if keep_positions {
        for (id, &i) in &index {
            if let (Some(p), Some(node)) = (case.layout.positions.get(*id), graph.node_mut(i)) {
                node.set_location(Pos2::new(p[0], p[1]));
            }
        }
    }
    let ctx = egui::Context::default();
    time_frames(
        &ctx,
        |_| Vec::new(),
        |ui, _| {
            if keep_positions {
                egui_graphs::GraphView::<FixedLayoutState, FixedLayout>::new().show(ui, &mut graph);
            } else {
                egui_graphs::DefaultGraphView::new().show(ui, &mut graph);
            }
        },
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(label: &str, nodes: usize, edges: usize, t: &Timing) {
    println!(
        "{label:<16} {nodes:>6} nodes {edges:>6} edges  run {:>7.2} ms  tessellate {:>7.2} ms  total {:>7.2} ms  {:>8} vertices",
        ms(t.run),
        ms(t.tessellate),
        ms(t.total),
        t.vertices
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--save") {
        let (Some(path), Some(n)) = (args.get(1), args.get(2).and_then(|s| s.parse().ok())) else {
            eprintln!("usage: canvas_frames --save FILE.ron NODES");
            std::process::exit(2);
        };
        let case = synthetic_case(n, 42);
        if let Err(e) = caseboard::case_file::save(&case, std::path::Path::new(path)) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        println!(
            "wrote {path}: {} nodes, {} transfers",
            case.nodes.len(),
            case.transfers.len()
        );
        return;
    }
    // `--only TEXT` times only the rows whose label contains TEXT.
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_default();
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![5_000, 10_000, 50_000];
    }
    println!(
        "median of {FRAMES} frames, {}x{} points, zoomed to fit",
        SCREEN.x, SCREEN.y
    );
    for n in sizes {
        let case = synthetic_case(n, 42);
        let edges = case.transfers.len();
        for (label, motion) in [
            ("canvas pan", Motion::Pan),
            ("canvas still", Motion::Still),
            ("canvas hover", Motion::Hover),
            ("canvas layout", Motion::Layout),
            ("canvas zoom 1", Motion::ZoomedInPan),
            ("canvas all sel.", Motion::SelectedPan),
        ] {
            if label.contains(&only) {
                report(label, n, edges, &time_canvas(&case, motion));
            }
        }
        if n <= 10_000 && "canvas pan rnd. GraphView pos.".contains(&only) {
            // The default GraphView's own layout: random in a 250-unit square.
            let mut rng = Rng(7);
            let mut crowded = case.clone();
            for p in crowded.layout.positions.values_mut() {
                *p = [rng.unit() * 250.0, rng.unit() * 250.0];
            }
            report(
                "canvas pan rnd.",
                n,
                edges,
                &time_canvas(&crowded, Motion::Pan),
            );
            report("GraphView", n, edges, &time_graph_view(&case, false));
            report("GraphView pos.", n, edges, &time_graph_view(&case, true));
        }
    }
}
