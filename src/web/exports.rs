//! Export downloads under /api/v1. The filters are checked and the
//! figures computed before the first byte goes out (so bad input gets a
//! clear 400); the body is then written by a worker thread into a bounded
//! channel, so memory stays flat however many responses there are.
use std::io::{Read, Write};

use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::domain::account::Permission;
use crate::domain::ids::CampaignId;
use crate::error::{ApiError, AppError};
use crate::service::auth::Principal;
use crate::service::export::{self, formats, ExportRequest, Kind, Prepared};
use crate::service::results::Period;
use crate::state::AppState;
use crate::web::run_blocking;

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    pub kind: Option<String>,
    pub unit: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub compare: Option<String>,
}

fn date(name: &str, v: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                AppError::BadRequest(format!("{name}: {s:?} is not a day like 2026-03-31"))
            }),
    }
}

fn request(
    principal: &Principal,
    id: CampaignId,
    q: &ExportQuery,
) -> Result<ExportRequest, AppError> {
    principal.require(Permission::ViewResults)?;
    Ok(ExportRequest {
        campaign_id: id,
        unit: q.unit.clone().filter(|u| !u.trim().is_empty()),
        period: Period {
            from: date("from", q.from.as_deref())?,
            to: date("to", q.to.as_deref())?,
        },
        compare: q.compare.clone().filter(|c| !c.is_empty()),
        scope: principal.scope.clone(),
    })
}

async fn prepared(state: &web::Data<AppState>, req: ExportRequest) -> Result<Prepared, ApiError> {
    let st = state.clone();
    Ok(run_blocking(&st, move |st, conn| {
        export::prepare(&st.templates, &st.results_cache, conn, &req)
    })
    .await?)
}

type Chunk = Result<Bytes, std::io::Error>;

/// A `Write` that hands 64 KiB chunks to the response body; it fails once
/// the client has gone, which stops the export.
struct ChannelWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Run `work` on its own thread with a connection, streaming what it writes.
fn stream(
    state: web::Data<AppState>,
    content_type: &str,
    filename: String,
    work: impl FnOnce(&mut crate::service::DbConn, &mut ChannelWriter) -> Result<(), AppError>
        + Send
        + 'static,
) -> HttpResponse {
    let (tx, rx) = mpsc::channel::<Chunk>(8);
    std::thread::spawn(move || {
        let mut w = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        let outcome = state
            .pool
            .get()
            .map_err(AppError::from)
            .and_then(|mut conn| work(&mut conn, &mut w))
            .and_then(|()| {
                w.flush()
                    .map_err(|e| AppError::internal("export: flush", e))
            });
        if let Err(e) = outcome {
            tracing::error!(error = %crate::error::report(&e), "export failed mid-stream");
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(body)
}

/// The formats a campaign exports to, named by the route's extension
/// (`/campaigns/{id}/export.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One CSV table, chosen by `?kind=`.
    Csv,
    /// Every table, one sheet each.
    Xlsx,
    /// The results JSON with the export's filters.
    Json,
    /// Anonymised responses, one JSON object per line.
    Ndjson,
}

impl Format {
    fn of_path(path: &str) -> Option<Format> {
        match path.rsplit_once('.')?.1 {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "json" => Some(Format::Json),
            "ndjson" => Some(Format::Ndjson),
            _ => None,
        }
    }
}

/// A campaign's export in the format its route names, with the filters of
/// the query.
pub async fn download(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<CampaignId>,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let format = Format::of_path(req.path()).ok_or(AppError::NotFound)?;
    // A CSV's table is checked with the other filters, before any work.
    let csv = match format {
        Format::Csv => Some(csv_kind(&q)?),
        _ => None,
    };
    let req = request(&principal, id.clone(), &q)?;
    let p = prepared(&state, req).await?;
    Ok(match (format, csv) {
        (_, Some(kind)) => stream(
            state,
            "text/csv; charset=utf-8",
            format!("sipas-{id}-{}.csv", kind.as_str()),
            move |conn, w| formats::write_csv(conn, &p, kind, w, &mut |_| {}),
        ),
        (Format::Json, _) => HttpResponse::Ok().json(&p.results),
        (Format::Ndjson, _) => stream(
            state,
            "application/x-ndjson",
            format!("sipas-{id}-responses.ndjson"),
            move |conn, w| formats::write_ndjson(conn, &p, w, &mut |_| {}).map(|_| ()),
        ),
        (Format::Xlsx | Format::Csv, None) => stream(
            state,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("sipas-{id}.xlsx"),
            move |conn, w| copy_xlsx(conn, &p, w),
        ),
    })
}

/// The CSV table `?kind=` asks for (the summary by default).
fn csv_kind(q: &ExportQuery) -> Result<Kind, AppError> {
    let name = q.kind.as_deref().unwrap_or("summary");
    Kind::parse(name).ok_or_else(|| {
        AppError::BadRequest(format!(
            "kind: {name:?} is not one of summary, units, criteria, distributions, responses, codebook"
        ))
    })
}

/// A workbook is written whole to a temporary file, then streamed.
fn copy_xlsx(
    conn: &mut crate::service::DbConn,
    p: &Prepared,
    w: &mut ChannelWriter,
) -> Result<(), AppError> {
    let dir = tempfile::tempdir().map_err(|e| AppError::internal("export: temporary folder", e))?;
    let file = dir.path().join("export.xlsx");
    formats::write_xlsx(conn, p, &file, &mut |_| {})?;
    let mut f = std::fs::File::open(&file).map_err(|e| AppError::internal("export: open", e))?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| AppError::internal("export: read", e))?;
        if n == 0 {
            return Ok(());
        }
        w.write_all(&buf[..n])
            .map_err(|e| AppError::internal("export: write", e))?;
    }
}
