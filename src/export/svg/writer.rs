//! The SVG text writer: [`Out`] collects elements into a string, and draws the graph body's
//! shapes ([`Draw`]) as SVG elements — `<polygon>`, `<line>`, `<circle>`, `<rect>`, a glyph's
//! group — with their fill, outline and class.

use super::{escape, hex, num};
use crate::export::draw::{Draw, Look, Paint};
use crate::export::scene::glyphs::{Glyph, Primitive};
use std::fmt::Write as _;

/// Writes SVG into a string (writing to a `String` cannot fail).
pub(super) struct Out(pub(super) String);

impl Out {
    pub(super) fn line(&mut self, text: std::fmt::Arguments<'_>) {
        let _ = self.0.write_fmt(text);
        self.0.push('\n');
    }

    /// A `<text>` element; `extra` are further attributes.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        fill: &str,
        anchor: &str,
        extra: &str,
        content: &str,
    ) {
        self.line(format_args!(
            r#"<text x="{}" y="{}" font-size="{}" fill="{fill}" text-anchor="{anchor}"{extra}>{}</text>"#,
            num(x),
            num(y),
            num(size),
            escape(content)
        ));
    }
}

/// An opacity for an attribute: two decimals, trailing zeros dropped.
fn opacity(v: f32) -> String {
    let v = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

/// Attributes of `look`: class, fill and stroke (a line has no fill to write).
fn attributes(look: Look, line: bool) -> String {
    let mut attrs = String::new();
    if let Some(class) = look.class {
        let _ = write!(attrs, r#" class="{class}""#);
    }
    match look.fill {
        Some(Paint { rgb, opacity: o }) => {
            let _ = write!(attrs, r#" fill="{}""#, hex(rgb));
            if o < 1.0 {
                let _ = write!(attrs, r#" fill-opacity="{}""#, opacity(o));
            }
        }
        None if line => {}
        None => attrs.push_str(r#" fill="none""#),
    }
    if let Some(stroke) = look.stroke {
        let _ = write!(
            attrs,
            r#" stroke="{}" stroke-width="{}""#,
            hex(stroke.paint.rgb),
            num(stroke.width)
        );
        if stroke.paint.opacity < 1.0 {
            let _ = write!(
                attrs,
                r#" stroke-opacity="{}""#,
                opacity(stroke.paint.opacity)
            );
        }
        if stroke.round {
            attrs.push_str(r#" stroke-linecap="round" stroke-linejoin="round""#);
        }
    }
    attrs
}

fn points(corners: &[[f32; 2]], n: impl Fn(f32) -> String) -> String {
    corners
        .iter()
        .map(|q| format!("{},{}", n(q[0]), n(q[1])))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Draw for Out {
    fn polygon(&mut self, corners: &[[f32; 2]], look: Look) {
        self.line(format_args!(
            r#"<polygon points="{}"{}/>"#,
            points(corners, num),
            attributes(look, false)
        ));
    }

    fn line(&mut self, from: [f32; 2], to: [f32; 2], look: Look) {
        let attrs = attributes(Look { fill: None, ..look }, true);
        Out::line(
            self,
            format_args!(
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}"{attrs}/>"#,
                num(from[0]),
                num(from[1]),
                num(to[0]),
                num(to[1])
            ),
        );
    }

    fn circle(&mut self, centre: [f32; 2], radius: f32, look: Look) {
        self.line(format_args!(
            r#"<circle cx="{}" cy="{}" r="{}"{}/>"#,
            num(centre[0]),
            num(centre[1]),
            num(radius),
            attributes(look, false)
        ));
    }

    fn rect(&mut self, min: [f32; 2], size: [f32; 2], corner: f32, look: Look) {
        let rx = if corner > 0.0 {
            format!(r#" rx="{}""#, num(corner))
        } else {
            String::new()
        };
        self.line(format_args!(
            r#"<rect x="{}" y="{}" width="{}" height="{}"{rx}{}/>"#,
            num(min[0]),
            num(min[1]),
            num(size[0]),
            num(size[1]),
            attributes(look, false)
        ));
    }

    fn glyph(&mut self, glyph: Glyph, c: [f32; 2], r: f32, paint: Paint) {
        // Unit-circle coordinates need more than the one decimal `num` gives.
        let n = |v: f32| format!("{:.3}", if v.is_finite() { v } else { 0.0 });
        self.line(format_args!(
            r#"<g class="glyph" transform="translate({} {}) scale({})" fill="{}" fill-opacity="{}">"#,
            num(c[0]),
            num(c[1]),
            n(r),
            hex(paint.rgb),
            opacity(paint.opacity)
        ));
        for prim in glyph.primitives() {
            match *prim {
                Primitive::Rect {
                    centre,
                    half,
                    degrees,
                } => self.line(format_args!(
                    r#"<rect x="{}" y="{}" width="{}" height="{}" transform="translate({} {}) rotate({})"/>"#,
                    n(-half[0]),
                    n(-half[1]),
                    n(2.0 * half[0]),
                    n(2.0 * half[1]),
                    n(centre[0]),
                    n(centre[1]),
                    n(degrees)
                )),
                Primitive::Ring { radius, width } => {
                    let circle = |rr: f32| {
                        format!(
                            "M {} 0 A {} {} 0 1 0 {} 0 A {} {} 0 1 0 {} 0 Z",
                            n(rr),
                            n(rr),
                            n(rr),
                            n(-rr),
                            n(rr),
                            n(rr),
                            n(rr)
                        )
                    };
                    self.line(format_args!(
                        r#"<path fill-rule="evenodd" d="{} {}"/>"#,
                        circle(radius + width / 2.0),
                        circle(radius - width / 2.0)
                    ));
                }
                Primitive::Disc { centre, radius } => self.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}"/>"#,
                    n(centre[0]),
                    n(centre[1]),
                    n(radius)
                )),
                Primitive::Polygon(corners) => self.line(format_args!(
                    r#"<polygon points="{}"/>"#,
                    points(corners, n)
                )),
            }
        }
        self.line(format_args!("</g>"));
    }

    fn begin_node(&mut self, title: &str) {
        self.line(format_args!(
            r#"<g class="node"><title>{}</title>"#,
            escape(title)
        ));
    }

    fn end_node(&mut self) {
        self.line(format_args!("</g>"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::draw::Stroke;

    #[test]
    fn shapes_become_elements_with_their_look() {
        let mut out = Out(String::new());
        let red = Paint::new([255, 0, 0], 0.5);
        out.circle(
            [1.0, 2.0],
            3.0,
            Look::filled(red)
                .with_stroke(Stroke {
                    paint: Paint::solid([0, 0, 0]),
                    width: 1.0,
                    round: false,
                })
                .class("highlight"),
        );
        Draw::line(
            &mut out,
            [0.0, 0.0],
            [4.0, 4.0],
            Look::outlined(Stroke {
                paint: Paint::new([1, 2, 3], 0.75),
                width: 2.0,
                round: true,
            }),
        );
        out.polygon(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], Look::default());
        assert_eq!(
            out.0,
            concat!(
                r##"<circle cx="1" cy="2" r="3" class="highlight" fill="#ff0000" fill-opacity="0.5" stroke="#000000" stroke-width="1"/>"##,
                "\n",
                r##"<line x1="0" y1="0" x2="4" y2="4" stroke="#010203" stroke-width="2" stroke-opacity="0.75" stroke-linecap="round" stroke-linejoin="round"/>"##,
                "\n",
                r#"<polygon points="0,0 1,0 0,1" fill="none"/>"#,
                "\n"
            )
        );
    }

    #[test]
    fn opacities_are_short_and_bounded() {
        assert_eq!(opacity(0.55), "0.55");
        assert_eq!(opacity(0.5), "0.5");
        assert_eq!(opacity(1.0), "1");
        assert_eq!(opacity(7.0), "1");
        assert_eq!(opacity(f32::NAN), "1");
    }
}
