//! Paper data entry: a keyboard-only screen where an enumerator types one key
//! per question and gets the next empty form straight away. The batch records
//! who entered it and how many forms; nothing records who answered.
mod messages;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::html;
use serde::Deserialize;

use super::kit::{Checked, EnterPaperForms, Official};
use super::{admin_page, html_status, see_other, Ctx};
use crate::domain::ids::CampaignId;
use crate::domain::paper::{self, JOIN, NO_ANSWER};
use crate::domain::template::ScaleKind;
use crate::domain::unit::UnitCode;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::service::entry::{self, BatchRecord, Desk, Keyed, Refusal};
use crate::service::responses::FormContext;
use messages::{condition_text, question_label, quoted};

#[derive(Debug, Deserialize)]
pub struct EntryQuery {
    pub batch: Option<String>,
    pub saved: Option<u64>,
}

crate::csrf_forms!(EntryForm);

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
    batch: &'a BatchRecord,
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

pub async fn show(
    me: Official<EnterPaperForms>,
    path: web::Path<(CampaignId, UnitCode)>,
    q: web::Query<EntryQuery>,
) -> Result<HttpResponse, AppError> {
    let (campaign, unit) = path.into_inner();
    let (who, batch) = (me.principal().clone(), q.batch.clone());
    let desk = me
        .run(move |state, conn| {
            let batch = batch.as_deref();
            entry::open(&state.templates, conn, &who, &campaign, &unit, batch)
        })
        .await?;
    Ok(html_status(
        StatusCode::OK,
        render(&Screen {
            ctx: &me.ctx,
            form: &desk.form,
            batch: &desk.batch,
            keys: "",
            errors: &[],
            saved: q.saved,
        }),
    ))
}

pub async fn save(
    me: Official<EnterPaperForms>,
    path: web::Path<(CampaignId, UnitCode)>,
    Checked(form): Checked<EntryForm>,
) -> Result<HttpResponse, AppError> {
    let lang = me.ctx.lang;
    let (campaign, unit) = path.into_inner();
    let (who, keys) = (me.principal().clone(), form.keys.clone());
    let (desk, outcome) = me
        .run(move |state, conn| {
            let keyed = Keyed {
                campaign: &campaign,
                unit: &unit,
                batch: &form.batch,
                keys: &form.keys,
                form_key: &form.k,
            };
            entry::save(&state.templates, &state.writes, conn, &who, &keyed)
        })
        .await?;
    let Desk { form: fctx, batch } = desk;
    let t = &fctx.template;
    let errors: Vec<String> = match outcome {
        Ok(()) => Vec::new(),
        Err(Refusal::Keys(located)) => located
            .iter()
            .map(|e| messages::key_error(t, e, lang))
            .collect(),
        Err(Refusal::Answers(errs)) => errs
            .iter()
            .map(|(code, e)| messages::field_error(t, code, *e, lang))
            .collect(),
    };
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
    Ok(html_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&Screen {
            ctx: &me.ctx,
            form: &fctx,
            batch: &batch,
            keys: &keys,
            errors: &errors,
            saved: None,
        }),
    ))
}
