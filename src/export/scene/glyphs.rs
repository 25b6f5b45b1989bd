//! Node glyphs: a small mark inside a node that says its category at a glance, so that the
//! categories never rest on colour alone (colour-blind readers, grey print-outs).
//!
//! | category | glyph |
//! |---|---|
//! | exchange | two opposite arrows (⇄) |
//! | mixer | three coins (∴) |
//! | bridge | a gate (Π) |
//! | DeFi / router | four blocks (contracts composed) |
//! | victim | a downward arrow (↓, money lost) |
//! | DPRK-attributed | a cross (✕) |
//! | sanctioned | a ring with a bar (⊘) |
//!
//! Service, unknown and custom categories have none; a transaction is told by its square.
//! Each glyph is a few filled primitives in the node's unit circle (radius 1, y down), drawn by
//! the canvas from a signed distance ([`Glyph::distance`], baked into its sprite atlas) and by
//! the SVG export as elements — one geometry, two pictures that agree.

use crate::model::Category;

/// A glyph's filled parts, in the unit circle of its node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Primitive {
    /// A rectangle: centre, half-size, rotation in degrees (clockwise, as SVG).
    Rect {
        centre: [f32; 2],
        half: [f32; 2],
        degrees: f32,
    },
    /// A ring around the centre: mid radius and width.
    Ring { radius: f32, width: f32 },
    /// A disc.
    Disc { centre: [f32; 2], radius: f32 },
    /// A convex polygon (three or four corners).
    Polygon(&'static [[f32; 2]]),
}

/// A category's glyph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Glyph {
    Exchange,
    Mixer,
    Bridge,
    Defi,
    Victim,
    Dprk,
    Sanctioned,
}

impl Glyph {
    /// Every glyph, in sprite order.
    pub const ALL: [Glyph; 7] = [
        Glyph::Exchange,
        Glyph::Mixer,
        Glyph::Bridge,
        Glyph::Defi,
        Glyph::Victim,
        Glyph::Dprk,
        Glyph::Sanctioned,
    ];

    /// A service where money goes — exchange, mixer, bridge, DeFi router, sanctioned service:
    /// labelled before the many addresses of one actor, on the canvas and in the export.
    pub fn is_service(self) -> bool {
        matches!(
            self,
            Glyph::Exchange | Glyph::Mixer | Glyph::Bridge | Glyph::Defi | Glyph::Sanctioned
        )
    }

    /// The glyph of `category`, if it has one.
    pub fn of(category: &Category) -> Option<Glyph> {
        match category {
            Category::Exchange => Some(Glyph::Exchange),
            Category::Mixer => Some(Glyph::Mixer),
            Category::Bridge => Some(Glyph::Bridge),
            Category::Defi => Some(Glyph::Defi),
            Category::Victim => Some(Glyph::Victim),
            Category::DprkAttributed => Some(Glyph::Dprk),
            Category::Sanctioned => Some(Glyph::Sanctioned),
            Category::Service | Category::Unknown | Category::Custom(_) => None,
        }
    }

