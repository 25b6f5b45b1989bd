//! Tunable parameters of the force simulation, their defaults, and the
//! sanitising step that turns any user-supplied values (NaN, negative, out of
//! range) into ones the simulation can run with safely.

/// Default rest length of a spring, in layout units.
pub(crate) const DEFAULT_IDEAL_EDGE_LENGTH: f32 = 60.0;
/// Default alpha below which the simulation counts as settled.
const DEFAULT_ALPHA_MIN: f32 = 0.001;
/// Number of ticks the default cooling schedule takes from alpha 1 to `alpha_min`.
const DEFAULT_SETTLE_TICKS: f32 = 300.0;
/// Largest Barnes–Hut opening angle accepted; above about √2 a cell could be
/// approximated for a body that lies inside it.
pub(crate) const MAX_THETA: f32 = 1.4;

/// Parameters of [`ForceLayout`](super::ForceLayout).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutParams {
    /// Rest length of the spring along each edge (layout units).
    pub ideal_edge_length: f32,
    /// Repulsion strength `k`: node `j` pushes node `i` with acceleration
    /// `k * mass_j / distance`, where `mass = 1 + degree`.
    pub repulsion: f32,
    /// Strength of the linear pull of every node toward the centroid.
    pub gravity: f32,
    /// Barnes–Hut opening angle (0 = exact all-pairs; clamped to at most 1.4).
    pub theta: f32,
    /// Fraction of alpha lost per tick (alpha decays geometrically toward 0).
    pub alpha_decay: f32,
    /// The layout is settled once alpha drops below this.
    pub alpha_min: f32,
    /// Fraction of velocity lost per tick (d3's `velocityDecay`).
    pub velocity_decay: f32,
    /// Largest distance a node may move in one tick.
    pub max_step: f32,
    /// The layout is settled once no node moves farther than this in a tick.
    pub settle_displacement: f32,
    /// Nodes closer than this are pushed apart (short-range collision; 0 turns it off).
    pub min_separation: f32,
}

impl Default for LayoutParams {
    fn default() -> Self {
        Self {
            ideal_edge_length: DEFAULT_IDEAL_EDGE_LENGTH,
            repulsion: 30.0,
            gravity: 0.05,
            theta: 0.9,
            alpha_decay: 1.0 - DEFAULT_ALPHA_MIN.powf(1.0 / DEFAULT_SETTLE_TICKS),
            alpha_min: DEFAULT_ALPHA_MIN,
            velocity_decay: 0.4,
            // Large enough that hubs with thousands of leaves settle within the cooling
            // schedule (with 30, a 50k-node case was still contracting when it cooled).
            max_step: 200.0,
            settle_displacement: 0.02,
            // An address mark is 18 units across: room for it and a gap.
            min_separation: DEFAULT_IDEAL_EDGE_LENGTH * 0.45,
        }
    }
}

impl LayoutParams {
    /// Returns a copy whose every field is finite and in its valid range;
    /// fields that are not are replaced by the default or clamped.
    pub(crate) fn sanitized(self) -> Self {
        let d = Self::default();
        let pick = |v: f32, fallback: f32, lo: f32, hi: f32| {
            if v.is_finite() {
                v.clamp(lo, hi)
            } else {
                fallback
            }
        };
        Self {
            ideal_edge_length: pick(self.ideal_edge_length, d.ideal_edge_length, 1e-3, 1e6),
            repulsion: pick(self.repulsion, d.repulsion, 0.0, 1e9),
            gravity: pick(self.gravity, d.gravity, 0.0, 1.0),
            theta: pick(self.theta, d.theta, 0.0, MAX_THETA),
            alpha_decay: pick(self.alpha_decay, d.alpha_decay, 0.0, 1.0),
            alpha_min: pick(self.alpha_min, d.alpha_min, 0.0, 1.0),
            velocity_decay: pick(self.velocity_decay, d.velocity_decay, 0.0, 1.0),
            max_step: pick(self.max_step, d.max_step, 1e-6, 1e7),
            settle_displacement: pick(self.settle_displacement, d.settle_displacement, 0.0, 1e7),
            min_separation: pick(self.min_separation, d.min_separation, 0.0, 1e6),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_cooling_takes_about_300_ticks() {
        let p = LayoutParams::default();
        let mut alpha = 1.0f32;
        let mut ticks = 0;
        while alpha >= p.alpha_min {
            alpha *= 1.0 - p.alpha_decay;
            ticks += 1;
        }
        assert!((295..=305).contains(&ticks), "{ticks}");
    }

    #[test]
    fn sanitized_replaces_bad_values() {
        let bad = LayoutParams {
            ideal_edge_length: f32::NAN,
            repulsion: -5.0,
            gravity: f32::INFINITY,
            theta: 7.0,
            alpha_decay: 2.0,
            alpha_min: f32::NEG_INFINITY,
            velocity_decay: -1.0,
            max_step: 0.0,
            settle_displacement: f32::NAN,
            min_separation: -1.0,
        }
        .sanitized();
        let d = LayoutParams::default();
        assert_eq!(bad.ideal_edge_length, d.ideal_edge_length);
        assert_eq!(bad.repulsion, 0.0);
        assert_eq!(bad.gravity, d.gravity);
        assert_eq!(bad.theta, MAX_THETA);
        assert_eq!(bad.alpha_decay, 1.0);
        assert_eq!(bad.alpha_min, d.alpha_min);
        assert_eq!(bad.velocity_decay, 0.0);
        assert!(bad.max_step > 0.0);
        assert_eq!(bad.settle_displacement, d.settle_displacement);
        assert_eq!(bad.min_separation, 0.0);
        assert_eq!(d.sanitized(), d);
    }
}
