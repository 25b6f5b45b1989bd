//! Notes and arrows in the SVG: note boxes laid out near their anchor (wrapped, clipped to
//! a number of lines), leader lines, and the investigator's arrows between notes and nodes.

use super::*;

/// A note's box on the picture.
#[derive(Debug, Clone, Copy)]
pub(super) struct NoteBox {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) w: f32,
    pub(super) h: f32,
}

impl NoteBox {
    pub(super) fn centre(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }

    /// Where the ray from the centre towards `dir` (unit) leaves the box, plus `gap`.
    pub(super) fn exit(&self, dir: [f32; 2], gap: f32) -> [f32; 2] {
        let c = self.centre();
        let tx = if dir[0].abs() > 1e-6 {
            (self.w / 2.0) / dir[0].abs()
        } else {
            f32::MAX
        };
        let ty = if dir[1].abs() > 1e-6 {
            (self.h / 2.0) / dir[1].abs()
        } else {
            f32::MAX
        };
        let t = tx.min(ty) + gap;
        [c[0] + dir[0] * t, c[1] + dir[1] * t]
    }
}

/// A note with its box and wrapped lines.
pub(super) struct LaidNote<'a> {
    pub(super) b: NoteBox,
    pub(super) lines: Vec<String>,
    pub(super) note: &'a SceneNote,
}

/// Sizes each note's box to its wrapped text and keeps it inside the graph area.
pub(super) fn layout_notes<'a>(scene: &'a Scene, f: &Frame) -> Vec<LaidNote<'a>> {
    let u = f.u;
    let size = NOTE_FONT_PX * u;
    let line_h = size * 1.35;
    let pad = NOTE_PAD_PX * u;
    scene
        .notes
        .iter()
        .map(|note| {
            let lines = wrap_text(&note.text, size, NOTE_WRAP_PX * u, NOTE_MAX_LINES);
            let author = note.author.trim();
            let author_w = if author.is_empty() {
                0.0
            } else {
                text_width_px(&format!("— {author}"), 11.0 * u, false).min(NOTE_WRAP_PX * u)
            };
            let text_w = lines
                .iter()
                .map(|l| text_width_px(l, size, false))
                .fold(author_w, f32::max);
            let w = text_w + 2.0 * pad;
            let h = lines.len() as f32 * line_h
                + 2.0 * pad
                + if author.is_empty() { 0.0 } else { 16.0 * u };
            let at = f.map(note.pos);
            let [x0, y0, x1, y1] = f.graph;
            let x = at[0].min(x1 - w).max(x0);
            let y = at[1].min(y1 - h).max(y0);
            LaidNote {
                b: NoteBox { x, y, w, h },
                lines,
                note,
            }
        })
        .collect()
}

