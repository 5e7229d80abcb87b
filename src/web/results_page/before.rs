//! A campaign on a new tree reported by the units before the reorganisation.
use maud::{html, Markup};

use super::{fmt_change, vi_in};
use crate::domain::ranking::Standing;
use crate::i18n::{Lang, Msg};
use crate::service::results::UnitsBefore;
use crate::web::layout::{fmt_rate, with_lang};

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
                            span lang=[vi_in(lang)] { (u.unit_name) }
                            br;
                            span.muted { (u.unit_code) " · " (Msg::Respondents.get(lang)) " ≈ " (u.respondents) }
                            @if u.standing == Standing::TooFewRespondents {
                                br; span.few { (Msg::TooFewResponses.get(lang)) }
                            }
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
