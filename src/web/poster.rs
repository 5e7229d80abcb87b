//! The A4 poster of an open link for the one-stop desk: the unit's name, a
//! QR code large enough to scan from across a counter, the short link in
//! type a person can copy, the period and the time the form takes. The
//! links to the image files are for the screen only.
use maud::{html, Markup, PreEscaped};

use crate::domain::template::Template;
use crate::i18n::{Lang, Msg};
use crate::service::campaigns::{CampaignRecord, ServiceRecord};

pub struct Poster<'a> {
    pub campaign: &'a CampaignRecord,
    pub unit_name: &'a str,
    pub service: Option<&'a ServiceRecord>,
    pub template: &'a Template,
    /// The short URL the QR code carries and the poster prints.
    pub url: &'a str,
    /// The QR code of `url`, as SVG.
    pub qr_svg: &'a str,
    /// The form's own path, for the screen-only image links.
    pub form_path: &'a str,
}

pub fn poster(p: &Poster<'_>, lang: Lang) -> Markup {
    let qs = p
        .service
        .map(|s| format!("?dv={}", s.code))
        .unwrap_or_default();
    let shown = p
        .url
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    html! {
        article.poster {
            p.poster-unit lang="vi" { (p.unit_name) }
            @if let Some(s) = p.service { p.poster-service { (Msg::Service.get(lang)) ": " (s.name) } }
            h1 { (Msg::PosterTitle.get(lang)) }
            figure.poster-qr { (PreEscaped(p.qr_svg)) }
            p.poster-url {
                @match shown.split_once("/k/") {
                    Some((host, code)) => { (host) wbr; span.nowrap { "/k/" (code) } }
                    None => { (shown) }
                }
            }
            p.poster-scan {
                (Msg::PosterScan.get(lang)) " "
                (Msg::PosterMinutes.get(lang)) " " (p.template.minutes_to_answer()) " " (Msg::Minutes.get(lang)) "."
            }
            p.poster-period {
                (Msg::SurveyPeriod.get(lang)) ": "
                (p.campaign.period_start.format("%d/%m/%Y")) " – " (p.campaign.period_end.format("%d/%m/%Y"))
            }
            p.screen-only.muted {
                a href={ (p.form_path) "/qr.svg" (qs) } { "QR SVG" } " · "
                a href={ (p.form_path) "/qr.png" (qs) } { "QR PNG" }
            }
        }
    }
}
