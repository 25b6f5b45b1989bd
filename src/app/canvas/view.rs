//! The canvas's view: zoom and pan, and the transform between canvas units and screen points.
//!
//! `pan` is measured from the canvas rectangle's top-left corner (as in the case file's
//! `view`), so a saved view survives a window resize; [`Transform`] adds the rectangle's
//! corner for painting and picking. Fitting, taking in more nodes (after an expansion) with
//! an eased move, and wheel zoom live here too.

use egui::{Pos2, Rect, Vec2};

/// Smallest zoom the wheel reaches (a 50k-node case fits at about 0.01).
pub const MIN_ZOOM: f32 = 0.001;
/// Largest zoom the wheel reaches.
pub const MAX_ZOOM: f32 = 8.0;
/// Largest zoom a fit chooses (one node does not fill the screen).
const MAX_FIT_ZOOM: f32 = 4.0;

/// Canvas units kept around nodes the view is asked to take in (they settle outward).
const INCLUDE_MARGIN: f32 = 150.0;

/// Zoom and pan as stored in the case (`pan` relative to the canvas's top-left corner).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// Screen points per canvas unit.
    pub zoom: f32,
    /// Screen offset of the canvas origin from the canvas rectangle's top-left corner.
    pub pan: Vec2,
}

impl View {
    /// The view that shows `bounds` (canvas units) whole and centred in a canvas of `size`
    /// points, with `margin` canvas units around it.
    pub fn fit(bounds: Rect, margin: f32, size: Vec2) -> View {
        let bounds = bounds.expand(margin);
        let zoom = (size.x / bounds.width().max(1e-3))
            .min(size.y / bounds.height().max(1e-3))
            .clamp(MIN_ZOOM, MAX_FIT_ZOOM);
        View {
            zoom,
            pan: size / 2.0 - bounds.center().to_vec2() * zoom,
        }
    }

    /// The view that shows what `current` shows and also `bounds` (grown by room for the
    /// nodes to settle), zooming out only as far as needed; `None` if `bounds` is on screen
    /// already (or empty).
    pub fn including(current: View, bounds: &Rect, size: Vec2) -> Option<View> {
        if !bounds.is_finite() || !current.zoom.is_finite() || current.zoom <= 0.0 {
            return None;
        }
        let wanted = bounds.expand(INCLUDE_MARGIN);
        let visible = Rect::from_min_max(
            (-current.pan / current.zoom).to_pos2(),
            ((size - current.pan) / current.zoom).to_pos2(),
        );
        if visible.contains_rect(wanted) {
            return None;
        }
        let target = View::fit(visible.union(wanted), 0.0, size);
        Some(View {
            zoom: target.zoom.min(current.zoom),
            ..target
        })
    }

    /// A step of `share` (0..1) of the way to `target`: zoom geometrically, pan so the canvas
    /// point at the middle of the screen moves straight; lands on `target` when close.
    pub fn eased_toward(self, target: View, share: f32) -> View {
        let close_zoom = (self.zoom / target.zoom - 1.0).abs() < 1e-3;
        let close_pan = (self.pan - target.pan).length() < 0.5;
        if close_zoom && close_pan {
            return target;
        }
        let zoom = self.zoom * (target.zoom / self.zoom).powf(share);
        let pan = self.pan + (target.pan - self.pan) * share;
        View { zoom, pan }
    }

    /// Multiplies the zoom by `factor`, keeping the canvas point under `anchor` (local to the
    /// canvas rectangle) where it is.
    pub fn zoom_around(&mut self, factor: f32, anchor: Vec2) {
        let new_zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let canvas_point = (anchor - self.pan) / self.zoom;
        self.pan = anchor - canvas_point * new_zoom;
        self.zoom = new_zoom;
    }

    /// The transform for a canvas drawn in `rect`.
    pub fn transform(&self, rect: Rect) -> Transform {
        Transform {
            zoom: self.zoom,
            offset: rect.min.to_vec2() + self.pan,
        }
    }
}

/// Canvas units ↔ screen points for one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    /// Screen points per canvas unit.
    pub zoom: f32,
    /// Screen position of the canvas origin.
    pub offset: Vec2,
}

impl Transform {
    /// Screen position of a canvas point.
    #[inline]
    pub fn to_screen(&self, p: Pos2) -> Pos2 {
        (p.to_vec2() * self.zoom + self.offset).to_pos2()
    }

