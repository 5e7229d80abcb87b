//! One unit's (or level's) figures: the summary the ranking opens, and the
//! page of its criteria, answers, points and breakdowns.
use maud::{html, Markup};

use super::{change_cell, flag, pick, unit_path, vi_in};
use crate::domain::ranking::Standing;
use crate::i18n::{Lang, Msg};
use crate::service::results::{ComponentResult, DistributionResult, UnitResult};
use crate::web::charts::{self, Bar, Segment};
use crate::web::layout::fmt_rate;

/// The line under a unit's name: respondents, target, rank, band, points.
fn facts(u: &UnitResult, lang: Lang) -> Markup {
    html! {
        p {
            (Msg::Respondents.get(lang)) ": " (u.respondents)
            @if let Some(t) = u.target { " / " (Msg::Target.get(lang)) ": " (t) }
            " · " (Msg::Overall.get(lang)) ": " strong { (fmt_rate(u.overall.rate, lang)) } (flag(u.overall.low_sample, lang))
            @match u.standing {
                Standing::Ranked => {
                    @if let Some(r) = u.rank { " · " (Msg::Rank.get(lang)) ": " (r) }
                    @if let Some(b) = u.band { " · " (Msg::BandShort.get(lang)) " " (b.as_str()) }
                }
                Standing::TooFewRespondents => { " · " span.few { (Msg::TooFewResponses.get(lang)) } }
                _ => {}
            }
            @if let Some(p) = u.overall.points { " · " (Msg::IndexPoints.get(lang)) ": " (fmt_rate(Some(p), lang)) }
        }
    }
}

fn component_lines(c: &ComponentResult, depth: usize, lang: Lang, compare: bool) -> Markup {
    html! {
        tr {
            th scope="row" class={ "d" (depth.min(3)) } { (pick(&c.title, &c.title_en, lang)) }
            td.num { (fmt_rate(c.rate, lang)) (flag(c.low_sample, lang)) }
            @if compare { td.num { (change_cell(c.change.as_ref(), lang)) } }
        }
        @for sub in &c.components { (component_lines(sub, depth + 1, lang, compare)) }
    }
}

/// A unit's summary on the campaign page (`anchor` "u" for a unit, "r" for
/// a level): closed until the ranking opens it; its components, and a link
/// to its page.
pub fn unit_summary(
    campaign_id: &str,
    u: &UnitResult,
    anchor: &str,
    lang: Lang,
    compare: bool,
) -> Markup {
    html! {
        details.unit {
            summary id={ (anchor) "-" (u.unit_code) } {
                span lang=[vi_in(lang)] { (u.unit_name) } " · " strong { (fmt_rate(u.overall.rate, lang)) }
            }
            (facts(u, lang))
            @if u.respondents == 0 {
                p.muted { (Msg::NoData.get(lang)) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (Msg::Component.get(lang)) }
                        th.num scope="col" { (Msg::Rate.get(lang)) }
                        @if compare { th.num scope="col" { (Msg::ChangeShort.get(lang)) } }
                    } }
                    tbody { @for c in &u.components { (component_lines(c, 0, lang, compare)) } }
                }
            }
            p { a href=(crate::web::layout::with_lang(&unit_path(campaign_id, u), lang)) { (Msg::UnitPageLink.get(lang)) } }
        }
    }
}

/// A criterion's answers as a stacked bar: the valid answers only (the
/// excluded ones are out of the rate's denominator too).
fn criterion_bar(code: &str, d: Option<&DistributionResult>, lang: Lang) -> Markup {
    let Some(d) = d else { return html! {} };
    let valid: Vec<_> = d.options.iter().filter(|o| !o.excluded).collect();
    let total: u64 = valid.iter().map(|o| o.count).sum();
    if total == 0 {
        return html! {};
    }
    let segments: Vec<Segment> = valid
        .iter()
        .map(|o| Segment {
            label: pick(&o.label, &o.label_en, lang).to_string(),
            share: 100.0 * o.count as f64 / total as f64,
            satisfied: o.satisfied,
        })
        .collect();
    charts::stacked(code, pick(&d.text, &d.text_en, lang), &segments, lang)
}

/// A component's criteria: each with its rate, interval, counts and change,
/// stacked so that four columns fit a phone.
fn criteria(c: &ComponentResult, depth: usize, lang: Lang, compare: bool) -> Markup {
    html! {
        tr.component {
            th scope="row" class={ "d" (depth.min(3)) } { (c.code) " · " (pick(&c.title, &c.title_en, lang)) }
            td.num { strong { (fmt_rate(c.rate, lang)) } (flag(c.low_sample, lang)) }
            td.num { (c.valid_n) }
            @if compare { td.num { (change_cell(c.change.as_ref(), lang)) } }
        }
        @for sub in &c.components { (criteria(sub, depth + 1, lang, compare)) }
        @for i in &c.items {
            tr {
                td class={ "d" ((depth + 1).min(3)) } { (i.code) " · " (pick(&i.text, &i.text_en, lang)) }
                td.num {
                    (fmt_rate(i.rate, lang)) (flag(i.low_sample, lang))
                    @if let Some([lo, hi]) = i.ci95 {
                        br; span.muted.small { (fmt_rate(Some(lo), lang)) "–" (fmt_rate(Some(hi), lang)) }
                    }
                }
                td.num { (i.satisfied_n) "/" (i.valid_n) }
                @if compare { td.num { (change_cell(i.change.as_ref(), lang)) } }
            }
        }
    }
}

/// Every criterion's bar, section by section.
fn criterion_bars(c: &ComponentResult, u: &UnitResult, lang: Lang) -> Markup {
    html! {
        @for sub in &c.components { (criterion_bars(sub, u, lang)) }
        @for i in &c.items {
            (criterion_bar(&i.code, u.distributions.iter().find(|d| d.code == i.code), lang))
        }
    }
}

