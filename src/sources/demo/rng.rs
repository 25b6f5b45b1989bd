//! A tiny deterministic PRNG (splitmix64) for generating the demo world.
//!
//! The demo world must be identical on every machine and every run, so it draws all its
//! randomness from one seeded splitmix64 stream instead of a crate whose output could change
//! between versions. Helpers produce the shapes the generator needs: bounded integers,
//! percentages, byte arrays for addresses and transaction hashes.

/// Splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, full period, good enough mixing for
/// synthetic data (not for cryptography).
#[derive(Debug, Clone)]
pub(super) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A stream starting from `seed`.
    pub(super) fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub(super) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-shift; the bias is below 2^-40 for
    /// the small bounds used here.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `low..=high` (`low` when the range is empty).
    pub(super) fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high.saturating_sub(low).saturating_add(1))
    }

    /// A signed number in `low..=high` (`low` when the range is empty).
    pub(super) fn range_i64(&mut self, low: i64, high: i64) -> i64 {
        let span = high.saturating_sub(low).max(0).unsigned_abs();
        low.saturating_add_unsigned(self.below(span.saturating_add(1)))
    }

    /// A `u128` in `low..=high`, for amounts in base units (64 bits of spread are plenty).
    pub(super) fn range_u128(&mut self, low: u128, high: u128) -> u128 {
        let span = high.saturating_sub(low);
        let draw = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        match span.checked_add(1) {
            Some(modulus) => low + draw % modulus,
            None => draw,
        }
    }

    /// True with probability `percent`/100.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One index of a slice of `len` elements (0 when empty).
    pub(super) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// `N` random bytes.
    pub(super) fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        // The published first output of splitmix64 seeded with 0.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut rng = SplitMix64::new(1);
        for _ in 0..1000 {
            assert!(rng.below(10) < 10);
            assert!((5..=9).contains(&rng.range(5, 9)));
            assert!((-3..=3).contains(&rng.range_i64(-3, 3)));
            assert!((100..=200).contains(&rng.range_u128(100, 200)));
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.range(4, 2), 4);
        let bytes: [u8; 20] = rng.bytes();
        assert!(bytes.iter().any(|&b| b != 0));
    }
}
