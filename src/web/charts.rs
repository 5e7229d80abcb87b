//! Charts as plain SVG built with maud, rendered on the server: no
//! JavaScript, no inline styles (the CSP forbids them), presentation
//! attributes only; `viewBox` with width 100 % so they fit a phone and print.
use maud::{html, Markup};

use crate::i18n::{Lang, Msg};
use crate::service::results::UnitResult;
use crate::web::layout::fmt_rate;

// A narrow canvas so that, scaled to a 360 px phone, 13-unit text stays
// about 10 px high.
const W: f64 = 480.0;
const LABEL: f64 = 110.0;
const ROW: f64 = 24.0;

/// The ranking: one horizontal bar per unit, best first, 0–100 %.
pub fn ranking(units: &[&UnitResult], lang: Lang) -> Markup {
    let h = ROW * units.len() as f64 + 10.0;
    let plot = W - LABEL - 60.0;
    let title = Msg::ChartRanking.get(lang);
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (h) } width="100%" role="img" aria-label=(title) {
            title { (title) }
            @for (i, u) in units.iter().enumerate() {
                @let y = 5.0 + ROW * i as f64;
                @let rate = u.overall.rate.unwrap_or(0.0).clamp(0.0, 100.0);
                g {
                    title { (u.unit_name) ": " (fmt_rate(u.overall.rate, lang)) }
                    text x=(LABEL - 6.0) y=(y + 15.0) text-anchor="end" font-size="13" fill="#222" { (u.unit_code) }
                    rect x=(LABEL) y=(y + 3.0) width=(plot * rate / 100.0) height=(ROW - 6.0) fill="#1f6feb" {}
                    text x=(LABEL + plot * rate / 100.0 + 4.0) y=(y + 15.0) font-size="13" fill="#222" { (fmt_rate(u.overall.rate, lang)) }
                }
            }
        }
    }
}

/// Okabe–Ito colours: told apart by colour-blind readers and in greyscale
/// print (with the legend's order matching the bars' order).
const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
];
const BAR: f64 = 13.0;

/// Components per unit: for each unit (in ranking order) one bar per
/// top-level component (domain or indicator), 0–100 %, with a legend.
pub fn components(units: &[&UnitResult], lang: Lang) -> Markup {
    let Some(first) = units.iter().find(|u| !u.components.is_empty()) else {
        return html! {};
    };
    let names: Vec<(String, String)> = first
        .components
        .iter()
        .map(|c| {
            let t = if lang == Lang::En && !c.title_en.is_empty() {
                &c.title_en
            } else {
                &c.title
            };
            (c.code.clone(), t.clone())
        })
        .collect();
    let k = names.len() as f64;
    let legend_h = 20.0 * k + 8.0;
    let group = BAR * k + 8.0;
    let h = legend_h + group * units.len() as f64 + 4.0;
    let plot = W - LABEL - 60.0;
    let title = Msg::ChartComponents.get(lang);
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (h) } width="100%" role="img" aria-label=(title) {
            title { (title) }
            @for (j, (code, name)) in names.iter().enumerate() {
                @let y = 4.0 + 20.0 * j as f64;
                g {
                    rect x="4" y=(y) width="13" height="13" fill=(PALETTE[j % PALETTE.len()]) {}
                    text x="22" y=(y + 10.0) font-size="13" fill="#222" { (code) " · " (name) }
                }
            }
            @for (i, u) in units.iter().enumerate() {
                @let y0 = legend_h + group * i as f64;
                g {
                    text x=(LABEL - 6.0) y=(y0 + group / 2.0 + 2.0) text-anchor="end" font-size="13" fill="#222" { (u.unit_code) }
                    @for (j, c) in u.components.iter().enumerate() {
                        @let rate = c.rate.unwrap_or(0.0).clamp(0.0, 100.0);
                        @let y = y0 + 4.0 + BAR * j as f64;
                        g {
                            title { (u.unit_name) " · " (c.code) ": " (fmt_rate(c.rate, lang)) }
                            rect x=(LABEL) y=(y) width=(plot * rate / 100.0) height=(BAR - 1.0) fill=(PALETTE[j % PALETTE.len()]) {}
                            text x=(LABEL + plot * rate / 100.0 + 4.0) y=(y + BAR - 1.5) font-size="11" fill="#222" { (fmt_rate(c.rate, lang)) }
                        }
                    }
                }
            }
        }
    }
}

/// The change from the previous campaign: bars left (down) or right (up)
/// of a centre line, in percentage points.
pub fn change(units: &[&UnitResult], lang: Lang) -> Markup {
    let deltas: Vec<(&UnitResult, f64)> = units
        .iter()
        .filter_map(|u| u.overall.change.and_then(|c| c.delta).map(|d| (*u, d)))
        .collect();
    let max = deltas.iter().map(|(_, d)| d.abs()).fold(1.0_f64, f64::max);
    let h = ROW * deltas.len() as f64 + 10.0;
    let half = (W - LABEL - 60.0) / 2.0;
    let mid = LABEL + 30.0 + half;
    let title = Msg::ChartChange.get(lang);
    html! {
        @if !deltas.is_empty() {
            svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (h) } width="100%" role="img" aria-label=(title) {
                title { (title) }
                line x1=(mid) x2=(mid) y1="0" y2=(h) stroke="#555" stroke-width="1" {}
                @for (i, (u, d)) in deltas.iter().enumerate() {
                    @let y = 5.0 + ROW * i as f64;
                    @let len = half * d.abs() / max;
                    @let x = if *d < 0.0 { mid - len } else { mid };
                    g {
                        title { (u.unit_name) ": " (format!("{d:+.2}")) }
                        text x=(LABEL - 6.0) y=(y + 15.0) text-anchor="end" font-size="13" fill="#222" { (u.unit_code) }
                        rect x=(x) y=(y + 3.0) width=(len) height=(ROW - 6.0) fill=(if *d < 0.0 { "#b42318" } else { "#067647" }) {}
                    }
                }
            }
        }
    }
}
