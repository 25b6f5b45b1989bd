//! Scale benchmark (issue #4): layout tick, layout quality, canvas frame, case load/save and
//! memory on synthetic cases from `caseboard generate`'s generator, each next to a baseline
//! measured in the same run.
//!
//! `cargo bench --bench scale` builds cases of 5k, 10k, 50k and 100k nodes and measures (medians):
//! - layout tick: our `ForceLayout::tick` (on all cores, and on one) vs `fa2` Barnes–Hut (graphology's settings for the
//!   graph's order: θ 0.5; single-threaded and with its rayon-parallel path) at 5k/10k/50k, and
//!   vs egui_graphs' `FruchtermanReingold::step` at 5k;
//! - layout quality: normalised stress (sampled sources) and edge-length spread of our layout
//!   run until settled (≤ 300 ticks) vs fa2 after 300 epochs, from the same start;
//! - canvas frame CPU: `Canvas::canvas_ui` in a headless `egui::Context` (1600×1000, zoomed to
//!   fit), `run_ui` + `tessellate`, vs egui_graphs' default `GraphView` (default shapes, no
//!   layout, fit to screen) on the same graph at 5k and 10k;
//! - case file save and load at 100k nodes (median of 3);
//! - resident memory added per node by a loaded 100k case, measured in a fresh child process.
//!
//! Prints a markdown table and writes `target/bench/scale.json` (one object per figure: name,
//! nodes, ours_ms, baseline, baseline_ms, ratio, plus unit, bar and meets). `ratio` is
//! baseline / ours: for timings the speed-up, for bars the margin (≥ 1 meets the bar).
//! `SCALE_ONLY=layout,quality,canvas,file,memory` runs a subset. Run without `--bench`
//! (`cargo test --all-targets`), it only checks that it starts.

use caseboard::app::canvas::Canvas;
use caseboard::app::command::Command;
use caseboard::generate::generate_case;
use caseboard::layout::{ForceLayout, LayoutParams, edge_length_spread, normalized_stress};
use caseboard::model::{Case, NodeId};
use egui_graphs::{DisplayEdge, DisplayNode, Graph, GraphView, Layout, LayoutState};
use petgraph::stable_graph::StableGraph;
use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;
use std::time::Instant;

const SEED: u64 = 1;
/// Ticks (epochs) the quality comparison gives each engine.
const QUALITY_TICKS: usize = 300;
/// Source nodes of the stress sample.
const STRESS_SOURCES: usize = 64;
const SCREEN: [f32; 2] = [1600.0, 1000.0];

/// One row of the table / object of the JSON file.
struct Figure {
    name: String,
    nodes: usize,
    ours: f64,
    baseline: String,
    baseline_value: f64,
    unit: &'static str,
    /// Larger ratio is better; `meets` compares it with `bar_ratio`.
    ratio: f64,
    bar: String,
    meets: Option<bool>,
}

/// A generated case as the app's layout driver sees it: ids in key order, edges, positions.
struct Graphish {
    case: Case,
    edges: Vec<(u32, u32)>,
    positions: Vec<[f32; 2]>,
}

fn graph(nodes: usize) -> Graphish {
    let case = generate_case(nodes, SEED);
    let index: HashMap<&NodeId, u32> = case
        .nodes
        .keys()
        .enumerate()
        .map(|(i, id)| (id, i as u32))
        .collect();
    let mut edges: Vec<(u32, u32)> = case
        .transfers
        .values()
        .filter_map(|t| {
            let (a, b) = (*index.get(&t.from)?, *index.get(&t.to)?);
            (a != b).then_some((a.min(b), a.max(b)))
        })
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let positions = case
        .nodes
        .keys()
        .map(|id| case.layout.positions.get(id).copied().unwrap_or([0.0, 0.0]))
        .collect();
    Graphish {
        case,
        edges,
        positions,
    }
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    match samples.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => samples[n / 2],
        n => 0.5 * (samples[n / 2 - 1] + samples[n / 2]),
    }
}

fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn our_layout(g: &Graphish) -> ForceLayout {
    let mut layout = ForceLayout::new(LayoutParams::default(), SEED);
    layout.set_graph(
        g.positions.clone(),
        vec![false; g.positions.len()],
        &g.edges,
    );
    layout
}

