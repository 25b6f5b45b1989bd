//! Morton (Z-order) codes for 2-D points and a stable LSD radix sort over
//! them. Sorting bodies by Morton code groups every quadtree cell into one
//! contiguous run, which lets the Barnes–Hut tree be built without pointers
//! and makes the force pass walk memory in order.

/// Quantisation bits per axis; codes use `2 * LEVELS` bits.
pub(crate) const LEVELS: u32 = 21;
const MAX_CELL: u32 = (1 << LEVELS) - 1;
const RADIX_BITS: u32 = 11;
const RADIX_MASK: u64 = (1 << RADIX_BITS) - 1;
const RADIX_PASSES: u32 = (2 * LEVELS).div_ceil(RADIX_BITS);

/// Maps points inside a square bounding box onto the `2^LEVELS` grid.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Quantizer {
    min: [f32; 2],
    scale: f32,
}

impl Quantizer {
    /// A quantiser whose square covers every finite point in `points`.
    pub(crate) fn covering(points: &[[f32; 2]]) -> Self {
        let mut min = [f32::INFINITY; 2];
        let mut max = [f32::NEG_INFINITY; 2];
        for p in points
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite())
        {
            min = [min[0].min(p[0]), min[1].min(p[1])];
            max = [max[0].max(p[0]), max[1].max(p[1])];
        }
        let side = (max[0] - min[0]).max(max[1] - min[1]);
        if side.is_finite() && side > 0.0 {
            Self {
                min,
                scale: MAX_CELL as f32 / side,
            }
        } else {
            Self {
                min: [0.0; 2],
                scale: 0.0,
            }
        }
    }

    /// Morton code of `p` (points outside the box are clamped onto it).
    pub(crate) fn code(&self, p: [f32; 2]) -> u64 {
        // `as u32` saturates (negative and NaN become 0).
        let qx = (((p[0] - self.min[0]) * self.scale) as u32).min(MAX_CELL);
        let qy = (((p[1] - self.min[1]) * self.scale) as u32).min(MAX_CELL);
        spread_bits(qx) | (spread_bits(qy) << 1)
    }
}

/// Inserts a zero bit between each of the low 32 bits of `v`.
fn spread_bits(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

/// Which of the four children (0..4) a code falls into at tree depth `level`.
pub(crate) fn quadrant(code: u64, level: u32) -> u64 {
    let shift = 2 * (LEVELS - 1 - level.min(LEVELS - 1));
    (code >> shift) & 3
}

/// Stable sort of `codes` (with `order` permuted alongside) using the two
/// scratch buffers. Ties keep their input order, so the result is fully
/// deterministic.
pub(crate) fn radix_sort(
    codes: &mut Vec<u64>,
    order: &mut Vec<u32>,
    tmp_codes: &mut Vec<u64>,
    tmp_order: &mut Vec<u32>,
) {
    let n = codes.len().min(order.len());
    codes.truncate(n);
    order.truncate(n);
    tmp_codes.clear();
    tmp_codes.resize(n, 0);
    tmp_order.clear();
    tmp_order.resize(n, 0);
    let mut offsets = [0usize; 1 << RADIX_BITS];
    for pass in 0..RADIX_PASSES {
        let shift = pass * RADIX_BITS;
        offsets.fill(0);
        for &c in codes.iter() {
            offsets[((c >> shift) & RADIX_MASK) as usize] += 1;
        }
        if offsets.contains(&n) {
            continue; // every code has the same digit: this pass is a no-op
        }
        let mut running = 0;
        for slot in offsets.iter_mut() {
            let count = *slot;
            *slot = running;
            running += count;
        }
        for (&c, &o) in codes.iter().zip(order.iter()) {
            let slot = &mut offsets[((c >> shift) & RADIX_MASK) as usize];
            tmp_codes[*slot] = c;
            tmp_order[*slot] = o;
            *slot += 1;
        }
        std::mem::swap(codes, tmp_codes);
        std::mem::swap(order, tmp_order);
    }
}

#[cfg(test)]
mod tests {
    use super::super::rng::TestRng;
    use super::*;

    #[test]
    fn spread_interleaves() {
        assert_eq!(spread_bits(0b1011), 0b100_0101);
        assert_eq!(spread_bits(MAX_CELL).count_ones(), LEVELS);
    }

    #[test]
    fn quadrants_follow_the_grid() {
        let q = Quantizer::covering(&[[0.0, 0.0], [100.0, 100.0]]);
        assert_eq!(quadrant(q.code([10.0, 10.0]), 0), 0);
        assert_eq!(quadrant(q.code([90.0, 10.0]), 0), 1);
        assert_eq!(quadrant(q.code([10.0, 90.0]), 0), 2);
        assert_eq!(quadrant(q.code([90.0, 90.0]), 0), 3);
        assert_eq!(quadrant(q.code([30.0, 10.0]), 1), 1);
    }

    #[test]
    fn degenerate_boxes_give_zero_codes() {
        let q = Quantizer::covering(&[[5.0, 5.0], [5.0, 5.0]]);
        assert_eq!(q.code([5.0, 5.0]), 0);
        let q = Quantizer::covering(&[]);
        assert_eq!(q.code([f32::NAN, 1.0]), 0);
    }

    #[test]
    fn radix_sort_matches_std_sort_and_is_stable() {
        let mut rng = TestRng::new(3);
        let mut codes: Vec<u64> = (0..5000)
            .map(|_| {
                rng.next_u64()
                    & ((1 << (2 * LEVELS)) - 1)
                    & !0xFF_u64.wrapping_mul(rng.next_u64() & 1)
            })
            .collect();
        codes.extend([7, 7, 7, 0, 0]);
        let mut order: Vec<u32> = (0..codes.len() as u32).collect();
        let mut expected: Vec<(u64, u32)> =
            codes.iter().copied().zip(order.iter().copied()).collect();
        expected.sort();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        radix_sort(&mut codes, &mut order, &mut a, &mut b);
        let got: Vec<(u64, u32)> = codes.into_iter().zip(order).collect();
        assert_eq!(got, expected);
    }
}