/// Draws the notes (anchor lines first, so every box covers them); returns their boxes.
pub(super) fn draw_notes(out: &mut Out, laid: &[LaidNote<'_>], f: &Frame) -> Vec<NoteBox> {
    let u = f.u;
    let size = NOTE_FONT_PX * u;
    let line_h = size * 1.35;
    let pad = NOTE_PAD_PX * u;
    for LaidNote { b, note, .. } in laid {
        if let Some((pos, radius)) = note.anchor {
            let c = f.map(pos);
            let target = [c[0].clamp(b.x, b.x + b.w), c[1].clamp(b.y, b.y + b.h)];
            let (dx, dy) = (target[0] - c[0], target[1] - c[1]);
            let len = (dx * dx + dy * dy).sqrt();
            let r = f.node_radius(radius) + 2.0 * u;
            if len <= r {
                continue;
            }
            let start = [c[0] + dx / len * r, c[1] + dy / len * r];
            out.line(format_args!(
                r#"<line class="anchor" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-opacity="0.8" stroke-width="{}"/>"#,
                num(start[0]),
                num(start[1]),
                num(target[0]),
                num(target[1]),
                hex(NOTE_BORDER_RGB),
                num(1.5 * u)
            ));
        }
    }
    for LaidNote { b, lines, note } in laid {
        out.line(format_args!(
            r#"<g class="note"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" stroke="{}" stroke-width="{}"/>"#,
            num(b.x),
            num(b.y),
            num(b.w),
            num(b.h),
            num(4.0 * u),
            hex(NOTE_FILL_RGB),
            hex(NOTE_BORDER_RGB),
            num(u)
        ));
        for (i, line) in lines.iter().enumerate() {
            out.text(
                b.x + pad,
                b.y + pad + size * 0.8 + i as f32 * line_h,
                size,
                &hex(NOTE_TEXT_RGB),
                "start",
                "",
                line,
            );
        }
        let author = note.author.trim();
        if !author.is_empty() {
            let author =
                truncate_to_width(&format!("— {author}"), 11.0 * u, NOTE_WRAP_PX * u, false);
            out.text(
                b.x + pad,
                b.y + pad + lines.len() as f32 * line_h + 12.0 * u,
                11.0 * u,
                "#5f6b76",
                "start",
                "",
                &author,
            );
        }
        out.line(format_args!("</g>"));
    }
    laid.iter().map(|l| l.b).collect()
}

pub(super) fn arrows(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette, boxes: &[NoteBox]) {
    let u = f.u;
    let centre = |point: &ArrowPoint| -> Option<[f32; 2]> {
        match point {
            ArrowPoint::Node { pos, .. } => Some(f.map(*pos)),
            ArrowPoint::Note(i) => boxes.get(*i).map(NoteBox::centre),
        }
    };
    let gap = 3.0 * u;
    let edge_of = |point: &ArrowPoint, dir: [f32; 2]| -> Option<[f32; 2]> {
        match point {
            ArrowPoint::Node { pos, radius } => {
                let c = f.map(*pos);
                let r = f.node_radius(*radius) + gap;
                Some([c[0] + dir[0] * r, c[1] + dir[1] * r])
            }
            ArrowPoint::Note(i) => boxes.get(*i).map(|b| b.exit(dir, gap)),
        }
    };
    for arrow in &scene.arrows {
        let (Some(a), Some(b)) = (centre(&arrow.from), centre(&arrow.to)) else {
            continue;
        };
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1e-3 {
            continue;
        }
        let dir = [dx / len, dy / len];
        let (Some(start), Some(end)) = (
            edge_of(&arrow.from, dir),
            edge_of(&arrow.to, [-dir[0], -dir[1]]),
        ) else {
            continue;
        };
        // Ends that crossed (boxes overlapping) draw nothing.
        if (end[0] - start[0]) * dir[0] + (end[1] - start[1]) * dir[1] <= 0.0 {
            continue;
        }
        // Dashed, with a dot at the tail and an open chevron head: never read as a transfer
        // (solid, filled head).
        let head = 14.0 * u;
        let width = 2.5 * u;
        out.line(format_args!(
            r#"<g class="arrow"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}" stroke-dasharray="{} {}" stroke-linecap="round"/>"#,
            num(start[0]),
            num(start[1]),
            num(end[0]),
            num(end[1]),
            p.arrow,
            num(width),
            num(8.0 * u),
            num(6.0 * u)
        ));
        out.line(format_args!(
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}"/>"#,
            num(start[0]),
            num(start[1]),
            num(2.0 * width),
            p.arrow
        ));
        let back = [-dir[0] * head, -dir[1] * head];
        let side = [-back[1] * 0.6, back[0] * 0.6];
        out.line(format_args!(
            r#"<polyline points="{},{} {},{} {},{}" fill="none" stroke="{}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round"/></g>"#,
            num(end[0] + back[0] + side[0]),
            num(end[1] + back[1] + side[1]),
            num(end[0]),
            num(end[1]),
            num(end[0] + back[0] - side[0]),
            num(end[1] + back[1] - side[1]),
            p.arrow,
            num(width + 0.5 * u)
        ));
        if let Some(label) = arrow.label {
            out.text(
                (start[0] + end[0]) / 2.0,
                (start[1] + end[1]) / 2.0 - 4.0 * u,
                12.0 * u,
                p.arrow,
                "middle",
                "",
                label,
            );
        }
    }
}
