//! The ranking report a city publishes: each block's ranking with the
//! index, band, change and sample per unit, the levels above them, and the
//! method in two sentences; on a phone, on A4 paper (print stylesheet), and
//! on the public page of a published campaign.
use maud::{html, Markup};

use super::{block_name, block_order, levels_table, ranking_table, TableUse};
use crate::domain::ranking::{Block, Standing};
use crate::i18n::{Lang, Msg};
use crate::service::results::CampaignResults;
use crate::web::layout::fmt_rate;

pub struct ReportView<'a> {
    pub results: &'a CampaignResults,
    /// The period of the campaign, as people read it.
    pub period: String,
    pub published_on: Option<chrono::NaiveDate>,
    /// The XLSX of the same report.
    pub xlsx_href: String,
    /// Figures of units with fewer respondents are withheld (the template's
    /// `min_cell`) on the public page.
    pub public: bool,
    pub min_cell: u64,
}

pub fn report(v: &ReportView<'_>, lang: Lang) -> Markup {
    let res = v.results;
    let compare = res.compared_with.is_some();
    let s = &res.settings;
    let how = TableUse {
        anchors: false,
        suppress_below: if v.public { v.min_cell } else { 0 },
    };
    html! {
        article.report {
            h1 { (Msg::ReportTitle.get(lang)) }
            p.report-campaign { strong { (res.campaign_name) } br; (Msg::SurveyPeriod.get(lang)) ": " (v.period) }
            @if let Some(d) = v.published_on { p.muted.small { (Msg::PublishedOn.get(lang)) " " (d.format("%d/%m/%Y")) } }
            @if let Some(c) = &res.compared_with { p { (Msg::ComparedWith.get(lang)) ": " (c.name) } }
            p.method { (Msg::ReportMethod.get(lang)) " " (Msg::RankingMethod.get(lang)) }
            p.muted.small {
                (Msg::RankMinNote.get(lang)) " " (s.rank_min_respondents) ". "
                (Msg::BandNote.get(lang)) " A ≥ " (fmt_rate(Some(s.bands.a), lang))
                ", B ≥ " (fmt_rate(Some(s.bands.b), lang)) ", C ≥ " (fmt_rate(Some(s.bands.c), lang)) "; D < " (fmt_rate(Some(s.bands.c), lang)) "."
            }
            @for block in Block::ALL {
                @let units = block_order(&res.units, block);
                @if !units.is_empty() {
                    (ranking_table(&units, block, lang, compare, how))
                }
            }
            @if !res.rollups.is_empty() { (levels_table(res, lang, compare, false)) }
            p.screen-only { a href=(v.xlsx_href) { (Msg::ReportXlsx.get(lang)) } }
        }
    }
}

/// The report's rows for a spreadsheet: block, rank, unit, index, band,
/// change, previous rank, respondents, standing.
pub fn rows(res: &CampaignResults, lang: Lang) -> Vec<ReportRow> {
    let mut out = Vec::new();
    for block in Block::ALL {
        for u in block_order(&res.units, block) {
            out.push(ReportRow {
                block: block_name(block).get(lang).to_string(),
                rank: u.rank,
                code: u.unit_code.clone(),
                name: u.unit_name.clone(),
                index: u.overall.rate,
                band: u.band.map(|b| b.as_str().to_string()),
                change: u.overall.change.and_then(|c| c.delta),
                rank_before: u.rank_before,
                respondents: u.respondents,
                standing: match u.standing {
                    Standing::TooFewRespondents => Msg::TooFewResponses.get(lang).to_string(),
                    Standing::NoData => Msg::NoData.get(lang).to_string(),
                    _ => String::new(),
                },
            });
        }
    }
    out
}

pub struct ReportRow {
    pub block: String,
    pub rank: Option<u32>,
    pub code: String,
    pub name: String,
    pub index: Option<f64>,
    pub band: Option<String>,
    pub change: Option<f64>,
    pub rank_before: Option<u32>,
    pub respondents: u64,
    pub standing: String,
}
