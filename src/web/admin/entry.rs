//! Paper data entry: a keyboard-only screen where an enumerator types one key
//! per question and gets the next empty form straight away. The batch records
//! who entered it and how many forms; nothing records who answered.
mod messages;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::html;
use serde::Deserialize;

use super::{admin_page, html_status, see_other, Ctx};
use crate::db;
use crate::domain::account::Permission;
use crate::domain::paper::{self, JOIN, NO_ANSWER};
use crate::domain::template::ScaleKind;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::auth::Principal;
use crate::service::responses::{self, Complete, FormContext};
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::run_blocking;
use crate::web::LangQuery;
use messages::{condition_text, question_label, quoted};

#[derive(Debug, Deserialize)]
pub struct EntryQuery {
    pub lang: Option<String>,
    pub batch: Option<String>,
    pub saved: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    batch: String,
    #[serde(default)]
    keys: String,
    #[serde(default)]
    k: String,
}

fn entry_path(campaign: &str, unit: &str) -> String {
    format!("/admin/entry/{campaign}/{unit}")
}

struct Screen<'a> {
    ctx: &'a Ctx,
    form: &'a FormContext,
    batch: &'a db::entry::BatchRecord,
    keys: &'a str,
    errors: &'a [String],
    saved: Option<u64>,
}

fn render(s: &Screen<'_>) -> maud::Markup {
    let (ctx, t) = (s.ctx, &s.form.template);
    let lang = ctx.lang;
    let items = paper::keyed_items(t);
    let not_keyed: Vec<_> = paper::printed_items(t)
        .into_iter()
        .filter(|i| !paper::is_keyed(t, i))
        .collect();
    let multiple = items
        .iter()
        .any(|i| t.scale_of(i).kind == ScaleKind::Multiple);
    let skipping = items.iter().any(|i| i.ask_if.is_some());
    // A refused entry shows what fell on each question, to find the slip.
    let typed = (!s.errors.is_empty()).then(|| paper::typed_groups(s.keys));
    let (none, join) = (quoted(NO_ANSWER), quoted(JOIN));
    let path = entry_path(&s.form.campaign.id, &s.form.unit.code);
    let title = format!("{}: {}", Msg::EntryTitle.get(lang), s.form.unit.name);
    admin_page(
        ctx,
        &path,
        &title,
        html! {
            h1 { (title) }
            p.muted { (s.form.campaign.name) " · " (t.title.get(lang)) }
            @if let Some(n) = s.saved {
                p.notice role="status" { (Msg::EntrySaved.get(lang)) " " strong { (n) } }
            }
            @if !s.errors.is_empty() {
                div.error-summary #entry-errors role="alert" {
                    h2 { (Msg::ErrorSummaryTitle.get(lang)) }
                    ul { @for e in s.errors { li { a href="#keys" { (e) } } } }
                }
            }
            form method="post" action=(ctx.href(&path)) autocomplete="off" {
                (ctx.csrf_field())
                input type="hidden" name="batch" value=(s.batch.id);
                input type="hidden" name="k" value=(uuid::Uuid::new_v4().to_string());
                div.field {
                    label for="keys" { (Msg::EntryKeysLabel.get(lang)) }
                    p.muted #keys-hint { (Msg::EntryKeysHint.fill(lang, &[&items.len()])) }
                    // No maxlength: a browser cutting off extra keys would hide a long entry.
                    input #keys type="text" name="keys" value=(s.keys) autofocus
                        spellcheck="false" autocapitalize="off"
                        aria-invalid=[(!s.errors.is_empty()).then_some("true")]
                        aria-describedby=(if s.errors.is_empty() { "keys-hint" } else { "entry-errors keys-hint" })
                        size=(items.len().clamp(20, 60));
                }
                button type="submit" { (Msg::EntrySave.get(lang)) }
            }
            h2 { (Msg::EntryRulesTitle.get(lang)) }
            ul.entry-rules {
                li { (Msg::EntryRuleOneKey.get(lang)) }
                li { (Msg::EntryRuleNoAnswer.fill(lang, &[&none])) }
                @if skipping { li { (Msg::EntryRuleSkipped.fill(lang, &[&none])) } }
                @if multiple { li { (Msg::EntryRuleMultiple.fill(lang, &[&join])) } }
                li { (Msg::EntryRuleSpaces.get(lang)) }
            }
            h2 { (Msg::EntryOrder.get(lang)) }
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { "#" }
                        // Beside the number, so a narrow screen shows where the keys went out of step.
                        @if typed.is_some() { th scope="col" { (Msg::EntryTyped.get(lang)) } }
                        th scope="col" { (Msg::Question.get(lang)) }
                        th scope="col" { (Msg::EntryKeys.get(lang)) }
                    } }
                    tbody {
                        @for (i, item) in items.iter().enumerate() {
                            @let scale = t.scale_of(item);
                            tr {
                                td.num { (i + 1) }
                                @if let Some(typed) = &typed {
                                    td.num { code { (typed.get(i).map_or("", String::as_str)) } }
                                }
                                td {
                                    (question_label(item, lang))
                                    br;
                                    small.muted {
                                        @if let Some(c) = &item.ask_if {
                                            (Msg::EntryNoteOnlyIf.fill(lang, &[&condition_text(c), &none])) "; "
                                        }
                                        @if scale.kind == ScaleKind::Multiple {
                                            (Msg::EntryNoteMultiple.fill(lang, &[&join])) "; "
                                        }
                                        @if item.required {
                                            (Msg::EntryNoteRequired.get(lang))
                                        } @else {
                                            (Msg::EntryNoteBlank.fill(lang, &[&none]))
                                        }
                                    }
                                }
                                td { @for o in &scale.options { strong { (o.value) } "=" (o.label().get(lang)) " " } }
                            }
                        }
                    }
                }
            }
            @if let Some(extra) = typed.as_ref().and_then(|g| g.get(items.len()..)).filter(|x| !x.is_empty()) {
                p { (Msg::EntryTyped.get(lang)) " (+" (extra.len()) "): " code { (extra.join(" ")) } }
            }
            @if !not_keyed.is_empty() {
                p.muted { (Msg::EntryNotKeyed.get(lang)) " "
                    (not_keyed.iter().map(|i| question_label(i, lang)).collect::<Vec<_>>().join("; ")) }
            }
            p.muted { (Msg::EntryBatch.get(lang)) ": " (s.batch.forms) " · " (s.batch.entered_by) }
        },
    )
}

