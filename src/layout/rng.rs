//! Deterministic hashing used wherever the layout needs "randomness":
//! splitmix64 mixing of (seed, index) into unit floats and unit directions,
//! so the same seed always produces the same jitter on every platform run.

use std::f32::consts::TAU;

/// Golden angle in radians: successive points of a spiral stepped by it
/// never line up.
pub(crate) const GOLDEN_ANGLE: f32 = 2.399_963_2;

/// One step of the splitmix64 mixer: a bijective, well-distributed hash.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash of a seed and one index.
pub(crate) fn hash_index(seed: u64, index: u64) -> u64 {
    splitmix64(seed ^ splitmix64(index))
}

/// Maps a hash to a float in `[0, 1)`.
pub(crate) fn unit_f32(hash: u64) -> f32 {
    (hash >> 40) as f32 / (1u64 << 24) as f32
}

/// Maps a hash to a float in `[-1, 1)`.
pub(crate) fn signed_unit_f32(hash: u64) -> f32 {
    unit_f32(hash) * 2.0 - 1.0
}

/// Maps a hash to a unit vector.
pub(crate) fn direction(hash: u64) -> [f32; 2] {
    let angle = unit_f32(hash) * TAU;
    [angle.cos(), angle.sin()]
}

/// Direction in which node `a` is pushed away from node `b` when the two
/// coincide. Antisymmetric: `pair_direction(s, a, b) == -pair_direction(s, b, a)`.
pub(crate) fn pair_direction(seed: u64, a: usize, b: usize) -> [f32; 2] {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let key = ((lo as u64) << 32) ^ (hi as u64) ^ ((hi as u64) >> 32).rotate_left(17);
    let [x, y] = direction(hash_index(seed, key));
    if a <= b { [x, y] } else { [-x, -y] }
}

/// Small deterministic generator for tests (splitmix64 stream).
#[cfg(test)]
pub(crate) struct TestRng(u64);

#[cfg(test)]
impl TestRng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.0)
    }

    /// Uniform float in `[0, 1)`.
    pub(crate) fn next_f32(&mut self) -> f32 {
        unit_f32(self.next_u64())
    }

    /// Uniform integer in `[0, n)`; `n` must be non-zero.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_floats_are_in_range() {
        for i in 0..10_000u64 {
            let u = unit_f32(hash_index(7, i));
            assert!((0.0..1.0).contains(&u));
            let s = signed_unit_f32(hash_index(7, i));
            assert!((-1.0..1.0).contains(&s));
        }
        assert!(unit_f32(u64::MAX) < 1.0);
    }

    #[test]
    fn pair_direction_is_antisymmetric_unit_and_seeded() {
        for (a, b) in [(0, 1), (5, 3), (1000, 70_000), (9, 9)] {
            let d = pair_direction(42, a, b);
            let e = pair_direction(42, b, a);
            assert!(((d[0] * d[0] + d[1] * d[1]) - 1.0).abs() < 1e-5);
            if a != b {
                assert_eq!(d, [-e[0], -e[1]]);
            }
        }
        assert_ne!(pair_direction(1, 2, 3), pair_direction(2, 2, 3));
    }
}