/// Median of `timed` ticks after `warmup`, all while the layout is still moving, on at most
/// `threads` threads.
fn our_tick_ms(g: &Graphish, threads: usize, warmup: usize, timed: usize) -> f64 {
    let mut layout = our_layout(g);
    layout.set_max_threads(threads);
    for _ in 0..warmup {
        layout.tick();
    }
    let samples = (0..timed)
        .map(|_| {
            assert!(!layout.is_settled(), "layout settled while being timed");
            let t = Instant::now();
            black_box(layout.tick());
            ms_since(t)
        })
        .collect();
    median(samples)
}

fn fa2_layout(g: &Graphish, parallel: bool) -> fa2::FA2Layout<f32> {
    let mut data = fa2::FA2Data::<f32>::with_capacity(g.positions.len(), g.edges.len());
    for p in &g.positions {
        data.add_node_with_position(p[0], p[1]);
    }
    for &(a, b) in &g.edges {
        data.add_edge(a as usize, b as usize);
    }
    fa2::FA2Settings::<f32>::from_graph_order(g.positions.len())
        .with_barnes_hut()
        .parallel(parallel)
        .build(data)
}

fn fa2_epoch_ms(g: &Graphish, parallel: bool, warmup: usize, timed: usize) -> f64 {
    let mut layout = fa2_layout(g, parallel);
    for _ in 0..warmup {
        layout.epoch();
    }
    let samples = (0..timed)
        .map(|_| {
            let t = Instant::now();
            black_box(layout.epoch());
            ms_since(t)
        })
        .collect();
    median(samples)
}

type EgGraph = Graph<(), (), petgraph::Directed, u32>;

fn egui_graph(g: &Graphish) -> EgGraph {
    let mut sg: StableGraph<(), ()> = StableGraph::with_capacity(g.positions.len(), g.edges.len());
    let idx: Vec<_> = g.positions.iter().map(|_| sg.add_node(())).collect();
    for &(a, b) in &g.edges {
        sg.add_edge(idx[a as usize], idx[b as usize], ());
    }
    let mut graph: EgGraph = egui_graphs::to_graph(&sg);
    for (i, p) in idx.iter().zip(&g.positions) {
        if let Some(node) = graph.node_mut(*i) {
            node.set_location(egui::pos2(p[0], p[1]));
        }
    }
    graph
}

fn fr_step_ms(g: &Graphish, timed: usize) -> f64 {
    use egui_graphs::ForceAlgorithm as _;
    let mut graph = egui_graph(g);
    let view = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(SCREEN[0], SCREEN[1]));
    let mut fr = egui_graphs::FruchtermanReingold::from_state(Default::default());
    fr.step(&mut graph, view);
    let samples = (0..timed)
        .map(|_| {
            let t = Instant::now();
            fr.step(&mut graph, view);
            ms_since(t)
        })
        .collect();
    median(samples)
}

/// A layout that leaves positions alone (the baseline view draws, nothing else).
#[derive(Debug, Default)]
struct NoLayout;

#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
struct NoLayoutState;

impl LayoutState for NoLayoutState {}

impl Layout<NoLayoutState> for NoLayout {
    fn from_state(_: NoLayoutState) -> impl Layout<NoLayoutState> {
        NoLayout
    }

    fn next<N, E, Ty, Ix, Dn, De>(&mut self, _: &mut Graph<N, E, Ty, Ix, Dn, De>, _: &egui::Ui)
    where
        N: Clone,
        E: Clone,
        Ty: petgraph::EdgeType,
        Ix: petgraph::stable_graph::IndexType,
        Dn: DisplayNode<N, E, Ty, Ix>,
        De: DisplayEdge<N, E, Ty, Ix, Dn>,
    {
    }

    fn state(&self) -> NoLayoutState {
        NoLayoutState
    }
}

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(SCREEN[0], SCREEN[1]),
        )),
        ..Default::default()
    }
}

