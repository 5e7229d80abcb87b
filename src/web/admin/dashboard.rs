//! The dashboard's open campaigns: responses today, this week and in total
//! against target, the personal links, and the units furthest behind.
use maud::{html, Markup};

use super::Ctx;
use crate::i18n::Msg;
use crate::service::dashboard::Pulse;
use crate::web::layout::fmt_rate;

fn figure(label: &str, value: impl std::fmt::Display) -> Markup {
    html! { div.figure { dt { (label) } dd { (value) } } }
}

pub fn open_campaigns(ctx: &Ctx, pulses: &[Pulse]) -> Markup {
    html! {
        @if pulses.is_empty() {
            p.muted { (ctx.t(Msg::NoOpenCampaigns)) }
        }
        @for p in pulses {
            @let id = p.campaign.id.as_str();
            section.pulse aria-labelledby={ "c-" (id) } {
                h2 id={ "c-" (id) } { a href=(ctx.href(&format!("/admin/campaigns/{id}"))) { (p.campaign.name) } }
                p.muted.small {
                    (p.campaign.period_start) " – " (p.campaign.period_end) " · " (p.units) " " (ctx.t(Msg::Units).to_lowercase())
                }
                dl.figures {
                    (figure(ctx.t(Msg::Today), p.today))
                    (figure(ctx.t(Msg::Last7Days), p.week))
                    (figure(ctx.t(Msg::Total), p.total))
                    @if let Some(t) = p.target {
                        (figure(ctx.t(Msg::Target), format!("{t} ({} %)", fmt_rate(Some(if t == 0 { 100.0 } else { 100.0 * p.total as f64 / t as f64 }), ctx.lang))))
                    }
                    (figure(ctx.t(Msg::DaysLeft), p.days_left.max(0)))
                }
                @if let Some(i) = &p.invitations {
                    h3 { (ctx.t(Msg::PersonalLinks)) }
                    dl.figures {
                        (figure(ctx.t(Msg::Invited), i.invited))
                        (figure(ctx.t(Msg::Sent), i.sent))
                        (figure(ctx.t(Msg::Bounced), i.bounced))
                        (figure(ctx.t(Msg::OptedOut), i.opted_out))
                        (figure(ctx.t(Msg::Answered), i.answered))
                    }
                }
                @if !p.behind.is_empty() {
                    h3 { (ctx.t(Msg::FurthestBehind)) }
                    ol.behind {
                        @for b in &p.behind {
                            li {
                                span lang="vi" { (b.name) } ": " (b.respondents) " / " (b.target)
                                " (" (fmt_rate(Some(b.reached()), ctx.lang)) " %)"
                            }
                        }
                    }
                }
            }
        }
    }
}