    /// Its parts.
    pub fn primitives(self) -> &'static [Primitive] {
        use Primitive::*;
        match self {
            Glyph::Exchange => &[
                Rect {
                    centre: [-0.08, -0.22],
                    half: [0.3, 0.065],
                    degrees: 0.0,
                },
                Polygon(&[[0.18, -0.42], [0.5, -0.22], [0.18, -0.02]]),
                Rect {
                    centre: [0.08, 0.22],
                    half: [0.3, 0.065],
                    degrees: 0.0,
                },
                Polygon(&[[-0.18, 0.02], [-0.18, 0.42], [-0.5, 0.22]]),
            ],
            // Three coins stirred together.
            Glyph::Mixer => &[
                Disc {
                    centre: [0.0, -0.28],
                    radius: 0.17,
                },
                Disc {
                    centre: [0.2425, 0.14],
                    radius: 0.17,
                },
                Disc {
                    centre: [-0.2425, 0.14],
                    radius: 0.17,
                },
            ],
            Glyph::Bridge => &[
                Rect {
                    centre: [0.0, -0.25],
                    half: [0.46, 0.08],
                    degrees: 0.0,
                },
                Rect {
                    centre: [-0.28, 0.1],
                    half: [0.08, 0.33],
                    degrees: 0.0,
                },
                Rect {
                    centre: [0.28, 0.1],
                    half: [0.08, 0.33],
                    degrees: 0.0,
                },
            ],
            // Four blocks: contracts composed.
            Glyph::Defi => &[
                Rect {
                    centre: [-0.21, -0.21],
                    half: [0.15, 0.15],
                    degrees: 0.0,
                },
                Rect {
                    centre: [0.21, -0.21],
                    half: [0.15, 0.15],
                    degrees: 0.0,
                },
                Rect {
                    centre: [-0.21, 0.21],
                    half: [0.15, 0.15],
                    degrees: 0.0,
                },
                Rect {
                    centre: [0.21, 0.21],
                    half: [0.15, 0.15],
                    degrees: 0.0,
                },
            ],
            Glyph::Victim => &[
                Rect {
                    centre: [0.0, -0.17],
                    half: [0.09, 0.27],
                    degrees: 0.0,
                },
                Polygon(&[[-0.38, 0.04], [0.38, 0.04], [0.0, 0.46]]),
            ],
            Glyph::Dprk => &[
                Rect {
                    centre: [0.0, 0.0],
                    half: [0.48, 0.085],
                    degrees: 45.0,
                },
                Rect {
                    centre: [0.0, 0.0],
                    half: [0.48, 0.085],
                    degrees: -45.0,
                },
            ],
            Glyph::Sanctioned => &[
                Ring {
                    radius: 0.4,
                    width: 0.12,
                },
                Rect {
                    centre: [0.0, 0.0],
                    half: [0.4, 0.065],
                    degrees: -45.0,
                },
            ],
        }
    }

    /// Signed distance (negative inside) from `p` to the glyph, in units of the node radius.
    pub fn distance(self, p: [f32; 2]) -> f32 {
        self.primitives()
            .iter()
            .map(|prim| prim.distance(p))
            .fold(f32::MAX, f32::min)
    }
}

impl Primitive {
    /// Signed distance from `p` (negative inside).
    pub fn distance(&self, p: [f32; 2]) -> f32 {
        match *self {
            Primitive::Rect {
                centre,
                half,
                degrees,
            } => {
                // Into the rectangle's frame: undo its clockwise rotation.
                let (sin, cos) = (-degrees).to_radians().sin_cos();
                let d = [p[0] - centre[0], p[1] - centre[1]];
                let local = [d[0] * cos - d[1] * sin, d[0] * sin + d[1] * cos];
                let q = [local[0].abs() - half[0], local[1].abs() - half[1]];
                let outside = q[0].max(0.0).hypot(q[1].max(0.0));
                outside + q[0].max(q[1]).min(0.0)
            }
            Primitive::Ring { radius, width } => (p[0].hypot(p[1]) - radius).abs() - width / 2.0,
            Primitive::Disc { centre, radius } => {
                (p[0] - centre[0]).hypot(p[1] - centre[1]) - radius
            }
            Primitive::Polygon(corners) => polygon_distance(corners, p),
        }
    }
}

/// Signed distance to a convex or concave polygon (after Inigo Quilez's `sdPolygon`).
fn polygon_distance(v: &[[f32; 2]], p: [f32; 2]) -> f32 {
    let Some(first) = v.first() else {
        return f32::MAX;
    };
    let sub = |a: [f32; 2], b: [f32; 2]| [a[0] - b[0], a[1] - b[1]];
    let dot = |a: [f32; 2], b: [f32; 2]| a[0] * b[0] + a[1] * b[1];
    let d0 = sub(p, *first);
    let mut d = dot(d0, d0);
    let mut sign = 1.0f32;
    let mut j = v.len() - 1;
    for i in 0..v.len() {
        let e = sub(v[j], v[i]);
        let w = sub(p, v[i]);
        let t = (dot(w, e) / dot(e, e)).clamp(0.0, 1.0);
        let b = [w[0] - e[0] * t, w[1] - e[1] * t];
        d = d.min(dot(b, b));
        let c = [p[1] >= v[i][1], p[1] < v[j][1], e[0] * w[1] > e[1] * w[0]];
        if c.iter().all(|x| *x) || c.iter().all(|x| !*x) {
            sign = -sign;
        }
        j = i;
    }
    sign * d.sqrt()
}