/// Median CPU time of one frame (`run_ui` + `tessellate`) after `warmup` frames; also prints
/// the shapes and vertices of the last frame.
fn frame_ms(warmup: usize, timed: usize, mut ui_fn: impl FnMut(&mut egui::Ui)) -> (f64, f64, f64) {
    let ctx = egui::Context::default();
    let mut run = |ctx: &egui::Context| {
        let t = Instant::now();
        let output = ctx.run_ui(raw_input(), |ui| {
            egui::CentralPanel::default().show(ui, |ui| ui_fn(ui));
        });
        let run_ms = ms_since(t);
        let t = Instant::now();
        let shapes = output.shapes.len();
        let prims = ctx.tessellate(output.shapes, output.pixels_per_point);
        let tess_ms = ms_since(t);
        let vertices: usize = prims
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        black_box(prims);
        (run_ms, tess_ms, shapes, vertices)
    };
    for _ in 0..warmup {
        run(&ctx);
    }
    let (mut total, mut runs, mut tess) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = (0, 0);
    for _ in 0..timed {
        let (r, t, shapes, vertices) = run(&ctx);
        total.push(r + t);
        runs.push(r);
        tess.push(t);
        last = (shapes, vertices);
    }
    eprintln!(
        "    last frame: {} clipped shapes, {} vertices",
        last.0, last.1
    );
    (median(total), median(runs), median(tess))
}

fn our_frame_ms(g: &mut Graphish) -> (f64, f64, f64) {
    let mut canvas = Canvas::default();
    canvas.request_zoom_to(Vec::new());
    let selection = BTreeSet::new();
    let mut commands: Vec<Command> = Vec::new();
    let case = &mut g.case;
    frame_ms(3, 15, |ui| {
        canvas.canvas_ui(ui, case, 1, &selection, &mut commands);
        commands.clear();
    })
}

fn graph_view_frame_ms(g: &Graphish) -> (f64, f64, f64) {
    let mut graph = egui_graph(g);
    frame_ms(3, 9, |ui| {
        GraphView::<NoLayoutState, NoLayout>::new().show(ui, &mut graph);
    })
}

/// Runs both engines for the same tick budget from the same start; (stress, spread, ticks)
/// for ours, then for fa2.
fn quality(g: &Graphish) -> ((f32, f32, usize), (f32, f32)) {
    let mut ours = our_layout(g);
    let ticks = ours.run_until_settled(QUALITY_TICKS);
    let p = ours.positions();
    let ours_q = (
        normalized_stress(p, &g.edges, STRESS_SOURCES),
        edge_length_spread(p, &g.edges),
        ticks,
    );
    let mut fa2 = fa2_layout(g, true);
    fa2.run(QUALITY_TICKS);
    let q: Vec<[f32; 2]> = fa2.data().positions().map(|(x, y)| [x, y]).collect();
    let fa2_q = (
        normalized_stress(&q, &g.edges, STRESS_SOURCES),
        edge_length_spread(&q, &g.edges),
    );
    (ours_q, fa2_q)
}

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Child-process mode: prints the resident KiB that a loaded (`load FILE`) or generated
/// (`generate NODES`) case adds, and its node count.
fn memory_probe(what: &str, arg: &str) {
    let before = resident_kib().unwrap_or(0);
    let case = if what == "load" {
        caseboard::case_file::load(std::path::Path::new(arg)).expect("loads")
    } else {
        generate_case(arg.parse().expect("node count"), SEED)
    };
    let after = resident_kib().unwrap_or(0);
    println!("{} {}", after.saturating_sub(before), case.nodes.len());
    black_box(case);
}

