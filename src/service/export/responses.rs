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

/// Call `f` with every response in the filter, one page at a time.
pub fn for_each(
    conn: &mut DbConn,
    p: &Prepared,
    f: &mut dyn FnMut(AnonResponse) -> Result<(), AppError>,
) -> Result<u64, AppError> {
    let mut seq = 0u64;
    // The sink's error is kept aside: the page walk only speaks diesel.
    let mut failed: Option<AppError> = None;
    db::exports::for_each_page(conn, &p.results.campaign_id, &p.filter, PAGE, &mut |page| {
        for (_, unit_id, service_code, submitted_on, choices) in page {
            seq += 1;
            let mut answers: BTreeMap<String, Vec<i32>> = BTreeMap::new();
            for (item, value) in packed::unpack(&choices) {
                answers.entry(item.to_string()).or_default().push(value);
            }
            let row = AnonResponse {
                seq,
                unit_code: p.unit_codes.get(&unit_id).cloned().unwrap_or_default(),
                service_code,
                submitted_on: submitted_on.to_string(),
                answers,
            };
            if let Err(e) = f(row) {
                failed = Some(e);
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        Ok(())
    })
    .map_err(|e| failed.take().unwrap_or_else(|| AppError::from(e)))?;
    Ok(seq)
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
    for_each(conn, p, &mut |r| {
        let mut row = vec![
            Cell::Int(r.seq as i64),
            Cell::text(r.unit_code),
            r.service_code.map(Cell::Text).unwrap_or(Cell::Empty),
            Cell::text(r.submitted_on),
        ];
        for c in &cols {
            row.push(match r.answers.get(c).map(Vec::as_slice) {
                None | Some([]) => Cell::Empty,
                Some([v]) => Cell::Int(i64::from(*v)),
                Some(vs) => Cell::Text(
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