    /// Screen position of a canvas point given as `[x, y]`.
    #[inline]
    pub fn to_screen_xy(&self, p: [f32; 2]) -> Pos2 {
        Pos2::new(
            p[0] * self.zoom + self.offset.x,
            p[1] * self.zoom + self.offset.y,
        )
    }

    /// Canvas position of a screen point.
    #[inline]
    pub fn to_canvas(&self, p: Pos2) -> Pos2 {
        ((p.to_vec2() - self.offset) / self.zoom).to_pos2()
    }

    /// Screen length of a canvas length.
    #[inline]
    pub fn size_to_screen(&self, size: f32) -> f32 {
        size * self.zoom
    }

    /// Canvas rectangle of a screen rectangle.
    pub fn rect_to_canvas(&self, rect: Rect) -> Rect {
        Rect::from_two_pos(self.to_canvas(rect.min), self.to_canvas(rect.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_and_canvas_round_trip() {
        let view = View {
            zoom: 0.5,
            pan: Vec2::new(10.0, -20.0),
        };
        let t = view.transform(Rect::from_min_size(
            Pos2::new(100.0, 50.0),
            Vec2::splat(400.0),
        ));
        let p = Pos2::new(33.0, -7.0);
        let back = t.to_canvas(t.to_screen(p));
        assert!((back - p).length() < 1e-4);
        assert_eq!(t.to_screen(Pos2::ZERO), Pos2::new(110.0, 30.0));
    }

    #[test]
    fn fit_centres_and_contains_the_bounds() {
        let bounds = Rect::from_min_max(Pos2::new(-100.0, 0.0), Pos2::new(300.0, 100.0));
        let size = Vec2::new(800.0, 600.0);
        let view = View::fit(bounds, 0.0, size);
        let t = view.transform(Rect::from_min_size(Pos2::ZERO, size));
        let c = t.to_screen(bounds.center());
        assert!((c - Pos2::new(400.0, 300.0)).length() < 1e-3);
        assert!((view.zoom - 2.0).abs() < 1e-4, "width decides: 800 / 400");
    }

    #[test]
    fn zoom_keeps_the_anchor_still() {
        let mut view = View {
            zoom: 1.0,
            pan: Vec2::new(5.0, 5.0),
        };
        let anchor = Vec2::new(200.0, 100.0);
        let before = (anchor - view.pan) / view.zoom;
        view.zoom_around(1.7, anchor);
        let after = (anchor - view.pan) / view.zoom;
        assert!((before - after).length() < 1e-4);
        view.zoom_around(1e9, anchor);
        assert_eq!(view.zoom, MAX_ZOOM);
    }

    #[test]
    fn taking_in_nodes_off_screen_zooms_out_just_enough_and_eases_there() {
        let size = Vec2::new(800.0, 600.0);
        let current = View {
            zoom: 1.0,
            pan: Vec2::new(0.0, 0.0),
        };
        // On screen (canvas 0..800 × 0..600) with room to settle: nothing to do.
        let near = Rect::from_min_max(Pos2::new(380.0, 280.0), Pos2::new(400.0, 300.0));
        assert_eq!(View::including(current, &near, size), None);
        assert_eq!(View::including(current, &Rect::NOTHING, size), None);
        // Off to the right: the target shows both the old view and the new nodes.
        let far = Rect::from_min_max(Pos2::new(1500.0, 100.0), Pos2::new(1550.0, 120.0));
        let target = View::including(current, &far, size).expect("must move");
        assert!(target.zoom < current.zoom);
        let t = target.transform(Rect::from_min_size(Pos2::ZERO, size));
        for corner in [
            Pos2::new(0.0, 0.0),
            Pos2::new(400.0, 300.0),
            far.max,
            far.min,
        ] {
            let s = t.to_screen(corner);
            assert!(
                (-1.0..=801.0).contains(&s.x) && (-1.0..=601.0).contains(&s.y),
                "{corner:?} on screen at {s:?}"
            );
        }
        // Easing gets there in a few dozen steps and then stays.
        let mut view = current;
        let mut steps = 0;
        while view != target {
            view = view.eased_toward(target, 0.3);
            steps += 1;
            assert!(steps < 100, "eased forever");
        }
        assert!(steps > 3, "eased, not jumped: {steps}");
        assert_eq!(view.eased_toward(target, 0.3), target);
    }
}
