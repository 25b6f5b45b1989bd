//! The sprite atlas: every round or square mark the canvas draws (node bodies with their rim,
//! rings, badges, the conflict mark, the category glyphs), pre-rendered with anti-aliased edges at a ladder of
//! sizes, so a node costs one textured quad (4 vertices) instead of a tessellated path.
//!
//! Sprites are white (tinted by the vertex colour), premultiplied, with 1-pixel features
//! baked at each size; a mark is drawn from the smallest size at least as large as it is on
//! screen, scaled down a little by linear filtering. A solid white cell serves the edges.

use crate::export::scene::glyphs::Glyph;
use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions, Vec2};

/// Outer diameters (texels) of the sizes the atlas holds, about 20 % apart so a mark is never
/// drawn below 0.83 of its baked size (its 1-pixel rim stays a pixel).
/// (A mark larger than the last is drawn from it, scaled up: only past zoom 7.)
const LEVEL_DIAMETERS_TEXELS: [f32; 20] = [
    4.0, 5.0, 6.0, 7.0, 8.5, 10.0, 12.0, 14.5, 17.5, 21.0, 25.0, 30.0, 36.0, 43.0, 52.0, 62.0,
    75.0, 90.0, 108.0, 128.0,
];
/// Sprite kinds side by side in one band of the atlas.
const KINDS_PER_BAND: usize = 8;
/// Transparent texels around each sprite (no bleeding under linear filtering).
const PAD_TEXELS: usize = 2;
/// Opacity of a node's black outline (as the vector look: black at alpha 160).
const RIM_ALPHA: f32 = 160.0 / 255.0;
/// Widest line profile, texels (lines wider than this minus two get softer edges).
const MAX_PROFILE_TEXELS: usize = 40;
/// Height of a line profile's row, texels (sampled in the middle; padded like sprites).
const PROFILE_ROW_TEXELS: usize = 3;
/// Corner radius of a transaction square, texels (screen points when drawn 1:1).
const SQUARE_CORNER_TEXELS: f32 = 2.0;

/// What a sprite shows. The outer extent (the radius a sprite is drawn at) is named for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sprite {
    /// A node body: white disc with a 1-px translucent black outline centred on its radius
    /// (outer = radius + 0.5).
    DiscRim,
    /// A transaction body: rounded square with a 1-px translucent black outline outside it
    /// (outer = half + 1).
    SquareRim,
    /// A plain disc (outer = radius).
    Disc,
    /// A ring 1.5 px wide (outer = centre radius + 0.75).
    Ring15,
    /// A ring 2 px wide (outer = centre radius + 1).
    Ring20,
    /// A ring 2.5 px wide (outer = centre radius + 1.25).
    Ring25,
    /// A square outline 1.5 px wide outside a square (outer = half + 1.5).
    SquareRing15,
    /// A square outline 2.5 px wide outside a square (outer = half + 2.5).
    SquareRing25,
    /// A disc with a black "!" (outer = radius).
    Conflict,
    /// The category glyphs (outer = the node's radius; see `export::scene::glyphs`).
    GlyphExchange,
    GlyphMixer,
    GlyphBridge,
    GlyphDefi,
    GlyphVictim,
    GlyphDprk,
    GlyphSanctioned,
}

impl Sprite {
    /// The sprite of a category glyph.
    pub fn glyph(glyph: Glyph) -> Sprite {
        match glyph {
            Glyph::Exchange => Sprite::GlyphExchange,
            Glyph::Mixer => Sprite::GlyphMixer,
            Glyph::Bridge => Sprite::GlyphBridge,
            Glyph::Defi => Sprite::GlyphDefi,
            Glyph::Victim => Sprite::GlyphVictim,
            Glyph::Dprk => Sprite::GlyphDprk,
            Glyph::Sanctioned => Sprite::GlyphSanctioned,
        }
    }

    /// The glyph a glyph sprite shows.
    fn as_glyph(self) -> Option<Glyph> {
        Glyph::ALL.into_iter().find(|g| Sprite::glyph(*g) == self)
    }
}

