//! The results page of a campaign: ranking, roll-ups, each unit's tree with
//! 95 % intervals and low-sample flags, changes, PAR points, distributions.
use maud::{html, Markup};

use crate::domain::scoring::{round_display, Change};
use crate::i18n::{Lang, Msg};
use crate::service::results::{
    CampaignResults, ComponentResult, DistributionResult, UnitResult, UnitsBefore,
};
use crate::web::layout::{fmt_rate, with_lang};

/// The English text when there is one, else the Vietnamese.
fn pick<'a>(vi: &'a str, en: &'a str, lang: Lang) -> &'a str {
    if lang == Lang::En && !en.is_empty() {
        en
    } else {
        vi
    }
}

fn fmt_num(x: f64, lang: Lang) -> String {
    fmt_rate(Some(x), lang)
}

fn fmt_change(c: Option<&Change>, lang: Lang) -> String {
    match c.and_then(|c| c.delta) {
        None => "—".to_string(),
        Some(d) => {
            let d = round_display(d, 2);
            let sign = if d > 0.0 { "+" } else { "" };
            format!("{sign}{}", fmt_num(d, lang))
        }
    }
}

/// A change, marked when its baseline is estimated across a reorganisation.
fn change_cell(c: Option<&Change>, lang: Lang) -> Markup {
    html! {
        (fmt_change(c, lang))
        @if c.is_some_and(|c| c.estimated) {
            " " abbr title=(Msg::EstimatedChange.get(lang)) { "*" }
        }
    }
}

fn flag(low: bool, lang: Lang) -> Markup {
    html! { @if low { " " abbr title=(Msg::LowSample.get(lang)) { "†" } } }
}

