//! The respondent's questionnaire: plain HTML that works without JavaScript,
//! one fieldset and legend per question, errors next to each field and in a
//! summary at the top that links to them.
use std::collections::BTreeMap;

use maud::{html, Markup};

use crate::domain::paging;
use crate::domain::response::{FieldError, Given};
use crate::domain::template::ItemCode;
use crate::domain::template::{Item, ScaleKind, Template};
use crate::i18n::{Lang, Msg};
use crate::service::responses::{
    FormContext, ACTION_FIELD, HONEYPOT_FIELD, KEY_FIELD, PAGE_FIELD, SERVICE_FIELD,
};
use crate::web::layout::{page as page_shell, with_lang};

pub fn form_path(campaign_id: &str, unit_code: &str) -> String {
    format!("/s/{campaign_id}/{unit_code}")
}

fn error_text(e: FieldError, lang: Lang) -> String {
    match e {
        FieldError::Required => Msg::ErrRequired.get(lang).to_string(),
        FieldError::NotAnOption => Msg::ErrNotAnOption.get(lang).to_string(),
        FieldError::TooMany(n) => format!("{} {n}.", Msg::ErrTooMany.get(lang)),
        FieldError::TooLong(n) => format!("{} {n}.", Msg::ErrTooLong.get(lang)),
    }
}

/// "Câu 3. …": a question as people refer to it, by its place in the
/// questionnaire and its text (codes are for analysts).
fn number_text(t: &crate::domain::template::Template, item: &Item, lang: Lang) -> String {
    let n = t
        .items
        .iter()
        .position(|i| i.code == item.code)
        .map_or(0, |p| p + 1);
    format!(
        "{} {n}. {}",
        Msg::QuestionNumber.get(lang),
        item.text.get(lang)
    )
}

fn field_id(item: &Item) -> String {
    format!("q-{}", item.code)
}

fn question(
    t: &Template,
    item: &Item,
    lang: Lang,
    given: &Given,
    error: Option<FieldError>,
) -> Markup {
    let scale = t.scale_of(item);
    let id = field_id(item);
    let err_id = format!("{id}-error");
    let chosen: Vec<&str> = given
        .get(item.code.as_str())
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let described = error.map(|_| err_id.clone());
    let class = match (scale.kind, error.is_some()) {
        (ScaleKind::Ordinal, true) => "scale invalid",
        (ScaleKind::Ordinal, false) => "scale",
        (_, true) => "invalid",
        (_, false) => "",
    };
    html! {
        @if scale.kind == ScaleKind::Text {
            div.field {
                label for=(id) { strong { (number_text(t, item, lang)) } @if item.required { " " span.req aria-hidden="true" { "*" } } }
                @if let Some(e) = error { p.error-msg id=(err_id) { (error_text(e, lang)) } }
                textarea id=(id) name=(item.code) maxlength=(scale.max_length) aria-describedby=[described] aria-invalid=[error.map(|_| "true")] {
                    (chosen.first().copied().unwrap_or(""))
                }
            }
        } @else {
            fieldset id=(id) class=(class) aria-describedby=[described] {
                legend { (number_text(t, item, lang)) @if item.required { " " span.req aria-hidden="true" { "*" } } }
                @if let Some(e) = error { p.error-msg id=(err_id) { (error_text(e, lang)) } }
                div.choices {
                    @for opt in &scale.options {
                        @let input_id = format!("{id}-{}", opt.value);
                        @let value = opt.value.to_string();
                        @let checked = chosen.contains(&value.as_str());
                        label.choice for=(input_id) {
                            @if scale.kind == ScaleKind::Multiple {
                                input type="checkbox" id=(input_id) name=(item.code) value=(value) checked[checked];
                            } @else {
                                input type="radio" id=(input_id) name=(item.code) value=(value) checked[checked] required[item.required];
                            }
                            span { @if scale.kind == ScaleKind::Ordinal && !opt.excluded { (opt.value) " – " } (opt.label().get(lang)) }
                        }
                    }
                }
            }
        }
    }
}