const KINDS: [Sprite; 16] = [
    Sprite::DiscRim,
    Sprite::SquareRim,
    Sprite::Disc,
    Sprite::Ring15,
    Sprite::Ring20,
    Sprite::Ring25,
    Sprite::SquareRing15,
    Sprite::SquareRing25,
    Sprite::Conflict,
    Sprite::GlyphExchange,
    Sprite::GlyphMixer,
    Sprite::GlyphBridge,
    Sprite::GlyphDefi,
    Sprite::GlyphVictim,
    Sprite::GlyphDprk,
    Sprite::GlyphSanctioned,
];

/// The uploaded atlas and where each sprite is in it.
#[derive(Clone)]
pub struct Atlas {
    texture: TextureHandle,
    /// `uv[level][kind]`.
    uv: Vec<[Rect; KINDS.len()]>,
    /// Cell size over outer diameter, per level (how far the quad reaches past the mark).
    cell_over_diameter: [f32; LEVEL_DIAMETERS_TEXELS.len()],
    white_uv: Pos2,
    /// Line profiles by texel count `n` (index `n - 3`): u of the first and last texel
    /// centres, and v of the row.
    profiles: Vec<(f32, f32, f32)>,
}

/// How to draw a line with the atlas: a quad `half_width` either side of the centre line,
/// u running from `u_left` to `u_right` across it, at height `v`; `alpha` scales its colour.
#[derive(Debug, Clone, Copy)]
pub struct LineProfile {
    /// Half the quad's width, screen points.
    pub half_width: f32,
    /// u on the left side.
    pub u_left: f32,
    /// u on the right side.
    pub u_right: f32,
    /// v of the profile row.
    pub v: f32,
    /// Colour multiplier (lines thinner than a pixel fade instead of thinning).
    pub alpha: f32,
}

impl Atlas {
    /// Renders the atlas and uploads it as a texture.
    pub fn new(ctx: &egui::Context) -> Atlas {
        let cells: Vec<usize> = LEVEL_DIAMETERS_TEXELS
            .iter()
            .map(|d| d.ceil() as usize + 2 * PAD_TEXELS)
            .collect();
        // Kinds sit KINDS_PER_BAND side by side, in bands per level: the atlas stays within
        // 2048 texels a side (the limit of the smallest GPUs, and of the test renderer).
        let bands = KINDS.len().div_ceil(KINDS_PER_BAND);
        let width = cells.iter().max().copied().unwrap_or(1) * KINDS_PER_BAND;
        let white_row = 4;
        let profile_row = PROFILE_ROW_TEXELS + PAD_TEXELS;
        let profiles_top = cells.iter().sum::<usize>() * bands + white_row;
        let height = profiles_top + (MAX_PROFILE_TEXELS - 2) * profile_row;
        let mut image = ColorImage::filled([width, height], Color32::TRANSPARENT);
        let mut uv = Vec::with_capacity(LEVEL_DIAMETERS_TEXELS.len());
        let mut cell_over_diameter = [1.0; LEVEL_DIAMETERS_TEXELS.len()];
        let mut top = 0;
        for (level, (&diameter, &cell)) in LEVEL_DIAMETERS_TEXELS.iter().zip(&cells).enumerate() {
            let mut row = [Rect::NOTHING; KINDS.len()];
            for (k, kind) in KINDS.iter().enumerate() {
                let left = (k % KINDS_PER_BAND) * cell;
                let cell_top = top + (k / KINDS_PER_BAND) * cell;
                render(&mut image, *kind, left, cell_top, cell, diameter);
                row[k] = Rect::from_min_size(
                    Pos2::new(left as f32 / width as f32, cell_top as f32 / height as f32),
                    Vec2::new(cell as f32 / width as f32, cell as f32 / height as f32),
                );
            }
            uv.push(row);
            cell_over_diameter[level] = cell as f32 / diameter;
            top += cell * bands;
        }
        for y in top..top + white_row {
            for x in 0..white_row {
                image[(x, y)] = Color32::WHITE;
            }
        }
        // Line profiles: n texels, clear at both ends and solid between, so that under linear
        // filtering a line's sides fade out over one texel.
        let mut profiles = Vec::with_capacity(MAX_PROFILE_TEXELS - 2);
        for n in 3..=MAX_PROFILE_TEXELS {
            let row_top = profiles_top + (n - 3) * profile_row;
            for y in row_top..row_top + PROFILE_ROW_TEXELS {
                for x in 1..n - 1 {
                    image[(x, y)] = Color32::WHITE;
                }
            }
            profiles.push((
                0.5 / width as f32,
                (n as f32 - 0.5) / width as f32,
                (row_top as f32 + PROFILE_ROW_TEXELS as f32 / 2.0) / height as f32,
            ));
        }
        let white_uv = Pos2::new(
            (white_row as f32 / 2.0) / width as f32,
            (top as f32 + white_row as f32 / 2.0) / height as f32,
        );
        let texture = ctx.load_texture("caseboard-canvas-sprites", image, TextureOptions::LINEAR);
        Atlas {
            texture,
            uv,
            cell_over_diameter,
            white_uv,
            profiles,
        }
    }

