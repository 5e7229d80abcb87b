//! QR codes for open links, drawn as a single SVG path (no inline styles, so
//! the CSP needs no exceptions) or as a PNG for print shops.
use qrcode::{Color, EcLevel, QrCode};

const QUIET: usize = 4;

fn code(text: &str) -> Result<QrCode, String> {
    // Level M survives a scuffed poster and keeps the code small.
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| format!("QR code: {e}"))
}

pub fn svg(text: &str) -> Result<String, String> {
    let qr = code(text)?;
    let w = qr.width();
    let size = w + 2 * QUIET;
    let mut d = String::new();
    for (i, c) in qr.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            d.push_str(&format!("M{},{}h1v1h-1z", i % w + QUIET, i / w + QUIET));
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{d}\"/></svg>",
        px = size * 8
    ))
}

/// A grayscale PNG, `scale` pixels per module.
pub fn png(text: &str, scale: usize) -> Result<Vec<u8>, String> {
    let qr = code(text)?;
    let w = qr.width();
    let colors = qr.to_colors();
    let side = (w + 2 * QUIET) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            let (x0, y0) = ((i % w + QUIET) * scale, (i / w + QUIET) * scale);
            for y in y0..y0 + scale {
                pixels[y * side + x0..y * side + x0 + scale].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let side = u32::try_from(side).map_err(|e| e.to_string())?;
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| e.to_string())?;
    }
    Ok(out)
}
