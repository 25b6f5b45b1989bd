//! Exports of a case: the annotated picture (SVG, and PNG painted from the same shapes without a
//! GPU and without an SVG document of the graph, see [`raster`]), the
//! transfers as CSV, and pictures of the live canvas. No egui here: one [`scene::Scene`]
//! describes what the canvas and the exports draw; callers of [`png`] hand over plain RGBA.
//!
//! For the app and the CLI: [`render_svg`], [`render_png`] and [`transfers_csv`] turn a case
//! into file contents; [`write_text_atomic`] and [`write_bytes_atomic`] write them (through the one
//! atomic write of [`crate::fs_atomic`]).

pub mod csv_export;
pub mod draw;
pub mod font;
pub mod png;
pub mod raster;
pub mod scene;
pub mod svg;

pub use csv_export::transfers_csv;
pub use scene::{Scene, SceneOptions, Theme};

use crate::fs_atomic::FileMode;
pub use crate::fs_atomic::WriteError;
use crate::model::Case;
use std::path::Path;

/// Why an export could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The SVG could not be read back for painting (a bug if it came from [`render_svg`]).
    #[error("the SVG could not be read: {0}")]
    Svg(String),
    /// The PNG would be larger than [`raster::MAX_SIDE_PX`] or [`raster::MAX_PIXELS`].
    #[error(
        "the picture would be {width_px}×{height_px} pixels, too large (use a smaller width or scale)"
    )]
    TooLarge { width_px: u32, height_px: u32 },
    /// Encoding the PNG failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// Writing the CSV failed.
    #[error("CSV export failed: {0}")]
    Csv(String),
}

/// The annotated picture of `case` as SVG text: title, graph as the canvas draws it (positions,
/// colours, labels, cluster hulls, highlights), notes, arrows, a legend of the categories used,
/// the data source and the dates. `options.width_px` is the viewBox width; `options.scale`
/// multiplies the width/height attributes. Nodes without a position sit at the origin, so lay
/// the case out first. Set `options.exported_at` to print the export time.
pub fn render_svg(case: &Case, options: &SceneOptions) -> String {
    svg::scene_to_svg(&Scene::from_case(case, options), options)
}

/// The same picture as [`render_svg`], painted on the CPU into PNG bytes of
/// `width_px × scale` pixels wide (text in the bundled font; no GPU, no system fonts). The
/// graph is painted directly, not through an SVG document, so any case size works (see
/// [`raster`]).
pub fn render_png(case: &Case, options: &SceneOptions) -> Result<Vec<u8>, ExportError> {
    raster::scene_to_png(&Scene::from_case(case, options), options)
}

/// Writes `bytes` to `path` atomically, through [`crate::fs_atomic`] (temp file in the same
/// folder, fsync, rename, folder sync). An export is meant to be shared: a new file is readable
/// by others (0644), a replaced one keeps its permissions. A folder, FIFO, device node (or a
/// symlink to one) at `path` is refused ([`WriteError::NotAFile`]); a symlink to a regular
/// file is written through. The command line calls [`write_export`] to tell a refused path
/// (exit code 2) from a failed write.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_export(path, bytes).map_err(|e| e.to_string())
}

/// Writes `text` to `path` atomically, like [`write_bytes_atomic`].
pub fn write_text_atomic(path: &Path, text: &str) -> Result<(), String> {
    write_bytes_atomic(path, text.as_bytes())
}

/// [`write_bytes_atomic`] with the reason kept: [`WriteError::NotAFile`] for a refused path.
pub fn write_export(path: &Path, bytes: &[u8]) -> Result<(), WriteError<String>> {
    crate::fs_atomic::write_atomic(path, FileMode::Normal, bytes)
}
