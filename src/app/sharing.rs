//! Sharing from the app: export the annotated picture (SVG or PNG, from the same scene as
//! `caseboard render`), export the transfers as CSV, and merge a colleague's case into the open
//! one. All file work runs in jobs; a merge lands as one undoable step and its conflicts go to
//! the Review panel, where its conflicts are resolved.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::{JobOutcome, PathPurpose};
use crate::export::{SceneOptions, render_png, render_svg};
use crate::model::{Action, Case};
use std::path::PathBuf;

/// What an image export writes, from the file name.
fn image_format(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "svg" => Some("svg"),
        "png" => Some("png"),
        _ => None,
    }
}

/// Renders and writes the picture of `case` (job thread).
pub(crate) fn write_image(case: &Case, path: &std::path::Path) -> Result<(), String> {
    let options = SceneOptions {
        exported_at: Some(crate::util::now_unix()),
        ..SceneOptions::default()
    };
    match image_format(path) {
        Some("svg") => crate::export::write_text_atomic(path, &render_svg(case, &options)),
        Some(_) => {
            let png = render_png(case, &options).map_err(|e| e.to_string())?;
            crate::export::write_bytes_atomic(path, &png)
        }
        None => Err("the file name must end in .svg or .png".to_owned()),
    }
}

impl CaseboardApp {
    /// Handles the export, merge and conflict commands; gives any other command back.
    pub(super) fn sharing_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::ExportImageDialog => self.choose_path(PathPurpose::ExportImage),
            Command::ExportImage(path) => self.start_export_image(path),
            Command::ExportCsvDialog => self.choose_path(PathPurpose::ExportCsv),
            Command::ExportCsv(path) => self.start_export_csv(path),
            Command::MergeDialog => self.choose_path(PathPurpose::Merge),
            Command::MergePath(path) => self.start_merge(path),
            Command::ResolveConflict { id, choice } => {
                match crate::model::conflict::resolve(self.doc.case(), id, choice) {
                    Some(action) => self.commands.push(Command::Apply(action)),
                    None => self
                        .notices
                        .info("That choice does not apply to this conflict"),
                }
            }
            other => return Some(other),
        }
        None
    }

    /// Applies the export and merge jobs' outcomes; gives any other outcome back.
    pub(super) fn sharing_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        match outcome {
            JobOutcome::Merged { path, result } => self.merged(path, result),
            JobOutcome::TextWritten { path, result } => match result {
                Ok(()) => self.notices.info(format!("Written {}", path.display())),
                Err(err) => self
                    .notices
                    .error(format!("Not written, {}: {err}", path.display()), None),
            },
            other => return Some(other),
        }
        None
    }

    fn start_export_image(&mut self, path: PathBuf) {
        if image_format(&path).is_none() {
            self.notices.error(
                format!(
                    "Not exported: {} must end in .svg (vector) or .png",
                    path.display()
                ),
                None,
            );
            return;
        }
        let case = self.doc.case().clone();
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("export-image:{}", path.display()),
            "Exporting image".to_owned(),
            ctx,
            move |_control| JobOutcome::TextWritten {
                result: write_image(&case, &path),
                path,
            },
        );
    }

    fn start_export_csv(&mut self, path: PathBuf) {
        let case = self.doc.case().clone();
        // The book shares its tables: the clone copies pointers.
        let prices = self.prices.clone();
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("export-csv:{}", path.display()),
            "Exporting transfers".to_owned(),
            ctx,
            move |_control| JobOutcome::TextWritten {
                result: crate::export::csv_export::transfers_csv_with(&case, &prices)
                    .map_err(|e| e.to_string())
                    .and_then(|text| crate::export::write_text_atomic(&path, &text)),
                path,
            },
        );
    }

    /// Loads `theirs` and merges it into a copy of the open case (job thread).
    fn start_merge(&mut self, theirs_path: PathBuf) {
        let mine = self.doc.case().clone();
        let by = self.settings.investigator.clone();
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("merge:{}", theirs_path.display()),
            "Merging case".to_owned(),
            ctx,
            move |_control| {
                let result = crate::case_file::load(&theirs_path)
                    .map_err(|e| e.to_string())
                    .map(|theirs| {
                        let label = theirs_label(&mine, &theirs, &theirs_path);
                        let outcome = crate::merge::merge(
                            &mine,
                            &theirs,
                            None,
                            &crate::merge::MergeOptions {
                                theirs_label: label,
                                by,
                                at: crate::util::now_unix(),
                            },
                        );
                        (Box::new(outcome.case), outcome.report.summary())
                    });
                JobOutcome::Merged {
                    path: theirs_path,
                    result,
                }
            },
        );
    }

    fn merged(&mut self, path: PathBuf, result: Result<(Box<Case>, String), String>) {
        match result {
            Ok((case, summary)) => {
                let conflicts = case.conflicts.len();
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                );
                let action = Action::ReplaceCase {
                    label: format!("merge {name}"),
                    case,
                };
                match self.doc.apply(action) {
                    Ok(()) => {
                        let message = format!("Merged {name}: {summary}");
                        if conflicts > 0 {
                            self.left_tab = super::ui::LeftTab::Review;
                            self.notices
                                .warn(format!("{message} — resolve them in Review"));
                        } else {
                            self.notices.info(message);
                        }
                    }
                    Err(err) => self
                        .notices
                        .error(format!("Merge not applied: {err}"), None),
                }
            }
            Err(err) => self.notices.error(
                format!("Could not merge; the open case is unchanged. {err}"),
                Some(Command::MergePath(path)),
            ),
        }
    }
}

/// Who "theirs" is: their contributors that mine lacks, else the file name.
fn theirs_label(mine: &Case, theirs: &Case, path: &std::path::Path) -> String {
    let new: Vec<&str> = theirs
        .meta
        .contributors
        .iter()
        .filter(|c| !mine.meta.contributors.contains(*c))
        .map(String::as_str)
        .collect();
    if new.is_empty() {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        )
    } else {
        new.join(", ")
    }
}
