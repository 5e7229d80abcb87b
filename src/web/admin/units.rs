//! Admin: the tree of units on a chosen day, each unit's predecessors and
//! successors, and the imports of units and lineage (all rows or none,
//! errors by line).
use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;

use super::kit::{invalid, ok, ListUpload, ManageUnits, Official, ViewResults};
use super::{admin_page, error_box, row_errors, Ctx, LIST_FILES};
use crate::domain::account::Permission;
use crate::domain::ids::UnitId;
use crate::domain::unit::Validity;
use crate::error::AppError;
use crate::i18n::{kind_msg, Msg};
use crate::service::lineage::{self, Lineage, LineageError, Linked};
use crate::service::units::{self, ImportError, UnitRecord};

/// Which tree the list shows: on a day (today by default), or every period.
#[derive(Debug, Default, Deserialize)]
pub struct TreeQuery {
    on: Option<String>,
    all: Option<String>,
}

/// The day asked for, or today; None for every period. A bad day is an error
/// message and today's tree.
fn chosen_day(q: &TreeQuery) -> (Option<NaiveDate>, Option<Msg>) {
    let today = crate::clock::today();
    if q.all.is_some() {
        return (None, None);
    }
    match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => (Some(today), None),
        Some(s) => match s.parse() {
            Ok(d) => (Some(d), None),
            Err(_) => (Some(today), Some(Msg::BadDay)),
        },
    }
}

/// What a submitted import did, for the notice above the page.
enum Done {
    Units(units::ImportCounts),
    Lineage(lineage::LineageCounts),
}

struct Page<'a> {
    units: &'a [UnitRecord],
    all: &'a [UnitRecord],
    day: Option<NaiveDate>,
    csv: &'a str,
    errors: &'a [String],
    done: Option<Done>,
}

pub fn in_force(ctx: &Ctx, v: Validity) -> String {
    match (v.from, v.to) {
        (None, None) => ctx.t(Msg::InForceAlways).to_string(),
        (Some(a), None) => format!("{} {a}", ctx.t(Msg::InForceFrom)),
        (None, Some(b)) => format!("{} {b}", ctx.t(Msg::InForceUntil)),
        (Some(a), Some(b)) => format!("{a} – {b}"),
    }
}

fn units_page(ctx: &Ctx, p: Page<'_>) -> Markup {
    let title = ctx.t(Msg::Units);
    let by_id: std::collections::HashMap<&str, &UnitRecord> =
        p.all.iter().map(|u| (u.id.as_str(), u)).collect();
    let parent_of = |u: &UnitRecord| {
        u.parent_id
            .as_deref()
            .and_then(|id| by_id.get(id))
            .map(|x| x.name.clone())
    };
    admin_page(
        ctx,
        "/admin/units",
        title,
        html! {
            h1 { (title) }
            @match &p.done {
                Some(Done::Units(c)) => div.notice role="status" { p {
                    (ctx.t(Msg::ImportCounts)) " " (c.added) ", " (c.updated) ", " (c.ended) ", " (c.unchanged)
                } },
                Some(Done::Lineage(c)) => div.notice role="status" { p {
                    (ctx.t(Msg::LineageDone)) " " (c.links) " / " (c.new_units) " (" (c.day) ")"
                } },
                None => {},
            }
            (error_box(ctx, p.errors))
            form.inline method="get" action=(ctx.href("/admin/units")) {
                p.muted { (ctx.t(Msg::UnitsOnDayHint)) }
                div.field {
                    label for="on" { (ctx.t(Msg::UnitsOnDay)) }
                    input #on type="date" name="on" value=[p.day.map(|d| d.to_string())];
                }
                button type="submit" { (ctx.t(Msg::Show)) }
                " "
                a href=(ctx.href("/admin/units?all=1")) { (ctx.t(Msg::AllPeriods)) }
            }
            h2 {
                (ctx.t(Msg::Units)) " (" (p.units.len()) ")"
                @if let Some(d) = p.day { " · " (d) }
            }
            // Two columns, so the list fits a phone: the unit with its
            // code, kind and parent; and its period.
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(Msg::Unit)) }
                    th scope="col" { (ctx.t(Msg::InForce)) }
                } }
                tbody { @for u in p.units {
                    tr {
                        td {
                            a href=(ctx.href(&format!("/admin/units/{}", u.id))) { (u.name) }
                            br;
                            span.muted {
                                code { (u.code) } " · " (ctx.t(kind_msg(u.kind)))
                                @if let Some(parent) = parent_of(u) { " · " (ctx.t(Msg::ParentUnit)) ": " (parent) }
                            }
                        }
                        td { (in_force(ctx, u.validity())) }
                    }
                } }
            } }
            @if ctx.principal.can(Permission::ManageUnits) {
                (import_forms(ctx, p.csv))
            }
        },
    )
}

