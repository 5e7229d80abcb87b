//! Issue 7: charts as plain SVG built with maud, rendered on the server: no
//! JavaScript, no inline styles (the CSP forbids them), presentation
//! attributes only; `viewBox` with width 100 % so they fit a phone and print.
use maud::{html, Markup};

use crate::i18n::{Lang, Msg};
use crate::service::results::UnitResult;
use crate::web::layout::fmt_rate;

const W: f64 = 640.0;
const LABEL: f64 = 200.0;
const ROW: f64 = 22.0;

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
                    text x=(LABEL - 6.0) y=(y + 15.0) text-anchor="end" font-size="12" fill="#222" { (u.unit_code) }
                    rect x=(LABEL) y=(y + 3.0) width=(plot * rate / 100.0) height=(ROW - 6.0) fill="#1f6feb" {}
                    text x=(LABEL + plot * rate / 100.0 + 4.0) y=(y + 15.0) font-size="12" fill="#222" { (fmt_rate(u.overall.rate, lang)) }
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
                        text x=(LABEL - 6.0) y=(y + 15.0) text-anchor="end" font-size="12" fill="#222" { (u.unit_code) }
                        rect x=(x) y=(y + 3.0) width=(len) height=(ROW - 6.0) fill=(if *d < 0.0 { "#b42318" } else { "#067647" }) {}
                    }
                }
            }
        }
    }
}
