//! How the category colours look to colour-blind readers, and how far apart two colours are.
//!
//! [`simulate`] applies the Machado, Oliveira & Fernandes (2009) model of dichromacy at
//! severity 1.0 (protanopia, deuteranopia, tritanopia) in linear sRGB, the model behind the
//! simulators in Chrome DevTools and Firefox. [`delta_e_2000`] is the CIEDE2000 colour
//! difference (Sharma, Wu & Dalal 2005) between two sRGB colours in CIELAB under D65. The
//! test at the bottom checks that every pair of built-in categories stays distinguishable
//! under each kind of dichromacy, and on a light and a dark background.

/// A kind of dichromacy (one cone type missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dichromacy {
    /// No long-wavelength (red) cones.
    Protanopia,
    /// No medium-wavelength (green) cones.
    Deuteranopia,
    /// No short-wavelength (blue) cones.
    Tritanopia,
}

impl Dichromacy {
    /// All three kinds.
    pub const ALL: [Dichromacy; 3] = [
        Dichromacy::Protanopia,
        Dichromacy::Deuteranopia,
        Dichromacy::Tritanopia,
    ];

    /// Machado et al. (2009), severity 1.0, rows applied to linear RGB.
    fn matrix(self) -> [[f64; 3]; 3] {
        match self {
            Dichromacy::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Dichromacy::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Dichromacy::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        }
    }
}

/// An sRGB byte as linear light, 0 to 1 (the IEC 61966-2-1 transfer function).
pub fn to_linear(c: u8) -> f64 {
    let v = f64::from(c) / 255.0;
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn to_srgb(v: f64) -> u8 {
    let v = v.clamp(0.0, 1.0);
    let s = if v <= 0.003_130_8 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    };
    (s * 255.0).round() as u8
}

/// `rgb` as a reader with `kind` of dichromacy sees it.
pub fn simulate(rgb: [u8; 3], kind: Dichromacy) -> [u8; 3] {
    let lin = rgb.map(to_linear);
    let m = kind.matrix();
    let row = |r: [f64; 3]| r[0] * lin[0] + r[1] * lin[1] + r[2] * lin[2];
    [to_srgb(row(m[0])), to_srgb(row(m[1])), to_srgb(row(m[2]))]
}

