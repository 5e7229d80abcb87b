//! Admin: a campaign's personal invitations by email (issue 6). Per unit and
//! respondent group: invited, sent, bounced, answered; importing a recipient
//! list; queueing reminders. Unit officers see and act on their subtree only.
use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use maud::{html, Markup};

use super::{admin_page, error_box, html_status, row_errors, Ctx, LIST_FILES};
use crate::db::{self, outbox::Tally};
use crate::domain::account::Permission;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::mail::recipients::{self, ImportError};
use crate::service::auth::Principal;
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::LangQuery;

const MAX_CSV_BYTES: usize = 8 * 1024 * 1024;

struct View {
    campaign_name: String,
    /// (unit code, unit name, group, tally), only units in the reader's scope.
    rows: Vec<(String, String, String, Tally)>,
}

fn load(state: &AppState, principal: &Principal, id: &str) -> Result<View, AppError> {
    let mut conn = state.pool.get()?;
    let c = db::campaigns::get(&mut conn, id)?.ok_or(AppError::NotFound)?;
    let units: std::collections::HashMap<String, (String, String)> =
        db::campaigns::units_of(&mut conn, id)?
            .into_iter()
            .filter(|u| principal.scope.has_unit_id(&u.id))
            .map(|u| (u.id, (u.code, u.name)))
            .collect();
    if units.is_empty() {
        return Err(AppError::NotFound);
    }
    let rows = db::outbox::tally(&mut conn, id)?
        .into_iter()
        .filter_map(|((unit, group), t)| {
            units
                .get(&unit)
                .map(|(code, name)| (code.clone(), name.clone(), group, t))
        })
        .collect();
    Ok(View {
        campaign_name: c.name,
        rows,
    })
}

fn page(ctx: &Ctx, id: &str, v: &View, notice: Option<String>, errors: &[String]) -> Markup {
    let title = ctx.t(Msg::Invitations);
    let base = format!("/admin/campaigns/{id}/invitations");
    let mut total = Tally::default();
    for (_, _, _, t) in &v.rows {
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
                    @for (code, name, group, t) in &v.rows {
                        tr { th scope="row" { (name) " (" (code) ")" } td { (group) } (cells(t)) }
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

async fn render(
    state: web::Data<AppState>,
    ctx: Ctx,
    id: String,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<HttpResponse, AppError> {
    let p = ctx.principal.clone();
    let cid = id.clone();
    let v = web::block(move || load(&state, &p, &cid)).await??;
    Ok(html_status(status, page(&ctx, &id, &v, notice, &errors)))
}

pub async fn show(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageInvitations)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    render(state, ctx, path.into_inner(), StatusCode::OK, None, vec![]).await
}

pub async fn import(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
    mut payload: Multipart,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageInvitations)?;
    let (mut csrf, mut file, mut pasted) = (String::new(), Vec::new(), String::new());
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
            if bytes.len() + chunk.len() > MAX_CSV_BYTES {
                return Err(AppError::BadRequest("the file is larger than 8 MB".into()));
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = bytes,
            "csv" => pasted = String::from_utf8_lossy(&bytes).into_owned(),
            _ => {}
        }
    }
    check_csrf(&session, &csrf)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let id = path.into_inner();
    let bytes = if file.is_empty() {
        pasted.into_bytes()
    } else {
        file
    };
    let (st, scope, actor, cid) = (
        state.clone(),
        ctx.principal.scope.clone(),
        ctx.principal.actor.clone(),
        id.clone(),
    );
    let lang = ctx.lang;
    let outcome = web::block(move || -> Result<Result<_, Vec<String>>, AppError> {
        let mut conn = st.pool.get()?;
        let allowed = st.settings.mail.allowed_domains.clone();
        match recipients::import_bytes(&mut conn, &scope, &cid, "csv", &bytes, &allowed, || {}) {
            Ok(r) => {
                let detail = format!("added={} merged={}", r.added, r.merged);
                db::audit::record(&mut conn, &actor, "invitations_import", &cid, &detail)?;
                Ok(Ok(r))
            }
            Err(ImportError::Rows { sheet, errors, .. }) => {
                Ok(Err(row_errors(lang, sheet.as_deref(), &errors)))
            }
            Err(ImportError::NoCampaign(_)) => Err(AppError::NotFound),
            Err(e @ ImportError::NotOpen(_)) => Ok(Err(vec![e.to_string()])),
            Err(ImportError::Db(e)) => Err(e.into()),
        }
    })
    .await??;
    match outcome {
        Ok(r) => {
            let n = format!(
                "{} {} / {}",
                ctx.t(Msg::RecipientsImported),
                r.added,
                r.merged
            );
            render(state, ctx, id, StatusCode::OK, Some(n), vec![]).await
        }
        Err(errs) => render(state, ctx, id, StatusCode::UNPROCESSABLE_ENTITY, None, errs).await,
    }
}

#[derive(serde::Deserialize)]
pub struct RemindForm {
    #[serde(default)]
    csrf: String,
    after_days: i64,
    max: i64,
}

pub async fn remind(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<String>,
    q: web::Query<LangQuery>,
    form: web::Form<RemindForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::ManageInvitations)?;
    check_csrf(&session, &form.csrf)?;
    let ctx = Ctx::new(principal, &session, q.lang());
    let id = path.into_inner();
    let (st, scope, actor, cid) = (
        state.clone(),
        ctx.principal.scope.clone(),
        ctx.principal.actor.clone(),
        id.clone(),
    );
    let (after, max) = (form.after_days.clamp(0, 365), form.max.clamp(1, 10));
    let outcome = web::block(move || -> Result<Result<usize, String>, AppError> {
        let mut conn = st.pool.get()?;
        let now = chrono::Utc::now().naive_utc();
        match recipients::queue_reminders(&mut conn, &scope, &cid, after, max, now) {
            Ok(n) => {
                let detail = format!("after_days={after} max={max} queued={n}");
                db::audit::record(&mut conn, &actor, "invitations_remind", &cid, &detail)?;
                Ok(Ok(n))
            }
            Err(ImportError::NoCampaign(_)) => Err(AppError::NotFound),
            Err(ImportError::Db(e)) => Err(e.into()),
            Err(e) => Ok(Err(e.to_string())),
        }
    })
    .await??;
    match outcome {
        Ok(n) => {
            let notice = format!("{} {n}", ctx.t(Msg::RemindersQueued));
            render(state, ctx, id, StatusCode::OK, Some(notice), vec![]).await
        }
        Err(e) => {
            render(
                state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                vec![e],
            )
            .await
        }
    }
}
