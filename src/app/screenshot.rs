//! Screenshots: the menu's "screenshot of the canvas" and the headless `caseboard screenshot`
//! run (open, wait until settled, screenshot the window, exit). The viewport takes the picture;
//! a job writes the PNG.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::{JobOutcome, PathPurpose};
use crate::model::NodeId;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// Headless "open, wait until settled, screenshot, exit" run (`caseboard screenshot`).
#[derive(Debug, Clone)]
pub struct AutoScreenshot {
    /// Where the PNG goes.
    pub output: PathBuf,
    /// Frames waited after the layout settled and jobs finished.
    pub settled_frames: u32,
    /// Frames the run may take at most before it gives up and screenshots anyway.
    pub max_frames: u32,
    /// Exit status for the process: 0 once the PNG is written, 1 if writing failed.
    pub exit_status: Arc<AtomicI32>,
    /// Show the timeline's replay held at this share of the case's time span (0–1).
    pub replay_at: Option<f32>,
    /// Nodes to select once the case is open and quiet (ids not in the case are skipped).
    pub select: Vec<NodeId>,
}

/// The screenshot feature's state.
#[derive(Debug, Default)]
pub struct ScreenshotState {
    /// The headless run, if this is one.
    auto: Option<AutoScreenshot>,
    /// Frames drawn so far (headless run).
    frames: u64,
    /// Quiet frames in a row (headless run).
    settled_frames: u32,
    /// Where the screenshot the viewport was asked for goes.
    pending: Option<PathBuf>,
    /// The headless run is done: close the window.
    exit_requested: bool,
    /// The headless run's exit code.
    exit_code: i32,
    /// The headless run's `select` has been applied.
    selected: bool,
}

impl ScreenshotState {
    /// State for a run that screenshots itself (`None` = an ordinary window).
    pub fn new(auto: Option<AutoScreenshot>) -> ScreenshotState {
        ScreenshotState {
            auto,
            ..ScreenshotState::default()
        }
    }

    /// True for the headless `caseboard screenshot` run.
    pub fn is_auto(&self) -> bool {
        self.auto.is_some()
    }
}

impl CaseboardApp {
    /// Handles the screenshot commands; gives any other command back.
    pub(super) fn screenshot_command(
        &mut self,
        ctx: &egui::Context,
        command: Command,
    ) -> Option<Command> {
        match command {
            Command::ScreenshotDialog => self.choose_path(PathPurpose::Screenshot),
            Command::ScreenshotTo(path) => {
                self.screenshot.pending = Some(path);
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::UserData::default()));
            }
            other => return Some(other),
        }
        None
    }

    /// Reports a written screenshot; gives any other outcome back.
    pub(super) fn screenshot_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        let JobOutcome::ImageWritten { path, result } = outcome else {
            return Some(outcome);
        };
        let auto = self.screenshot.is_auto();
        match result {
            Ok(()) => {
                self.notices
                    .info(format!("Screenshot saved to {}", path.display()));
                self.screenshot.exit_requested |= auto;
            }
            Err(err) => {
                self.notices.error(
                    format!("Screenshot not saved, {}: {err}", path.display()),
                    None,
                );
                if auto {
                    self.screenshot.exit_code = 1;
                    self.screenshot.exit_requested = true;
                }
            }
        }
        None
    }

    /// The headless run: counts quiet frames, asks for the screenshot, closes when written.
    pub(super) fn auto_screenshot_logic(&mut self, ctx: &egui::Context) {
        let quiet = self.is_quiet();
        let state = &mut self.screenshot;
        let Some(auto) = state.auto.clone() else {
            return;
        };
        if state.exit_requested {
            auto.exit_status.store(state.exit_code, Ordering::SeqCst);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        state.frames += 1;
        if state.pending.is_some() {
            return;
        }
        if quiet && !state.selected {
            // Select once the opened case is in place, then wait for quiet frames again.
            state.selected = true;
            if !auto.select.is_empty() {
                self.commands.push(Command::Select(auto.select.clone()));
                ctx.request_repaint();
                return;
            }
        }
        let state = &mut self.screenshot;
        if quiet {
            state.settled_frames += 1;
        } else {
            state.settled_frames = 0;
        }
        ctx.request_repaint();
        if state.settled_frames >= auto.settled_frames || state.frames >= u64::from(auto.max_frames)
        {
            state.pending = Some(auto.output.clone());
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::UserData::default()));
        }
    }

    /// Receives the screenshot the viewport took and writes the canvas part as PNG in a job.
    pub(super) fn screenshot_events_ui(&mut self, ui: &mut egui::Ui) {
        let image = ui.ctx().input(|i| {
            i.raw.events.iter().find_map(|e| match e {
                egui::Event::Screenshot { image, .. } => Some(Arc::clone(image)),
                _ => None,
            })
        });
        let (Some(image), Some(path)) = (image, self.screenshot.pending.take()) else {
            return;
        };
        let pixels_per_point = ui.ctx().pixels_per_point();
        // The auto screenshot keeps the whole window; the menu command keeps the canvas.
        let crop = if self.screenshot.is_auto() {
            None
        } else {
            self.canvas.rect().map(|r| {
                let px = |v: f32| (v * pixels_per_point).round().max(0.0) as usize;
                (px(r.min.x), px(r.min.y), px(r.width()), px(r.height()))
            })
        };
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("png:{}", path.display()),
            "Writing screenshot".to_owned(),
            ctx,
            move |_control| {
                let [w, h] = image.size;
                let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
                let result = crate::export::png::write_rgba_png(&path, w, h, &rgba, crop);
                JobOutcome::ImageWritten { path, result }
            },
        );
    }
}