    /// The profile that draws a line `width` screen points wide with anti-aliased sides (one
    /// point of fade on each side, as egui draws lines).
    #[inline]
    pub fn line_profile(&self, width: f32) -> LineProfile {
        let (n, half_width, alpha) = if width <= 1.0 {
            (3, 1.0, width.max(0.0))
        } else {
            let n = ((width + 2.0).round() as usize).clamp(3, MAX_PROFILE_TEXELS);
            (n, (width + 1.0) / 2.0, 1.0)
        };
        let (u_left, u_right, v) = self.profiles[n - 3];
        LineProfile {
            half_width,
            u_left,
            u_right,
            v,
            alpha,
        }
    }

    /// The texture every canvas mesh uses.
    pub fn texture_id(&self) -> egui::TextureId {
        self.texture.id()
    }

    /// A texel that is solid white (for untextured triangles).
    pub fn white_uv(&self) -> Pos2 {
        self.white_uv
    }

    /// UV rectangle and screen half-size of the quad that draws `kind` with outer radius
    /// `outer` screen points.
    #[inline]
    pub fn quad(&self, kind: Sprite, outer: f32) -> (Rect, f32) {
        let diameter = 2.0 * outer;
        let level = LEVEL_DIAMETERS_TEXELS
            .iter()
            .position(|&d| d >= diameter)
            .unwrap_or(LEVEL_DIAMETERS_TEXELS.len() - 1);
        let half = outer * self.cell_over_diameter[level];
        (self.uv[level][kind as usize], half)
    }
}

/// Coverage of a shape with signed distance `sd` (negative inside) at a pixel.
#[inline]
fn coverage(sd: f32) -> f32 {
    (0.5 - sd).clamp(0.0, 1.0)
}

/// Signed distance to a rounded square of half-size `half` and corner radius `corner`.
fn rounded_square(p: Vec2, half: f32, corner: f32) -> f32 {
    let corner = corner.min(half).max(0.0);
    let q = p.abs() - Vec2::splat(half - corner);
    q.max(Vec2::ZERO).length() + q.x.max(q.y).min(0.0) - corner
}

/// Signed distance to the "!" of the conflict mark (a bar and a dot), disc radius `r`.
fn exclamation(p: Vec2, r: f32) -> f32 {
    let bar_half = Vec2::new(0.13 * r, 0.3 * r);
    let bar_centre = Vec2::new(0.0, -0.2 * r);
    let q = (p - bar_centre).abs() - bar_half;
    let bar = q.max(Vec2::ZERO).length() + q.x.max(q.y).min(0.0);
    let dot = (p - Vec2::new(0.0, 0.42 * r)).length() - 0.15 * r;
    bar.min(dot)
}

