//! The story panel: the open case's title and description — for the demo, what it is and what
//! to try, in numbered steps. It opens on first start with the demo case (until the user picks
//! "Don't show again") and from Help → Case story. It sits in the canvas's top-left corner,
//! clear of the middle of the graph, and pushes commands to close.

use super::super::command::Command;
use crate::model::Case;

/// Widest the panel grows, in points.
const WIDTH: f32 = 360.0;
/// Gap between the panel and the canvas's corner, in points.
const MARGIN: f32 = 12.0;
/// Height of the panel around its text (title bar, case title, buttons), in points.
const TITLE_AND_BUTTONS: f32 = 90.0;
/// The text scrolls in no less than this, in points.
const MIN_TEXT_HEIGHT: f32 = 80.0;

/// Draws the panel in the top-left corner of `canvas` (the canvas's screen rectangle).
pub fn story_window_ui(
    ctx: &egui::Context,
    canvas: egui::Rect,
    case: &Case,
    commands: &mut Vec<Command>,
) {
    let mut open = true;
    let corner = if canvas.is_positive() {
        canvas.left_top() + egui::vec2(MARGIN, MARGIN)
    } else {
        egui::pos2(MARGIN, MARGIN)
    };
    // The panel ends well above the middle of the canvas (the text scrolls if it must).
    let text_height = (canvas.height() * 0.45 - MARGIN - TITLE_AND_BUTTONS).max(MIN_TEXT_HEIGHT);
    egui::Window::new("Case story")
        .id(egui::Id::new("story_panel"))
        .open(&mut open)
        .fixed_pos(corner)
        .default_width(WIDTH)
        .max_width(WIDTH)
        .resizable(false)
        .frame(egui::Frame::window(&ctx.global_style()).multiply_with_opacity(0.94))
        .show(ctx, |ui| {
            ui.label(egui::RichText::new(&case.meta.title).strong());
            ui.add_space(4.0);
            egui::ScrollArea::vertical()
                .max_height(text_height)
                .show(ui, |ui| description_ui(ui, &case.meta.description));
            ui.horizontal(|ui| {
                if ui
                    .button("Don't show again")
                    .on_hover_text("The Help menu's Case story shows it again")
                    .clicked()
                {
                    commands.push(Command::CloseStory { for_good: true });
                }
                if ui.button("Close").clicked() {
                    commands.push(Command::CloseStory { for_good: false });
                }
            });
        });
    if !open {
        commands.push(Command::CloseStory { for_good: false });
    }
}

/// The description, paragraph by paragraph, a line each (the demo's numbered steps).
fn description_ui(ui: &mut egui::Ui, description: &str) {
    let description = description.trim();
    if description.is_empty() {
        ui.label(egui::RichText::new("This case has no description.").weak());
    }
    for paragraph in description.split("\n\n").filter(|p| !p.trim().is_empty()) {
        for line in paragraph.lines() {
            ui.add(egui::Label::new(line.trim()).wrap());
        }
        ui.add_space(4.0);
    }
}
