//! The "work is running" mark of the status bar and the panels: an arc that turns in steps a
//! few times a second. egui's own spinner asks for a new frame at once, every frame; with no
//! GPU (Mesa paints the whole window on the CPU) that kept most of a core busy repainting while
//! a big case opened, a core the opening needed.

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Vec2};
use std::time::Duration;

/// Steps the arc takes a second (each step is a repaint).
const STEPS_PER_SEC: f64 = 6.0;
/// Turns a second.
const TURNS_PER_SEC: f64 = 0.75;
/// Points along the arc.
const ARC_POINTS: usize = 16;
/// Share of a full circle the arc covers.
const ARC_SWEEP: f64 = 0.7;

/// Draws the mark and asks for the frame of its next step.
pub fn busy_ui(ui: &mut egui::Ui) -> egui::Response {
    let size = ui.style().spacing.interact_size.y;
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    response.widget_info(|| egui::WidgetInfo::new(egui::WidgetType::ProgressIndicator));
    if ui.is_rect_visible(rect) {
        let time_secs = ui.input(|i| i.time);
        let step = (time_secs * STEPS_PER_SEC).floor();
        let until_next_secs = (step + 1.0) / STEPS_PER_SEC - time_secs;
        ui.ctx()
            .request_repaint_after(Duration::from_secs_f64(until_next_secs.max(0.01)));
        let color = ui.visuals().strong_text_color();
        paint_arc(ui, rect, step / STEPS_PER_SEC * TURNS_PER_SEC, color);
    }
    response
}

/// The arc at `turns` (a fraction of a circle; only the fractional part matters).
fn paint_arc(ui: &egui::Ui, rect: Rect, turns: f64, color: Color32) {
    let radius = rect.width().min(rect.height()) / 2.0 - 2.0;
    let start = turns.fract() * std::f64::consts::TAU;
    let sweep = ARC_SWEEP * std::f64::consts::TAU;
    let points: Vec<Pos2> = (0..ARC_POINTS)
        .map(|i| {
            let angle = start + sweep * i as f64 / (ARC_POINTS - 1) as f64;
            let (sin, cos) = angle.sin_cos();
            rect.center() + radius * Vec2::new(cos as f32, sin as f32)
        })
        .collect();
    ui.painter()
        .add(Shape::line(points, Stroke::new(2.5, color)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_asks_for_its_next_step_not_for_every_frame() {
        let ctx = egui::Context::default();
        let mut delay = Duration::ZERO;
        // A fresh context asks for two more frames itself (fonts, layout); the third is typical.
        for time_secs in [10.0, 10.02, 10.05] {
            let input = egui::RawInput {
                time: Some(time_secs),
                ..Default::default()
            };
            let mut output = ctx.run_ui(input, |ui| {
                busy_ui(ui);
            });
            output.textures_delta.clear();
            delay = output
                .viewport_output
                .get(&egui::ViewportId::ROOT)
                .map(|v| v.repaint_delay)
                .expect("root viewport output");
        }
        // The next step is at 10 + 1/6 s, about 0.117 s away (egui takes a frame's 1/60 s off
        // the wait): never "at once".
        assert!(
            delay > Duration::from_millis(80) && delay < Duration::from_millis(170),
            "{delay:?}"
        );
    }
}