/// One page of the questionnaire. Answers to questions on other pages ride
/// along as hidden fields, so nothing entered is ever lost between pages.
pub struct PageView<'a> {
    pub ctx: &'a FormContext,
    pub lang: Lang,
    pub given: &'a Given,
    pub errors: &'a BTreeMap<ItemCode, FieldError>,
    pub page: usize,
    pub key: &'a str,
    /// Where the form posts: the open link by default, or a personal link.
    pub action: Option<&'a str>,
    /// Offer "save and continue later" (personal links keep progress).
    pub save_for_later: bool,
    /// A note above the questionnaire (the preview says nothing is stored).
    pub notice: Option<Markup>,
}

pub fn render(v: &PageView<'_>) -> Markup {
    let (ctx, lang, given, errors) = (v.ctx, v.lang, v.given, v.errors);
    let t = &ctx.template;
    let pages = paging::pages(t);
    let page = v.page.min(pages.len().saturating_sub(1));
    let shown = paging::items_on(t, &pages, page, given);
    let shown_codes: Vec<&str> = shown.iter().map(|i| i.code.as_str()).collect();
    let last = page + 1 >= pages.len();
    let path = v
        .action
        .map(str::to_string)
        .unwrap_or_else(|| form_path(&ctx.campaign.id, &ctx.unit.code));
    let service_q = ctx
        .service
        .as_ref()
        .map(|s| format!("&dv={}", s.code))
        .unwrap_or_default();
    let title = t.title.get(lang);
    let confidentiality = t
        .confidentiality
        .as_ref()
        .map(|c| c.get(lang).to_string())
        .unwrap_or_else(|| Msg::ConfidentialityDefault.get(lang).to_string());
    let page_title = if errors.is_empty() {
        title.to_string()
    } else {
        format!("{} {}", Msg::ErrorSummaryTitle.get(lang), title)
    };
    let switch = format!("{}{}", with_lang(&path, lang.other()), service_q);
    page_shell(
        lang,
        &page_title,
        Some(&switch),
        html! {
            @if let Some(n) = &v.notice { (n) }
            h1 { (title) }
            p.muted {
                (Msg::Unit.get(lang)) ": " strong { (ctx.unit.name) }
                @if let Some(s) = &ctx.service { " · " (Msg::Service.get(lang)) ": " (s.name) }
                " · " (ctx.campaign.name)
            }
            @if !errors.is_empty() {
                // Focused on arrival, so a screen reader reads it first.
                div.error-summary role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title" {
                    h2 #error-summary-title { (Msg::ErrorSummaryTitle.get(lang)) }
                    ul {
                        @for (code, e) in errors {
                            @if let Some(item) = t.item(code) {
                                li { a href={ "#" (field_id(item)) } { (number_text(t, item, lang)) ": " (error_text(*e, lang)) } }
                            }
                        }
                    }
                }
            }
            @if page == 0 {
                @if !t.purpose.vi.is_empty() {
                    div.notice { p { strong { (Msg::Purpose.get(lang)) ": " } (t.purpose.get(lang)) } }
                }
                div.notice { p { strong { (Msg::ConfidentialityTitle.get(lang)) ": " } (confidentiality) } }
            }
            @if pages.len() > 1 {
                p.progress { (Msg::PageOf.get(lang)) " " (page + 1) "/" (pages.len()) }
            }
            p.muted { (Msg::RequiredNote.get(lang)) }
            form method="post" action=(with_lang(&path, lang)) novalidate {
                input type="hidden" name=(PAGE_FIELD) value=(page);
                input type="hidden" name=(KEY_FIELD) value=(v.key);
                @if let Some(s) = &ctx.service { input type="hidden" name=(SERVICE_FIELD) value=(s.code); }
                @for item in &t.items {
                    @if !shown_codes.contains(&item.code.as_str()) {
                        @for value in given.get(item.code.as_str()).map(|v| v.as_slice()).unwrap_or_default() {
                            input type="hidden" name=(item.code) value=(value);
                        }
                    }
                }
                // A trap for bots: hidden from sight, from screen readers and from the tab order.
                div.hp aria-hidden="true" {
                    label for="website" { (Msg::HoneypotLabel.get(lang)) }
                    input #website type="text" name=(HONEYPOT_FIELD) tabindex="-1" autocomplete="off" value="";
                }
                @for section in &t.sections {
                    @let items: Vec<&&Item> = shown.iter().filter(|i| i.section == section.code).collect();
                    @if !items.is_empty() {
                        h2 { (section.title.get(lang)) }
                        @for item in items {
                            (question(t, item, lang, given, errors.get(item.code.as_str()).copied()))
                        }
                    }
                }
                div.actions {
                    button type="submit" name=(ACTION_FIELD) value="next" {
                        @if last { (Msg::Submit.get(lang)) } @else { (Msg::Next.get(lang)) }
                    }
                    @if page > 0 {
                        button.secondary type="submit" name=(ACTION_FIELD) value="back" { (Msg::Back.get(lang)) }
                    }
                    @if v.save_for_later {
                        button.secondary type="submit" name=(ACTION_FIELD) value="save" { (Msg::SaveForLater.get(lang)) }
                    }
                }
            }
        },
    )
}

