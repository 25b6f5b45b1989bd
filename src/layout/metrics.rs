//! Layout quality numbers for reporting and tests: how evenly edge lengths
//! are spread (coefficient of variation).

/// Coefficient of variation (standard deviation / mean) of the lengths of
/// the usable edges: in range, not self-loops, with finite endpoints.
/// 0 means every edge has the same length; 0 is also returned when there is
/// no usable edge or every usable edge has zero length.
pub fn edge_length_spread(positions: &[[f32; 2]], edges: &[(u32, u32)]) -> f32 {
    let (mut count, mut sum, mut sum_sq) = (0u64, 0.0f64, 0.0f64);
    for &(a, b) in edges {
        if a == b {
            continue;
        }
        let (Some(p), Some(q)) = (positions.get(a as usize), positions.get(b as usize)) else {
            continue;
        };
        let len = (f64::from(p[0]) - f64::from(q[0])).hypot(f64::from(p[1]) - f64::from(q[1]));
        if len.is_finite() {
            count += 1;
            sum += len;
            sum_sq += len * len;
        }
    }
    if count == 0 || sum <= 0.0 {
        return 0.0;
    }
    let n = count as f64;
    let mean = sum / n;
    let variance = (sum_sq / n - mean * mean).max(0.0);
    (variance.sqrt() / mean) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lengths_have_zero_spread() {
        let p = [[0.0, 0.0], [3.0, 4.0], [6.0, 0.0]];
        assert!(edge_length_spread(&p, &[(0, 1), (1, 2)]) < 1e-6);
    }

    #[test]
    fn known_spread() {
        // Lengths 1 and 3: mean 2, standard deviation 1.
        let p = [[0.0, 0.0], [1.0, 0.0], [4.0, 0.0]];
        assert!((edge_length_spread(&p, &[(0, 1), (1, 2)]) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn ignores_unusable_edges() {
        let p = [[0.0, 0.0], [1.0, 0.0], [f32::NAN, 0.0]];
        assert_eq!(edge_length_spread(&p, &[(0, 0), (0, 9), (0, 2)]), 0.0);
        assert_eq!(edge_length_spread(&[], &[]), 0.0);
        assert!(edge_length_spread(&p, &[(0, 1), (5, 1)]) < 1e-6);
    }
}
