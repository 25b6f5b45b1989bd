//! Writes the settings file off the UI thread. A save (an atomic replace with an fsync) can take
//! a while on a slow or network disk, so the frame loop only hands a copy of the settings to one
//! writer thread and moves on. The thread writes saves in order and skips any that a newer one
//! has already replaced; failures come back as messages the frame loop polls. On exit the app
//! waits for the last write, so a change made just before closing is not lost.
//!
//! The settings commands (investigator name, autosave interval, expansion limit) are handled
//! here too: each changes the settings and queues a write.

use super::CaseboardApp;
use super::command::Command;
use super::settings::Settings;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SendError, Sender, channel};
use std::thread::JoinHandle;

/// The writer thread and its two channels (started on the first save).
#[derive(Default)]
pub struct SettingsWriter {
    running: Option<Running>,
    /// Why the thread could not be started, until polled.
    not_started: Vec<String>,
}

struct Running {
    saves: Sender<Settings>,
    failures: Receiver<String>,
    thread: JoinHandle<()>,
}

impl SettingsWriter {
    /// Queues `settings` to be written to `path`; `ctx` is woken if the write fails. Never
    /// blocks on the disk.
    pub fn save(&mut self, path: PathBuf, settings: Settings, ctx: Option<egui::Context>) {
        let settings = match &self.running {
            Some(running) => match running.saves.send(settings) {
                Ok(()) => return,
                // The thread is gone: the save comes back, for a new thread.
                Err(SendError(settings)) => settings,
            },
            None => settings,
        };
        // Not started yet (or the thread is gone): start it with this save.
        let (saves, inbox) = channel::<Settings>();
        let (report, failures) = channel::<String>();
        let spawned = std::thread::Builder::new()
            .name("settings writer".to_owned())
            .spawn(move || write_loop(&path, &inbox, &report, ctx.as_ref()));
        match spawned {
            Ok(thread) => {
                // The receiver lives in the thread just started, so this send cannot fail.
                let _ = saves.send(settings);
                self.running = Some(Running {
                    saves,
                    failures,
                    thread,
                });
            }
            Err(err) => {
                self.running = None;
                self.not_started
                    .push(format!("cannot start the settings writer: {err}"));
            }
        }
    }

    /// Messages of writes that failed since the last call. Never blocks.
    pub fn failures(&mut self) -> Vec<String> {
        let mut failures = std::mem::take(&mut self.not_started);
        if let Some(running) = &self.running {
            failures.extend(running.failures.try_iter());
        }
        failures
    }

    /// Waits until every queued save is written (used on exit); returns the failures.
    pub fn finish(&mut self) -> Vec<String> {
        let mut reported = std::mem::take(&mut self.not_started);
        if let Some(Running {
            saves,
            failures,
            thread,
        }) = self.running.take()
        {
            drop(saves);
            let _ = thread.join();
            reported.extend(failures.try_iter());
        }
        reported
    }
}

/// The thread: write each save, skipping any that a newer queued save replaces.
fn write_loop(
    path: &std::path::Path,
    inbox: &Receiver<Settings>,
    report: &Sender<String>,
    ctx: Option<&egui::Context>,
) {
    while let Ok(mut settings) = inbox.recv() {
        while let Ok(newer) = inbox.try_recv() {
            settings = newer;
        }
        if let Err(err) = settings.save(path) {
            let _ = report.send(err);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        }
    }
}

impl CaseboardApp {
    /// Handles the settings commands; gives any other command back.
    pub(super) fn settings_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::SetAutosave(secs) => self.settings.autosave_secs = secs,
            Command::SetInvestigator(name) => {
                self.doc.set_author(&name);
                self.settings.investigator = name;
            }
            Command::SetExpansionLimit(limit) => {
                self.settings.expansion_limit = limit.clamp(1, 10_000);
            }
            Command::SetLightTheme(light) => self.settings.light_theme = light,
            Command::CloseStory { for_good: true } => {
                self.dialogs.story = false;
                self.settings.story_dismissed = true;
            }
            other => return Some(other),
        }
        self.save_settings();
        None
    }

    /// Queues the settings to be written (on the writer thread; the frame does not wait).
    pub(crate) fn save_settings(&mut self) {
        if let Some(path) = &self.settings_path {
            self.settings_writer
                .save(path.clone(), self.settings.clone(), self.egui_ctx.clone());
        }
    }

    /// Shows the failures of settings writes that finished since the last frame.
    pub(super) fn poll_settings_writes(&mut self) {
        for err in self.settings_writer.failures() {
            self.notices.warn(format!("settings not saved: {err}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_land_in_order_and_finish_waits_for_the_last() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.ron");
        let mut writer = SettingsWriter::default();
        for limit in 1..=20 {
            let settings = Settings {
                expansion_limit: limit,
                ..Settings::default()
            };
            writer.save(path.clone(), settings, None);
        }
        assert!(writer.finish().is_empty());
        let (loaded, problem) = Settings::load(&path);
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(loaded.expansion_limit, 20, "the newest save wins");
    }

    #[test]
    fn a_failed_write_is_reported_not_lost() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A file where the settings directory should be: the write cannot succeed.
        let blocker = dir.path().join("not-a-dir");
        std::fs::write(&blocker, "x").expect("write");
        let mut writer = SettingsWriter::default();
        writer.save(blocker.join("settings.ron"), Settings::default(), None);
        let failures = writer.finish();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(failures[0].contains("not-a-dir"), "{}", failures[0]);
    }
}