fn import_forms(ctx: &Ctx, csv: &str) -> Markup {
    html! {
        h2 { (ctx.t(Msg::ImportUnits)) }
        form method="post" action=(ctx.href("/admin/units/import")) enctype="multipart/form-data" {
            (ctx.csrf_field())
            p.muted { (ctx.t(Msg::ImportUnitsHint)) }
            div.field {
                label for="file" { (ctx.t(Msg::CsvFile)) }
                input #file type="file" name="file" accept=(LIST_FILES);
            }
            div.field {
                label for="csv" { (ctx.t(Msg::CsvPaste)) }
                textarea #csv name="csv" rows="8" { (csv) }
            }
            div.field {
                label for="valid_from" { (ctx.t(Msg::ValidFrom)) }
                p.muted #valid_from_hint { (ctx.t(Msg::ValidFromHint)) }
                input #valid_from type="date" name="valid_from" aria-describedby="valid_from_hint";
            }
            button type="submit" { (ctx.t(Msg::ImportUnits)) }
        }
        h2 { (ctx.t(Msg::ImportLineage)) }
        form method="post" action=(ctx.href("/admin/units/lineage")) enctype="multipart/form-data" {
            (ctx.csrf_field())
            p.muted { (ctx.t(Msg::ImportLineageHint)) }
            div.field {
                label for="lineage_file" { (ctx.t(Msg::CsvFile)) }
                input #lineage_file type="file" name="file" accept=(LIST_FILES);
            }
            div.field {
                label for="lineage_csv" { (ctx.t(Msg::CsvPaste)) }
                textarea #lineage_csv name="csv" rows="6" {}
            }
            div.field {
                label for="date" { (ctx.t(Msg::LineageDay)) }
                input #date type="date" name="date";
            }
            button type="submit" { (ctx.t(Msg::ImportLineage)) }
        }
    }
}

/// The units the official may see: in force on `day`, or every period.
async fn visible_units(
    me: &Official<impl super::kit::Need>,
    day: Option<NaiveDate>,
) -> Result<(Vec<UnitRecord>, Vec<UnitRecord>), AppError> {
    let scope = me.principal().scope.clone();
    me.run(move |_, conn| {
        let all = units::all(conn)?;
        let shown = all
            .iter()
            .filter(|u| day.is_none_or(|d| u.validity().on(d)))
            .filter(|u| scope.has_unit_id(&u.id))
            .cloned()
            .collect();
        Ok((shown, all))
    })
    .await
}

pub async fn list(
    me: Official<ViewResults>,
    q: web::Query<TreeQuery>,
) -> Result<HttpResponse, AppError> {
    let (day, bad) = chosen_day(&q);
    let (shown, all) = visible_units(&me, day).await?;
    let errors: Vec<String> = bad.map(|m| me.ctx.t(m).to_string()).into_iter().collect();
    let page = Page {
        units: &shown,
        all: &all,
        day,
        csv: "",
        errors: &errors,
        done: None,
    };
    Ok(ok(units_page(&me.ctx, page)))
}

fn optional_day(ctx: &Ctx, s: &str) -> Result<Option<NaiveDate>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse()
        .map(Some)
        .map_err(|_| ctx.t(Msg::BadDay).to_string())
}

/// The page after an import: today's tree, with what was done or what was wrong.
async fn after_import(
    me: &Official<ManageUnits>,
    outcome: Result<Done, Vec<String>>,
    csv: &str,
) -> Result<HttpResponse, AppError> {
    let (shown, all) = visible_units(me, Some(crate::clock::today())).await?;
    let (done, errors) = match outcome {
        Ok(d) => (Some(d), Vec::new()),
        Err(e) => (None, e),
    };
    let failed = !errors.is_empty();
    let page = Page {
        units: &shown,
        all: &all,
        day: Some(crate::clock::today()),
        csv,
        errors: &errors,
        done,
    };
    let page = units_page(&me.ctx, page);
    Ok(if failed { invalid(page) } else { ok(page) })
}

pub async fn import(
    me: Official<ManageUnits>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let form = ListUpload::read(payload, &me.session).await?;
    let (bytes, csv) = (form.bytes(), form.kept_text().to_string());
    let (actor, lang) = (me.actor(), me.ctx.lang);
    let day = match optional_day(&me.ctx, form.field("valid_from")) {
        Ok(d) => d,
        Err(e) => return after_import(&me, Err(vec![e]), &csv).await,
    };
    let outcome = me
        .run(
            move |_, conn| match units::import(conn, &actor, "csv", &bytes, day, || {}) {
                Ok(counts) => Ok(Ok(Done::Units(counts))),
                Err(ImportError::Rows { sheet, errors, .. }) => {
                    Ok(Err(row_errors(lang, sheet.as_deref(), &errors)))
                }
                Err(ImportError::Db(e)) => Err(e.into()),
                Err(ImportError::Read(_, e)) => Ok(Err(vec![e.to_string()])),
            },
        )
        .await?;
    after_import(&me, outcome, &csv).await
}

