//! Thin panels: each draws part of the app state and pushes [`Command`]s; none mutates the
//! case directly.

pub mod add_addresses;
pub mod attribution;
pub mod busy;
pub mod cluster_dialog;
pub mod clusters;
pub mod confirm;
pub mod dialog;
pub mod entity;
pub mod expand_dialog;
pub mod filter;
pub mod find;
pub mod findings;
pub mod glyph;
pub mod history;
pub mod inspector;
pub mod menu;
pub mod note_dialog;
pub mod notices;
pub mod paths;
pub mod price_dialog;
pub mod review;
pub mod selection_summary;
pub mod shortcuts;
pub mod sources;
pub mod status;
pub mod story;
pub mod tag_dialog;
pub mod taint;
pub mod timeline;
pub mod transfers_table;

use super::CaseboardApp;
use super::command::Command;
use crate::model::Category;

impl CaseboardApp {
    /// Menu bar, status bar, side panels and the canvas.
    pub(super) fn panels_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("menu_bar").show(ui, |ui| {
            menu::menu_bar_ui(ui, &self.doc, &self.settings, &mut self.commands);
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status::status_bar_ui(
                ui,
                self.doc.case(),
                &self.settings,
                self.layout.is_settled(),
                self.canvas.filtered_counts(),
                &self.jobs,
                &mut self.notices,
                &mut self.commands,
            );
        });
        if self.show_timeline {
            egui::Panel::bottom("timeline_panel").show(ui, |ui| {
                self.timeline_panel.timeline_ui(
                    ui,
                    self.doc.case(),
                    self.doc.structure_revision(),
                    &self.prices,
                    &self.selection,
                    &mut self.commands,
                );
            });
        }
        egui::Panel::left("clusters_panel")
            .resizable(true)
            .default_size(250.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.left_tab, LeftTab::Clusters, "Clusters");
                    ui.selectable_value(&mut self.left_tab, LeftTab::Attribution, "Attribution");
                    let review = match self.doc.case().conflicts.len() {
                        0 => "Review".to_owned(),
                        n => format!("Review ({n})"),
                    };
                    ui.selectable_value(&mut self.left_tab, LeftTab::Review, review);
                    ui.selectable_value(&mut self.left_tab, LeftTab::History, "History");
                    let filter = if self.doc.case().view.filter.is_active() {
                        "Filter (on)"
                    } else {
                        "Filter"
                    };
                    ui.selectable_value(&mut self.left_tab, LeftTab::Filter, filter);
                    let findings = match self.findings.findings.len() {
                        0 => "Findings".to_owned(),
                        n => format!("Findings ({n})"),
                    };
                    ui.selectable_value(&mut self.left_tab, LeftTab::Findings, findings);
                });
                ui.separator();
                match self.left_tab {
                    LeftTab::Clusters => clusters::clusters_panel_ui(
                        ui,
                        self.doc.case(),
                        &self.selection,
                        &mut self.commands,
                    ),
                    LeftTab::Attribution => attribution::attribution_panel_ui(
                        ui,
                        self.doc.case(),
                        &self.attribution,
                        &self.settings.disabled_packs,
                        &mut self.commands,
                    ),
                    LeftTab::Review => {
                        review::review_panel_ui(ui, self.doc.case(), &mut self.commands);
                    }
                    LeftTab::Filter => self.filter_panel.filter_panel_ui(
                        ui,
                        self.doc.case(),
                        self.doc.structure_revision(),
                        &self.selection,
                        self.canvas.filtered_counts(),
                        &mut self.commands,
                    ),
                    LeftTab::Findings => findings::findings_panel_ui(
                        ui,
                        self.doc.case(),
                        self.doc.revision(),
                        &mut self.findings,
                        &self.selection,
                        &self.settings.investigator,
                        &mut self.commands,
                    ),
                    LeftTab::History => self.history_panel.history_panel_ui(
                        ui,
                        self.doc.case(),
                        &self.settings.investigator,
                        self.settings.autosave_secs,
                        &mut self.commands,
                    ),
                }
            });
        egui::Panel::right("inspector_panel")
            .resizable(true)
            .default_size(440.0)
            .show(ui, |ui| {
                let router = self.source().clone();
                let env = inspector::InspectorEnv {
                    case: self.doc.case(),
                    revision: self.doc.revision(),
                    prices: &self.prices,
                    attribution: &self.attribution,
                    entities: &self.entities,
                    serves_entities: &|node| {
                        matches!(
                            router.config_for(node),
                            crate::model::SourceConfig::GraphSense { .. }
                        )
                    },
                };
                inspector::inspector_ui(
                    ui,
                    &env,
                    &mut self.inspector,
                    &self.selection,
                    &mut self.commands,
                );
            });
        let mut canvas_rect = egui::Rect::NOTHING;
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE.fill(crate::app::canvas::background(ui.visuals())))
            .show(ui, |ui| {
                canvas_rect = ui.max_rect();
                let revision = self.doc.structure_revision();
                let now = ui.input(|i| i.time);
                let replay_until = self.timeline_panel.replay_until(now);
                self.canvas.canvas_ui(
                    ui,
                    self.doc.case(),
                    revision,
                    &self.selection,
                    &self.prices,
                    replay_until,
                    &mut self.commands,
                );
            });
        if self.dialogs.story {
            story::story_window_ui(ui.ctx(), canvas_rect, self.doc.case(), &mut self.commands);
        }
        let revision = self.doc.revision();
        self.find
            .find_ui(ui.ctx(), self.doc.case(), revision, &mut self.commands);
        notices::notices_ui(ui.ctx(), &mut self.notices, &mut self.commands);
    }

    /// Modal dialogs.
    pub(super) fn dialogs_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let env = dialog::DialogEnv {
            case: self.doc.case(),
            settings: &self.settings,
        };
        let (dialogs, commands) = (&mut self.dialogs, &mut self.commands);
        dialog::dialog_slot_ui(&mut dialogs.add_addresses, &ctx, &env, commands);
        dialog::dialog_slot_ui(&mut dialogs.cluster, &ctx, &env, commands);
        dialog::dialog_slot_ui(&mut dialogs.own_tag, &ctx, &env, commands);
        dialog::dialog_slot_ui(&mut dialogs.sources, &ctx, &env, commands);
        dialog::dialog_slot_ui(&mut dialogs.expand, &ctx, &env, commands);
        dialog::dialog_slot_ui(&mut dialogs.note, &ctx, &env, commands);
        dialog::dialog_slot_ui(&mut dialogs.prices, &ctx, &env, commands);
        if let Some(dialog) = &mut self.dialogs.discard {
            match dialog.dialog_ui(&ctx, &self.doc.display_name()) {
                confirm::Choice::Pending => {}
                confirm::Choice::Cancel => self.dialogs.discard = None,
                confirm::Choice::Discard(command) => {
                    let path = self.doc.path.clone();
                    self.drop_recovery(path.as_deref());
                    self.commands.push(command);
                }
                confirm::Choice::Save(command) => {
                    self.after_save = Some(command);
                    self.dialogs.discard = None;
                    self.commands.push(Command::Save);
                }
            }
        }
        if let Some(recovery) = self.dialogs.recovery.clone() {
            match recovery_dialog_ui(&ctx, &recovery) {
                Some(RecoveryChoice::Restore) => {
                    self.dialogs.recovery = None;
                    self.start_restore(recovery);
                }
                Some(RecoveryChoice::Discard) => {
                    self.dialogs.recovery = None;
                    self.drop_recovery(recovery.case_path.as_deref());
                }
                Some(RecoveryChoice::Later) => self.dialogs.recovery = None,
                None => {}
            }
        }
        if let Some(text) = &self.dialogs.pack_errors {
            let mut open = true;
            egui::Window::new("Attribution pack rejected")
                .open(&mut open)
                .default_width(560.0)
                .show(&ctx, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(420.0)
                        .show(ui, |ui| {
                            ui.add(egui::Label::new(egui::RichText::new(text).monospace()).wrap());
                        });
                });
            if !open {
                self.dialogs.pack_errors = None;
            }
        }
        if self.dialogs.shortcuts {
            shortcuts::shortcuts_window_ui(&ctx, &mut self.dialogs.shortcuts);
        }
    }

    /// Keyboard shortcuts (only when no text field has focus for plain keys).
    pub(super) fn shortcuts_ui(&mut self, ui: &mut egui::Ui) {
        // With the find box open, Escape closes it rather than clearing the selection.
        if self.find.is_open()
            && ui
                .ctx()
                .input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.find.close();
        }
        let commands = shortcuts::shortcut_commands(ui.ctx(), !self.selection.is_empty());
        self.commands.extend(commands);
    }

    /// A `.ron` file dropped on the window opens it.
    pub(super) fn dropped_files_ui(&mut self, ui: &mut egui::Ui) {
        let dropped = ui.ctx().input(|i| i.raw.dropped_files.clone());
        for file in dropped {
            let path = file.path().to_path_buf();
            if path.as_os_str().is_empty() {
                self.notices
                    .warn("Dropped data has no file path; save it as a .ron file first");
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
            {
                self.commands.push(Command::OpenPath(path));
            } else {
                self.notices.warn(format!(
                    "Not a case file (expected .ron): {}",
                    path.display()
                ));
            }
        }
    }
}