/// CIELAB (D65) of an sRGB colour.
fn lab(rgb: [u8; 3]) -> [f64; 3] {
    let [r, g, b] = rgb.map(to_linear);
    let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / 0.950_47;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b;
    let z = (0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b) / 1.088_83;
    let f = |t: f64| {
        if t > 216.0 / 24_389.0 {
            t.cbrt()
        } else {
            (24_389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// The CIEDE2000 difference between two sRGB colours (about 1 is just noticeable side by
/// side; small marks on a graph want well over 10).
pub fn delta_e_2000(a: [u8; 3], b: [u8; 3]) -> f64 {
    delta_e_2000_lab(lab(a), lab(b))
}

/// The CIEDE2000 difference between two CIELAB colours.
fn delta_e_2000_lab([l1, a1, b1]: [f64; 3], [l2, a2, b2]: [f64; 3]) -> f64 {
    let c1 = a1.hypot(b1);
    let c2 = a2.hypot(b2);
    let c_mean = (c1 + c2) / 2.0;
    let g = 0.5 * (1.0 - (c_mean.powi(7) / (c_mean.powi(7) + 25f64.powi(7))).sqrt());
    let (a1p, a2p) = (a1 * (1.0 + g), a2 * (1.0 + g));
    let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
    let hue = |b: f64, a: f64| {
        if a == 0.0 && b == 0.0 {
            0.0
        } else {
            b.atan2(a).to_degrees().rem_euclid(360.0)
        }
    };
    let (h1p, h2p) = (hue(b1, a1p), hue(b2, a2p));
    let dl = l2 - l1;
    let dc = c2p - c1p;
    let dh_angle = if c1p * c2p == 0.0 {
        0.0
    } else if (h2p - h1p).abs() <= 180.0 {
        h2p - h1p
    } else if h2p - h1p > 180.0 {
        h2p - h1p - 360.0
    } else {
        h2p - h1p + 360.0
    };
    let dh = 2.0 * (c1p * c2p).sqrt() * (dh_angle.to_radians() / 2.0).sin();
    let l_mean = (l1 + l2) / 2.0;
    let cp_mean = (c1p + c2p) / 2.0;
    let hp_mean = if c1p * c2p == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 360.0 {
        (h1p + h2p + 360.0) / 2.0
    } else {
        (h1p + h2p - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * (hp_mean - 30.0).to_radians().cos()
        + 0.24 * (2.0 * hp_mean).to_radians().cos()
        + 0.32 * (3.0 * hp_mean + 6.0).to_radians().cos()
        - 0.20 * (4.0 * hp_mean - 63.0).to_radians().cos();
    let d_theta = 30.0 * (-((hp_mean - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (cp_mean.powi(7) / (cp_mean.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (l_mean - 50.0).powi(2) / (20.0 + (l_mean - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cp_mean;
    let sh = 1.0 + 0.015 * cp_mean * t;
    let rt = -(2.0 * d_theta).to_radians().sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dh / sh).powi(2) + rt * (dc / sc) * (dh / sh)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    #[test]
    fn ciede2000_matches_the_published_test_data() {
        // Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17 and 25.
        let pairs = [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
            (
                [60.2574, -34.0099, 36.2677],
                [60.4626, -34.1751, 39.4387],
                1.2644,
            ),
        ];
        for (a, b, expected) in pairs {
            let d = delta_e_2000_lab(a, b);
            assert!((d - expected).abs() < 5e-4, "{a:?} {b:?}: {d} ≠ {expected}");
        }
        // Through sRGB: identical colours are 0, black and white 100.
        assert_eq!(delta_e_2000([10, 20, 30], [10, 20, 30]), 0.0);
        let bw = delta_e_2000([0, 0, 0], [255, 255, 255]);
        assert!((bw - 100.0).abs() < 0.01, "{bw}");
        // Symmetric.
        let (a, b) = ([229, 57, 53], [67, 160, 71]);
        assert!((delta_e_2000(a, b) - delta_e_2000(b, a)).abs() < 1e-9);
    }

    #[test]
    fn the_simulation_keeps_greys_and_merges_red_and_green_for_deuteranopes() {
        for kind in Dichromacy::ALL {
            let grey = simulate([128, 128, 128], kind);
            assert!(
                grey.iter().all(|c| c.abs_diff(128) <= 1),
                "{kind:?}: {grey:?}"
            );
        }
        // The classic confusion: a pure red and a pure green look alike without green cones.
        let (red, green) = ([200, 60, 40], [90, 140, 40]);
        let normal = delta_e_2000(red, green);
        let d = Dichromacy::Deuteranopia;
        let seen = delta_e_2000(simulate(red, d), simulate(green, d));
        assert!(seen < normal / 2.0, "{normal} → {seen}");
    }

    /// Smallest difference two coloured categories keep, seen normally, by protanopes and by
    /// deuteranopes (CIEDE2000).
    const MIN_CATEGORY_DELTA_E: f64 = 12.0;
    /// Smallest difference between a grey (untagged, unknown) and any other colour: greys sit
    /// among the category colours' lightnesses, and carry no glyph to tell them apart.
    const MIN_GREY_DELTA_E: f64 = 7.0;
    /// Smallest difference between any colour and the dark canvas or the paper export.
    const MIN_BACKGROUND_DELTA_E: f64 = 15.0;

    /// The closest pair among `colours` as seen by `kinds`, with its difference.
    fn closest(colours: &[(&str, [u8; 3])], kinds: &[Option<Dichromacy>]) -> (f64, String) {
        let mut worst = (f64::MAX, String::new());
        for kind in kinds {
            let seen = |c: [u8; 3]| kind.map_or(c, |k| simulate(c, k));
            for (i, (a_name, a)) in colours.iter().enumerate() {
                for (b_name, b) in &colours[i + 1..] {
                    let d = delta_e_2000(seen(*a), seen(*b));
                    if d < worst.0 {
                        worst = (d, format!("{a_name} / {b_name} ({kind:?})"));
                    }
                }
            }
        }
        worst
    }

    #[test]
    fn the_categories_stay_distinct_for_protanopes_and_deuteranopes_on_both_backgrounds() {
        let kinds = [
            None,
            Some(Dichromacy::Protanopia),
            Some(Dichromacy::Deuteranopia),
        ];
        let coloured: Vec<(&str, [u8; 3])> = Category::BUILT_IN
            .iter()
            .filter(|c| **c != Category::Unknown)
            .map(|c| (c.name(), c.rgb()))
            .collect();
        let (d, pair) = closest(&coloured, &kinds);
        assert!(d >= MIN_CATEGORY_DELTA_E, "closest: {pair}, ΔE2000 {d:.1}");
        let greys = [
            ("untagged", super::super::NEUTRAL_ADDRESS_RGB),
            ("unknown", Category::Unknown.rgb()),
        ];
        let mut all = coloured.clone();
        all.extend(greys);
        let (d, pair) = closest(&all, &kinds);
        assert!(
            d >= MIN_GREY_DELTA_E,
            "closest with the greys: {pair}, ΔE2000 {d:.1}"
        );
        // Tritanopia is rarer (about 1 in 10,000); the scheme still keeps its colours apart.
        let (d, pair) = closest(&coloured, &[Some(Dichromacy::Tritanopia)]);
        assert!(d >= 10.0, "tritanopia: {pair}, ΔE2000 {d:.1}");
        // Every mark stands out from the dark and the light canvas and from paper (the
        // canvas's colours, `app::canvas::display`, are repeated here: domain code does not
        // import the app).
        for (name, c) in &all {
            for bg in [[24, 28, 34], [248, 249, 250], [255, 255, 255]] {
                let d = delta_e_2000(*c, bg);
                assert!(d >= MIN_BACKGROUND_DELTA_E, "{name} on {bg:?}: {d:.1}");
            }
        }
    }
}
