//! Pictures → PNG without a GPU, on the CPU with tiny-skia.
//!
//! [`scene_to_png`] paints a case's picture in two layers: the graph body (hulls, edges, nodes:
//! about five shapes per node) straight into the pixmap through [`painter::Painter`], then the
//! bounded rest (header, labels, notes, arrows, legend, footer) from a small SVG document
//! through resvg — so a 300k-node case never becomes a million-element SVG document (usvg's
//! cap) and memory stays near the pixmap's. [`svg_to_png`] paints any SVG document.
//!
//! Text is shaped with the bundled DejaVu Sans only (see [`super::font`]): no system font is
//! looked up, so a server or CI machine without fonts renders the same pixels as a desktop.
//! The pixel size is the SVG's width/height attributes (the export writes them already scaled).

use super::font::{BOLD_TTF, FONT_FAMILY, REGULAR_TTF};
use super::{ExportError, Scene, SceneOptions, svg};
use resvg::tiny_skia;
use resvg::usvg;
use std::sync::Arc;

mod coverage;
pub mod painter;

/// Longest side of a PNG, in pixels.
pub const MAX_SIDE_PX: u32 = 32_000;
/// Most pixels in one PNG (about 1 GiB of RGBA while painting).
pub const MAX_PIXELS: u64 = 268_435_456;

/// A font database holding the bundled faces and nothing else; every generic family
/// (`sans-serif`, `serif`, …) resolves to DejaVu Sans.
fn font_database() -> usvg::fontdb::Database {
    let mut db = usvg::fontdb::Database::new();
    for data in [REGULAR_TTF, BOLD_TTF] {
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(data)));
    }
    db.set_sans_serif_family(FONT_FAMILY);
    db.set_serif_family(FONT_FAMILY);
    db.set_monospace_family(FONT_FAMILY);
    db.set_cursive_family(FONT_FAMILY);
    db.set_fantasy_family(FONT_FAMILY);
    db
}

fn parse(svg: &str) -> Result<usvg::Tree, ExportError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: Arc::new(font_database()),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Svg(e.to_string()))
}

/// A transparent pixmap of `width_px × height_px`, refused when over the limits.
fn new_pixmap(width_px: u32, height_px: u32) -> Result<tiny_skia::Pixmap, ExportError> {
    let too_large = width_px > MAX_SIDE_PX
        || height_px > MAX_SIDE_PX
        || u64::from(width_px) * u64::from(height_px) > MAX_PIXELS;
    if too_large {
        return Err(ExportError::TooLarge {
            width_px,
            height_px,
        });
    }
    tiny_skia::Pixmap::new(width_px, height_px).ok_or(ExportError::TooLarge {
        width_px,
        height_px,
    })
}

fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, ExportError> {
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Png(e.to_string()))
}

/// Paints `svg` and returns the PNG file's bytes.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ExportError> {
    let tree = parse(svg)?;
    let size = tree.size().to_int_size();
    let mut pixmap = new_pixmap(size.width(), size.height())?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap)
}

/// Most threads the body is painted on.
const MAX_BANDS: usize = 8;

/// Paints the graph body: the pixmap is cut into horizontal bands, one per core, and each band
/// is painted on its own thread with every shape that reaches it (in the same order, so each
/// pixel is painted exactly as on one thread).
fn paint_body_in_bands(
    layers: &svg::Layers<'_>,
    pixmap: &mut tiny_skia::Pixmap,
    scale: f32,
    offset: [f32; 2],
) {
    let (width, height) = (pixmap.width(), pixmap.height());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_BANDS);
    let rows_per_band = height.div_ceil(threads as u32).max(1);
    let row_bytes = width as usize * 4;
    std::thread::scope(|scope| {
        for (k, band) in pixmap
            .data_mut()
            .chunks_mut(rows_per_band as usize * row_bytes)
            .enumerate()
        {
            let rows = (band.len() / row_bytes) as u32;
            let top = k as u32 * rows_per_band;
            scope.spawn(move || {
                if let Some(band) = tiny_skia::PixmapMut::from_bytes(band, width, rows) {
                    let at = [offset[0], offset[1] - top as f32];
                    layers.draw_body(&mut painter::Painter::new(band, scale, at));
                }
            });
        }
    });
}

/// Paints the picture of `scene` (as [`crate::export::svg::scene_to_svg`] describes it) and
/// returns the PNG file's bytes. A picture over the pixel limits is refused before anything is
/// painted.
pub fn scene_to_png(scene: &Scene, options: &SceneOptions) -> Result<Vec<u8>, ExportError> {
    let layers = svg::layers(scene, options);
    let [w, h] = layers.size_px;
    // `as` saturates: an absurd size becomes u32::MAX and is refused below.
    let (width_px, height_px) = (w.max(1.0) as u32, h.max(1.0) as u32);
    let mut pixmap = new_pixmap(width_px, height_px)?;
    let [r, g, b] = layers.background;
    pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
    // The viewBox is fitted as the SVG's default preserveAspectRatio (xMidYMid meet) does.
    let [vw, vh] = layers.view_box;
    let scale = (width_px as f32 / vw).min(height_px as f32 / vh);
    let offset = [
        (width_px as f32 - vw * scale) / 2.0,
        (height_px as f32 - vh * scale) / 2.0,
    ];
    paint_body_in_bands(&layers, &mut pixmap, scale, offset);
    let overlay = parse(&layers.overlay_svg)?;
    resvg::render(
        &overlay,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_shapes_and_text_with_the_bundled_font() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 60 20">
            <rect width="60" height="20" fill="#ffffff"/>
            <text x="2" y="15" font-size="14" font-family="sans-serif" fill="#000000">Hi</text>
        </svg>"##;
        let png = svg_to_png(svg).expect("renders");
        let img = image::load_from_memory(&png).expect("png").to_rgba8();
        assert_eq!(img.dimensions(), (120, 40));
        let dark = img.pixels().filter(|p| p.0[0] < 100).count();
        assert!(dark > 50, "text painted ({dark} dark pixels)");
    }

    #[test]
    fn refuses_bad_svg_and_huge_pictures() {
        assert!(matches!(svg_to_png("<svg"), Err(ExportError::Svg(_))));
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40000" height="10"/>"#;
        assert!(matches!(
            svg_to_png(huge),
            Err(ExportError::TooLarge { .. })
        ));
    }
}