/// Whether a glyph on `fill` should be dark (else white): dark on light fills.
pub fn dark_on(fill: [u8; 3]) -> bool {
    let lin = super::colour_vision::to_linear;
    let luminance = 0.2126 * lin(fill[0]) + 0.7152 * lin(fill[1]) + 0.0722 * lin(fill[2]);
    // Contrast with black beats contrast with white above about 0.18.
    luminance > 0.18
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fraction of the unit disc the glyph covers, sampled on a grid.
    fn coverage(glyph: Glyph) -> f32 {
        let n = 80;
        let (mut inside, mut disc) = (0, 0);
        for y in 0..n {
            for x in 0..n {
                let p = [
                    (x as f32 + 0.5) / n as f32 * 2.0 - 1.0,
                    (y as f32 + 0.5) / n as f32 * 2.0 - 1.0,
                ];
                if p[0].hypot(p[1]) <= 1.0 {
                    disc += 1;
                    if glyph.distance(p) < 0.0 {
                        inside += 1;
                    }
                }
            }
        }
        inside as f32 / disc as f32
    }

    #[test]
    fn every_glyph_sits_inside_its_node_and_covers_a_readable_share() {
        for glyph in Glyph::ALL {
            let share = coverage(glyph);
            assert!((0.08..0.45).contains(&share), "{glyph:?}: {share}");
            // Nothing of it reaches the node's rim.
            for k in 0..360 {
                let a = (k as f32).to_radians();
                let rim = [0.9 * a.cos(), 0.9 * a.sin()];
                assert!(glyph.distance(rim) > 0.0, "{glyph:?} at {k}°");
            }
        }
    }

    #[test]
    fn glyphs_differ_from_one_another() {
        // Sampled masks of any two glyphs share under 60 % of their union (Jaccard distance
        // over 0.4).
        let mask = |g: Glyph| -> Vec<bool> {
            (0..40 * 40)
                .map(|i| {
                    let p = [
                        ((i % 40) as f32 + 0.5) / 20.0 - 1.0,
                        ((i / 40) as f32 + 0.5) / 20.0 - 1.0,
                    ];
                    g.distance(p) < 0.0
                })
                .collect()
        };
        for (i, a) in Glyph::ALL.iter().enumerate() {
            for b in &Glyph::ALL[i + 1..] {
                let (ma, mb) = (mask(*a), mask(*b));
                let differ = ma.iter().zip(&mb).filter(|(x, y)| x != y).count();
                let union = ma.iter().zip(&mb).filter(|(x, y)| **x || **y).count();
                let distance = differ as f32 / union as f32;
                assert!(distance > 0.4, "{a:?} and {b:?} look alike: {distance}");
            }
        }
    }

    #[test]
    fn distances_are_exact_for_simple_shapes() {
        let r = Primitive::Rect {
            centre: [0.0, 0.0],
            half: [0.5, 0.1],
            degrees: 90.0,
        };
        // Turned upright: 0.5 tall, 0.1 wide.
        assert!((r.distance([0.0, 0.45]) + 0.05).abs() < 1e-5);
        assert!((r.distance([0.3, 0.0]) - 0.2).abs() < 1e-5);
        let tri = Primitive::Polygon(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]);
        assert!(tri.distance([0.2, 0.2]) < 0.0);
        assert!((tri.distance([-0.5, 0.5]) - 0.5).abs() < 1e-5);
        assert!(
            Primitive::Ring {
                radius: 0.5,
                width: 0.2
            }
            .distance([0.0, 0.0])
                > 0.0
        );
        assert!(
            Primitive::Ring {
                radius: 0.5,
                width: 0.2
            }
            .distance([0.5, 0.0])
                < 0.0
        );
        // Every category but service, unknown and custom has one; each glyph maps back.
        let with: Vec<_> = Category::BUILT_IN.iter().filter_map(Glyph::of).collect();
        assert_eq!(with.len(), Glyph::ALL.len());
        assert!(Glyph::ALL.iter().all(|g| with.contains(g)));
        assert!(dark_on([0xdd, 0xcc, 0x77]) && !dark_on([0x88, 0x22, 0x55]));
    }
}
