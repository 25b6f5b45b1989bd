//! Exports of a case: pictures of the canvas (and later SVG and CSV). No egui here: callers
//! hand over plain RGBA pixels.

pub mod png;