/// Which list the left panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeftTab {
    #[default]
    Clusters,
    Attribution,
    /// Merge conflicts and notes.
    Review,
    /// The audit trail.
    History,
    /// What the graph shows.
    Filter,
    /// What analysis proposes.
    Findings,
}

/// A small filled circle in a category's colour (a glyph-free colour swatch).
pub fn category_swatch_ui(ui: &mut egui::Ui, category: &Category) {
    use crate::export::scene::glyphs::{Glyph, dark_on};
    let rgb = category.rgb();
    let [r, g, b] = rgb;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::hover());
    let radius = 7.0;
    ui.painter()
        .circle_filled(rect.center(), radius, egui::Color32::from_rgb(r, g, b));
    if let Some(glyph) = Glyph::of(category) {
        let color = if dark_on(rgb) {
            egui::Color32::from_black_alpha(200)
        } else {
            egui::Color32::from_gray(235)
        };
        ui.painter()
            .extend(glyph::glyph_shapes(glyph, rect.center(), radius, color));
    }
}

/// A combo box of the GraphSense confidence levels.
pub fn confidence_combo_ui(ui: &mut egui::Ui, id_salt: &str, value: &mut crate::model::Confidence) {
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(value.to_string())
        .show_ui(ui, |ui| {
            for c in crate::model::Confidence::ALL {
                ui.selectable_value(value, c, c.to_string());
            }
        });
}

