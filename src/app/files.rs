//! Files: new, open, save, save as, the native file dialogs, quitting with unsaved changes,
//! and the window title that shows them. Reading and writing run in jobs; an open replaces the
//! document only when the file was read and checked in full.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::{JobOutcome, PathPurpose};
use super::prepared::PreparedViews;
use super::ui;
use crate::model::{Case, Document};
use std::path::PathBuf;

impl CaseboardApp {
    /// Handles the file commands; gives any other command back.
    pub(super) fn file_command(
        &mut self,
        ctx: &egui::Context,
        command: Command,
    ) -> Option<Command> {
        match command {
            Command::NewCase | Command::OpenDemo | Command::OpenPath(_) | Command::Quit
                if self.doc.is_modified() && self.dialogs.discard.is_none() =>
            {
                self.dialogs.discard = Some(ui::confirm::DiscardDialog::new(command));
            }
            Command::NewCase => {
                self.dialogs.discard = None;
                let case = Case::new("Untitled case", crate::util::now_unix());
                self.replace_document(Document::new(case, None));
            }
            Command::OpenDemo => {
                self.dialogs.discard = None;
                let doc = self.demo_document();
                self.replace_document(doc);
                self.canvas.request_zoom_to(Vec::new());
            }
            Command::OpenDialog => self.choose_path(PathPurpose::Open),
            Command::OpenPath(path) => {
                self.dialogs.discard = None;
                self.start_open(path);
            }
            Command::Save => match self.doc.path.clone() {
                Some(path) => self.start_save(path),
                None => self.choose_path(PathPurpose::SaveAs),
            },
            Command::SaveAs => self.choose_path(PathPurpose::SaveAs),
            Command::SaveTo(path) => self.start_save(path),
            Command::Quit => {
                self.dialogs.discard = None;
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            other => return Some(other),
        }
        None
    }

    /// Applies the file jobs' outcomes; gives any other outcome back.
    pub(super) fn file_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        match outcome {
            JobOutcome::Opened {
                path,
                result,
                prepared,
            } => match result {
                Ok((case, report)) => {
                    let view = case.view.clone();
                    let demo = case.uses_demo_source();
                    // A demo case's actors are tagged as part of opening it, as the built-in
                    // demo is (no undo step, nothing unsaved); other cases get one undoable step.
                    let (case, tagged) = if demo {
                        self.tagged_demo_case(*case)
                    } else {
                        (*case, false)
                    };
                    // Views of the case before its demo actors were tagged would draw it
                    // untagged: the canvas builds them again instead.
                    let prepared = prepared.filter(|_| !tagged);
                    let nodes = case.nodes.len();
                    self.replace_document(Document::new(case, Some(path.clone())));
                    if let Some(prepared) = prepared {
                        self.install_prepared(*prepared);
                    }
                    self.open_timing.applied(nodes);
                    self.canvas.request_view(view.zoom, view.pan);
                    self.settings.remember_recent(&path);
                    self.check_recovery(Some(path.clone()));
                    match report.message() {
                        Some(message) => self
                            .notices
                            .warn(format!("Opened {}. {message}", path.display())),
                        None => self.notices.info(format!("Opened {}", path.display())),
                    }
                    if !demo {
                        self.flag_whole_case();
                    }
                }
                Err(err) => {
                    self.notices.error(
                        format!("Could not open the case; the open case is unchanged. {err}"),
                        Some(Command::OpenPath(path)),
                    );
                }
            },
            JobOutcome::Saved {
                path,
                point,
                result,
            } => self.saved(path, point, result),
            JobOutcome::PathChosen { purpose, path } => {
                if let Some(path) = path {
                    self.commands.push(match purpose {
                        PathPurpose::Open => Command::OpenPath(path),
                        PathPurpose::SaveAs => Command::SaveTo(path),
                        PathPurpose::Screenshot => Command::ScreenshotTo(path),
                        PathPurpose::ImportPack => Command::ImportPack(path),
                        PathPurpose::ExportTagPack => Command::ExportTagPack(path),
                        PathPurpose::ExportImage => Command::ExportImage(path),
                        PathPurpose::ExportCsv => Command::ExportCsv(path),
                        PathPurpose::Merge => Command::MergePath(path),
                    });
                } else {
                    self.after_save = None;
                }
            }
            other => return Some(other),
        }
        None
    }

    fn saved(
        &mut self,
        path: PathBuf,
        point: crate::model::SavePoint,
        result: Result<(), crate::case_file::CaseFileError>,
    ) {
        match result {
            Ok(()) => {
                if self.doc.path.is_none() {
                    self.drop_recovery(None);
                }
                self.doc.mark_saved(point, path.clone());
                self.drop_recovery(Some(&path));
                self.settings.remember_recent(&path);
                self.notices.info(format!("Saved {}", path.display()));
                if let Some(after) = self.after_save.take() {
                    self.commands.push(after);
                }
            }
            Err(err) => {
                self.after_save = None;
                self.notices
                    .error(format!("Not saved: {err}"), Some(Command::SaveTo(path)));
            }
        }
    }

