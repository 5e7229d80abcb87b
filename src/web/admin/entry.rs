//! Paper data entry: a keyboard-only screen where an enumerator types one key
//! per answer and gets the next empty form straight away. The batch records
//! who entered it and how many forms; nothing records who answered.
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::html;
use serde::Deserialize;

use super::{admin_page, html_status, see_other, Ctx};
use crate::db;
use crate::domain::account::Permission;
use crate::domain::paper::{self, KeyError, BLANK_KEYS};
use crate::domain::response::FieldError;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::auth::Principal;
use crate::service::responses::{self, FormContext};
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::LangQuery;

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
                div.error-summary role="alert" {
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
                    p.muted #keys-hint { (Msg::EntryKeysHint.get(lang)) " " code { (BLANK_KEYS.iter().collect::<String>()) } }
                    input #keys type="text" name="keys" value=(s.keys) inputmode="numeric" autofocus
                        aria-describedby="keys-hint" size=(items.len() + 4) maxlength=(items.len() * 2 + 8);
                }
                button type="submit" { (Msg::EntrySave.get(lang)) }
            }
            h2 { (Msg::EntryOrder.get(lang)) }
            div.table-wrap {
                table {
                    thead { tr { th scope="col" { "#" } th scope="col" { (Msg::Question.get(lang)) } th scope="col" { (Msg::EntryKeys.get(lang)) } } }
                    tbody {
                        @for (i, item) in items.iter().enumerate() {
                            tr {
                                td.num { (i + 1) }
                                td { (item.code) " · " (item.text.get(lang)) }
                                td { @for o in &t.scale_of(item).options { (o.value) "=" (o.label().get(lang)) " " } }
                            }
                        }
                    }
                }
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
    responses::form_context(state, conn, campaign, unit, None)
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
    let (form, batch) = web::block(move || -> Result<_, AppError> {
        let mut conn = state.pool.get()?;
        let form = open(&state, &mut conn, &p2, &campaign, &unit)?;
        let batch = match batch_id {
            Some(id) => db::entry::get(&mut conn, &id)?,
            None => db::entry::start(&mut conn, &form.campaign.id, &form.unit.id, &p2.actor)?,
        };
        Ok((form, batch))
    })
    .await??;
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

fn field_error_text(e: FieldError, lang: crate::i18n::Lang) -> &'static str {
    match e {
        FieldError::Required => Msg::ErrRequired.get(lang),
        _ => Msg::ErrNotAnOption.get(lang),
    }
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
    let outcome = web::block(move || -> Result<_, AppError> {
        let mut conn = state.pool.get()?;
        let ctx = open(&state, &mut conn, &p2, &campaign, &unit)?;
        let batch = db::entry::get(&mut conn, &form.batch)?;
        if batch.entered_by != p2.actor
            || batch.campaign_id != ctx.campaign.id
            || batch.unit_id != ctx.unit.id
        {
            return Err(AppError::Forbidden);
        }
        let errors: Vec<String> = match paper::parse_keys(&ctx.template, &form.keys) {
            Err(KeyError::TooMany { typed, questions }) => {
                vec![format!(
                    "{} ({typed} > {questions})",
                    Msg::EntryTooMany.get(lang)
                )]
            }
            Err(KeyError::NotAKey { position, key }) => {
                vec![format!(
                    "#{position}: {} “{key}”",
                    Msg::EntryNotAKey.get(lang)
                )]
            }
            Ok(pairs) => {
                let key = uuid::Uuid::parse_str(&form.k).ok().map(|u| u.to_string());
                match responses::submit_complete(
                    &state,
                    &mut conn,
                    &ctx.campaign.id,
                    &ctx.unit.code,
                    "paper",
                    &pairs,
                    key.as_deref(),
                )? {
                    Ok(()) => {
                        db::entry::count_one(&mut conn, &batch.id)?;
                        Vec::new()
                    }
                    Err(errs) => {
                        let order = paper::keyed_items(&ctx.template);
                        errs.iter()
                            .map(|(code, e)| {
                                let pos = order
                                    .iter()
                                    .position(|i| &i.code == code)
                                    .map(|p| p + 1)
                                    .unwrap_or(0);
                                format!("#{pos} {code}: {}", field_error_text(*e, lang))
                            })
                            .collect()
                    }
                }
            }
        };
        let batch = db::entry::get(&mut conn, &batch.id)?;
        Ok((ctx, batch, errors))
    })
    .await??;
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