fn probe_kib_per_node(what: &str, arg: &str) -> f64 {
    let exe = std::env::current_exe().expect("bench binary path");
    let out = std::process::Command::new(exe)
        .args(["--bench", "--memory-probe", what, arg])
        .output()
        .expect("probe runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let kib: f64 = parts
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    let nodes: f64 = parts
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    kib / nodes
}

fn wanted(part: &str) -> bool {
    match std::env::var("SCALE_ONLY") {
        Ok(list) => list.split(',').any(|p| p.trim() == part),
        Err(_) => true,
    }
}

fn speed(
    name: &str,
    nodes: usize,
    ours: f64,
    baseline: &str,
    base: f64,
    bar: Option<f64>,
) -> Figure {
    let ratio = base / ours;
    Figure {
        name: name.to_owned(),
        nodes,
        ours,
        baseline: baseline.to_owned(),
        baseline_value: base,
        unit: "ms",
        ratio,
        bar: bar.map_or(String::new(), |b| format!("≥ {b}× faster")),
        meets: bar.map(|b| ratio >= b),
    }
}

fn under_bar(name: &str, nodes: usize, ours: f64, unit: &'static str, bar: f64) -> Figure {
    Figure {
        name: name.to_owned(),
        nodes,
        ours,
        baseline: format!("bar ≤ {bar} {unit}"),
        baseline_value: bar,
        unit,
        ratio: bar / ours,
        bar: format!("≤ {bar} {unit}"),
        meets: Some(ours <= bar),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(k) = args.iter().position(|a| a == "--memory-probe") {
        memory_probe(&args[k + 1], &args[k + 2]);
        return;
    }
    // `cargo test --all-targets` runs this binary without `--bench`: then only check that it
    // starts, and leave the timing to `cargo bench --bench scale`.
    if !args.iter().any(|a| a == "--bench") {
        println!("scale bench: skipped (run `cargo bench --bench scale`)");
        return;
    }
    let mut figures: Vec<Figure> = Vec::new();
    let report = |f: &Figure| {
        eprintln!(
            "  {} @{}: ours {:.3} {} | {} {:.3} | ratio {:.2} {}",
            f.name, f.nodes, f.ours, f.unit, f.baseline, f.baseline_value, f.ratio, f.bar
        );
    };
    let mut graphs: Vec<(usize, Graphish)> = Vec::new();
    for n in [5_000, 10_000, 50_000] {
        let t = Instant::now();
        graphs.push((n, graph(n)));
        eprintln!(
            "generated {n} nodes, {} distinct edges in {:.0} ms",
            graphs.last().map_or(0, |g| g.1.edges.len()),
            ms_since(t)
        );
    }

    if wanted("layout") {
        for (n, g) in &graphs {
            let n = *n;
            let timed = if n >= 50_000 { 15 } else { 31 };
            let ours = our_tick_ms(g, 4, 5, timed);
            let ours_one_thread = our_tick_ms(g, 1, 5, timed);
            eprintln!("  ours @{n}: {ours:.3} ms (all cores), {ours_one_thread:.3} ms (1 thread)");
            let fa2_seq = fa2_epoch_ms(g, false, 2, if n >= 50_000 { 7 } else { 15 });
            let fa2_par = fa2_epoch_ms(g, true, 2, if n >= 50_000 { 7 } else { 15 });
            let bar = match n {
                10_000 => Some(5.0),
                50_000 => Some(30.0),
                _ => None,
            };
            let mut f = speed(
                "layout tick (all cores) vs fa2 Barnes-Hut (1 thread)",
                n,
                ours,
                "fa2 BH θ0.5",
                fa2_seq,
                (n == 50_000).then_some(5.0),
            );
            if let Some(b) = bar {
                f.bar = format!("≤ {b} ms{}", if n == 50_000 { ", ≥ 5×" } else { "" });
                f.meets = Some(ours <= b && (n != 50_000 || f.ratio >= 5.0));
            }
            report(&f);
            figures.push(f);
            let f = speed(
                "layout tick on 1 thread vs fa2 Barnes-Hut (1 thread)",
                n,
                ours_one_thread,
                "fa2 BH θ0.5",
                fa2_seq,
                None,
            );
            report(&f);
            figures.push(f);
            let f = speed(
                "layout tick (all cores) vs fa2 Barnes-Hut (rayon, all cores)",
                n,
                ours,
                "fa2 BH θ0.5 rayon",
                fa2_par,
                None,
            );
            report(&f);
            figures.push(f);
            if n == 5_000 {
                let fr = fr_step_ms(g, 7);
                let f = speed(
                    "layout tick (all cores) vs egui_graphs FR step",
                    n,
                    ours,
                    "egui_graphs FruchtermanReingold",
                    fr,
                    Some(20.0),
                );
                report(&f);
                figures.push(f);
            }
        }
    }

    if wanted("quality") {
        for (n, g) in &graphs {
            let t = Instant::now();
            let ((stress, spread, ticks), (fa2_stress, fa2_spread)) = quality(g);
            eprintln!("quality @{n}: {:.1} s", t.elapsed().as_secs_f64());
            for (name, ours, base) in [
                (
                    "layout quality: normalised stress (lower is better)",
                    stress,
                    fa2_stress,
                ),
                (
                    "layout quality: edge-length spread (lower is better)",
                    spread,
                    fa2_spread,
                ),
            ] {
                let ratio = f64::from(base) / f64::from(ours);
                let f = Figure {
                    name: format!("{name}, ours {ticks} ticks"),
                    nodes: *n,
                    ours: f64::from(ours),
                    baseline: format!("fa2 BH θ0.5, {QUALITY_TICKS} epochs"),
                    baseline_value: f64::from(base),
                    unit: "",
                    ratio,
                    bar: "no worse than fa2".to_owned(),
                    meets: Some(ours <= base),
                };
                report(&f);
                figures.push(f);
            }
        }
    }

    if wanted("canvas") {
        for (n, g) in &mut graphs {
            let n = *n;
            let (ours, run, tess) = our_frame_ms(g);
            eprintln!("  canvas @{n}: run_ui {run:.2} ms, tessellate {tess:.2} ms");
            let mut f = if n <= 10_000 {
                let (base, brun, btess) = graph_view_frame_ms(g);
                eprintln!("  GraphView @{n}: run_ui {brun:.2} ms, tessellate {btess:.2} ms");
                speed(
                    "canvas frame CPU (run_ui + tessellate)",
                    n,
                    ours,
                    "egui_graphs default GraphView",
                    base,
                    (n == 5_000).then_some(8.0),
                )
            } else {
                under_bar(
                    "canvas frame CPU (run_ui + tessellate)",
                    n,
                    ours,
                    "ms",
                    25.0,
                )
            };
            if n == 10_000 {
                f.bar = "≤ 8 ms".to_owned();
                f.meets = Some(ours <= 8.0);
            }
            report(&f);
            figures.push(f);
        }
    }
    drop(graphs);

    let n = 100_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scale-100k.ron");
    if wanted("file") || wanted("memory") {
        let case = generate_case(n, SEED);
        let mut saves = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            caseboard::case_file::save(&case, &path).expect("saves");
            saves.push(ms_since(t));
        }
        let size_mb = std::fs::metadata(&path).map_or(0, |m| m.len()) as f64 / 1e6;
        let mut loads = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            let loaded = caseboard::case_file::load(&path).expect("loads");
            loads.push(ms_since(t));
            assert_eq!(loaded.nodes.len(), n);
        }
        eprintln!("case file @{n}: {size_mb:.1} MB");
        if wanted("file") {
            for (name, samples) in [("case file save", saves), ("case file load", loads)] {
                let f = under_bar(name, n, median(samples), "ms", 1000.0);
                report(&f);
                figures.push(f);
            }
        }
    }
    if wanted("memory") {
        let loaded = probe_kib_per_node("load", path.to_str().expect("utf8 path"));
        let f = under_bar(
            "resident memory per node (loaded case)",
            n,
            loaded,
            "KiB",
            1.5,
        );
        report(&f);
        figures.push(f);
        let generated = probe_kib_per_node("generate", &n.to_string());
        eprintln!("  (generated case in memory: {generated:.3} KiB/node)");
    }

    print_table(&figures);
    write_json(&figures);
}

