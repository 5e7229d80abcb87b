//! Writers: CSV (UTF-8 with a BOM so Excel reads Vietnamese correctly), XLSX
//! (rust_xlsxwriter in constant-memory mode: each row goes to a temporary
//! file as soon as it is written) and JSON.
use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::Workbook;

use super::{responses, write_kind, Cell, Kind, Prepared};
use crate::db::DbConn;
use crate::error::AppError;

/// The byte order mark Excel looks for.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// XLSX sheets in order.
pub const SHEETS: [Kind; 7] = [
    Kind::Summary,
    Kind::Units,
    Kind::Criteria,
    Kind::Distributions,
    Kind::Breakdowns,
    Kind::Responses,
    Kind::Codebook,
];

/// Excel's row limit, header included.
const XLSX_MAX_ROWS: u32 = 1_048_576;

fn internal<E: std::error::Error + Send + Sync + 'static>(e: E) -> AppError {
    AppError::internal("export", e)
}

/// Write one cell as a CSV field, numbers formatted into `buf` (no
/// allocation per cell: a million-row export has tens of millions).
fn csv_field<W: Write>(w: &mut csv::Writer<W>, buf: &mut String, c: &Cell) -> csv::Result<()> {
    use std::fmt::Write as _;
    match c {
        Cell::Text(s) => w.write_field(s),
        Cell::Empty => w.write_field(""),
        Cell::Num(x) => {
            buf.clear();
            let _ = write!(buf, "{x}");
            w.write_field(buf.as_bytes())
        }
        Cell::Int(n) => {
            buf.clear();
            let _ = write!(buf, "{n}");
            w.write_field(buf.as_bytes())
        }
    }
}

/// One kind of table as CSV.
pub fn write_csv(
    conn: &mut DbConn,
    p: &Prepared,
    kind: Kind,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<(), AppError> {
    out.write_all(BOM).map_err(internal)?;
    let mut w = csv::Writer::from_writer(out);
    let mut buf = String::new();
    write_kind(
        conn,
        p,
        kind,
        &mut |row| {
            for cell in row {
                csv_field(&mut w, &mut buf, cell).map_err(internal)?;
            }
            w.write_record(None::<&[u8]>).map_err(internal)
        },
        progress,
    )?;
    w.flush().map_err(internal)
}

/// Every sheet as one XLSX file at `path`.
pub fn write_xlsx(
    conn: &mut DbConn,
    p: &Prepared,
    path: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<(), AppError> {
    let mut book = Workbook::new();
    // Excel 365's own level: about a third faster to save than the default
    // 6, for a file about 5 % larger (rust_xlsxwriter's performance notes).
    book.set_zip_compression_level(3);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        book.set_tempdir(dir).map_err(internal)?;
    }
    for kind in SHEETS {
        let sheet = book
            .add_worksheet_with_constant_memory()
            .map_err(internal)?;
        sheet.set_name(kind.sheet()).map_err(internal)?;
        let mut r: u32 = 0;
        write_kind(
            conn,
            p,
            kind,
            &mut |row| {
                if r >= XLSX_MAX_ROWS {
                    return Err(AppError::BadRequest(format!(
                        "the {} sheet would pass Excel's {XLSX_MAX_ROWS} rows; export it as CSV or narrow the unit or period",
                        kind.sheet()
                    )));
                }
                for (c, cell) in row.iter().enumerate() {
                    let col = c as u16;
                    match cell {
                        Cell::Text(s) => sheet.write_string(r, col, s).map(|_| ()),
                        Cell::Num(x) => sheet.write_number(r, col, *x).map(|_| ()),
                        Cell::Int(n) => sheet.write_number(r, col, *n as f64).map(|_| ()),
                        Cell::Empty => Ok(()),
                    }
                    .map_err(internal)?;
                }
                r += 1;
                Ok(())
            },
            progress,
        )?;
    }
    book.save(path).map_err(internal)
}

/// The (filtered) results as one JSON document.
pub fn write_results_json(p: &Prepared, out: &mut dyn Write) -> Result<(), AppError> {
    serde_json::to_writer_pretty(&mut *out, &p.results).map_err(internal)?;
    out.write_all(b"\n").map_err(internal)
}

/// The responses as NDJSON.
pub fn write_ndjson(
    conn: &mut DbConn,
    p: &Prepared,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, AppError> {
    responses::ndjson(conn, p, out, progress)
}