    /// Replaces the open case (after open/new), resetting selection, canvas and layout.
    pub(super) fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        self.selection.clear();
        // Revisions restart with a new document: cached inspector rows would look current.
        self.inspector = super::ui::inspector::InspectorState::default();
        self.canvas.reset();
        self.timeline_panel.invalidate();
        self.filter_panel = super::ui::filter::FilterPanel::default();
        self.layout = crate::layout::LayoutDriver::default();
    }

    /// Takes the views the open job built, unless the prices changed since it started (the
    /// canvas and the timeline then build their own on the next frame).
    fn install_prepared(&mut self, prepared: PreparedViews) {
        if prepared.prices_revision != self.prices_revision {
            return;
        }
        let revision = self.doc.structure_revision();
        self.canvas.install_prepared(prepared.graph, revision);
        if let Some(timeline) = prepared.timeline {
            self.timeline_panel.install(timeline, revision);
        }
    }

    /// Reads a case file in a background job; then builds its canvas graph and timeline there.
    pub(super) fn start_open(&mut self, path: PathBuf) {
        self.open_timing.started();
        let key = format!("open:{}", path.display());
        let label = format!("Opening {}", file_name(&path));
        let ctx = self.egui_ctx.clone();
        let prices = self.prices.clone();
        let prices_revision = self.prices_revision;
        self.jobs.spawn(key, label, ctx.clone(), move |control| {
            // Big files take a while: the status bar shows the stage (bytes read,
            // parsing, checking, preparing).
            let progress = |stage: String| {
                control.set_stage(stage);
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            };
            let result = crate::case_file::load_report_with_progress(&path, &|stage| {
                progress(stage.to_string())
            });
            let prepared = result.as_ref().ok().map(|(case, _)| {
                progress("preparing the canvas and the timeline".to_owned());
                let started = std::time::Instant::now();
                let views = PreparedViews::build(case, &prices, prices_revision);
                tracing::debug!(target: "caseboard::timing", "open: views prepared in {:.3} s", started.elapsed().as_secs_f64());
                Box::new(views)
            });
            JobOutcome::Opened {
                result: result.map(|(case, report)| (Box::new(case), report)),
                prepared,
                path,
            }
        });
    }

    pub(super) fn start_save(&mut self, path: PathBuf) {
        let case = self.doc.case_to_save();
        let point = self.doc.save_point();
        let key = format!("save:{}", path.display());
        let label = format!("Saving {}", file_name(&path));
        let ctx = self.egui_ctx.clone();
        let started = self
            .jobs
            .spawn(key, label, ctx, move |_control| JobOutcome::Saved {
                result: crate::case_file::save(&case, &path),
                path,
                point,
            });
        if !started {
            self.notices.warn("A save to that file is already running");
        }
    }

    pub(super) fn choose_path(&mut self, purpose: PathPurpose) {
        if !self.native_dialogs {
            self.notices
                .warn("File dialogs are off in this session; use the command line to pass a file");
            return;
        }
        let suggested = format!("{}.ron", sanitise_file_stem(&self.doc.display_name()));
        let ctx = self.egui_ctx.clone();
        // The native dialog blocks, so it runs on a job thread like any other wait.
        self.jobs.spawn(
            format!("dialog:{purpose:?}"),
            "Choosing a file".to_owned(),
            ctx,
            move |_control| {
                let path = match purpose {
                    PathPurpose::Open => rfd::FileDialog::new()
                        .add_filter("Caseboard case", &["ron"])
                        .pick_file(),
                    PathPurpose::SaveAs => rfd::FileDialog::new()
                        .add_filter("Caseboard case", &["ron"])
                        .set_file_name(suggested)
                        .save_file(),
                    PathPurpose::Screenshot => rfd::FileDialog::new()
                        .add_filter("PNG image", &["png"])
                        .set_file_name("caseboard-canvas.png")
                        .save_file(),
                    PathPurpose::ImportPack => rfd::FileDialog::new()
                        .add_filter("GraphSense TagPack or CSV", &["yaml", "yml", "csv"])
                        .pick_file(),
                    PathPurpose::ExportTagPack => rfd::FileDialog::new()
                        .add_filter("GraphSense TagPack", &["yaml"])
                        .set_file_name("caseboard-tags.yaml")
                        .save_file(),
                    PathPurpose::ExportImage => rfd::FileDialog::new()
                        .add_filter("SVG (vector)", &["svg"])
                        .add_filter("PNG image", &["png"])
                        .set_file_name(suggested.replace(".ron", ".svg"))
                        .save_file(),
                    PathPurpose::ExportCsv => rfd::FileDialog::new()
                        .add_filter("CSV", &["csv"])
                        .set_file_name(suggested.replace(".ron", "-transfers.csv"))
                        .save_file(),
                    PathPurpose::Merge => rfd::FileDialog::new()
                        .add_filter("Caseboard case", &["ron"])
                        .pick_file(),
                };
                JobOutcome::PathChosen { purpose, path }
            },
        );
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.doc.is_modified() { "● " } else { "" };
        let title = format!("{marker}{} — Caseboard", self.doc.display_name());
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    /// The window title as last set.
    pub fn window_title(&self) -> &str {
        &self.shown_title
    }

    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        // Closing saves the settings in `on_exit`.
        if self.allow_close || !self.doc.is_modified() || self.screenshot.is_auto() {
            return;
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        self.dialogs.discard = Some(ui::confirm::DiscardDialog::new(Command::Quit));
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn sanitise_file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "case".to_owned()
    } else {
        stem.chars().take(60).collect()
    }
}
