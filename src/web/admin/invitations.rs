//! Admin: a campaign's personal invitations by email. Per unit and
//! respondent group: invited, sent, bounced, answered; importing a recipient
//! list; queueing reminders. Unit officers see and act on their subtree only.
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::kit::{Checked, ListUpload, ManageInvitations, Official};
use super::{admin_page, error_box, html_status, row_errors, Ctx, LIST_FILES};
use crate::domain::account::Permission;
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::invitations::{self, Tally, TallyRow};
use crate::service::recipients::{self, ImportError};
use crate::state::AppState;
use crate::web::run_blocking;

struct View {
    campaign_name: String,
    /// Only units in the reader's scope.
    rows: Vec<TallyRow>,
}

fn page(ctx: &Ctx, id: &CampaignId, v: &View, notice: Option<String>, errors: &[String]) -> Markup {
    let title = ctx.t(Msg::Invitations);
    let base = format!("/admin/campaigns/{id}/invitations");
    let mut total = Tally::default();
    for TallyRow { tally: t, .. } in &v.rows {
        total.invited += t.invited;
        total.sent += t.sent;
        total.bounced += t.bounced;
        total.answered += t.answered;
        total.failed += t.failed;
        total.queued += t.queued;
        total.opted_out += t.opted_out;
    }
    let cells = |t: &Tally| {
        html! {
            td.num { (t.invited) } td.num { (t.queued) } td.num { (t.sent) }
            td.num { (t.failed) } td.num { (t.bounced) } td.num { (t.answered) }
            td.num { (t.opted_out) }
        }
    };
    admin_page(
        ctx,
        "/admin/campaigns",
        title,
        html! {
            h1 { (title) ": " (v.campaign_name) }
            @if let Some(n) = notice { div.notice role="status" { p { (n) } } }
            (error_box(ctx, errors))
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(Msg::Unit)) }
                    th scope="col" { (ctx.t(Msg::RespondentGroup)) }
                    th.num scope="col" { (ctx.t(Msg::Invited)) }
                    th.num scope="col" { (ctx.t(Msg::Queued)) }
                    th.num scope="col" { (ctx.t(Msg::Sent)) }
                    th.num scope="col" { (ctx.t(Msg::Failed)) }
                    th.num scope="col" { (ctx.t(Msg::Bounced)) }
                    th.num scope="col" { (ctx.t(Msg::Answered)) }
                    th.num scope="col" { (ctx.t(Msg::OptedOut)) }
                } }
                tbody {
                    @for r in &v.rows {
                        tr { th scope="row" { (r.unit_name) " (" (r.unit_code) ")" } td { (r.group) } (cells(&r.tally)) }
                    }
                    tr { th scope="row" colspan="2" { (ctx.t(Msg::Total)) } (cells(&total)) }
                }
            } }
            @if ctx.principal.can(Permission::ManageCampaigns) {
                p { a href=(ctx.href(&format!("/admin/campaigns/{id}/mail-wording"))) { (ctx.t(Msg::MailWording)) } }
            }
            h2 { (ctx.t(Msg::ImportRecipients)) }
            form method="post" action=(ctx.href(&format!("{base}/import"))) enctype="multipart/form-data" {
                (ctx.csrf_field())
                p.muted { (ctx.t(Msg::InvitationsHint)) }
                div.field {
                    label for="file" { (ctx.t(Msg::CsvFile)) }
                    input #file type="file" name="file" accept=(LIST_FILES);
                }
                div.field {
                    label for="csv" { (ctx.t(Msg::CsvPaste)) }
                    textarea #csv name="csv" rows="6" {}
                }
                button type="submit" { (ctx.t(Msg::ImportRecipients)) }
            }
            h2 { (ctx.t(Msg::SendReminders)) }
            form method="post" action=(ctx.href(&format!("{base}/remind"))) {
                (ctx.csrf_field())
                div.field {
                    label for="after_days" { (ctx.t(Msg::AfterDays)) }
                    input #after_days type="number" name="after_days" value="7" min="0" max="365" required;
                }
                div.field {
                    label for="max" { (ctx.t(Msg::MaxReminders)) }
                    input #max type="number" name="max" value="2" min="1" max="10" required;
                }
                button type="submit" { (ctx.t(Msg::SendReminders)) }
            }
        },
    )
}

