//! The notices on screen: up to three toasts in the window's bottom-right corner (newest first,
//! information fading out), the status bar's "Notices (N)" entry and the window listing every
//! notice of the session. The rules (what fades, what stays) live in `app::notices`.

use super::super::command::Command;
use super::super::notices::{Level, Notice, Notices};

/// Width of a toast.
const TOAST_WIDTH: f32 = 360.0;

fn level_fill(level: Level) -> egui::Color32 {
    match level {
        Level::Info => egui::Color32::from_rgb(60, 70, 85),
        Level::Warning => egui::Color32::from_rgb(120, 90, 20),
        Level::Error => egui::Color32::from_rgb(140, 40, 40),
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Info => "Info",
        Level::Warning => "Warning",
        Level::Error => "Error",
    }
}

fn notice_text(notice: &Notice) -> String {
    if notice.repeats > 1 {
        format!("{} (×{})", notice.text, notice.repeats)
    } else {
        notice.text.clone()
    }
}

/// The status bar's entry: "Notices (N)", opening the list.
pub fn notices_button_ui(ui: &mut egui::Ui, notices: &mut Notices) {
    let label = format!("Notices ({})", notices.len());
    if ui
        .selectable_label(notices.list_open, label)
        .on_hover_text("Every message of this session, newest first")
        .clicked()
    {
        notices.list_open = !notices.list_open;
    }
}

/// Draws the toasts (and the list window when open); sets the notices' clock from egui's.
pub fn notices_ui(ctx: &egui::Context, notices: &mut Notices, commands: &mut Vec<Command>) {
    notices.set_now(ctx.input(|i| i.time));
    if let Some(secs) = notices.next_change_in() {
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(secs.max(0.0)));
    }
    let mut dismiss = None;
    let toasts = notices.toasts();
    if !toasts.is_empty() {
        egui::Area::new(egui::Id::new("notices"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -40.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                ui.set_max_width(TOAST_WIDTH);
                // Newest first, from the top; what waits for room is named below.
                for notice in &toasts {
                    ui.scope(|ui| {
                        ui.multiply_opacity(notices.opacity(notice));
                        toast_ui(ui, notice, commands, &mut dismiss);
                    });
                }
                let waiting = notices.waiting();
                if waiting > 0 {
                    ui.label(egui::RichText::new(format!("+{waiting} more in Notices")).weak());
                }
            });
    }
    if let Some(id) = dismiss {
        notices.dismiss(id);
    }
    list_window_ui(ctx, notices);
}

fn toast_ui(
    ui: &mut egui::Ui,
    notice: &Notice,
    commands: &mut Vec<Command>,
    dismiss: &mut Option<u64>,
) {
    egui::Frame::popup(ui.style())
        .fill(level_fill(notice.level))
        .show(ui, |ui| {
            ui.set_width(TOAST_WIDTH - 16.0);
            // The buttons at the right, the text wrapping in the room left of them.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                if ui.small_button("🗙").on_hover_text("Close").clicked() {
                    *dismiss = Some(notice.id);
                }
                if let Some(retry) = &notice.retry
                    && ui.small_button("Retry").clicked()
                {
                    commands.push(retry.clone());
                    *dismiss = Some(notice.id);
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Min), |ui| {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(notice_text(notice)).color(egui::Color32::WHITE),
                        )
                        .wrap(),
                    );
                });
            });
        });
}

fn list_window_ui(ctx: &egui::Context, notices: &mut Notices) {
    if !notices.list_open {
        return;
    }
    let mut open = true;
    let mut clear = false;
    let now = notices_now(ctx);
    egui::Window::new(format!("Notices ({})", notices.len()))
        .open(&mut open)
        .default_width(480.0)
        .default_height(320.0)
        .show(ctx, |ui| {
            if notices.is_empty() {
                ui.label("No notices in this session.");
                return;
            }
            if ui.button("Clear all").clicked() {
                clear = true;
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for notice in notices.all() {
                    ui.horizontal(|ui| {
                        ui.label(
                            egui::RichText::new(level_name(notice.level))
                                .color(level_fill(notice.level))
                                .strong(),
                        );
                        ui.label(egui::RichText::new(ago(now - notice.created)).weak());
                        ui.add(egui::Label::new(notice_text(notice)).wrap());
                    });
                    ui.separator();
                }
            });
        });
    if clear {
        notices.clear();
    }
    notices.list_open = open;
}

fn notices_now(ctx: &egui::Context) -> f64 {
    ctx.input(|i| i.time)
}

/// "12 s ago", "3 min ago", "2 h ago".
fn ago(secs: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let secs = secs.max(0.0) as u64;
    match secs {
        0..60 => format!("{secs} s ago"),
        60..3600 => format!("{} min ago", secs / 60),
        _ => format!("{} h ago", secs / 3600),
    }
}
