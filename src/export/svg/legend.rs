//! The legend box of the SVG: the categories used, the neutral fills and the badges.

use super::graph::badge;
use super::*;

pub(super) fn legend(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette) {
    let Some(l) = &f.legend else {
        return;
    };
    let u = f.u;
    out.line(format_args!(
        r#"<g id="legend"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" stroke="{}" stroke-width="{}"/>"#,
        num(l.x),
        num(l.y),
        num(l.w),
        num(l.h),
        num(8.0 * u),
        p.panel_fill,
        p.rule,
        num(u)
    ));
    let left = l.x + LEGEND_PAD * u;
    out.text(
        left,
        l.y + LEGEND_PAD * u + 15.0 * u,
        15.0 * u,
        p.text,
        "start",
        r#" font-weight="bold""#,
        "Legend",
    );
    let stroke = format!(
        r##"stroke="#000000" stroke-opacity="0.63" stroke-width="{}""##,
        num(u)
    );
    for (i, (entry, label)) in scene.legend.iter().zip(&l.labels).enumerate() {
        let row_mid = l.y + LEGEND_PAD * u + LEGEND_HEADING * u + (i as f32 + 0.5) * LEGEND_ROW * u;
        let cx = left + LEGEND_SWATCH * u / 2.0;
        let r = 7.0 * u;
        match entry.mark {
            LegendMark::Circle => {
                out.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{}" {stroke}/>"#,
                    num(cx),
                    num(row_mid),
                    num(r),
                    hex(entry.rgb)
                ));
                if let Some(g) = entry.glyph {
                    super::graph::glyph(out, g, [cx, row_mid], r, entry.rgb);
                }
            }
            LegendMark::Square => out.line(format_args!(
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" {stroke}/>"#,
                num(cx - r * 0.8),
                num(row_mid - r * 0.8),
                num(r * 1.6),
                num(r * 1.6),
                num(2.0 * u),
                hex(entry.rgb)
            )),
            LegendMark::Badge => {
                out.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{}" {stroke}/>"#,
                    num(cx),
                    num(row_mid),
                    num(r),
                    hex(NEUTRAL_ADDRESS_RGB)
                ));
                badge(out, [cx + r * 0.75, row_mid + r * 0.75], u, entry.rgb);
            }
            LegendMark::Conflict => {
                out.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{}" {stroke}/>"#,
                    num(cx),
                    num(row_mid),
                    num(r * 0.8),
                    hex(NEUTRAL_ADDRESS_RGB)
                ));
                out.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="{}"/>"#,
                    num(cx),
                    num(row_mid),
                    num(r * 0.8 + 2.5 * u),
                    hex(entry.rgb),
                    num(2.0 * u)
                ));
            }
        }
        out.text(
            left + (LEGEND_SWATCH + 10.0) * u,
            row_mid + LEGEND_FONT * u * 0.36,
            LEGEND_FONT * u,
            p.text,
            "start",
            r#" class="legend-entry""#,
            label,
        );
    }
    out.line(format_args!("</g>"));
}
