//! The few shapes the picture's graph body is made of — polygons, lines, circles, rounded
//! rectangles and category glyphs — as one small trait. `svg::graph` decides the body once
//! (hulls, edges with their arrow heads, nodes with badges) and draws it through [`Draw`]: the
//! SVG writer turns each shape into an element, the PNG painter (`raster::painter`) fills it
//! straight into pixels, so a PNG of a big case never builds an SVG document of the whole graph.
//!
//! Coordinates are the picture's viewBox pixels; colours sRGB bytes with an opacity in 0..=1.

use super::scene::glyphs::Glyph;

/// A colour and its opacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paint {
    pub rgb: [u8; 3],
    /// 0 (invisible) to 1 (opaque).
    pub opacity: f32,
}

impl Paint {
    /// An opaque colour.
    pub const fn solid(rgb: [u8; 3]) -> Paint {
        Paint { rgb, opacity: 1.0 }
    }

    /// A colour at `opacity`.
    pub const fn new(rgb: [u8; 3], opacity: f32) -> Paint {
        Paint { rgb, opacity }
    }
}

/// An outline: its paint, width in viewBox pixels, and whether its ends and corners are round
/// (else butt ends and mitred corners, SVG's defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub paint: Paint,
    pub width: f32,
    pub round: bool,
}

/// How a shape is filled and outlined, and (for the SVG only) the class it is known by.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Look {
    pub fill: Option<Paint>,
    pub stroke: Option<Stroke>,
    /// The SVG element's `class` (tests and style sheets find shapes by it).
    pub class: Option<&'static str>,
}

impl Look {
    /// Filled, no outline.
    pub fn filled(paint: Paint) -> Look {
        Look {
            fill: Some(paint),
            ..Look::default()
        }
    }

    /// Outlined, not filled.
    pub fn outlined(stroke: Stroke) -> Look {
        Look {
            stroke: Some(stroke),
            ..Look::default()
        }
    }

    /// The same look with an outline.
    pub fn with_stroke(self, stroke: Stroke) -> Look {
        Look {
            stroke: Some(stroke),
            ..self
        }
    }

    /// The same look known by `class` in the SVG.
    pub fn class(self, class: &'static str) -> Look {
        Look {
            class: Some(class),
            ..self
        }
    }
}

/// Something the graph body can be drawn on: the SVG writer or the PNG painter.
pub trait Draw {
    /// A closed polygon through `points` (non-zero fill rule).
    fn polygon(&mut self, points: &[[f32; 2]], look: Look);
    /// A straight line (only `look.stroke` is used).
    fn line(&mut self, from: [f32; 2], to: [f32; 2], look: Look);
    /// A circle.
    fn circle(&mut self, centre: [f32; 2], radius: f32, look: Look);
    /// A rectangle from `min` of `size` with corners rounded by `corner`.
    fn rect(&mut self, min: [f32; 2], size: [f32; 2], corner: f32, look: Look);
    /// A category glyph inside a node of `radius` at `centre`, filled with `paint`.
    fn glyph(&mut self, glyph: Glyph, centre: [f32; 2], radius: f32, paint: Paint);
    /// The shapes of one node follow, until [`Draw::end_node`]; `title` is its full label (the
    /// SVG keeps it as a tooltip).
    fn begin_node(&mut self, _title: &str) {}
    /// The node's shapes are done.
    fn end_node(&mut self) {}
}