pub async fn import_lineage(
    me: Official<ManageUnits>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let form = ListUpload::read(payload, &me.session).await?;
    let bytes = form.bytes();
    let (actor, lang) = (me.actor(), me.ctx.lang);
    let day = match optional_day(&me.ctx, form.field("date")) {
        Ok(d) => d,
        Err(e) => return after_import(&me, Err(vec![e]), "").await,
    };
    let outcome = me
        .run(
            move |_, conn| match lineage::import(conn, &actor, "csv", &bytes, day) {
                Ok(c) => Ok(Ok(Done::Lineage(c))),
                Err(LineageError::Rows { sheet, errors, .. }) => {
                    Ok(Err(row_errors(lang, sheet.as_deref(), &errors)))
                }
                Err(LineageError::Db(e)) => Err(e.into()),
                Err(e) => Ok(Err(vec![e.to_string()])),
            },
        )
        .await?;
    after_import(&me, outcome, "").await
}

fn links_table(ctx: &Ctx, caption: Msg, linked: &[Linked]) -> Markup {
    // Three columns, so the table fits a phone: the unit with its code and
    // period, the link with its share, the official note.
    html! {
        h2 { (ctx.t(caption)) " (" (linked.len()) ")" }
        @if linked.is_empty() {
            p.muted { (ctx.t(Msg::NoLinks)) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(Msg::Unit)) }
                    th scope="col" { (ctx.t(Msg::LinkKind)) }
                    th scope="col" { (ctx.t(Msg::LinkNote)) }
                } }
                tbody { @for l in linked {
                    tr {
                        td {
                            a href=(ctx.href(&format!("/admin/units/{}", l.unit.id))) { (l.unit.name) }
                            br;
                            span.muted { code { (l.unit.code) } " · " (in_force(ctx, l.unit.validity())) }
                        }
                        td {
                            (ctx.t(if l.link.part { Msg::LinkPart } else { Msg::LinkWhole }))
                            @if let Some(s) = l.link.share { " (" (format!("{:.0} %", s * 100.0)) ")" }
                        }
                        td { (l.link.note) }
                    }
                } }
            } }
        }
    }
}

/// One unit: what it is, when it is in force, and its lineage both ways.
pub async fn show(
    me: Official<ViewResults>,
    id: web::Path<UnitId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let scope = me.principal().scope.clone();
    let (unit, parent, lineage): (UnitRecord, Option<UnitRecord>, Lineage) = me
        .run(move |_, conn| {
            let all = units::all(conn)?;
            let unit = all
                .iter()
                .find(|u| u.id == id.as_str() && scope.has_unit_id(&u.id))
                .cloned()
                .ok_or(AppError::NotFound)?;
            let parent = unit
                .parent_id
                .as_deref()
                .and_then(|p| all.iter().find(|u| u.id == p))
                .cloned();
            let lineage = lineage::of_unit(conn, unit.id.as_str())?;
            Ok((unit, parent, lineage))
        })
        .await?;
    let ctx = &me.ctx;
    let page = admin_page(
        ctx,
        "/admin/units",
        &unit.name,
        html! {
            p { a href=(ctx.href("/admin/units")) { "← " (ctx.t(Msg::Units)) } }
            h1 { (unit.name) }
            dl.facts {
                dt { (ctx.t(Msg::UnitCode)) } dd { code { (unit.code) } }
                dt { (ctx.t(Msg::UnitKind)) } dd { (ctx.t(kind_msg(unit.kind))) }
                dt { (ctx.t(Msg::ParentUnit)) }
                dd { @if let Some(p) = &parent {
                    a href=(ctx.href(&format!("/admin/units/{}", p.id))) { (p.name) }
                } @else { "—" } }
                dt { (ctx.t(Msg::InForce)) } dd { (in_force(ctx, unit.validity())) }
            }
            (links_table(ctx, Msg::Predecessors, &lineage.predecessors))
            (links_table(ctx, Msg::Successors, &lineage.successors))
        },
    );
    Ok(ok(page))
}

/// The units a new campaign may be given: the tree in force today.
pub fn current(all: Vec<UnitRecord>) -> Vec<UnitRecord> {
    all.into_iter().filter(|u| u.valid_to.is_none()).collect()
}
