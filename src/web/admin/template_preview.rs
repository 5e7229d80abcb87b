//! Admin: every template version, and each one's questionnaire as a
//! respondent reads it on paper (all questions, conditions written out),
//! before a campaign is made of it.
use actix_web::{web, HttpResponse};
use maud::html;

use super::admin_page;
use super::kit::{ok, ManageCampaigns, Official};
use crate::db::units::UnitRecord;
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::{CampaignId, UnitId};
use crate::domain::unit::{UnitCode, UnitKind};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::campaigns::CampaignRecord;
use crate::service::responses::FormContext;
use crate::service::templates;

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
                    }
                }
            }
        },
    )))
}

/// One template version's questionnaire, laid out as the paper form.
pub async fn show(
    me: Official<ManageCampaigns>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let here = format!("/admin/templates/{id}");
    let template = me
        .run(move |state, conn| state.templates.get(conn, &id))
        .await?;
    let today = chrono::Utc::now().date_naive();
    let lang = me.ctx.lang;
    let preview = FormContext {
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
    };
    Ok(ok(crate::web::form::paper_at(&preview, lang, &here)))
}