/// Resolve the campaign and unit, within the enumerator's units.
fn open(
    state: &AppState,
    conn: &mut db::DbConn,
    principal: &Principal,
    campaign: &str,
    unit: &str,
) -> Result<FormContext, AppError> {
    if !principal.scope.has_unit_code(unit) {
        return Err(AppError::Forbidden);
    }
    responses::form_context(&state.templates, conn, campaign, unit, None)
}

pub async fn show(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<(String, String)>,
    q: web::Query<EntryQuery>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::EnterPaperForms)?;
    let lang = LangQuery {
        lang: q.lang.clone(),
    }
    .lang();
    let (campaign, unit) = path.into_inner();
    let p2 = principal.clone();
    let batch_id = q.batch.clone();
    let (form, batch) = run_blocking(&state, move |state, conn| -> Result<_, AppError> {
        let form = open(state, conn, &p2, &campaign, &unit)?;
        let batch = match batch_id {
            Some(id) => db::entry::get(conn, &id)?,
            None => db::entry::start(conn, &form.campaign.id, &form.unit.id, &p2.actor)?,
        };
        Ok((form, batch))
    })
    .await?;
    if batch.entered_by != principal.actor
        || batch.campaign_id != form.campaign.id
        || batch.unit_id != form.unit.id
    {
        return Err(AppError::Forbidden);
    }
    let ctx = Ctx::new(principal, &session, lang);
    Ok(html_status(
        StatusCode::OK,
        render(&Screen {
            ctx: &ctx,
            form: &form,
            batch: &batch,
            keys: "",
            errors: &[],
            saved: q.saved,
        }),
    ))
}

pub async fn save(
    state: web::Data<AppState>,
    principal: Principal,
    session: Session,
    path: web::Path<(String, String)>,
    q: web::Query<LangQuery>,
    form: web::Form<EntryForm>,
) -> Result<HttpResponse, AppError> {
    principal.require(Permission::EnterPaperForms)?;
    check_csrf(&session, &form.csrf)?;
    let lang = q.lang();
    let (campaign, unit) = path.into_inner();
    let p2 = principal.clone();
    let form = form.into_inner();
    let keys = form.keys.clone();
    let outcome = run_blocking(&state, move |state, conn| -> Result<_, AppError> {
        let ctx = open(state, conn, &p2, &campaign, &unit)?;
        let batch = db::entry::get(conn, &form.batch)?;
        if batch.entered_by != p2.actor
            || batch.campaign_id != ctx.campaign.id
            || batch.unit_id != ctx.unit.id
        {
            return Err(AppError::Forbidden);
        }
        let t = &ctx.template;
        let errors: Vec<String> = match paper::parse_keys(t, &form.keys) {
            Err(located) => located
                .iter()
                .map(|e| messages::key_error(t, e, lang))
                .collect(),
            Ok(pairs) => {
                let key = uuid::Uuid::parse_str(&form.k).ok().map(|u| u.to_string());
                // The batch is counted in the response's transaction, and
                // not at all when this key was stored before.
                let stored = responses::submit_complete(
                    &state.templates,
                    conn,
                    &Complete {
                        campaign_id: &ctx.campaign.id,
                        unit_code: &ctx.unit.code,
                        channel: "paper",
                        pairs: &pairs,
                        key: key.as_deref(),
                        entry_batch: Some(&batch.id),
                    },
                )?;
                match stored {
                    Ok(_) => Vec::new(),
                    Err(errs) => {
                        let order: Vec<&str> = paper::printed_items(t)
                            .iter()
                            .map(|i| i.code.as_str())
                            .collect();
                        let mut errs: Vec<_> = errs.into_iter().collect();
                        errs.sort_by_key(|(code, _)| order.iter().position(|c| c == code));
                        errs.iter()
                            .map(|(code, e)| messages::field_error(t, code, *e, lang))
                            .collect()
                    }
                }
            }
        };
        let batch = db::entry::get(conn, &batch.id)?;
        Ok((ctx, batch, errors))
    })
    .await?;
    let (fctx, batch, errors) = outcome;
    if errors.is_empty() {
        // Straight to the next empty form.
        let to = format!(
            "{}?batch={}&saved={}",
            entry_path(&fctx.campaign.id, &fctx.unit.code),
            batch.id,
            batch.forms
        );
        return Ok(see_other(&format!("{}&lang={}", to, lang.code())));
    }
    let ctx = Ctx::new(principal, &session, lang);
    Ok(html_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&Screen {
            ctx: &ctx,
            form: &fctx,
            batch: &batch,
            keys: &keys,
            errors: &errors,
            saved: None,
        }),
    ))
}