/// The invitations page, as `status`, with a notice or the form's messages.
async fn render(
    state: &web::Data<AppState>,
    ctx: &Ctx,
    id: &CampaignId,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<HttpResponse, AppError> {
    let (p, cid) = (ctx.principal.clone(), id.clone());
    let (campaign, rows) = run_blocking(state, move |_, conn| {
        invitations::tally(conn, &p.scope, &cid)
    })
    .await?;
    let v = View {
        campaign_name: campaign.name,
        rows,
    };
    Ok(html_status(status, page(ctx, id, &v, notice, &errors)))
}

/// The page after an action: its notice, or its messages with a 422.
async fn after(
    state: &web::Data<AppState>,
    ctx: &Ctx,
    id: &CampaignId,
    outcome: Result<String, Vec<String>>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(notice) => render(state, ctx, id, StatusCode::OK, Some(notice), vec![]).await,
        Err(errors) => {
            render(
                state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
            )
            .await
        }
    }
}

pub async fn show(
    me: Official<ManageInvitations>,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    render(&me.state, &me.ctx, &path, StatusCode::OK, None, vec![]).await
}

pub async fn import(
    me: Official<ManageInvitations>,
    path: web::Path<CampaignId>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let form = ListUpload::read(payload, &me.session).await?;
    let bytes = form.bytes();
    let (scope, actor, cid) = (me.principal().scope.clone(), me.actor(), path.clone());
    let lang = me.ctx.lang;
    let outcome = me
        .run(move |state, conn| {
            let allowed = &state.settings.mail.allowed_domains;
            let list = recipients::ListFile {
                name: "upload",
                bytes: &bytes,
            };
            let imported =
                recipients::import_bytes(conn, &scope, &actor, &cid, list, allowed, || {});
            match imported {
                Ok(r) => Ok(Ok(format!(
                    "{} {} / {}",
                    Msg::RecipientsImported.get(lang),
                    r.added,
                    r.merged
                ))),
                Err(ImportError::Rows { sheet, errors, .. }) => {
                    Ok(Err(row_errors(lang, sheet.as_deref(), &errors)))
                }
                Err(ImportError::NoCampaign(_)) => Err(AppError::NotFound),
                Err(e @ ImportError::NotOpen(_)) => Ok(Err(vec![e.to_string()])),
                Err(ImportError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
    after(&me.state, &me.ctx, &path, outcome).await
}

#[derive(serde::Deserialize)]
pub struct RemindForm {
    #[serde(default)]
    csrf: String,
    after_days: i64,
    max: i64,
}

crate::csrf_forms!(RemindForm);

pub async fn remind(
    me: Official<ManageInvitations>,
    path: web::Path<CampaignId>,
    Checked(form): Checked<RemindForm>,
) -> Result<HttpResponse, AppError> {
    let (scope, actor, cid) = (me.principal().scope.clone(), me.actor(), path.clone());
    let (after_days, max) = (form.after_days.clamp(0, 365), form.max.clamp(1, 10));
    let queued = Msg::RemindersQueued.get(me.ctx.lang);
    let outcome = me
        .run(move |_, conn| {
            let now = chrono::Utc::now().naive_utc();
            match recipients::queue_reminders(conn, &scope, &actor, &cid, after_days, max, now) {
                Ok(n) => Ok(Ok(format!("{queued} {n}"))),
                Err(ImportError::NoCampaign(_)) => Err(AppError::NotFound),
                Err(ImportError::Db(e)) => Err(e.into()),
                Err(e) => Ok(Err(vec![e.to_string()])),
            }
        })
        .await?;
    after(&me.state, &me.ctx, &path, outcome).await
}
