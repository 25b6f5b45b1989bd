//! The timeline under the canvas: the case's transfers over time as a histogram of USD value
//! (square-root scale; bins with nothing priced show their count, in grey), stacked by the
//! assets worth most, with the selected nodes' transfers outlined in the selection colour.
//!
//! Dragging across it sets the filter's time range; a click on a bar selects the nodes its
//! transfers join; "Clear range" removes the range. ▶ replays the case: the canvas shows the
//! transfers up to a moving time, so the split → peel → mixer → bridge → exchange sequence
//! unfolds on screen (the replay is view only; it never touches the case). The transfers are
//! placed once per structure change; a histogram is recomputed only when the range, the width
//! or the selection changes.

use super::super::command::Command;
use crate::analysis::timeline::{Bin, MIX_ASSETS, Timeline};
use crate::model::{Case, GraphFilter, NodeId};
use crate::prices::PriceBook;
use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};
use std::collections::BTreeSet;

/// Height of the plot, points.
const PLOT_HEIGHT_PX: f32 = 84.0;
/// Width of one bin, points.
const BIN_PX: f32 = 6.0;
/// Seconds a replay takes from the first transfer to the last.
const REPLAY_SECS: f64 = 12.0;
/// Steps a replay moves in (each redraws the graph once).
const REPLAY_STEPS: i64 = 120;
/// Nodes a click on a bar selects at most.
const MAX_BAR_SELECTION: usize = 5_000;
/// Fill of each mix asset, then "other".
const MIX_COLOURS: [Color32; MIX_ASSETS + 1] = [
    Color32::from_rgb(98, 160, 234),
    Color32::from_rgb(230, 160, 60),
    Color32::from_rgb(120, 200, 120),
    Color32::from_rgb(200, 120, 200),
    Color32::from_rgb(140, 140, 140),
];
const SELECTION: Color32 = Color32::from_rgb(255, 215, 0);

/// A replay in progress.
#[derive(Debug, Clone, Copy)]
struct Replay {
    /// Input time (seconds) when it started.
    started_at: f64,
    /// Held at this share of the span (screenshots); `None` runs.
    held_at: Option<f64>,
}

/// The histogram last computed, and what for.
#[derive(Default)]
struct Cached {
    key: Option<(i64, i64, usize, u64)>,
    bins: Vec<Bin>,
}

/// Timeline state that lives across frames.
#[derive(Default)]
pub struct TimelinePanel {
    built_for: Option<u64>,
    timeline: Timeline,
    cached: Cached,
    selection: BTreeSet<NodeId>,
    selection_generation: u64,
    selected_flags: Vec<bool>,
    brush_from_x: Option<f32>,
    replay: Option<Replay>,
}

impl TimelinePanel {
    /// Rebuilds the timeline on the next frame (the prices changed).
    pub fn invalidate(&mut self) {
        self.built_for = None;
    }

    /// Takes a timeline built elsewhere (the open job) as the one of structure `revision`.
    pub fn install(&mut self, timeline: Timeline, revision: u64) {
        self.timeline = timeline;
        self.built_for = Some(revision);
        self.cached = Cached::default();
        self.selection.clear();
        self.selection_generation += 1;
    }

    /// Holds a replay at `share` of the case's time span (the headless screenshot run).
    pub fn hold_replay_at(&mut self, share: f32) {
        self.replay = Some(Replay {
            started_at: 0.0,
            held_at: Some(f64::from(share.clamp(0.0, 1.0))),
        });
    }

    /// The time the canvas should show the case up to while a replay runs.
    pub fn replay_until(&self, now_secs: f64) -> Option<i64> {
        let replay = self.replay?;
        let (first, last) = self.timeline.span()?;
        let progress = replay
            .held_at
            .unwrap_or((now_secs - replay.started_at) / REPLAY_SECS)
            .clamp(0.0, 1.0);
        let step = (progress * REPLAY_STEPS as f64).floor() as i64;
        let span = i128::from(last) - i128::from(first);
        let at = i128::from(first) + span * i128::from(step) / i128::from(REPLAY_STEPS);
        Some(i64::try_from(at).unwrap_or(last))
    }

