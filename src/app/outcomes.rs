//! Applying finished jobs: expansions become actions, opened files replace the case, saves
//! mark it clean. A result for a node that was deleted meanwhile is dropped with a notice.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::{JobOutcome, PathPurpose};
use crate::model::Document;

impl CaseboardApp {
    pub(super) fn handle_outcome(&mut self, outcome: JobOutcome) {
        match outcome {
            JobOutcome::Expanded { request, result } => self.expanded(request, result),
            JobOutcome::Opened { path, result } => match result {
                Ok((case, report)) => {
                    let view = case.view.clone();
                    self.replace_document(Document::new(*case, Some(path.clone())));
                    self.canvas.request_view(view.zoom, view.pan);
                    self.settings.remember_recent(&path);
                    self.check_recovery(Some(path.clone()));
                    match report.message() {
                        Some(message) => self
                            .notices
                            .warn(format!("Opened {}. {message}", path.display())),
                        None => self.notices.info(format!("Opened {}", path.display())),
                    }
                    self.flag_whole_case();
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
                revision,
                result,
            } => match result {
                Ok(()) => {
                    if self.doc.path.is_none() {
                        self.drop_recovery(None);
                    }
                    self.doc.mark_saved(revision, path.clone());
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
            },
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
            JobOutcome::PacksLoaded { packs, failures } => self.packs_loaded(packs, failures),
            JobOutcome::ConnectionTested { config, result } => {
                let text = match &result {
                    Ok(text) => format!("{}: {text}", config.name()),
                    Err(err) => format!("{}: {err}", config.name()),
                };
                if let Some(dialog) = &mut self.dialogs.sources {
                    dialog.set_test_result(result.is_ok(), text.clone());
                }
                match result {
                    Ok(_) => self.notices.info(text),
                    Err(_) => self
                        .notices
                        .error(text, Some(Command::TestConnection(config))),
                }
            }
            JobOutcome::PackImported { path, result } => self.pack_imported(path, result),
            JobOutcome::Merged { path, result } => self.merged(path, result),
            JobOutcome::Autosaved {
                path,
                revision,
                result,
            } => self.autosaved(path, revision, result),
            JobOutcome::RecoveryFound(found) => {
                if let Some(recovery) = found {
                    self.dialogs.recovery = Some(recovery);
                }
            }
            JobOutcome::Restored { recovery, result } => match result {
                Ok(case) => {
                    let mut doc = Document::new(*case, recovery.case_path.clone());
                    doc.mark_unsaved();
                    self.replace_document(doc);
                    self.canvas.request_zoom_to(Vec::new());
                    self.notices.warn(
                        "Restored the unsaved work. Save it (Ctrl+S) to keep it; the recovery \
                         file stays until then.",
                    );
                }
                Err(err) => self
                    .notices
                    .error(format!("Could not restore the unsaved work: {err}"), None),
            },
            JobOutcome::Nothing => {}
            JobOutcome::TextWritten { path, result } => match result {
                Ok(()) => self.notices.info(format!("Written {}", path.display())),
                Err(err) => self
                    .notices
                    .error(format!("Not written, {}: {err}", path.display()), None),
            },
            JobOutcome::ImageWritten { path, result } => match result {
                Ok(()) => {
                    self.notices
                        .info(format!("Screenshot saved to {}", path.display()));
                    if self.auto_screenshot.is_some() {
                        self.exit_requested = true;
                    }
                }
                Err(err) => {
                    self.notices.error(
                        format!("Screenshot not saved, {}: {err}", path.display()),
                        None,
                    );
                    if self.auto_screenshot.is_some() {
                        self.exit_code = 1;
                        self.exit_requested = true;
                    }
                }
            },
        }
    }

    /// Replaces the open case (after open/new), resetting selection, canvas and layout.
    pub(super) fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        self.selection.clear();
        self.canvas.reset();
        self.layout = crate::layout::LayoutDriver::default();
    }
}