/// Premultiplied (grey value, alpha) of `kind` at offset `p` from the centre, outer radius
/// `outer`. White parts take the vertex colour; black parts stay black.
fn shade(kind: Sprite, p: Vec2, outer: f32) -> (f32, f32) {
    let dist = p.length();
    let disc = |r: f32| coverage(dist - r);
    let ring = |w: f32| (disc(outer) - disc(outer - w)).max(0.0);
    let square = |half: f32, corner: f32| coverage(rounded_square(p, half, corner));
    // A translucent black outline over a white fill.
    let outlined = |fill: f32, outline: f32| {
        let a = RIM_ALPHA * outline;
        (fill * (1.0 - a), a + fill * (1.0 - a))
    };
    let plain = |c: f32| (c, c);
    match kind {
        Sprite::DiscRim => outlined(disc(outer - 0.5), ring(1.0)),
        Sprite::SquareRim => {
            let fill = square(outer - 1.0, SQUARE_CORNER_TEXELS);
            outlined(
                fill,
                (square(outer, SQUARE_CORNER_TEXELS + 1.0) - fill).max(0.0),
            )
        }
        Sprite::Disc => plain(disc(outer)),
        Sprite::Ring15 => plain(ring(1.5)),
        Sprite::Ring20 => plain(ring(2.0)),
        Sprite::Ring25 => plain(ring(2.5)),
        Sprite::SquareRing15 | Sprite::SquareRing25 => {
            let w = if kind == Sprite::SquareRing15 {
                1.5
            } else {
                2.5
            };
            let all = square(outer, SQUARE_CORNER_TEXELS + w);
            plain((all - square(outer - w, SQUARE_CORNER_TEXELS)).max(0.0))
        }
        Sprite::Conflict => {
            let all = disc(outer);
            let mark = coverage(exclamation(p, outer)).min(all);
            ((all - mark).max(0.0), all)
        }
        glyph => {
            let unit = [p.x / outer, p.y / outer];
            let sd = glyph
                .as_glyph()
                .map_or(f32::MAX, |g| g.distance(unit) * outer);
            plain(coverage(sd))
        }
    }
}

/// Draws `kind` into the `cell`×`cell` square at (`left`, `top`), outer diameter `diameter`.
fn render(
    image: &mut ColorImage,
    kind: Sprite,
    left: usize,
    top: usize,
    cell: usize,
    diameter: f32,
) {
    let centre = cell as f32 / 2.0;
    for y in 0..cell {
        for x in 0..cell {
            let p = Vec2::new(x as f32 + 0.5 - centre, y as f32 + 0.5 - centre);
            let (value, alpha) = shade(kind, p, diameter / 2.0);
            let v = (value.min(alpha) * 255.0).round() as u8;
            image[(left + x, top + y)] =
                Color32::from_rgba_premultiplied(v, v, v, (alpha * 255.0).round() as u8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disc_rim_is_white_inside_dark_at_the_rim_clear_outside() {
        let outer = 10.0;
        assert_eq!(shade(Sprite::DiscRim, Vec2::ZERO, outer), (1.0, 1.0));
        let (value, alpha) = shade(Sprite::DiscRim, Vec2::new(9.5, 0.0), outer);
        assert!(
            value < 0.3 && alpha > 0.75,
            "rim on the edge: {value} {alpha}"
        );
        let (value, alpha) = shade(Sprite::DiscRim, Vec2::new(9.9, 0.0), outer);
        assert!(
            value < 0.1 && alpha > 0.3,
            "rim over the background: {value} {alpha}"
        );
        assert_eq!(
            shade(Sprite::DiscRim, Vec2::new(11.0, 0.0), outer),
            (0.0, 0.0)
        );
    }

    #[test]
    fn the_smallest_level_that_holds_the_mark_is_used() {
        let ctx = egui::Context::default();
        let atlas = Atlas::new(&ctx);
        let [w, h] = atlas.texture.size();
        assert!(w <= 2048 && h <= 2048, "atlas {w}×{h} fits every GPU");
        let (uv_small, half_small) = atlas.quad(Sprite::Disc, 2.5);
        let (uv_big, half_big) = atlas.quad(Sprite::Disc, 60.0);
        assert!(half_small > 2.5 && half_small < 5.0);
        assert!(half_big > 60.0 && half_big < 70.0);
        assert!(uv_big.width() > uv_small.width());
    }
}
