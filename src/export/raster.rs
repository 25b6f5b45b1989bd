//! SVG → PNG without a GPU: usvg parses the SVG, resvg paints it with tiny-skia on the CPU.
//!
//! Text is shaped with the bundled DejaVu Sans only (see [`super::font`]): no system font is
//! looked up, so a server or CI machine without fonts renders the same pixels as a desktop.
//! The pixel size is the SVG's width/height attributes (the export writes them already scaled).

use super::ExportError;
use super::font::{BOLD_TTF, FONT_FAMILY, REGULAR_TTF};
use resvg::tiny_skia;
use resvg::usvg;
use std::sync::Arc;

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

/// Paints `svg` and returns the PNG file's bytes.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ExportError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: Arc::new(font_database()),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Svg(e.to_string()))?;
    let size = tree.size().to_int_size();
    let (width_px, height_px) = (size.width(), size.height());
    let too_large = width_px > MAX_SIDE_PX
        || height_px > MAX_SIDE_PX
        || u64::from(width_px) * u64::from(height_px) > MAX_PIXELS;
    if too_large {
        return Err(ExportError::TooLarge {
            width_px,
            height_px,
        });
    }
    let mut pixmap = tiny_skia::Pixmap::new(width_px, height_px).ok_or(ExportError::TooLarge {
        width_px,
        height_px,
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Png(e.to_string()))
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
