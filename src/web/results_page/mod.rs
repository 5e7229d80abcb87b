//! The results page of a campaign, phone first: the ranking of each block
//! of units (departments; districts; communes and wards) comes first, with
//! the levels above the units (the city, a district) apart from it; then the
//! charts; then each unit's summary, opened from the ranking. Each unit's
//! criteria, distributions and breakdowns have a page of their own.
use maud::{html, Markup};

use crate::domain::ranking::{Block, Standing};
use crate::domain::scoring::Change;
use crate::i18n::{Lang, Msg};
use crate::service::results::{CampaignResults, UnitResult};
use crate::web::charts::{self, Bar};
use crate::web::layout::{fmt_rate, with_lang};

mod before;
mod unit;

pub use before::units_before;
pub use unit::{unit_detail, unit_summary};
pub mod report;

/// The English text when there is one, else the Vietnamese.
fn pick<'a>(vi: &'a str, en: &'a str, lang: Lang) -> &'a str {
    if lang == Lang::En && !en.is_empty() {
        en
    } else {
        vi
    }
}

/// `lang="vi"` on a Vietnamese name inside an English page.
fn vi_in(lang: Lang) -> Option<&'static str> {
    (lang == Lang::En).then_some("vi")
}

fn fmt_change(c: Option<&Change>, lang: Lang) -> String {
    match c.and_then(|c| c.delta) {
        None => "—".to_string(),
        Some(d) => charts::signed(d, lang),
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

pub fn block_name(b: Block) -> Msg {
    match b {
        Block::Departments => Msg::BlockDepartments,
        Block::Districts => Msg::BlockDistricts,
        Block::Communes => Msg::BlockCommunes,
        Block::City => Msg::BlockCity,
    }
}

/// The page of one unit (or level) of the campaign.
pub fn unit_path(campaign_id: &str, u: &UnitResult) -> String {
    let kind = if u.standing == Standing::Level && !u.units_included.is_empty() {
        "levels"
    } else {
        "units"
    };
    format!("/campaigns/{campaign_id}/results/{kind}/{}", u.unit_code)
}

/// A block's units in the order of its ranking: ranked units by rank, then
/// those with too few respondents, then those with no data.
pub fn block_order(units: &[UnitResult], block: Block) -> Vec<&UnitResult> {
    let mut out: Vec<&UnitResult> = units
        .iter()
        .filter(|u| u.block == block && u.standing != Standing::Level)
        .collect();
    out.sort_by_key(|u| {
        let order = match u.standing {
            Standing::Ranked => 0,
            Standing::TooFewRespondents => 1,
            _ => 2,
        };
        (order, u.rank.unwrap_or(u32::MAX))
    });
    out
}

/// The mean index of a block's ranked units, and the mean of their changes
/// where every one of them has a previous figure.
fn block_average(units: &[&UnitResult]) -> Option<(f64, usize, Option<f64>)> {
    let ranked: Vec<&&UnitResult> = units
        .iter()
        .filter(|u| u.standing == Standing::Ranked)
        .collect();
    let rates: Vec<f64> = ranked.iter().filter_map(|u| u.overall.rate).collect();
    if rates.is_empty() {
        return None;
    }
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    let deltas: Vec<f64> = ranked
        .iter()
        .filter_map(|u| u.overall.change.and_then(|c| c.delta))
        .collect();
    let change =
        (deltas.len() == ranked.len()).then(|| deltas.iter().sum::<f64>() / deltas.len() as f64);
    Some((mean, rates.len(), change))
}

/// How a ranking table is shown: on the results page its names open the
/// unit's summary; in the public report they are plain, and a unit with
/// fewer respondents than `suppress_below` shows no figure.
#[derive(Clone, Copy)]
pub struct TableUse {
    pub anchors: bool,
    pub suppress_below: u64,
}

/// The ranking of one block: position, unit, index, change.
pub fn ranking_table(
    units: &[&UnitResult],
    block: Block,
    lang: Lang,
    compare: bool,
    how: TableUse,
) -> Markup {
    let avg = block_average(units);
    html! {
        section.block aria-labelledby={ "b-" (block.as_str()) } {
            h2 id={ "b-" (block.as_str()) } { (block_name(block).get(lang)) }
            @if let Some((mean, n, change)) = avg {
                p.block-average {
                    (Msg::BlockAverage.get(lang)) ": " strong { (fmt_rate(Some(mean), lang)) }
                    " (" (n) " " (Msg::UnitsRanked.get(lang)) ")"
                    @if let Some(d) = change { " · " (Msg::ChangeShort.get(lang)) " " (charts::signed(d, lang)) }
                }
            }
            table.ranking {
                thead { tr {
                    th.num scope="col" { (Msg::RankShort.get(lang)) }
                    th scope="col" { (Msg::Unit.get(lang)) }
                    th.num scope="col" { (Msg::Overall.get(lang)) }
                    @if compare { th.num scope="col" { (Msg::ChangeShort.get(lang)) } }
                } }
                tbody {
                    @for u in units {
                        tr.unranked[u.standing != Standing::Ranked] {
                            td.num.pos { @if let Some(r) = u.rank { (r) } @else { "—" } }
                            th scope="row" {
                                @if how.anchors {
                                    a href={ "#u-" (u.unit_code) } lang=[vi_in(lang)] { (u.unit_name) }
                                } @else {
                                    span lang=[vi_in(lang)] { (u.unit_name) }
                                }
                                br;
                                span.muted.small {
                                    "n = " (u.respondents)
                                    @if let Some(t) = u.target { " / " (t) }
                                }
                                @if u.standing == Standing::TooFewRespondents {
                                    br; span.few { (Msg::TooFewResponses.get(lang)) }
                                }
                            }
                            @if u.respondents < how.suppress_below {
                                td.num { abbr title=(Msg::SuppressedNote.get(lang)) { (Msg::Suppressed.get(lang)) } }
                            } @else { td.num {
                                strong { (fmt_rate(u.overall.rate, lang)) } (flag(u.overall.low_sample, lang))
                                @if let (Some(b), Standing::Ranked) = (u.band, u.standing) {
                                    br; span.band { (Msg::BandShort.get(lang)) " " (b.as_str()) }
                                }
                            } }
                            @if compare {
                                td.num {
                                    (change_cell(u.overall.change.as_ref(), lang))
                                    @if let Some(r) = u.rank_before {
                                        br; span.muted.small { (Msg::RankBeforeShort.get(lang)) " " (r) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The levels above the units: never ranked, each with its units' count.
pub fn levels_table(res: &CampaignResults, lang: Lang, compare: bool, anchors: bool) -> Markup {
    html! {
        section aria-labelledby="levels" {
            h2 #levels { (Msg::Rollups.get(lang)) }
            table.ranking {
                thead { tr {
                    th scope="col" { (Msg::Unit.get(lang)) }
                    th.num scope="col" { (Msg::Overall.get(lang)) }
                    @if compare { th.num scope="col" { (Msg::ChangeShort.get(lang)) } }
                } }
                tbody {
                    @for u in &res.rollups {
                        tr {
                            th scope="row" {
                                @if anchors {
                                    a href={ "#r-" (u.unit_code) } lang=[vi_in(lang)] { (u.unit_name) }
                                } @else {
                                    span lang=[vi_in(lang)] { (u.unit_name) }
                                }
                                br;
                                span.muted.small {
                                    (u.units_included.len()) " " (Msg::UnitsIncluded.get(lang).to_lowercase())
                                    " · n = " (u.respondents)
                                }
                            }
                            td.num { strong { (fmt_rate(u.overall.rate, lang)) } (flag(u.overall.low_sample, lang)) }
                            @if compare { td.num { (change_cell(u.overall.change.as_ref(), lang)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The page body, with each unit's summary from `section` (`unit_summary`,
/// kept rendered between requests).
pub fn render(
    res: &CampaignResults,
    title: &str,
    lang: Lang,
    section: &dyn Fn(&UnitResult, &str) -> Markup,
) -> Markup {
    let compare = res.compared_with.is_some();
    let estimated = res
        .units
        .iter()
        .chain(&res.rollups)
        .any(|u| !u.estimated_from.is_empty());
    let blocks: Vec<(Block, Vec<&UnitResult>)> = Block::ALL
        .iter()
        .map(|b| (*b, block_order(&res.units, *b)))
        .filter(|(_, us)| !us.is_empty())
        .collect();
    let s = &res.settings;
    html! {
        h1 { (title) }
        @if let Some(c) = &res.compared_with { p { (Msg::ComparedWith.get(lang)) ": " (c.name) } }
        p.muted.small {
            (Msg::RankingMethod.get(lang)) " "
            (Msg::RankMinNote.get(lang)) " " (s.rank_min_respondents) "."
        }
        @for (block, units) in &blocks {
            (ranking_table(units, *block, lang, compare, TableUse { anchors: true, suppress_below: 0 }))
        }
        @if !res.rollups.is_empty() { (levels_table(res, lang, compare, true)) }
        p.muted.small {
            (Msg::LowSampleNote.get(lang)) " n < " (s.low_sample_n) ". "
            (Msg::BandNote.get(lang)) " A ≥ " (fmt_rate(Some(s.bands.a), lang))
            ", B ≥ " (fmt_rate(Some(s.bands.b), lang)) ", C ≥ " (fmt_rate(Some(s.bands.c), lang)) "."
        }
        @if estimated {
            p.muted.small { "* " (Msg::EstimatedNote.get(lang)) }
            p { a href=(with_lang(&format!("/campaigns/{}/results/units-before", res.campaign_id), lang)) { (Msg::UnitsBeforeLink.get(lang)) } }
        }
        @for (block, units) in &blocks {
            @let ranked: Vec<Bar> = units.iter()
                .filter(|u| u.standing == Standing::Ranked)
                .map(|u| Bar::unit(&u.unit_name, u.overall.rate)).collect();
            (charts::bars(&format!("{} · {}", block_name(*block).get(lang), Msg::ChartRanking.get(lang)), &ranked, lang))
            @if compare {
                @let moved: Vec<Bar> = units.iter()
                    .filter(|u| u.standing == Standing::Ranked)
                    .map(|u| Bar::unit(&u.unit_name, u.overall.change.and_then(|c| c.delta))).collect();
                (charts::changes(&format!("{} · {}", block_name(*block).get(lang), Msg::ChartChange.get(lang)), &moved, lang))
            }
        }
        h2 { (Msg::UnitDetails.get(lang)) }
        @for u in &res.rollups { (section(u, "r")) }
        @for (_, units) in &blocks { @for u in units { (section(u, "u")) } }
        p {
            a href={ "/api/v1/campaigns/" (res.campaign_id) "/results" } { "JSON" }
        }
    }
}