/// A distribution's question with the shares' base: its respondents, and
/// for a multiple-choice item its ticks.
fn distribution_heading(d: &DistributionResult, lang: Lang) -> Markup {
    html! {
        (d.code) " · " (pick(&d.text, &d.text_en, lang))
        br;
        span.muted.base {
            (d.respondents) " " (Msg::AnsweredBy.get(lang))
            @if d.multiple { " · " (d.n) " " (Msg::Ticks.get(lang)) }
        }
    }
}

fn points_table(u: &UnitResult, lang: Lang) -> Markup {
    html! {
        @if let Some(p) = &u.points {
            table {
                caption.muted { (Msg::Points.get(lang)) }
                thead { tr {
                    th scope="col" { (Msg::Field.get(lang)) }
                    th.num scope="col" { (Msg::Points.get(lang)) }
                    th.num scope="col" { (Msg::MaxPoints.get(lang)) }
                } }
                tbody {
                    @for f in &p.fields {
                        tr { th scope="row" { (f.code) } td.num { (fmt_rate(Some(f.points), lang)) } td.num { (fmt_rate(Some(f.max_points), lang)) } }
                    }
                    tr { th scope="row" { (Msg::Total.get(lang)) } td.num { strong { (fmt_rate(Some(p.total), lang)) } } td.num { (fmt_rate(Some(p.max_total), lang)) } }
                }
            }
        }
    }
}

/// Perceptions, expectations and demographics: each option's share.
fn distributions(u: &UnitResult, lang: Lang) -> Markup {
    let unscored: Vec<_> = u
        .distributions
        .iter()
        .filter(|d| !d.scored && d.n > 0)
        .collect();
    html! {
        @if !unscored.is_empty() {
            h2 { (Msg::Distributions.get(lang)) }
            p.muted {
                (Msg::ShareNote.get(lang))
                @if unscored.iter().any(|d| d.multiple) { " " (Msg::MultipleChoiceNote.get(lang)) }
            }
            @for d in unscored {
                table {
                    caption { (distribution_heading(d, lang)) }
                    thead { tr {
                        th scope="col" { (Msg::AnswerOption.get(lang)) }
                        th.num scope="col" { (Msg::Count.get(lang)) }
                        th.num scope="col" { (Msg::ShareOfRespondents.get(lang)) }
                    } }
                    tbody {
                        @for o in &d.options {
                            tr {
                                th scope="row" { (pick(&o.label, &o.label_en, lang)) }
                                td.num { (o.count) }
                                td.num { (fmt_rate(Some(o.share), lang)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The index by gender, age band and education; small cells suppressed.
fn breakdowns(u: &UnitResult, lang: Lang) -> Markup {
    html! {
        @if !u.breakdowns.is_empty() {
            h2 { (Msg::Breakdowns.get(lang)) }
            @for b in &u.breakdowns {
                table {
                    caption { (pick(&b.text, &b.text_en, lang)) }
                    thead { tr {
                        th scope="col" { (Msg::AnswerOption.get(lang)) }
                        th.num scope="col" { (Msg::Respondents.get(lang)) }
                        th.num scope="col" { (Msg::Overall.get(lang)) }
                    } }
                    tbody {
                        @for g in &b.groups {
                            tr {
                                th scope="row" { (pick(&g.label, &g.label_en, lang)) }
                                @if g.suppressed {
                                    td.num colspan="2" { abbr title=(Msg::SuppressedNote.get(lang)) { (Msg::Suppressed.get(lang)) } }
                                } @else {
                                    td.num { (g.respondents.unwrap_or(0)) }
                                    td.num { (fmt_rate(g.rate, lang)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A unit's own page: its components as bars, every criterion with its
/// interval and answers, points, distributions and breakdowns.
pub fn unit_detail(u: &UnitResult, lang: Lang, compare: bool) -> Markup {
    let components: Vec<Bar> = u
        .components
        .iter()
        .map(|c| Bar {
            label: c.code.clone(),
            title: pick(&c.title, &c.title_en, lang).to_string(),
            value: c.rate,
        })
        .collect();
    let labels: Vec<String> = u
        .distributions
        .iter()
        .find(|d| d.scored)
        .map(|d| {
            d.options
                .iter()
                .filter(|o| !o.excluded)
                .map(|o| pick(&o.label, &o.label_en, lang).to_string())
                .collect()
        })
        .unwrap_or_default();
    html! {
        (facts(u, lang))
        @if u.respondents == 0 {
            p.muted { (Msg::NoData.get(lang)) }
        } @else {
            (charts::bars(Msg::ChartComponentsOfUnit.get(lang), &components, lang))
            h2 { (Msg::Criterion.get(lang)) }
            p.muted.small { (Msg::CriteriaNote.get(lang)) }
            table.criteria {
                thead { tr {
                    th scope="col" { (Msg::Criterion.get(lang)) }
                    th.num scope="col" { (Msg::Rate.get(lang)) br; span.small { (Msg::Ci95.get(lang)) } }
                    th.num scope="col" { (Msg::SatisfiedOfValid.get(lang)) }
                    @if compare { th.num scope="col" { (Msg::ChangeShort.get(lang)) } }
                } }
                tbody { @for c in &u.components { (criteria(c, 0, lang, compare)) } }
            }
            @if !labels.is_empty() {
                figure.chart {
                    figcaption { (charts::stacked_caption(lang)) }
                    (charts::stacked_legend(&labels))
                    div.bars { @for c in &u.components { (criterion_bars(c, u, lang)) } }
                }
            }
            (points_table(u, lang))
            (distributions(u, lang))
            (breakdowns(u, lang))
        }
    }
}