fn component_rows(c: &ComponentResult, depth: usize, lang: Lang, compare: bool) -> Markup {
    html! {
        tr {
            th scope="row" class={ "d" (depth.min(3)) } { (c.code) " · " (pick(&c.title, &c.title_en, lang)) }
            td.num { strong { (fmt_rate(c.rate, lang)) } (flag(c.low_sample, lang)) }
            td.num {} td.num { (c.valid_n) } td.num {}
            @if compare { td.num { (change_cell(c.change.as_ref(), lang)) } }
        }
        @for sub in &c.components { (component_rows(sub, depth + 1, lang, compare)) }
        @for i in &c.items {
            tr {
                td class={ "d" ((depth + 1).min(3)) } { (i.code) " · " (pick(&i.text, &i.text_en, lang)) }
                td.num { (fmt_rate(i.rate, lang)) (flag(i.low_sample, lang)) }
                td.num {
                    @if let Some([lo, hi]) = i.ci95 { (fmt_num(lo, lang)) " – " (fmt_num(hi, lang)) } @else { "—" }
                }
                td.num { (i.valid_n) }
                td.num { (i.satisfied_n) }
                @if compare { td.num { (change_cell(i.change.as_ref(), lang)) } }
            }
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

/// One unit's (`anchor` "u") or roll-up's ("r") section: its tree of
/// figures, points, distributions and breakdowns.
pub fn unit_section(u: &UnitResult, anchor: &str, lang: Lang, compare: bool) -> Markup {
    html! {
        section id={ (anchor) "-" (u.unit_code) } {
            h2 { (u.unit_name) " (" (u.unit_code) ")" }
            p {
                (Msg::Respondents.get(lang)) ": " (u.respondents)
                @if let Some(t) = u.target { " / " (Msg::Target.get(lang)) ": " (t) }
                " · " (Msg::Overall.get(lang)) ": " strong { (fmt_rate(u.overall.rate, lang)) } (flag(u.overall.low_sample, lang))
                @if let Some(r) = u.rank { " · " (Msg::Rank.get(lang)) ": " (r) }
                @if let Some(p) = u.overall.points { " · " (Msg::IndexPoints.get(lang)) ": " (fmt_num(p, lang)) }
            }
            @if u.respondents == 0 {
                p.muted { (Msg::NoData.get(lang)) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (Msg::Criterion.get(lang)) }
                        th.num scope="col" { (Msg::Rate.get(lang)) }
                        th.num scope="col" { (Msg::Ci95.get(lang)) }
                        th.num scope="col" { (Msg::ValidN.get(lang)) }
                        th.num scope="col" { (Msg::SatisfiedN.get(lang)) }
                        @if compare { th.num scope="col" { (Msg::Change.get(lang)) } }
                    } }
                    tbody { @for c in &u.components { (component_rows(c, 0, lang, compare)) } }
                } }
                @if let Some(p) = &u.points {
                    div.table-wrap { table {
                        caption.muted { (Msg::Points.get(lang)) }
                        thead { tr {
                            th scope="col" { (Msg::Field.get(lang)) }
                            th.num scope="col" { (Msg::Points.get(lang)) }
                            th.num scope="col" { (Msg::MaxPoints.get(lang)) }
                        } }
                        tbody {
                            @for f in &p.fields {
                                tr { th scope="row" { (f.code) } td.num { (fmt_num(f.points, lang)) } td.num { (fmt_num(f.max_points, lang)) } }
                            }
                            tr { th scope="row" { (Msg::Total.get(lang)) } td.num { strong { (fmt_num(p.total, lang)) } } td.num { (fmt_num(p.max_total, lang)) } }
                        }
                    } }
                }
                @let unscored: Vec<_> = u.distributions.iter().filter(|d| !d.scored && d.n > 0).collect();
                @if !unscored.is_empty() {
                    details {
                        summary { (Msg::Distributions.get(lang)) }
                        // Outside the scrolling wrapper, so a phone shows it whole.
                        p.muted {
                            (Msg::ShareNote.get(lang))
                            @if unscored.iter().any(|d| d.multiple) { " " (Msg::MultipleChoiceNote.get(lang)) }
                        }
                        div.table-wrap { table {
                            thead { tr {
                                th scope="col" { (Msg::Question.get(lang)) }
                                th scope="col" { (Msg::AnswerOption.get(lang)) }
                                th.num scope="col" { (Msg::Count.get(lang)) }
                                th.num scope="col" { (Msg::ShareOfRespondents.get(lang)) }
                            } }
                            tbody {
                                @for d in unscored {
                                    @for (k, o) in d.options.iter().enumerate() {
                                        tr {
                                            @if k == 0 { th scope="row" rowspan=(d.options.len()) { (distribution_heading(d, lang)) } }
                                            td { (pick(&o.label, &o.label_en, lang)) }
                                            td.num { (o.count) }
                                            td.num { (fmt_num(o.share, lang)) }
                                        }
                                    }
                                }
                            }
                        } }
                    }
                }
                @if !u.breakdowns.is_empty() {
                    details {
                        summary { (Msg::Breakdowns.get(lang)) }
                        div.table-wrap { table {
                            thead { tr {
                                th scope="col" { (Msg::Question.get(lang)) }
                                th scope="col" { (Msg::AnswerOption.get(lang)) }
                                th.num scope="col" { (Msg::Respondents.get(lang)) }
                                th.num scope="col" { (Msg::Overall.get(lang)) }
                            } }
                            tbody {
                                @for b in &u.breakdowns {
                                    @for (k, g) in b.groups.iter().enumerate() {
                                        tr {
                                            @if k == 0 { th scope="row" rowspan=(b.groups.len()) { (pick(&b.text, &b.text_en, lang)) } }
                                            td { (pick(&g.label, &g.label_en, lang)) }
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
                        } }
                    }
                }
            }
        }
    }
}

/// The page body, with each unit's section from `section` (`unit_section`,
/// kept rendered between requests: the sections are most of the page).
pub fn render(
    res: &CampaignResults,
    title: &str,
    lang: Lang,
    section: &dyn Fn(&UnitResult, &str) -> Markup,
) -> Markup {
    let compare = res.compared_with.is_some();
    // No column of dashes when no sample targets were set.
    let targets = res.units.iter().any(|u| u.target.is_some());
    let estimated = res
        .units
        .iter()
        .chain(&res.rollups)
        .any(|u| !u.estimated_from.is_empty());
    // The summary is a ranking: best first, unranked (no data) last.
    let mut ranked: Vec<&UnitResult> = res.units.iter().collect();
    ranked.sort_by_key(|u| u.rank.unwrap_or(u32::MAX));
    html! {
        h1 { (title) }
        p {
            a href={ "/api/v1/campaigns/" (res.campaign_id) "/results" } { "JSON" }
            @if let Some(c) = &res.compared_with { " · " (Msg::ComparedWith.get(lang)) ": " (c.name) }
        }
        p.muted { (Msg::LowSampleNote.get(lang)) " n < " (res.settings.low_sample_n) "." }
        @if estimated {
            p.muted { "* " (Msg::EstimatedNote.get(lang)) }
            p { a href=(with_lang(&format!("/campaigns/{}/results/units-before", res.campaign_id), lang)) { (Msg::UnitsBeforeLink.get(lang)) } }
        }
        div.table-wrap { table {
            caption.muted { (Msg::Overall.get(lang)) }
            thead { tr {
                th.num scope="col" { (Msg::Rank.get(lang)) }
                th scope="col" { (Msg::Unit.get(lang)) }
                th.num scope="col" { (Msg::Respondents.get(lang)) }
                @if targets { th.num scope="col" { (Msg::Target.get(lang)) } }
                th.num scope="col" { (Msg::Overall.get(lang)) }
                @if compare {
                    th.num scope="col" { (Msg::Change.get(lang)) }
                    th.num scope="col" { (Msg::RankBefore.get(lang)) }
                }
            } }
            tbody {
                @for u in &ranked {
                    tr {
                        td.num { @if let Some(r) = u.rank { (r) } @else { "—" } }
                        th scope="row" { a href={ "#u-" (u.unit_code) } { (u.unit_name) } }
                        td.num { (u.respondents) }
                        @if targets { td.num { @if let Some(t) = u.target { (t) } @else { "—" } } }
                        td.num { (fmt_rate(u.overall.rate, lang)) (flag(u.overall.low_sample, lang)) }
                        @if compare {
                            td.num { (change_cell(u.overall.change.as_ref(), lang)) }
                            td.num { @if let Some(r) = u.rank_before { (r) } @else { "—" } }
                        }
                    }
                }
            }
        } }
        figure { (crate::web::charts::ranking(&ranked, lang)) }
        figure { (crate::web::charts::components(&ranked, lang)) }
        @if compare { figure { (crate::web::charts::change(&ranked, lang)) } }
        @if !res.rollups.is_empty() {
            div.table-wrap { table {
                caption.muted { (Msg::Rollups.get(lang)) }
                thead { tr {
                    th scope="col" { (Msg::Unit.get(lang)) }
                    th.num scope="col" { (Msg::UnitsIncluded.get(lang)) }
                    th.num scope="col" { (Msg::Respondents.get(lang)) }
                    @if targets { th.num scope="col" { (Msg::Target.get(lang)) } }
                    th.num scope="col" { (Msg::Overall.get(lang)) }
                    @if compare { th.num scope="col" { (Msg::Change.get(lang)) } }
                } }
                tbody {
                    @for u in &res.rollups {
                        tr {
                            th scope="row" { a href={ "#r-" (u.unit_code) } { (u.unit_name) } }
                            td.num { (u.units_included.len()) }
                            td.num { (u.respondents) }
                            @if targets { td.num { @if let Some(t) = u.target { (t) } @else { "—" } } }
                            td.num { (fmt_rate(u.overall.rate, lang)) (flag(u.overall.low_sample, lang)) }
                            @if compare { td.num { (change_cell(u.overall.change.as_ref(), lang)) } }
                        }
                    }
                }
            } }
        }
        @for u in &res.rollups { (section(u, "r")) }
        @for u in &res.units { (section(u, "u")) }
    }
}

/// A campaign reported by the units before the reorganisation.
pub fn units_before(res: &UnitsBefore, title: &str, lang: Lang) -> Markup {
    let compare = res.compared_with.is_some();
    html! {
        h1 { (title) }
        p { a href=(with_lang(&format!("/campaigns/{}/results", res.campaign_id), lang)) { "← " (res.campaign_name) } }
        p { (Msg::UnitsBeforeNote.get(lang)) }
        @if let Some(c) = &res.compared_with { p { (Msg::ComparedWith.get(lang)) ": " (c.name) } }
        @if res.units.is_empty() {
            p.muted { (Msg::NoUnitsBefore.get(lang)) }
        } @else {
            // Four columns, so the table fits a phone: the respondents go
            // under the unit's name, the previous figure under the change.
            div.table-wrap { table {
                thead { tr {
                    th.num scope="col" { (Msg::Rank.get(lang)) }
                    th scope="col" { (Msg::Unit.get(lang)) }
                    th.num scope="col" { (Msg::Overall.get(lang)) }
                    @if compare { th.num scope="col" { (Msg::Change.get(lang)) } }
                } }
                tbody { @for u in &res.units {
                    tr {
                        td.num { @if let Some(r) = u.rank { (r) } @else { "—" } }
                        th scope="row" {
                            (u.unit_name)
                            br;
                            span.muted { (u.unit_code) " · " (Msg::Respondents.get(lang)) " ≈ " (u.respondents) }
                        }
                        td.num { (fmt_rate(u.overall.rate, lang)) }
                        @if compare {
                            td.num {
                                (fmt_change(u.overall.change.as_ref(), lang))
                                br;
                                span.muted { (Msg::PreviousRate.get(lang)) " " (fmt_rate(u.overall.change.and_then(|c| c.previous), lang)) }
                            }
                        }
                    }
                } }
            } }
        }
    }
}
