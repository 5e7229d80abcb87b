//! The charts' colours checked as readers see them: contrast on the white
//! page (WCAG 2.x), and the scale's neighbours and the change pair still
//! told apart under simulated protanopia, deuteranopia and tritanopia
//! (Machado, Oliveira & Fernandes 2009, severity 1, in linear RGB), measured
//! as CIE76 ΔE in CIELAB (D65).
use super::{AXIS, BAR, BRACKET, FALL, RISE, SCALE5};

type Matrix = [[f64; 3]; 3];

const NORMAL: Matrix = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
const PROTANOPIA: Matrix = [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
];
const DEUTERANOPIA: Matrix = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
];
const TRITANOPIA: Matrix = [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.303900],
];
const VISIONS: [(&str, Matrix); 4] = [
    ("normal", NORMAL),
    ("protanopia", PROTANOPIA),
    ("deuteranopia", DEUTERANOPIA),
    ("tritanopia", TRITANOPIA),
];

/// An sRGB colour `#rrggbb` as linear RGB in 0..1.
fn linear(hex: &str) -> [f64; 3] {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex colour")) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    [channel(1), channel(3), channel(5)]
}

fn seen(rgb: [f64; 3], m: &Matrix) -> [f64; 3] {
    let row = |r: &[f64; 3]| (r[0] * rgb[0] + r[1] * rgb[1] + r[2] * rgb[2]).clamp(0.0, 1.0);
    [row(&m[0]), row(&m[1]), row(&m[2])]
}

/// CIELAB (D65 white) of a linear RGB colour.
fn lab(rgb: [f64; 3]) -> [f64; 3] {
    let [r, g, b] = rgb;
    let x = 0.4124 * r + 0.3576 * g + 0.1805 * b;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn delta_e(a: &str, b: &str, m: &Matrix) -> f64 {
    let (p, q) = (lab(seen(linear(a), m)), lab(seen(linear(b), m)));
    ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
}

/// WCAG contrast ratio of a colour on white.
fn contrast_on_white(hex: &str) -> f64 {
    let [r, g, b] = linear(hex);
    let l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    1.05 / (l + 0.05)
}

#[test]
fn the_scales_neighbours_stay_apart_for_colour_blind_readers() {
    // ΔE76 of about 10 is told apart at a glance side by side; the scale
    // keeps at least 15 between neighbours under every simulation.
    for (vision, m) in &VISIONS {
        for pair in SCALE5.windows(2) {
            let d = delta_e(pair[0], pair[1], m);
            assert!(
                d >= 15.0,
                "{vision}: {} and {} are ΔE {d:.1}",
                pair[0],
                pair[1]
            );
        }
        let d = delta_e(RISE, FALL, m);
        assert!(d >= 40.0, "{vision}: rise and fall are ΔE {d:.1}");
    }
}

#[test]
fn a_simulation_that_merges_red_and_green_is_caught() {
    // The check is not vacuous: a red–green pair, distinct to normal
    // vision, collapses under deuteranopia.
    let (red, green) = ("#d62728", "#2ca02c");
    assert!(delta_e(red, green, &NORMAL) > 60.0);
    assert!(delta_e(red, green, &DEUTERANOPIA) < 15.0);
}

#[test]
fn marks_and_text_have_contrast_on_the_white_page() {
    // Graphical objects need 3:1 (WCAG 1.4.11), text 4.5:1 (1.4.3).
    for (what, c) in [
        ("bar", BAR),
        ("rise", RISE),
        ("fall", FALL),
        ("bracket", BRACKET),
    ] {
        let r = contrast_on_white(c);
        assert!(r >= 3.0, "{what} {c}: {r:.2}:1");
    }
    let r = contrast_on_white(AXIS);
    assert!(r >= 4.5, "axis text {AXIS}: {r:.2}:1");
    // The scale's two ends carry the meaning "dissatisfied" and "satisfied"
    // against the page; the lighter inner shades sit between them, split by
    // white lines, and every share is also printed in the table beside.
    for c in [SCALE5[0], SCALE5[4]] {
        let r = contrast_on_white(c);
        assert!(r >= 3.0, "scale end {c}: {r:.2}:1");
    }
}
