//! Writes RGBA pixels as a PNG file, optionally cropped, atomically (through
//! [`crate::fs_atomic`]: temp file, fsync, rename; special files refused).

use image::ImageEncoder as _;
use std::path::Path;

/// Writes `rgba` (`width`×`height`, 4 bytes per pixel) to `path` as PNG. `crop` is
/// `(x, y, width, height)` in pixels, clamped to the image.
pub fn write_rgba_png(
    path: &Path,
    width: usize,
    height: usize,
    rgba: &[u8],
    crop: Option<(usize, usize, usize, usize)>,
) -> Result<(), String> {
    if rgba.len() != width.saturating_mul(height).saturating_mul(4) {
        return Err(format!(
            "image data has {} bytes, expected {}×{}×4",
            rgba.len(),
            width,
            height
        ));
    }
    let (x0, y0, w, h) = match crop {
        Some((x, y, w, h)) => {
            let x = x.min(width);
            let y = y.min(height);
            (x, y, w.min(width - x), h.min(height - y))
        }
        None => (0, 0, width, height),
    };
    if w == 0 || h == 0 {
        return Err("nothing to save: the image is empty".to_owned());
    }
    let mut pixels = Vec::with_capacity(w * h * 4);
    for row in y0..y0 + h {
        let start = (row * width + x0) * 4;
        pixels.extend_from_slice(&rgba[start..start + w * 4]);
    }
    let (w32, h32) = (
        u32::try_from(w).map_err(|_| "image too wide".to_owned())?,
        u32::try_from(h).map_err(|_| "image too tall".to_owned())?,
    );
    let mut encoded = Vec::new();
    image::codecs::png::PngEncoder::new(&mut encoded)
        .write_image(&pixels, w32, h32, image::ExtendedColorType::Rgba8)
        .map_err(|e| e.to_string())?;
    super::write_bytes_atomic(path, &encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_crops() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.png");
        let mut rgba = vec![0u8; 4 * 4 * 4];
        rgba[(4 + 1) * 4] = 255; // pixel (1,1) red
        rgba[(4 + 1) * 4 + 3] = 255;
        write_rgba_png(&path, 4, 4, &rgba, Some((1, 1, 2, 2))).expect("written");
        let img = image::open(&path).expect("readable png").to_rgba8();
        assert_eq!(img.dimensions(), (2, 2));
        assert_eq!(img.get_pixel(0, 0).0, [255, 0, 0, 255]);
    }

    #[test]
    fn refuses_bad_sizes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.png");
        assert!(write_rgba_png(&path, 4, 4, &[0; 3], None).is_err());
        assert!(write_rgba_png(&path, 4, 4, &[0; 64], Some((4, 4, 2, 2))).is_err());
        assert!(!path.exists());
    }
}