    /// Draws the timeline.
    pub fn timeline_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &Case,
        revision: u64,
        prices: &PriceBook,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        if self.built_for != Some(revision) {
            self.install(Timeline::build(case, prices), revision);
        }
        if &self.selection != selection {
            self.selection = selection.clone();
            self.selection_generation += 1;
            self.selected_flags = self
                .timeline
                .nodes
                .iter()
                .map(|id| selection.contains(id))
                .collect();
        }
        let now = ui.input(|i| i.time);
        let Some((first, last)) = self.timeline.span() else {
            ui.label(egui::RichText::new("Timeline: no dated transfers yet.").weak());
            return;
        };
        let filter = &case.view.filter;
        ui.horizontal(|ui| {
            self.controls_ui(ui, now, filter, commands);
            ui.label(format!(
                "{} – {}",
                crate::util::format_time(first),
                crate::util::format_time(last)
            ));
            if let Some(at) = self.replay_until(now) {
                ui.label(
                    egui::RichText::new(format!("replay at {}", crate::util::format_time(at)))
                        .color(SELECTION),
                );
            }
            if self.timeline.undated > 0 {
                ui.label(
                    egui::RichText::new(format!("{} undated not shown", self.timeline.undated))
                        .weak(),
                );
            }
            self.legend_ui(ui);
        });
        self.plot_ui(ui, (first, last), now, filter, commands);
        if let Some(replay) = self.replay
            && replay.held_at.is_none()
        {
            if now - replay.started_at >= REPLAY_SECS {
                self.replay = None;
            } else {
                ui.ctx().request_repaint();
            }
        }
    }

    fn controls_ui(
        &mut self,
        ui: &mut egui::Ui,
        now: f64,
        filter: &GraphFilter,
        commands: &mut Vec<Command>,
    ) {
        let playing = self.replay.is_some();
        let (label, tip) = if playing {
            ("■ Stop", "Stop the replay")
        } else {
            (
                "▶ Replay",
                "Replay the case: transfers appear in time order",
            )
        };
        if ui.button(label).on_hover_text(tip).clicked() {
            self.replay = (!playing).then_some(Replay {
                started_at: now,
                held_at: None,
            });
        }
        let has_range = filter.since_unix.is_some() || filter.until_unix.is_some();
        if ui
            .add_enabled(has_range, egui::Button::new("Clear range"))
            .clicked()
        {
            commands.push(Command::SetFilter(GraphFilter {
                since_unix: None,
                until_unix: None,
                ..filter.clone()
            }));
        }
    }

    fn legend_ui(&self, ui: &mut egui::Ui) {
        for (i, (symbol, key)) in self.timeline.assets.iter().enumerate() {
            let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
            ui.painter().rect_filled(rect, 2.0, MIX_COLOURS[i]);
            let chain = match &key.contract {
                Some(_) => format!("{symbol} ({} token)", key.chain),
                None => symbol.clone(),
            };
            ui.label(chain);
        }
        if self
            .timeline
            .points
            .iter()
            .any(|p| usize::from(p.mix) >= MIX_ASSETS)
        {
            let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
            ui.painter().rect_filled(rect, 2.0, MIX_COLOURS[MIX_ASSETS]);
            ui.label("other");
        }
    }

    fn plot_ui(
        &mut self,
        ui: &mut egui::Ui,
        (first, last): (i64, i64),
        now: f64,
        filter: &GraphFilter,
        commands: &mut Vec<Command>,
    ) {
        let width = ui.available_width().max(50.0);
        let (rect, response) =
            ui.allocate_exact_size(Vec2::new(width, PLOT_HEIGHT_PX), Sense::click_and_drag());
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Other, true, "Timeline"));
        let bins = ((width / BIN_PX) as usize).max(1);
        let key = (first, last, bins, self.selection_generation);
        if self.cached.key != Some(key) {
            self.cached.bins = self
                .timeline
                .histogram(first, last, bins, &self.selected_flags);
            self.cached.key = Some(key);
        }
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
        let span = (i128::from(last) - i128::from(first) + 1).max(1) as f64;
        let x_of = |t: i64| rect.left() + ((t as f64 - first as f64) / span) as f32 * rect.width();
        let t_of = |x: f32| {
            let share = f64::from(((x - rect.left()) / rect.width()).clamp(0.0, 1.0));
            (first as f64 + share * span).round() as i64
        };
        // The filter's range, shaded.
        if filter.since_unix.is_some() || filter.until_unix.is_some() {
            let a = x_of(filter.since_unix.unwrap_or(first).max(first));
            let b = x_of(filter.until_unix.unwrap_or(last).min(last));
            if b > a {
                painter.rect_filled(
                    Rect::from_x_y_ranges(a..=b, rect.y_range()),
                    0.0,
                    SELECTION.gamma_multiply(0.12),
                );
            }
        }
        self.bars(&painter, rect, bins);
        if let Some(at) = self.replay_until(now) {
            let x = x_of(at);
            painter.line_segment(
                [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
                Stroke::new(2.0, SELECTION),
            );
        }
        self.interact(ui, &response, rect, bins, &t_of, filter, commands);
    }

    /// Stacked bars: USD on a square-root scale, or the count (grey) where nothing is priced.
    fn bars(&self, painter: &egui::Painter, rect: Rect, bins: usize) {
        let bins_data = &self.cached.bins;
        let max_usd = bins_data.iter().map(Bin::usd_total).max().unwrap_or(0);
        let max_count = bins_data.iter().map(Bin::count_total).max().unwrap_or(0);
        let bar_w = rect.width() / bins as f32;
        let height = |v: f64, max: f64| {
            if max <= 0.0 {
                0.0
            } else {
                ((v / max).sqrt() as f32 * (rect.height() - 4.0)).max(1.5)
            }
        };
        for (k, bin) in bins_data.iter().enumerate() {
            let x0 = rect.left() + k as f32 * bar_w;
            let x_range = (x0 + 0.5)..=(x0 + bar_w - 0.5);
            let total = bin.usd_total();
            if total == 0 {
                if bin.count_total() > 0 {
                    let h = height(f64::from(bin.count_total()), f64::from(max_count)) * 0.5;
                    let r = Rect::from_x_y_ranges(x_range, (rect.bottom() - h)..=rect.bottom());
                    painter.rect_filled(r, 0.0, MIX_COLOURS[MIX_ASSETS].gamma_multiply(0.6));
                }
                continue;
            }
            let full = height(total as f64, max_usd as f64);
            let mut y = rect.bottom();
            for (slot, cents) in bin.usd_cents.iter().enumerate() {
                if *cents == 0 {
                    continue;
                }
                let h = full * (*cents as f64 / total as f64) as f32;
                let r = Rect::from_x_y_ranges(x_range.clone(), (y - h)..=y);
                painter.rect_filled(r, 0.0, MIX_COLOURS[slot]);
                y -= h;
            }
            if bin.selected_count > 0 {
                let r = Rect::from_x_y_ranges(x_range, (rect.bottom() - full)..=rect.bottom());
                painter.rect_stroke(
                    r,
                    0.0,
                    Stroke::new(1.5, SELECTION),
                    egui::StrokeKind::Outside,
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn interact(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        rect: Rect,
        bins: usize,
        t_of: &dyn Fn(f32) -> i64,
        filter: &GraphFilter,
        commands: &mut Vec<Command>,
    ) {
        let bar_w = rect.width() / bins as f32;
        let bin_range = |x: f32| {
            let k = (((x - rect.left()) / bar_w).floor().max(0.0) as usize).min(bins - 1);
            let x0 = rect.left() + k as f32 * bar_w;
            (k, t_of(x0), t_of(x0 + bar_w) - 1)
        };
        if response.drag_started() {
            self.brush_from_x = response.interact_pointer_pos().map(|p| p.x);
        }
        if let (Some(from_x), Some(pos)) = (self.brush_from_x, response.interact_pointer_pos()) {
            let (a, b) = (from_x.min(pos.x), from_x.max(pos.x));
            ui.painter_at(rect).rect_filled(
                Rect::from_x_y_ranges(a..=b, rect.y_range()),
                0.0,
                SELECTION.gamma_multiply(0.25),
            );
            if response.drag_stopped() {
                self.brush_from_x = None;
                if b - a >= 3.0 {
                    commands.push(Command::SetFilter(GraphFilter {
                        since_unix: Some(t_of(a)),
                        until_unix: Some(t_of(b)),
                        ..filter.clone()
                    }));
                }
            }
        }
        if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let (_, from, until) = bin_range(pos.x);
            let nodes = self.timeline.nodes_in(from, until, MAX_BAR_SELECTION);
            if !nodes.is_empty() {
                commands.push(Command::Select(nodes));
            }
        }
        if let Some(pos) = response.hover_pos()
            && self.brush_from_x.is_none()
        {
            let (k, from, until) = bin_range(pos.x);
            if let Some(bin) = self.cached.bins.get(k) {
                response.clone().on_hover_ui_at_pointer(|ui| {
                    self.bin_tooltip_ui(ui, bin, from, until);
                });
            }
        }
    }

    fn bin_tooltip_ui(&self, ui: &mut egui::Ui, bin: &Bin, from: i64, until: i64) {
        ui.label(
            egui::RichText::new(format!(
                "{} – {}",
                crate::util::format_time(from),
                crate::util::format_time(until)
            ))
            .strong(),
        );
        let dollars = |cents: u64| crate::model::filter::dollars(cents);
        for (slot, count) in bin.count.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let name = self
                .timeline
                .assets
                .get(slot)
                .map_or("other", |(symbol, _)| symbol.as_str());
            let value = match bin.usd_cents[slot] {
                0 => "no price".to_owned(),
                cents => format!("≈ {}", dollars(cents)),
            };
            ui.label(format!("{name}: {count} transfers, {value}"));
        }
        if bin.selected_count > 0 {
            ui.colored_label(
                SELECTION,
                format!(
                    "selection: {} transfers, ≈ {}",
                    bin.selected_count,
                    dollars(bin.selected_usd_cents)
                ),
            );
        }
        ui.label(egui::RichText::new("Click: select these nodes · drag: set the range").weak());
    }
}