pub fn thanks(ctx: &FormContext, lang: Lang) -> Markup {
    let path = format!("{}/thanks", form_path(&ctx.campaign.id, &ctx.unit.code));
    page_shell(
        lang,
        Msg::ThanksTitle.get(lang),
        Some(&with_lang(&path, lang.other())),
        html! {
            h1 { (Msg::ThanksTitle.get(lang)) }
            p { (Msg::ThanksBody.get(lang)) }
            p.muted { (ctx.template.title.get(lang)) " · " (ctx.unit.name) }
        },
    )
}

/// The paper questionnaire: every question with boxes to tick, conditions
/// written out, laid out for A4 by the print stylesheet.
pub fn paper(ctx: &FormContext, lang: Lang) -> Markup {
    let path = format!("{}/print", form_path(&ctx.campaign.id, &ctx.unit.code));
    paper_at(ctx, lang, &path)
}

/// The paper questionnaire shown at `path` (its language link's target).
pub fn paper_at(ctx: &FormContext, lang: Lang, path: &str) -> Markup {
    let t = &ctx.template;
    let title = t.title.get(lang);
    let confidentiality = t
        .confidentiality
        .as_ref()
        .map(|c| c.get(lang).to_string())
        .unwrap_or_else(|| Msg::ConfidentialityDefault.get(lang).to_string());
    page_shell(
        lang,
        title,
        Some(&with_lang(path, lang.other())),
        html! {
            div.paper {
                p.muted { (ctx.campaign.name) }
                h1 { (title) }
                p { (Msg::Unit.get(lang)) ": " strong { (ctx.unit.name) } }
                @if !t.purpose.vi.is_empty() { p { (t.purpose.get(lang)) } }
                p { em { (confidentiality) } }
                p { strong { (Msg::PaperInstructions.get(lang)) } }
                @for section in &t.sections {
                    @let items: Vec<&Item> = t.items.iter().filter(|i| i.section == section.code).collect();
                    @if !items.is_empty() {
                        h2 { (section.title.get(lang)) }
                        @for item in items {
                            @let scale = t.scale_of(item);
                            div.paper-item {
                                p {
                                    strong { (item.code) ". " } (item.text.get(lang))
                                    @if scale.kind == ScaleKind::Multiple {
                                        " " em.muted { "(" (Msg::PaperSeveral.get(lang)) ")" }
                                    }
                                    @if let Some(c) = &item.ask_if {
                                        " " em.muted { "(" (Msg::PaperOnlyIf.get(lang)) " " (c.item) " = "
                                            (c.values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" / ")) ")" }
                                    }
                                }
                                @if scale.kind == ScaleKind::Text {
                                    div.paper-lines {}
                                } @else {
                                    ul.paper-options {
                                        @for opt in &scale.options {
                                            li { span.box aria-hidden="true" {} " " (opt.value) ". " (opt.label().get(lang)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.muted { (Msg::PaperThanks.get(lang)) }
            }
        },
    )
}
