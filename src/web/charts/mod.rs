//! Charts as HTML rows with a small SVG track each: the labels and values
//! are page text (real CSS pixels, read by screen readers, never smaller
//! than the page's type), the bars are drawn with percentage widths so they
//! fit any screen and print. No JavaScript and no inline styles (the CSP
//! forbids them): presentation attributes only.
use maud::{html, Markup};

use crate::domain::short_name::short_unit_name;
use crate::i18n::{Lang, Msg};
use crate::web::layout::fmt_rate;

/// Characters of a unit's name on a chart's label.
const LABEL_CHARS: usize = 22;

/// One bar: the label shown, the full name in its title, the value.
pub struct Bar {
    pub label: String,
    pub title: String,
    pub value: Option<f64>,
}

impl Bar {
    /// A unit's bar: the name shortened, the full name kept in the title.
    pub fn unit(name: &str, value: Option<f64>) -> Bar {
        Bar {
            label: short_unit_name(name, LABEL_CHARS),
            title: name.to_string(),
            value,
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x.clamp(0.0, 100.0))
}

/// Light grid lines at the axis' ticks, behind the bars.
fn grid() -> Markup {
    html! {
        @for t in [25, 50, 75] {
            line x1={ (t) "%" } x2={ (t) "%" } y1="0" y2="100%" stroke="#d0d0d0" stroke-width="1" {}
        }
    }
}

/// The axis under a chart: tick labels at the given percentages of the track.
fn axis(ticks: &[(f64, String)]) -> Markup {
    html! {
        div.bar-row.axis aria-hidden="true" {
            span.bar-label {}
            svg.track xmlns="http://www.w3.org/2000/svg" width="100%" height="18" {
                @for (x, label) in ticks {
                    @let anchor = if *x <= 0.0 { "start" } else if *x >= 100.0 { "end" } else { "middle" };
                    text x=(pct(*x)) y="14" font-size="12" fill=(AXIS) text-anchor=(anchor) { (label) }
                }
            }
            span.bar-value {}
        }
    }
}

/// Horizontal bars on 0–100 %, in the given order, each with its value,
/// and an axis.
pub fn bars(caption: &str, rows: &[Bar], lang: Lang) -> Markup {
    let ticks: Vec<(f64, String)> = [0, 50, 100]
        .iter()
        .map(|t| (f64::from(*t), t.to_string()))
        .collect();
    html! {
        @if !rows.is_empty() {
            figure.chart {
                figcaption { (caption) }
                div.bars {
                    @for b in rows {
                        div.bar-row title=(b.title) {
                            span.bar-label { (b.label) }
                            svg.track xmlns="http://www.w3.org/2000/svg" width="100%" height="20" aria-hidden="true" {
                                (grid())
                                rect x="0" y="3" width=(pct(b.value.unwrap_or(0.0))) height="14" fill=(BAR) {}
                            }
                            span.bar-value { (fmt_rate(b.value, lang)) }
                        }
                    }
                    (axis(&ticks))
                }
            }
        }
    }
}

/// A change as people write it: with its sign, two decimals.
pub fn signed(d: f64, lang: Lang) -> String {
    let d = crate::domain::scoring::round_display(d, 2);
    let sign = if d > 0.0 { "+" } else { "" };
    format!("{sign}{}", fmt_rate(Some(d), lang))
}

/// Changes in percentage points: bars left (down) or right (up) of the
/// centre, each with its signed value, and an axis from −max to +max.
pub fn changes(caption: &str, rows: &[Bar], lang: Lang) -> Markup {
    let known: Vec<&Bar> = rows.iter().filter(|b| b.value.is_some()).collect();
    let max = known
        .iter()
        .filter_map(|b| b.value)
        .map(f64::abs)
        .fold(0.0_f64, f64::max);
    // A round axis end: 1, 2, 5, 10, 20 … points.
    let end = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .find(|e| *e >= max)
        .unwrap_or(100.0);
    let ticks = vec![
        (0.0, signed(-end, lang)),
        (50.0, "0".to_string()),
        (100.0, signed(end, lang)),
    ];
    html! {
        @if !known.is_empty() {
            figure.chart {
                figcaption { (caption) }
                div.bars {
                    @for b in &known {
                        @let d = b.value.unwrap_or(0.0);
                        @let len = 50.0 * d.abs() / end;
                        @let x = if d < 0.0 { 50.0 - len } else { 50.0 };
                        div.bar-row title=(b.title) {
                            span.bar-label { (b.label) }
                            svg.track xmlns="http://www.w3.org/2000/svg" width="100%" height="20" aria-hidden="true" {
                                line x1="50%" x2="50%" y1="0" y2="100%" stroke=(AXIS) stroke-width="1" {}
                                // Blue up, vermilion down (Okabe–Ito): told apart without red–green.
                                rect x=(pct(x)) y="3" width=(pct(len)) height="14" fill=(if d < 0.0 { FALL } else { RISE }) {}
                            }
                            span.bar-value { (signed(d, lang)) }
                        }
                    }
                    (axis(&ticks))
                }
            }
        }
    }
}

/// One series' bars: a dark blue, 8:1 on white.
const BAR: &str = "#0b4f9c";
/// A change up and a change down (Okabe–Ito blue and vermilion): told apart
/// without red–green, each at least 3:1 on white.
const RISE: &str = "#0072b2";
const FALL: &str = "#d55e00";
/// Axis labels and the zero line, 8.9:1 on white.
const AXIS: &str = "#4a4a4a";
/// The bracket over the satisfied segments.
const BRACKET: &str = "#1b1b1b";

/// The colours of a 1–5 scale, from "very dissatisfied" to "very
/// satisfied": ColorBrewer's PuOr, a diverging scheme safe for colour-blind
/// readers, with a grey middle.
const SCALE5: [&str; 5] = ["#b35806", "#f1a340", "#bdbdbd", "#998ec3", "#542788"];

/// A colour for the k-th of n ordered options.
fn scale_colour(k: usize, n: usize) -> &'static str {
    if n <= 1 {
        return SCALE5[4];
    }
    SCALE5[(k * 4 + (n - 1) / 2) / (n - 1)]
}