fn print_table(figures: &[Figure]) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!("\nscale benchmark (medians; {cores} cores, {cpu})\n");
    println!("| figure | nodes | ours | baseline | baseline value | ratio | bar | meets |");
    println!("|---|---:|---:|---|---:|---:|---|---|");
    for f in figures {
        let meets = match f.meets {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "–",
        };
        println!(
            "| {} | {} | {:.3} {} | {} | {:.3} | {:.2} | {} | {} |",
            f.name, f.nodes, f.ours, f.unit, f.baseline, f.baseline_value, f.ratio, f.bar, meets
        );
    }
}

fn write_json(figures: &[Figure]) {
    let objects: Vec<serde_json::Value> = figures
        .iter()
        .map(|f| {
            serde_json::json!({
                "name": f.name,
                "nodes": f.nodes,
                "ours_ms": f.ours,
                "baseline": f.baseline,
                "baseline_ms": f.baseline_value,
                "ratio": f.ratio,
                "unit": f.unit,
                "bar": f.bar,
                "meets": f.meets,
            })
        })
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("scale.json");
    match serde_json::to_string_pretty(&objects) {
        Ok(text) => match std::fs::write(&path, text + "\n") {
            Ok(()) => println!("\nwrote {}", path.display()),
            Err(e) => eprintln!("cannot write {}: {e}", path.display()),
        },
        Err(e) => eprintln!("cannot serialise figures: {e}"),
    }
}
