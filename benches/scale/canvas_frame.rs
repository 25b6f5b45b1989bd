//! Canvas frame cost, headless: one frame of `Canvas::canvas_ui` (or of egui_graphs' default
//! `GraphView`, the baseline) in an `egui::Context` of [`SCREEN`] points zoomed to fit, timed as
//! `Context::run_ui` plus `Context::tessellate` — the CPU side of a frame. The GPU (or llvmpipe)
//! rasterising the result is not in these figures.
//!
//! The canvas keeps its mesh while nothing changes, so a frame is timed under a [`Motion`] that
//! decides what changes from one frame to the next; [`Motion::Pan`] (everything drawn again
//! every frame) is the one the bars are for.

use caseboard::app::canvas::Canvas;
use caseboard::app::command::Command;
use caseboard::model::{Case, NodeId};
use egui_graphs::{DisplayEdge, DisplayNode, Graph, GraphView, Layout, LayoutState};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Instant;

use crate::{EgGraph, SCREEN, median, ms_since};

/// Frames run before timing (fit to screen, textures, first layout of labels).
const WARM_UP_FRAMES: usize = 4;
/// Frames timed per figure (the median is reported).
const TIMED_FRAMES: usize = 21;

/// How one timed canvas frame differs from the one before.
#[derive(Clone, Copy, Debug)]
pub enum Motion {
    /// The view moves one point per frame: every visible node and edge is drawn again.
    Pan,
    /// Nothing changes: the canvas reuses its mesh.
    Still,
    /// The pointer moves over the canvas: a pick every frame.
    Hover,
    /// Every position moves (as while the layout runs) and the pointer moves: mesh and picking
    /// grid rebuilt; the time includes moving the positions in the case.
    Layout,
    /// Zoomed in to 1:1 on the centre (labels shown), the view moving a point per frame.
    ZoomedInPan,
    /// Every node selected, the view moving a point per frame.
    SelectedPan,
    /// A graph filter active (edges under $1,000 and a time range, filtered parts dimmed, so
    /// everything is still drawn), edge labels on, the view moving a point per frame.
    FilteredPan,
}

impl Motion {
    /// Short name for the table.
    pub fn label(self) -> &'static str {
        match self {
            Motion::Pan => "view moving",
            Motion::FilteredPan => "view moving, filter active (dimmed), edge labels",
            Motion::Still => "nothing changed",
            Motion::Hover => "pointer moving",
            Motion::Layout => "layout moving every node",
            Motion::ZoomedInPan => "zoomed 1:1, labels on, view moving",
            Motion::SelectedPan => "every node selected, view moving",
        }
    }
}

/// Median frame time and the split between running the UI and tessellating, in ms.
pub struct FrameTiming {
    pub total_ms: f64,
    pub run_ms: f64,
    pub tessellate_ms: f64,
    /// Vertices the last frame handed to the renderer.
    pub vertices: usize,
}

fn raw_input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(SCREEN[0], SCREEN[1]),
        )),
        events,
        ..Default::default()
    }
}

/// Times [`TIMED_FRAMES`] frames after [`WARM_UP_FRAMES`]; `events(k)` is frame `k`'s input.
fn time_frames(
    mut events: impl FnMut(usize) -> Vec<egui::Event>,
    mut frame_ui: impl FnMut(&mut egui::Ui, usize),
) -> FrameTiming {
    let ctx = egui::Context::default();
    let (mut totals, mut runs, mut tessellations) = (Vec::new(), Vec::new(), Vec::new());
    let mut vertices = 0;
    for k in 0..WARM_UP_FRAMES + TIMED_FRAMES {
        let input = raw_input(events(k));
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE)
                .show(ui, |ui| frame_ui(ui, k));
        });
        let run_ms = ms_since(start);
        let start_tessellate = Instant::now();
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let tessellate_ms = ms_since(start_tessellate);
        vertices = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        black_box(primitives);
        if k >= WARM_UP_FRAMES {
            totals.push(run_ms + tessellate_ms);
            runs.push(run_ms);
            tessellations.push(tessellate_ms);
        }
    }
    FrameTiming {
        total_ms: median(totals),
        run_ms: median(runs),
        tessellate_ms: median(tessellations),
        vertices,
    }
}

/// Our canvas on `case` (zoomed to fit on the first frame) under `motion`.
pub fn canvas_frame(case: &Case, motion: Motion) -> FrameTiming {
    let mut case = case.clone();
    if let Motion::FilteredPan = motion {
        let times: Vec<i64> = case.transfers.values().filter_map(|t| t.time).collect();
        let (first, last) = (times.iter().min(), times.iter().max());
        case.view.filter = caseboard::model::GraphFilter {
            min_usd_cents: Some(100_000),
            since_unix: first.zip(last).map(|(a, b)| a + (b - a) / 4),
            dim: true,
            ..Default::default()
        };
    }
    let mut canvas = Canvas::default();
    canvas.request_zoom_to(Vec::new());
    let selection: caseboard::app::selection::Selection = match motion {
        Motion::SelectedPan => case
            .nodes
            .keys()
            .cloned()
            .collect::<BTreeSet<NodeId>>()
            .into(),
        _ => BTreeSet::new().into(),
    };
    let prices = caseboard::prices::PriceBook::bundled();
    let mut commands: Vec<Command> = Vec::new();
    let pointer = |k: usize| match motion {
        Motion::Hover | Motion::Layout => {
            let x = 300.0 + (k % 40) as f32 * 17.0;
            let y = 200.0 + (k % 23) as f32 * 21.0;
            vec![egui::Event::PointerMoved(egui::pos2(x, y))]
        }
        _ => Vec::new(),
    };
    time_frames(pointer, |ui, k| {
        let (zoom, pan) = (case.view.zoom, case.view.pan);
        match motion {
            Motion::Pan | Motion::SelectedPan | Motion::FilteredPan if k > 0 => {
                canvas.request_view(zoom, [pan[0] + 1.0, pan[1]]);
            }
            Motion::ZoomedInPan if k == 1 => {
                let centre = [
                    (SCREEN[0] / 2.0 - pan[0]) / zoom,
                    (SCREEN[1] / 2.0 - pan[1]) / zoom,
                ];
                canvas.request_view(
                    1.0,
                    [SCREEN[0] / 2.0 - centre[0], SCREEN[1] / 2.0 - centre[1]],
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
        canvas.canvas_ui(ui, &case, 1, &selection, &prices, None, &mut commands);
        commands.clear();
    })
}

/// egui_graphs' default `GraphView` (default node and edge shapes, fit to screen) on `graph`,
/// whose nodes stay where they were put (a layout that does nothing).
pub fn graph_view_frame(graph: &mut EgGraph) -> FrameTiming {
    time_frames(
        |_| Vec::new(),
        |ui, _| {
            GraphView::<NoLayoutState, NoLayout>::new().show(ui, graph);
        },
    )
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