/// One segment of a stacked bar: an option's label and its share of the
/// valid answers.
pub struct Segment {
    pub label: String,
    pub share: f64,
    pub satisfied: bool,
}

/// The legend of the stacked bars: one swatch per option, in order.
pub fn stacked_legend(labels: &[String]) -> Markup {
    let n = labels.len();
    html! {
        ul.legend {
            @for (k, l) in labels.iter().enumerate() {
                li {
                    svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" aria-hidden="true" {
                        rect width="14" height="14" fill=(scale_colour(k, n)) {}
                    }
                    " " (l)
                }
            }
        }
    }
}

/// A 100 % stacked bar of one criterion's valid answers, with the
/// satisfied share bracketed above its segments and given as a number.
pub fn stacked(label: &str, title: &str, segments: &[Segment], lang: Lang) -> Markup {
    let n = segments.len();
    let satisfied: f64 = segments
        .iter()
        .filter(|s| s.satisfied)
        .map(|s| s.share)
        .sum();
    let first_satisfied: f64 = segments
        .iter()
        .take_while(|s| !s.satisfied)
        .map(|s| s.share)
        .sum();
    let described: Vec<String> = segments
        .iter()
        .map(|s| format!("{} {} %", s.label, fmt_rate(Some(s.share), lang)))
        .collect();
    let starts: Vec<f64> = segments
        .iter()
        .scan(0.0, |x, s| {
            let start = *x;
            *x += s.share;
            Some(start)
        })
        .collect();
    html! {
        div.bar-row.stacked title=(title) {
            span.bar-label { (label) }
            svg.track xmlns="http://www.w3.org/2000/svg" width="100%" height="26" role="img" aria-label=(described.join("; ")) {
                @if satisfied > 0.0 {
                    line x1=(pct(first_satisfied)) x2="100%" y1="3" y2="3" stroke=(BRACKET) stroke-width="3" {}
                }
                @for (k, (s, x)) in segments.iter().zip(&starts).enumerate() {
                    rect x=(pct(*x)) y="7" width=(pct(s.share)) height="17" fill=(scale_colour(k, n)) stroke="#ffffff" stroke-width="1" {}
                }
            }
            span.bar-value { (fmt_rate(Some(satisfied), lang)) }
        }
    }
}

/// The caption of a criterion chart: what the bracket and the number mean.
pub fn stacked_caption(lang: Lang) -> &'static str {
    Msg::StackedCaption.get(lang)
}

#[cfg(test)]
mod colour_check;
