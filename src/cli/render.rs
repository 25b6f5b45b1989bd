//! `caseboard render CASE -o OUT.svg|OUT.png` and `caseboard export-csv CASE -o OUT.csv`: the
//! annotated picture and the transfer table, headless (servers, CI, scripts).
//!
//! The format follows the output's extension (`.svg` or `.png`, any case); anything else, a
//! width outside 400–20000 px or a scale outside (0, 16] is refused with exit code 2 before the
//! case is read. A case with nodes that have no position is laid out first, as the app would.
//! An output that is a folder, FIFO or device node (or a link to one) is refused with exit
//! code 2 before the case is read; a symlink to a regular file is written through. Files are
//! written atomically (see [`crate::fs_atomic`]), and stamped with the current time in the footer.

use super::CliError;
use crate::case_file;
use crate::export::scene::{MAX_WIDTH_PX, MIN_WIDTH_PX};
use crate::export::{ExportError, SceneOptions, render_png, render_svg};
use crate::model::GraphFilter;
use crate::model::filter::{parse_dollars, parse_since, parse_until};
use std::path::Path;

/// Largest `--scale`.
const MAX_SCALE: f32 = 16.0;

/// The picture formats `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

fn format_of(output: &Path) -> Result<Format, CliError> {
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => Ok(Format::Svg),
        Some("png") => Ok(Format::Png),
        _ => Err(CliError::input(format!(
            "{}: the output must end in .svg or .png",
            output.display()
        ))),
    }
}

fn write_failed(message: String) -> CliError {
    CliError { code: 1, message }
}

/// Writes an export; a refused path is exit code 2, a failed write 1.
fn write_output(output: &Path, bytes: &[u8]) -> Result<(), CliError> {
    crate::export::write_export(output, bytes).map_err(CliError::from)
}

/// Loads a case for export; lays it out when a node has no position. A case reading the demo
/// ledger is pictured as the app shows it: its actors tagged by the demo pack (for the picture
/// only; the file is not changed).
fn load_laid_out(case_path: &Path) -> Result<crate::model::Case, CliError> {
    let mut case = case_file::load(case_path)?;
    if case.uses_demo_source() {
        let index =
            crate::attribution::AttributionIndex::build(&[crate::sources::demo::demo_pack()]);
        if let Some(action) = crate::attribution::flag_case(&index, &case)
            && let Err(err) = crate::model::apply(&mut case, action)
        {
            tracing::warn!("demo case not tagged for the picture: {err}");
        }
    }
    if case
        .nodes
        .keys()
        .all(|id| case.layout.positions.contains_key(id))
    {
        return Ok(case);
    }
    // Positions for the picture only: the file itself is not changed.
    let mut doc = crate::model::Document::new(case, None);
    super::door::settle_layout(&mut doc);
    Ok(doc.into_case())
}

/// `render`'s filter options: each one given replaces that part of the case's own filter.
#[derive(Debug, Default)]
pub struct FilterArgs {
    /// `--since YYYY-MM-DD`.
    pub since: Option<String>,
    /// `--until YYYY-MM-DD`.
    pub until: Option<String>,
    /// `--min-usd DOLLARS`.
    pub min_usd: Option<String>,
}

impl FilterArgs {
    /// Reads the options into `filter` (nothing is changed when one does not read).
    fn apply_to(&self, filter: &mut GraphFilter) -> Result<(), CliError> {
        let since = self.since.as_deref().map(parse_since).transpose();
        let until = self.until.as_deref().map(parse_until).transpose();
        let min = self.min_usd.as_deref().map(parse_dollars).transpose();
        let (since, until, min) = (
            since.map_err(|e| CliError::input(format!("--since: {e}")))?,
            until.map_err(|e| CliError::input(format!("--until: {e}")))?,
            min.map_err(|e| CliError::input(format!("--min-usd: {e}")))?,
        );
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(CliError::input("--since is after --until".to_owned()));
        }
        filter.since_unix = since.or(filter.since_unix);
        filter.until_unix = until.or(filter.until_unix);
        filter.min_usd_cents = min.or(filter.min_usd_cents);
        Ok(())
    }
}

/// `caseboard render`: the picture honours the case's saved filter and the filter options,
/// and its summary line says what they left out.
pub fn run_render(
    case_path: &Path,
    output: &Path,
    width_px: Option<u32>,
    scale: Option<f32>,
    filter_args: &FilterArgs,
) -> Result<(), CliError> {
    let format = format_of(output)?;
    super::error::check_output(output)?;
    // Options are checked before the case is read: a typo costs nothing.
    let mut filter = GraphFilter::default();
    filter_args.apply_to(&mut filter)?;
    let mut options = SceneOptions {
        exported_at: Some(crate::util::now_unix()),
        ..SceneOptions::default()
    };
    if let Some(width_px) = width_px {
        if !(MIN_WIDTH_PX..=MAX_WIDTH_PX).contains(&width_px) {
            return Err(CliError::input(format!(
                "--width {width_px}: must be {MIN_WIDTH_PX}–{MAX_WIDTH_PX} pixels"
            )));
        }
        options.width_px = width_px;
    }
    if let Some(scale) = scale {
        if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
            return Err(CliError::input(format!(
                "--scale {scale}: must be above 0 and at most {MAX_SCALE}"
            )));
        }
        options.scale = scale;
    }
    let mut case = load_laid_out(case_path)?;
    filter_args.apply_to(&mut case.view.filter)?;
    match format {
        Format::Svg => write_output(output, render_svg(&case, &options).as_bytes())?,
        Format::Png => {
            let png = render_png(&case, &options).map_err(|e| match e {
                ExportError::TooLarge { .. } => CliError::input(e.to_string()),
                other => write_failed(other.to_string()),
            })?;
            write_output(output, &png)?;
        }
    }
    let filter = &case.view.filter;
    let filtered = if filter.is_active() {
        format!(", filtered: {}", filter.describe())
    } else {
        String::new()
    };
    eprintln!(
        "rendered {} ({} nodes{filtered}) to {}",
        case_path.display(),
        case.nodes.len(),
        output.display()
    );
    Ok(())
}

/// `caseboard export-csv`.
pub fn run_export_csv(case_path: &Path, output: &Path, prices: &[String]) -> Result<(), CliError> {
    super::error::check_output(output)?;
    let book = super::summary::price_book(prices)?;
    let case = case_file::load(case_path)?;
    let csv = crate::export::csv_export::transfers_csv_with(&case, &book)
        .map_err(|e| write_failed(e.to_string()))?;
    write_output(output, csv.as_bytes())?;
    eprintln!(
        "wrote {} transfers of {} to {}",
        case.transfers.len(),
        case_path.display(),
        output.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(format_of(Path::new("a/b.svg")).ok(), Some(Format::Svg));
        assert_eq!(format_of(Path::new("B.PNG")).ok(), Some(Format::Png));
        for bad in ["b.jpg", "b", "svg", "b.svg.txt"] {
            let err = format_of(Path::new(bad)).expect_err("refused");
            assert_eq!(err.code, 2);
            assert!(err.message.contains(".svg or .png"), "{}", err.message);
        }
    }
}
