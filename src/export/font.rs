//! The font the exports draw text with, bundled so a picture renders the same everywhere.
//!
//! DejaVu Sans regular and bold (`assets/fonts/`, Bitstream Vera + Arev licence, see
//! `assets/fonts/LICENSE-DejaVu.txt`) are compiled in. The SVG names the family; the PNG
//! renderer loads exactly these two faces and no system font. Widths measured here (glyph
//! advances, no kerning) size note boxes, the legend and truncated titles, and wrap note text.

use std::sync::OnceLock;

/// Family name of the bundled font.
pub const FONT_FAMILY: &str = "DejaVu Sans";
/// What an SVG asks for: the bundled family first, then look-alikes a viewer may have.
pub const SVG_FONT_FAMILY: &str = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif";
/// DejaVu Sans, regular.
pub static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Advance of a glyph the font lacks, in em (close to DejaVu's average).
const FALLBACK_ADVANCE_EM: f32 = 0.62;

fn face(bold: bool) -> Option<&'static ttf_parser::Face<'static>> {
    static REGULAR: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    let (cell, data) = if bold {
        (&BOLD, BOLD_TTF)
    } else {
        (&REGULAR, REGULAR_TTF)
    };
    cell.get_or_init(|| ttf_parser::Face::parse(data, 0).ok())
        .as_ref()
}

/// Width of `text` on one line at `size_px`, in pixels.
pub fn text_width_px(text: &str, size_px: f32, bold: bool) -> f32 {
    let Some(face) = face(bold) else {
        return text.chars().count() as f32 * FALLBACK_ADVANCE_EM * size_px;
    };
    let units_per_em = f32::from(face.units_per_em().max(1));
    let units: f32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(FALLBACK_ADVANCE_EM * units_per_em, f32::from)
        })
        .sum();
    units / units_per_em * size_px
}

/// `text` shortened with `…` so it fits in `max_width_px` (unchanged when it fits).
pub fn truncate_to_width(text: &str, size_px: f32, max_width_px: f32, bold: bool) -> String {
    if text_width_px(text, size_px, bold) <= max_width_px {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width_px(&format!("{out}…"), size_px, bold) > max_width_px {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

/// Wraps `text` into lines no wider than `max_width_px`: at spaces where possible, inside a
/// word (an address, a hash) where it alone is too wide. Line breaks in the text are kept;
/// at most `max_lines` lines come back, the last ending in `…` when text was left out.
pub fn wrap_text(text: &str, size_px: f32, max_width_px: f32, max_lines: usize) -> Vec<String> {
    let fits = |s: &str| text_width_px(s, size_px, false) <= max_width_px;
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: break it wherever it overflows.
            for c in word.chars() {
                line.push(c);
                if !fits(&line) && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = truncate_to_width(&format!("{last} …"), size_px, max_width_px, false);
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_faces_parse_and_measure() {
        assert!(face(false).is_some() && face(true).is_some());
        let narrow = text_width_px("iiii", 20.0, false);
        let wide = text_width_px("MMMM", 20.0, false);
        assert!(narrow > 0.0 && wide > narrow * 2.0);
        assert!(text_width_px("MMMM", 20.0, true) > wide * 0.99);
        assert_eq!(text_width_px("", 20.0, false), 0.0);
    }

    #[test]
    fn wraps_at_spaces_and_inside_long_words() {
        let lines = wrap_text("one two three four five six seven", 10.0, 60.0, 10);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| text_width_px(l, 10.0, false) <= 60.0));
        let hash = "0123456789abcdef0123456789abcdef0123456789abcdef";
        let lines = wrap_text(hash, 10.0, 60.0, 20);
        assert_eq!(lines.concat(), hash);
        assert_eq!(wrap_text("a\n\nb", 10.0, 60.0, 10), ["a", "", "b"]);
        let capped = wrap_text("a\nb\nc\nd", 10.0, 60.0, 2);
        assert_eq!(capped.len(), 2);
        assert!(capped[1].ends_with('…'));
        assert_eq!(wrap_text("", 10.0, 60.0, 3), [""]);
    }

    #[test]
    fn truncates_with_an_ellipsis() {
        let long = "A very long case title that will not fit";
        let short = truncate_to_width(long, 20.0, 150.0, true);
        assert!(short.ends_with('…'));
        assert!(text_width_px(&short, 20.0, true) <= 150.0);
        assert_eq!(truncate_to_width("ok", 20.0, 150.0, true), "ok");
    }
}
