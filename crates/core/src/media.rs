//! Photos: prepared before queueing (downscaled, recompressed, metadata
//! stripped) and uploaded resumably in tus-style chunks during sync.

use std::io::Cursor;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader};

use crate::error::{CoreError, Result};

/// Longest side of a prepared photo, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// JPEG quality of prepared photos.
pub const JPEG_QUALITY: u8 = 75;
/// Largest input file accepted for preparing (before downscaling).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Decodes a JPEG or PNG, applies its EXIF orientation, downscales it to
/// [`MAX_SIDE`] and re-encodes it as baseline JPEG at [`JPEG_QUALITY`].
/// The output carries no EXIF (so no GPS location, camera or time): the
/// encoder writes pixels only. A location is attached to an appeal only
/// through its explicit `location` field.
pub fn prepare_photo_bytes(input: &[u8]) -> Result<Vec<u8>> {
    let reader = ImageReader::new(Cursor::new(input)).with_guessed_format()?;
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err(CoreError::Image("empty image".into()));
    }
    if w.max(h) > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&rgb)?;
    Ok(out)
}

pub fn prepare_photo(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(CoreError::Image(format!(
            "{} is larger than 64 MB",
            path.display()
        )));
    }
    prepare_photo_bytes(&std::fs::read(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downscales_and_reencodes() {
        let img = image::RgbImage::from_fn(3000, 2000, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let out = prepare_photo_bytes(&png).unwrap();
        let back = image::load_from_memory(&out).unwrap();
        assert_eq!((back.width(), back.height()), (1600, 1067));
        assert_eq!(&out[..2], &[0xFF, 0xD8]);
        // No APP1 (EXIF) segment.
        assert!(!out.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn rejects_garbage() {
        assert!(prepare_photo_bytes(b"not an image").is_err());
    }
}
