//! Admin: a campaign's own invitation and reminder wording, at
//! /admin/campaigns/{id}/mail-wording. Plain text with placeholders, checked
//! on save; errors sit next to their field and nothing typed is lost.
use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::kit::{invalid, ok, Checked, ManageCampaigns, Official};
use super::{admin_page, error_box, Ctx};
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::mail_wording::{self, CampaignWording, MessageKind, Problems, Wording};

/// What the form shows for each kind: (subject, body, problems).
struct Fields {
    invitation: (String, String, Problems),
    reminder: (String, String, Problems),
}

impl Fields {
    fn from_stored(w: &CampaignWording) -> Fields {
        let pick = |k: &Option<Wording>| {
            k.as_ref()
                .map(|w| (w.subject.clone(), w.body.clone(), Problems::default()))
                .unwrap_or_default()
        };
        Fields {
            invitation: pick(&w.invitation),
            reminder: pick(&w.reminder),
        }
    }
}

fn kind_block(ctx: &Ctx, kind: MessageKind, title: Msg, f: &(String, String, Problems)) -> Markup {
    let (subject, body, problems) = f;
    let sid = format!("{kind}_subject");
    let bid = format!("{kind}_body");
    let field_errors = |id: &str, errs: &[String]| {
        html! {
            @if !errs.is_empty() {
                ul.error-msg id=(format!("{id}-error")) { @for e in errs { li { (e) } } }
            }
        }
    };
    html! {
        fieldset {
            legend { (ctx.t(title)) }
            @if kind == MessageKind::Reminder { p.muted { (ctx.t(Msg::MailWordingReminderHint)) } }
            div.field {
                label for=(sid) { (ctx.t(Msg::MailSubjectLabel)) }
                (field_errors(&sid, &problems.subject))
                input id=(sid) name=(sid) type="text" value=(subject) maxlength="200"
                    aria-invalid=[(!problems.subject.is_empty()).then_some("true")]
                    aria-describedby=[(!problems.subject.is_empty()).then(|| format!("{sid}-error"))];
            }
            div.field {
                label for=(bid) { (ctx.t(Msg::MailBodyLabel)) }
                (field_errors(&bid, &problems.body))
                textarea id=(bid) name=(bid) rows="12"
                    aria-invalid=[(!problems.body.is_empty()).then_some("true")]
                    aria-describedby=[(!problems.body.is_empty()).then(|| format!("{bid}-error"))] { (body) }
            }
        }
    }
}

fn page(ctx: &Ctx, id: &str, name: &str, f: &Fields, notice: Option<&str>) -> Markup {
    let title = ctx.t(Msg::MailWording);
    let errors: Vec<String> = [&f.invitation, &f.reminder]
        .iter()
        .flat_map(|(_, _, p)| p.subject.iter().chain(p.body.iter()).cloned())
        .collect();
    let custom = !f.invitation.0.is_empty() || !f.reminder.0.is_empty();
    admin_page(
        ctx,
        "/admin/campaigns",
        title,
        html! {
            h1 { (title) ": " (name) }
            @if let Some(n) = notice { div.notice role="status" { p { (n) } } }
            (error_box(ctx, &errors))
            p { @if custom { (ctx.t(Msg::MailWordingCustom)) } @else { (ctx.t(Msg::MailWordingDefault)) } }
            p.muted { (ctx.t(Msg::MailWordingHint)) }
            h2 { (ctx.t(Msg::PlaceholdersTitle)) }
            dl {
                dt { code { "{campaign}" } } dd { (ctx.t(Msg::PlaceholderCampaign)) }
                dt { code { "{unit}" } } dd { (ctx.t(Msg::PlaceholderUnit)) }
                dt { code { "{link}" } } dd { (ctx.t(Msg::PlaceholderLink)) }
                dt { code { "{deadline}" } } dd { (ctx.t(Msg::PlaceholderDeadline)) }
                dt { code { "{sender}" } } dd { (ctx.t(Msg::PlaceholderSender)) }
            }
            p.muted { (ctx.t(Msg::PlaceholderBraces)) }
            form method="post" action=(ctx.href(&format!("/admin/campaigns/{id}/mail-wording"))) {
                (ctx.csrf_field())
                (kind_block(ctx, MessageKind::Invitation, Msg::MailWordingInvitation, &f.invitation))
                (kind_block(ctx, MessageKind::Reminder, Msg::MailWordingReminder, &f.reminder))
                button type="submit" { (ctx.t(Msg::MailWordingSave)) }
            }
            p { a href=(ctx.href(&format!("/admin/campaigns/{id}/invitations"))) { (ctx.t(Msg::Invitations)) } }
        },
    )
}

pub async fn show(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
) -> Result<HttpResponse, AppError> {
    let cid = path.clone();
    let (name, w) = me
        .run(move |_, conn| mail_wording::of_campaign(conn, &cid))
        .await?;
    let f = Fields::from_stored(&w);
    Ok(ok(page(&me.ctx, &path, &name, &f, None)))
}

#[derive(serde::Deserialize)]
pub struct WordingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    invitation_subject: String,
    #[serde(default)]
    invitation_body: String,
    #[serde(default)]
    reminder_subject: String,
    #[serde(default)]
    reminder_body: String,
}

crate::csrf_forms!(WordingForm);

pub async fn save(
    me: Official<ManageCampaigns>,
    path: web::Path<CampaignId>,
    Checked(form): Checked<WordingForm>,
) -> Result<HttpResponse, AppError> {
    let (cid, lang, actor) = (path.clone(), me.ctx.lang, me.actor());
    let (name, f, saved) = me
        .run(move |_, conn| {
            let c = crate::service::campaigns::get(conn, &cid)?;
            let (inv, rem) = mail_wording::save_both(
                conn,
                &actor,
                &cid,
                (&form.invitation_subject, &form.invitation_body),
                (&form.reminder_subject, &form.reminder_body),
                lang,
            )?;
            let saved = inv.is_empty() && rem.is_empty();
            let fields = Fields {
                invitation: (form.invitation_subject, form.invitation_body, inv),
                reminder: (form.reminder_subject, form.reminder_body, rem),
            };
            Ok((c.name, fields, saved))
        })
        .await?;
    Ok(if saved {
        let notice = me.ctx.t(Msg::MailWordingSaved);
        ok(page(&me.ctx, &path, &name, &f, Some(notice)))
    } else {
        invalid(page(&me.ctx, &path, &name, &f, None))
    })
}
