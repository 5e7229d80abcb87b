//! The page shell shared by every HTML page.
use maud::{html, Markup, DOCTYPE};

use crate::domain::campaign::CampaignStatus;
use crate::i18n::{Lang, Msg};

/// `switch` is the URL of this page in the other language, when there is one.
pub fn page(lang: Lang, title: &str, switch: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (Msg::AppName.get(lang)) }
                link rel="stylesheet" href="/static/app.css";
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
            }
            body {
                a.skip href="#main" { (Msg::SkipToContent.get(lang)) }
                header.site {
                    a.brand href={ "/?lang=" (lang.code()) } { (Msg::AppName.get(lang)) }
                    @if let Some(href) = switch {
                        a.lang href=(href) lang=(lang.other().code()) { (Msg::SwitchLang.get(lang)) }
                    }
                }
                main #main { (body) }
            }
        }
    }
}

/// Append `lang=xx` to a path that may already have a query.
pub fn with_lang(path: &str, lang: Lang) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={}", lang.code())
}

/// A rate for display: two decimals, Vietnamese decimal comma.
pub fn fmt_rate(rate: Option<f64>, lang: Lang) -> String {
    match rate {
        None => "—".to_string(),
        Some(r) => {
            let s = format!("{:.2}", crate::domain::scoring::round_display(r, 2));
            match lang {
                Lang::Vi => s.replace('.', ","),
                Lang::En => s,
            }
        }
    }
}

/// A campaign's status as people read it.
pub fn status_text(s: CampaignStatus, lang: Lang) -> &'static str {
    match s {
        CampaignStatus::Draft => Msg::StatusDraft.get(lang),
        CampaignStatus::Open => Msg::StatusOpen.get(lang),
        CampaignStatus::Closed => Msg::StatusClosed.get(lang),
    }
}
