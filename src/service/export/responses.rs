//! Anonymised raw responses, read page by page (by response id) so memory
//! stays bounded. A row carries a running sequence number instead of the
//! response id, the unit code, the service code, the day of submission and
//! one column per choice item; free text is never exported (it may hold
//! names, phone numbers or addresses).
use std::collections::BTreeMap;

use serde::Serialize;

use super::{Cell, Prepared, RowSink};
use crate::db::{self, DbConn};
use crate::domain::packed;
use crate::domain::template::ScaleKind;
use crate::error::AppError;

/// Responses read per page.
pub const PAGE: i64 = 5000;

#[derive(Debug, Clone, Serialize)]
pub struct AnonResponse {
    pub seq: u64,
    pub unit_code: String,
    pub service_code: Option<String>,
    pub submitted_on: String,
    /// Item code → chosen option values.
    pub answers: BTreeMap<String, Vec<i32>>,
}

/// The choice items, in template order: the response columns.
pub fn columns(p: &Prepared) -> Vec<String> {
    p.template
        .items
        .iter()
        .filter(|i| p.template.scale_of(i).kind != ScaleKind::Text)
        .map(|i| i.code.to_string())
        .collect()
}

/// How many responses the export covers.
pub fn count(conn: &mut DbConn, p: &Prepared) -> Result<u64, AppError> {
    Ok(db::exports::count_responses(conn, &p.results.campaign_id, &p.filter)?.max(0) as u64)
}

/// One stored response as read: (unit id, service code, day, packed choices).
type Raw = (String, Option<String>, chrono::NaiveDate, String);

/// Call `f` with every response in the filter, one page at a time, with its
/// running sequence number.
fn for_each_raw(
    conn: &mut DbConn,
    p: &Prepared,
    f: &mut dyn FnMut(u64, Raw) -> Result<(), AppError>,
) -> Result<u64, AppError> {
    let mut seq = 0u64;
    // The sink's error is kept aside: the page walk only speaks diesel.
    let mut failed: Option<AppError> = None;
    db::exports::for_each_page(conn, &p.results.campaign_id, &p.filter, PAGE, &mut |page| {
        for (_, unit_id, service_code, submitted_on, choices) in page {
            seq += 1;
            if let Err(e) = f(seq, (unit_id, service_code, submitted_on, choices)) {
                failed = Some(e);
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        Ok(())
    })
    .map_err(|e| failed.take().unwrap_or_else(|| AppError::from(e)))?;
    Ok(seq)
}

/// Call `f` with every response in the filter, one page at a time.
pub fn for_each(
    conn: &mut DbConn,
    p: &Prepared,
    f: &mut dyn FnMut(AnonResponse) -> Result<(), AppError>,
) -> Result<u64, AppError> {
    for_each_raw(conn, p, &mut |seq,
                                (
        unit_id,
        service_code,
        submitted_on,
        choices,
    )| {
        let mut answers: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for (item, value) in packed::unpack(&choices) {
            answers.entry(item.to_string()).or_default().push(value);
        }
        f(AnonResponse {
            seq,
            unit_code: p.unit_codes.get(&unit_id).cloned().unwrap_or_default(),
            service_code,
            submitted_on: submitted_on.to_string(),
            answers,
        })
    })
}

/// The Responses table: header, then one row per response.
pub fn rows(
    conn: &mut DbConn,
    p: &Prepared,
    sink: &mut RowSink<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, AppError> {
    let cols = columns(p);
    let mut head: Vec<Cell> = ["seq", "unit_code", "service_code", "submitted_on"]
        .into_iter()
        .map(Cell::text)
        .collect();
    head.extend(cols.iter().map(Cell::text));
    sink(&head)?;
    // Each column's values, refilled per response: no map per row.
    let column_of: std::collections::HashMap<&str, usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut slots: Vec<Vec<i32>> = vec![Vec::new(); cols.len()];
    let mut row: Vec<Cell> = Vec::with_capacity(4 + cols.len());
    for_each_raw(conn, p, &mut |seq,
                                (
        unit_id,
        service_code,
        submitted_on,
        choices,
    )| {
        slots.iter_mut().for_each(Vec::clear);
        for (item, value) in packed::unpack(&choices) {
            if let Some(&i) = column_of.get(item) {
                slots[i].push(value);
            }
        }
        row.clear();
        row.push(Cell::Int(seq as i64));
        row.push(Cell::text(
            p.unit_codes.get(&unit_id).cloned().unwrap_or_default(),
        ));
        row.push(service_code.map(Cell::Text).unwrap_or(Cell::Empty));
        row.push(Cell::text(submitted_on.to_string()));
        for values in &slots {
            row.push(match values.as_slice() {
                [] => Cell::Empty,
                [v] => Cell::Int(i64::from(*v)),
                vs => Cell::Text(
                    vs.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
            });
        }
        progress(1);
        sink(&row)
    })
}

/// The responses as NDJSON lines (one JSON object per line).
pub fn ndjson(
    conn: &mut DbConn,
    p: &Prepared,
    out: &mut dyn std::io::Write,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, AppError> {
    for_each(conn, p, &mut |r| {
        serde_json::to_writer(&mut *out, &r)
            .map_err(|e| AppError::internal("export: JSON line", e))?;
        out.write_all(b"\n")
            .map_err(|e| AppError::internal("export: write", e))?;
        progress(1);
        Ok(())
    })
}