/// What the user chose about found unsaved work.
enum RecoveryChoice {
    Restore,
    Discard,
    Later,
}

/// "Unsaved work was found": restore it, discard it, or decide later.
fn recovery_dialog_ui(
    ctx: &egui::Context,
    recovery: &crate::app::recovery::Recovery,
) -> Option<RecoveryChoice> {
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::new("recovery_dialog")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Unsaved work found");
        let what = match &recovery.case_path {
            Some(path) => format!("{}", path.display()),
            None => "an untitled case".to_owned(),
        };
        let when = time::OffsetDateTime::from_unix_timestamp(recovery.written_unix)
            .ok()
            .and_then(|t| {
                t.format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
                ))
                .ok()
            })
            .unwrap_or_default();
        ui.label(format!(
            "Caseboard stopped before the changes to {what} were saved. They were autosaved \
             at {when}."
        ));
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                choice = Some(RecoveryChoice::Restore);
            }
            if ui.button("Discard them").clicked() {
                choice = Some(RecoveryChoice::Discard);
            }
            if ui.button("Not now").clicked() {
                choice = Some(RecoveryChoice::Later);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(RecoveryChoice::Later);
    }
    choice
}

/// What the button row of a dialog was asked for this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogAnswer {
    /// Nothing yet.
    Pending,
    /// The confirm button (enabled only when `ready`).
    Confirm,
    /// Cancel.
    Cancel,
}

/// The `[confirm] [Cancel]` row every dialog ends with.
pub fn confirm_cancel_ui(ui: &mut egui::Ui, confirm: &str, ready: bool) -> DialogAnswer {
    ui.horizontal(|ui| {
        if ui.add_enabled(ready, egui::Button::new(confirm)).clicked() {
            DialogAnswer::Confirm
        } else if ui.button("Cancel").clicked() {
            DialogAnswer::Cancel
        } else {
            DialogAnswer::Pending
        }
    })
    .inner
}
