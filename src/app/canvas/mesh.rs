//! Geometry written straight into an `epaint::Mesh`, bypassing egui's tessellator for the bulk
//! of the canvas: sprite quads for marks, one textured quad per edge line (the texture fades
//! its sides over a pixel, as egui's feathering does) and feathered triangles for arrow
//! heads. One mesh, one texture (the sprite atlas), one draw call.

use super::sprites::{Atlas, Sprite};
use egui::epaint::{Mesh, Vertex};
use egui::{Color32, Pos2, Vec2};

/// Width of an arrow head's anti-aliasing fringe, screen points.
const FEATHER_PX: f32 = 1.0;

/// A mesh being filled with the atlas's texture.
pub struct MeshWriter<'a> {
    mesh: Mesh,
    atlas: &'a Atlas,
}

impl<'a> MeshWriter<'a> {
    /// An empty mesh using `atlas`, with room for `vertices`.
    pub fn new(atlas: &'a Atlas, vertices: usize) -> Self {
        Self::reusing(atlas, Mesh::default(), vertices)
    }

    /// An empty mesh using `atlas` in the buffers of `old` (a big mesh rebuilt every frame
    /// then costs no allocation and no fresh pages).
    pub fn reusing(atlas: &'a Atlas, old: Mesh, vertices: usize) -> Self {
        let mut mesh = old;
        mesh.clear();
        mesh.texture_id = atlas.texture_id();
        mesh.vertices.reserve(vertices);
        mesh.indices.reserve(vertices * 3 / 2);
        MeshWriter { mesh, atlas }
    }

    /// The finished mesh.
    pub fn finish(self) -> Mesh {
        self.mesh
    }

    #[inline]
    fn vertex(&mut self, pos: Pos2, uv: Pos2, color: Color32) -> u32 {
        let index = self.mesh.vertices.len() as u32;
        self.mesh.vertices.push(Vertex { pos, uv, color });
        index
    }

    #[inline]
    fn quad_indices(&mut self, a: u32, b: u32, c: u32, d: u32) {
        self.mesh.indices.extend_from_slice(&[a, b, c, a, c, d]);
    }

    /// A sprite centred at `centre` whose mark reaches `outer` screen points from it.
    #[inline]
    pub fn sprite(&mut self, kind: Sprite, centre: Pos2, outer: f32, color: Color32) {
        let (uv, half) = self.atlas.quad(kind, outer);
        let a = self.vertex(centre + Vec2::new(-half, -half), uv.left_top(), color);
        self.vertex(centre + Vec2::new(half, -half), uv.right_top(), color);
        self.vertex(centre + Vec2::new(half, half), uv.right_bottom(), color);
        self.vertex(centre + Vec2::new(-half, half), uv.left_bottom(), color);
        self.quad_indices(a, a + 1, a + 2, a + 3);
    }

    /// An anti-aliased line from `a` to `b`, `width` screen points wide: one quad whose
    /// texture fades its sides. Lines thinner than a pixel are drawn a pixel wide with their
    /// colour faded in proportion (as egui does).
    #[inline]
    pub fn line(&mut self, a: Pos2, b: Pos2, width: f32, color: Color32) {
        let d = b - a;
        let len = d.length_sq().sqrt();
        if len < 1e-3 {
            return;
        }
        let profile = self.atlas.line_profile(width);
        let color = if profile.alpha < 1.0 {
            color.gamma_multiply(profile.alpha)
        } else {
            color
        };
        let side = Vec2::new(-d.y, d.x) * (profile.half_width / len);
        let (left, right) = (
            Pos2::new(profile.u_left, profile.v),
            Pos2::new(profile.u_right, profile.v),
        );
        let i = self.vertex(a + side, left, color);
        self.vertex(a - side, right, color);
        self.vertex(b - side, right, color);
        self.vertex(b + side, left, color);
        self.quad_indices(i, i + 1, i + 2, i + 3);
    }

    /// A filled arrow head from `tip` back to the base corners `left` and `right`. Its sides
    /// are anti-aliased; the base is not, so it joins the edge's line without a seam.
    pub fn arrow_head(&mut self, tip: Pos2, left: Pos2, right: Pos2, color: Color32) {
        let uv = self.atlas.white_uv();
        let clear = Color32::TRANSPARENT;
        let half = FEATHER_PX / 2.0;
        let cross = |a: Vec2, b: Vec2| (a.x * b.y - a.y * b.x).abs().max(0.2);
        let unit = |v: Vec2| v / v.length_sq().sqrt().max(1e-6);
        let along = unit(right - left);
        // Base corners slide along the base so the fringe keeps half a pixel from each side.
        let shift_left = along * (half / cross(along, unit(tip - left)));
        let shift_right = along * (half / cross(along, unit(tip - right)));
        let axis = unit(tip - (left + (right - left) / 2.0));
        let tip_shift = axis * (half / cross(axis, unit(left - tip)));
        let first = self.vertex(left + shift_left, uv, color);
        self.vertex(left - shift_left, uv, clear);
        self.vertex(right - shift_right, uv, color);
        self.vertex(right + shift_right, uv, clear);
        self.vertex(tip - tip_shift, uv, color);
        self.vertex(tip + tip_shift, uv, clear);
        let (l_in, l_out, r_in, r_out, t_in, t_out) =
            (first, first + 1, first + 2, first + 3, first + 4, first + 5);
        self.mesh.indices.extend_from_slice(&[l_in, r_in, t_in]);
        self.quad_indices(l_out, l_in, t_in, t_out);
        self.quad_indices(r_in, r_out, t_out, t_in);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_write_valid_meshes() {
        let ctx = egui::Context::default();
        let atlas = Atlas::new(&ctx);
        let mut w = MeshWriter::new(&atlas, 64);
        w.sprite(Sprite::DiscRim, Pos2::new(10.0, 10.0), 3.0, Color32::RED);
        w.line(Pos2::ZERO, Pos2::new(30.0, 5.0), 0.5, Color32::WHITE);
        w.line(Pos2::ZERO, Pos2::new(30.0, 5.0), 3.0, Color32::WHITE);
        w.line(Pos2::ZERO, Pos2::ZERO, 3.0, Color32::WHITE);
        w.arrow_head(
            Pos2::new(10.0, 0.0),
            Pos2::new(0.0, -3.0),
            Pos2::new(0.0, 3.0),
            Color32::WHITE,
        );
        let mesh = w.finish();
        assert!(mesh.is_valid());
        assert_eq!(mesh.vertices.len(), 4 + 4 + 4 + 6);
    }
}
