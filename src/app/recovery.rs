//! Autosave and crash recovery.
//!
//! While the case has unsaved changes, a background job writes it every
//! `settings.autosave_secs` (default 60; 0 = off) to a recovery file: beside the case file
//! (`case.ron` → `.case.ron.recovery`), or, for a case never saved, `untitled.recovery.ron` in
//! the folder of the user's settings (created if it does not exist yet). Saving, or discarding the changes, removes it. If
//! Caseboard stops without either (a crash, a killed process, a power cut), the recovery file
//! stays, and the next time that case is opened (or the app starts, for an untitled case) the
//! user is offered to restore it. Writes are atomic like every case save.

use super::CaseboardApp;
use super::jobs::JobOutcome;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Default autosave interval.
pub const DEFAULT_AUTOSAVE_SECS: u64 = 60;

/// The recovery file of a case saved at `path`.
pub fn recovery_path_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "case.ron".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.recovery"))
}

/// A recovery file found at open or start.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    /// The recovery file.
    pub file: PathBuf,
    /// The case file it belongs to (`None` = an untitled case).
    pub case_path: Option<PathBuf>,
    /// When it was written (unix seconds).
    pub written_unix: i64,
}

/// Looks for a recovery file newer than the case at `case_path` (job thread).
pub fn find_recovery(case_path: Option<&Path>, untitled: Option<&Path>) -> Option<Recovery> {
    let file = match case_path {
        Some(p) => recovery_path_for(p),
        None => untitled?.to_path_buf(),
    };
    let written = std::fs::metadata(&file).ok()?.modified().ok()?;
    if let Some(case_path) = case_path
        && let Ok(saved) = std::fs::metadata(case_path).and_then(|m| m.modified())
        && saved > written
    {
        return None;
    }
    let written_unix = written
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Some(Recovery {
        file,
        case_path: case_path.map(Path::to_path_buf),
        written_unix,
    })
}

/// Writes the recovery file (owner-only), first creating its folder if `make_folder`.
fn write_recovery(case: &crate::model::Case, path: &Path, make_folder: bool) -> Result<(), String> {
    if make_folder && let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    }
    crate::case_file::save_private(case, path).map_err(|e| e.to_string())
}

/// Autosave bookkeeping in the app.
#[derive(Debug, Default)]
pub struct Autosave {
    /// When the document last changed without an autosave after it.
    dirty_since: Option<Instant>,
    /// Revision last written to the recovery file.
    written_revision: Option<u64>,
}

impl CaseboardApp {
    /// Applies the autosave and recovery jobs' outcomes; gives any other outcome back.
    pub(super) fn recovery_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        match outcome {
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
                    let mut doc = crate::model::Document::new(*case, recovery.case_path.clone());
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
            other => return Some(other),
        }
        None
    }

    /// Where the recovery file of the open document goes (`None` = nowhere to put it).
    pub(super) fn recovery_path(&self) -> Option<PathBuf> {
        match &self.doc.path {
            Some(path) => Some(recovery_path_for(path)),
            None => self.untitled_recovery_path(),
        }
    }

    /// The recovery file of an untitled case (beside the user's settings).
    pub(super) fn untitled_recovery_path(&self) -> Option<PathBuf> {
        self.settings_path
            .as_ref()
            .and_then(|p| p.parent())
            .map(|dir| dir.join("untitled.recovery.ron"))
    }

    /// Starts an autosave job when the interval has passed since the first unsaved change.
    pub(super) fn autosave_tick(&mut self, ctx: &egui::Context) {
        let interval_secs = self.settings.autosave_secs;
        if interval_secs == 0 || !self.doc.is_modified() || self.screenshot.is_auto() {
            self.autosave.dirty_since = None;
            return;
        }
        let revision = self.doc.revision();
        if self.autosave.written_revision == Some(revision) {
            return;
        }
        let since = *self.autosave.dirty_since.get_or_insert_with(Instant::now);
        let interval = Duration::from_secs(interval_secs);
        if since.elapsed() < interval {
            ctx.request_repaint_after(interval.saturating_sub(since.elapsed()));
            return;
        }
        let Some(path) = self.recovery_path() else {
            return;
        };
        let case = self.doc.case().clone();
        let egui_ctx = self.egui_ctx.clone();
        // The settings folder of an untitled case may not exist yet (a first start).
        let make_folder = self.doc.path.is_none();
        let started = self.jobs.spawn(
            "autosave".to_owned(),
            "Autosaving".to_owned(),
            egui_ctx,
            move |_control| JobOutcome::Autosaved {
                result: write_recovery(&case, &path, make_folder),
                path,
                revision,
            },
        );
        if started {
            self.autosave.dirty_since = None;
        }
    }

    fn autosaved(&mut self, path: PathBuf, revision: u64, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.autosave.written_revision = Some(revision);
                tracing::debug!("autosaved to {}", path.display());
            }
            Err(err) => self
                .notices
                .warn(format!("Autosave to {} failed: {err}", path.display())),
        }
    }

    /// Removes the recovery file of `case_path` (or the untitled one) in a job.
    pub(super) fn drop_recovery(&mut self, case_path: Option<&Path>) {
        let file = match case_path {
            Some(p) => Some(recovery_path_for(p)),
            None => self.untitled_recovery_path(),
        };
        self.autosave = Autosave::default();
        let Some(file) = file else {
            return;
        };
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("drop-recovery:{}", file.display()),
            "Removing recovery file".to_owned(),
            ctx,
            move |_control| {
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => tracing::warn!("recovery file {} not removed: {e}", file.display()),
                }
                JobOutcome::Nothing
            },
        );
    }

    /// Checks for a recovery file of `case_path` (or the untitled one) in a job.
    pub(super) fn check_recovery(&mut self, case_path: Option<PathBuf>) {
        let untitled = self.untitled_recovery_path();
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            "check-recovery".to_owned(),
            "Looking for unsaved work".to_owned(),
            ctx,
            move |_control| {
                JobOutcome::RecoveryFound(find_recovery(case_path.as_deref(), untitled.as_deref()))
            },
        );
    }

    /// Restores a recovery file: opens it as the case (with the original path) and marks it
    /// unsaved, so the user decides whether to save it.
    pub(super) fn start_restore(&mut self, recovery: Recovery) {
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            "restore".to_owned(),
            "Restoring unsaved work".to_owned(),
            ctx,
            move |_control| JobOutcome::Restored {
                result: crate::case_file::load(&recovery.file)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
                recovery,
            },
        );
    }
}
