//! Admin: every template version, and each one's questionnaire before a
//! campaign is made of it: page by page as a citizen answers it on a phone
//! (skip logic and checks included, nothing stored), and as the paper form.
use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::admin_page;
use super::kit::{ok, ManageCampaigns, Official};
use crate::db::units::UnitRecord;
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::{CampaignId, UnitId};
use crate::domain::paging;
use crate::domain::response::{self, Given};
use crate::domain::unit::{UnitCode, UnitKind};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::campaigns::CampaignRecord;
use crate::service::responses::{FormContext, Posted};
use crate::service::templates;
use crate::web::form::{self, PageView};
use crate::web::layout::{page as page_shell, with_lang};

pub async fn list(me: Official<ManageCampaigns>) -> Result<HttpResponse, AppError> {
    let all = me.run(|_, conn| templates::all(conn)).await?;
    let ctx = &me.ctx;
    let title = ctx.t(Msg::Templates);
    Ok(ok(admin_page(
        ctx,
        "/admin/templates",
        title,
        html! {
            h1 { (title) }
            ul.unit-list {
                @for t in &all {
                    li {
                        strong lang="vi" { (t.title) } br;
                        (t.key) " v" (t.version) " · "
                        a href=(ctx.href(&format!("/admin/templates/{}", t.id))) { (ctx.t(Msg::PreviewQuestionnaire)) }
                        " · "
                        a href=(ctx.href(&format!("/admin/templates/{}/paper", t.id))) { (ctx.t(Msg::PaperForm)) }
                    }
                }
            }
        },
    )))
}

/// A form context for a template outside any campaign.
async fn preview_of(me: &Official<ManageCampaigns>, id: String) -> Result<FormContext, AppError> {
    let template = me
        .run(move |state, conn| state.templates.get(conn, &id))
        .await?;
    let today = crate::clock::today();
    let lang = me.ctx.lang;
    Ok(FormContext {
        campaign: CampaignRecord {
            id: CampaignId::random(),
            name: Msg::PreviewQuestionnaire.get(lang).to_string(),
            template_id: String::new(),
            period_start: today,
            period_end: today,
            status: CampaignStatus::Draft,
        },
        unit: UnitRecord {
            id: UnitId::random(),
            code: UnitCode::parse("PREVIEW").map_err(AppError::BadRequest)?,
            name: Msg::PreviewUnit.get(lang).to_string(),
            kind: UnitKind::Ward,
            parent_id: None,
            valid_from: None,
            valid_to: None,
        },
        template,
        service: None,
    })
}

/// The banner over every preview page: nothing is stored, and where the
/// paper layout is.
fn banner(lang: Lang, paper: &str) -> Markup {
    html! {
        div.notice role="note" {
            p { strong { (Msg::PreviewNothingStored.get(lang)) } " "
                a href=(with_lang(paper, lang)) { (Msg::PaperForm.get(lang)) } " · "
                a href=(with_lang("/admin/templates", lang)) { (Msg::Templates.get(lang)) } }
        }
    }
}

fn form_page(
    ctx: &FormContext,
    lang: Lang,
    here: &str,
    given: &Given,
    page: usize,
    errors: &BTreeMap<crate::domain::template::ItemCode, response::FieldError>,
) -> Markup {
    let paper = format!("{here}/paper");
    form::render(&PageView {
        ctx,
        lang,
        given,
        errors,
        page,
        key: "",
        action: Some(here),
        save_for_later: false,
        notice: Some(banner(lang, &paper)),
    })
}

/// The first page of the questionnaire, as the citizen's form shows it.
pub async fn show(
    me: Official<ManageCampaigns>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let here = format!("/admin/templates/{id}");
    let preview = preview_of(&me, id).await?;
    let lang = me.ctx.lang;
    Ok(ok(form_page(
        &preview,
        lang,
        &here,
        &Given::new(),
        0,
        &BTreeMap::new(),
    )))
}

/// One step through the preview: the same paging and checks as the real
/// form, with nothing written (so it needs no CSRF token: it changes nothing).
pub async fn step(
    me: Official<ManageCampaigns>,
    path: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let here = format!("/admin/templates/{id}");
    let preview = preview_of(&me, id).await?;
    let lang = me.ctx.lang;
    let posted = Posted::parse(body.into_inner());
    let given = response::group_fields(&posted.answers);
    let t = &preview.template;
    let pages = paging::pages(t);
    let page = posted.page.min(pages.len().saturating_sub(1));
    if posted.back {
        let prev = paging::previous_page(t, &pages, page, &given).unwrap_or(0);
        return Ok(ok(form_page(
            &preview,
            lang,
            &here,
            &given,
            prev,
            &BTreeMap::new(),
        )));
    }
    Ok(match paging::advance(t, &pages, page, &given) {
        paging::Advance::Show { page, errors } if errors.is_empty() => {
            ok(form_page(&preview, lang, &here, &given, page, &errors))
        }
        paging::Advance::Show { page, errors } => HttpResponse::UnprocessableEntity()
            .content_type("text/html; charset=utf-8")
            .body(form_page(&preview, lang, &here, &given, page, &errors).into_string()),
        paging::Advance::Complete(answers) => ok(finished(lang, &here, answers.len())),
    })
}

/// Where the real form says thank you: the preview says what would be kept.
fn finished(lang: Lang, here: &str, answered: usize) -> Markup {
    page_shell(
        lang,
        Msg::PreviewFinished.get(lang),
        Some(&with_lang(here, lang.other())),
        html! {
            (banner(lang, &format!("{here}/paper")))
            h1 { (Msg::PreviewFinished.get(lang)) }
            p { (Msg::PreviewAnswersKept.get(lang)) ": " strong { (answered) } }
            p { a href=(with_lang(here, lang)) { (Msg::PreviewAgain.get(lang)) } }
        },
    )
}

/// One template version's questionnaire, laid out as the paper form.
pub async fn paper(
    me: Official<ManageCampaigns>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let here = format!("/admin/templates/{id}/paper");
    let preview = preview_of(&me, id).await?;
    Ok(ok(form::paper_at(&preview, me.ctx.lang, &here)))
}
