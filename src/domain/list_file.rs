//! Lists people upload (units, recipients, public services, transaction
//! counts), read as Excel saves them. Officials keep these lists in Excel and
//! pick whichever "Save as" Excel offers, so one reader accepts:
//! - CSV in UTF-8, with or without a BOM ("CSV UTF-8"), LF or CRLF line ends;
//! - CSV in Windows-1258, what Excel on a Vietnamese Windows writes as "CSV";
//! - UTF-16 with a BOM, Excel's "Unicode Text" (tab-separated);
//! - workbooks (XLSX, XLS, ODS), read with calamine.
//!
//! The separator (comma, semicolon or tab) is taken from the header line.
//! Text is put in Unicode NFC, since Windows-1258 (and macOS) spell Vietnamese
//! tone marks as combining characters. Every bad row is reported by the line
//! (CSV) or the sheet and row (workbook) a person finds it at.
use std::borrow::Cow;
use std::fmt;
use std::io::Cursor;

use unicode_normalization::UnicodeNormalization;

use super::unit::RowError;

/// One row's cells, in the header's column order.
pub type Record = Vec<String>;

/// A list read from a file: its header and each non-empty row with its line
/// (CSV) or row (workbook) number.
#[derive(Debug)]
pub struct Table {
    /// The sheet the rows come from, for a workbook.
    pub sheet: Option<String>,
    headers: Vec<String>,
    pub rows: Vec<(u64, Record)>,
}

/// Why a file gave no table: every error, and the sheet they refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListError {
    pub sheet: Option<String>,
    pub errors: Vec<RowError>,
}

/// How to point at a row: `file:12` for text, `file, sheet “Units”, row 12` for
/// a workbook.
pub fn place(file: &str, sheet: Option<&str>, line: u64) -> String {
    match sheet {
        None => format!("{file}:{line}"),
        Some(s) => format!("{file}, sheet “{s}”, row {line}"),
    }
}

/// Every error of a list, one per line as `place: why`, for the CLI.
pub struct Listing<'a> {
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    pub errors: &'a [RowError],
}

impl fmt::Display for Listing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(
                f,
                "  {}: {}",
                place(self.file, self.sheet, e.line),
                e.message
            )?;
        }
        Ok(())
    }
}

impl Table {
    fn index(&self, column: &str) -> Option<usize> {
        column
            .split('|')
            .find_map(|name| self.headers.iter().position(|h| h == name))
    }

    /// The value of `column` in `row`, "" when absent. `column` may name
    /// alternatives, `unit_code|unit`: the first the header has is used.
    pub fn get<'r>(&self, row: &'r [String], column: &str) -> &'r str {
        self.index(column)
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    }

    /// Does the header have `column` (or one of its alternatives)?
    pub fn has(&self, column: &str) -> bool {
        self.index(column).is_some()
    }
}

/// Read a list whose header has every column of `required` (each may name
/// alternatives, `unit_code|unit`; headers are matched ignoring case and
/// spaces). A header without them is one error naming `expected`; otherwise
/// every row that cannot be read is an error with its line, and no rows are
/// returned unless there is none.
pub fn read(bytes: &[u8], required: &[&str], expected: &str) -> Result<Table, ListError> {
    if is_workbook(bytes) {
        return read_workbook(bytes, required, expected);
    }
    let text = decode(bytes).map_err(|e| ListError {
        sheet: None,
        errors: vec![e],
    })?;
    read_text(&text, required, expected).map_err(|errors| ListError {
        sheet: None,
        errors,
    })
}

/// The zip signature of XLSX and ODS, the OLE signature of XLS.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

const SAVE_AS_UTF8: &str =
    "in Excel choose File › Save As › “CSV UTF-8 (Comma delimited) (*.csv)” \
     (Tệp › Lưu thành › “CSV UTF-8”) and try again";

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
}

/// The file's text. UTF-8 and UTF-16 are told by their BOM or by being valid;
/// a file that is not valid UTF-8 and shows no sign of being damaged UTF-8 is
/// Windows-1258, Excel's "CSV" on a Vietnamese Windows.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, RowError> {
    let refuse = |line: u64, what: &str| RowError {
        line,
        message: format!("{what}; {SAVE_AS_UTF8}"),
    };
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            return std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| {
                refuse(
                    line_of(body, e.valid_up_to()),
                    "this line holds a byte that is not UTF-8, although the file starts as UTF-8",
                )
            });
        }
        // UTF-16, Excel's "Unicode Text".
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            let line = 1 + text
                .split('\u{FFFD}')
                .next()
                .unwrap_or("")
                .matches('\n')
                .count() as u64;
            return Err(refuse(
                line,
                &format!(
                    "this line holds a character that is not valid {}",
                    enc.name()
                ),
            ));
        }
        return Ok(nfc(text));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(nfc(Cow::Borrowed(s))),
        Err(e) => {
            if damaged_utf8(bytes) {
                return Err(refuse(
                    line_of(bytes, e.valid_up_to()),
                    "this line holds a byte that is not UTF-8, while the rest of the file is UTF-8",
                ));
            }
            let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
            // Bytes 0x80–0x9F that Windows-1258 leaves undefined decode to C1
            // controls: then this is some other encoding.
            if let Some(at) = text.find(|c: char| ('\u{80}'..='\u{9f}').contains(&c)) {
                let line = 1 + text[..at].matches('\n').count() as u64;
                return Err(refuse(
                    line,
                    "this line holds a byte that is neither UTF-8 nor Windows-1258 (Vietnamese)",
                ));
            }
            Ok(nfc(text))
        }
    }
}

/// Does invalid UTF-8 still hold more well-formed multi-byte sequences than
/// bad bytes? Then it is UTF-8 with a damaged byte, not a legacy encoding,
/// and decoding it as Windows-1258 would garble every name.
fn damaged_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                good += std::str::from_utf8(valid)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                bad += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[skip.min(rest.len())..];
            }
        }
    }
    good > bad
}

fn nfc(text: Cow<'_, str>) -> Cow<'_, str> {
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// The separator of the header line: the most frequent of comma, semicolon
/// and tab outside quotes (comma when none).
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    for c in header.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (sep, n) in counts.iter_mut() {
                if c == *sep {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(sep, n)| (*n, *sep == b','))
        .map_or(b',', |(sep, _)| *sep)
}

fn clean_header(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').to_lowercase()
}

fn check_header(headers: &[String], required: &[&str], expected: &str) -> Result<(), RowError> {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !c.split('|').any(|name| headers.iter().any(|h| h == name)))
        .map(|c| c.split('|').next().unwrap_or(c))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(RowError {
            line: 1,
            message: format!(
                "missing column(s) {}; expected the header {expected}",
                missing.join(", ")
            ),
        })
    }
}

/// Byte offsets where each line starts, to name a record by its line: the
/// csv crate's own line count is off by one on CRLF files.
struct Lines<'t> {
    text: &'t [u8],
    starts: Vec<usize>,
}

impl Lines<'_> {
    fn new(text: &str) -> Lines<'_> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            text: text.as_bytes(),
            starts,
        }
    }

    /// The line of the record at `byte`. The csv crate may place a record at
    /// the line end before it (the `\n` of a `\r\n`), so line ends are skipped.
    fn line(&self, byte: u64) -> u64 {
        let mut at = byte as usize;
        while matches!(self.text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.starts.partition_point(|s| *s <= at) as u64
    }
}

fn read_text(text: &str, required: &[&str], expected: &str) -> Result<Table, Vec<RowError>> {
    let lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            vec![RowError {
                line: 1,
                message: format!("cannot read the header: {e}"),
            }]
        })?
        .iter()
        .map(clean_header)
        .collect();
    check_header(&headers, required, expected).map_err(|e| vec![e])?;
    let width = headers.len();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| lines.line(p.byte()));
                let cells: Record = r.iter().map(str::to_string).collect();
                if cells.iter().all(String::is_empty) {
                    continue;
                }
                // Trailing empty cells are what Excel writes for a formatted
                // column; only cells with something in them count.
                let used = cells
                    .iter()
                    .rposition(|c| !c.is_empty())
                    .map_or(0, |i| i + 1);
                if used > width {
                    errors.push(RowError {
                        line,
                        message: format!(
                            "malformed row: {used} fields, but the header has {width}"
                        ),
                    });
                } else if cells.len() < width {
                    errors.push(RowError {
                        line,
                        message: format!(
                            "malformed row: {} field(s), but the header has {width}",
                            cells.len()
                        ),
                    });
                } else {
                    rows.push((line, cells));
                }
            }
            Err(e) => errors.push(RowError {
                line: e.position().map_or(0, |p| lines.line(p.byte())),
                message: format!("malformed row: {e}"),
            }),
        }
    }
    if errors.is_empty() {
        Ok(Table {
            sheet: None,
            headers,
            rows,
        })
    } else {
        Err(errors)
    }
}

/// A cell as the text a person sees in it. A whole number typed in a cell is
/// stored as a float: it reads back without ".0".
fn cell_text(cell: &calamine::Data) -> Result<String, String> {
    use calamine::Data;
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().nfc().collect(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
            Some(dt) => dt.to_string(),
            None => d.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("the cell holds the Excel error {e}")),
    })
}

/// Column letters as Excel shows them (0 → A, 26 → AA).
fn column_name(mut i: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The first sheet whose first non-empty row has the required columns (or,
/// when none has, the first sheet, to name what is missing).
fn read_workbook(bytes: &[u8], required: &[&str], expected: &str) -> Result<Table, ListError> {
    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| ListError {
            sheet: None,
            errors: vec![RowError {
                line: 1,
                message: format!("cannot read the workbook: {e}"),
            }],
        })?;
    let sheets = book.worksheets();
    let mut first_failure = None;
    for (name, range) in sheets {
        match sheet_table(&name, &range, required, expected) {
            Ok(t) => return Ok(t),
            Err(e) if first_failure.is_none() => first_failure = Some(e),
            Err(_) => {}
        }
    }
    Err(first_failure.unwrap_or(ListError {
        sheet: None,
        errors: vec![RowError {
            line: 1,
            message: "the workbook has no sheet".into(),
        }],
    }))
}

fn sheet_table(
    name: &str,
    range: &calamine::Range<calamine::Data>,
    required: &[&str],
    expected: &str,
) -> Result<Table, ListError> {
    let fail = |errors| ListError {
        sheet: Some(name.to_string()),
        errors,
    };
    let (top, left) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as u64, c as usize));
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| (top + i as u64 + 1, r));
    let header = rows.find(|(_, r)| r.iter().any(|c| !matches!(c, calamine::Data::Empty)));
    let Some((header_row, header)) = header else {
        return Err(fail(vec![RowError {
            line: 1,
            message: format!("the sheet is empty; expected the header {expected}"),
        }]));
    };
    let headers: Vec<String> = header
        .iter()
        .map(|c| cell_text(c).map(|t| clean_header(&t)).unwrap_or_default())
        .collect();
    check_header(&headers, required, expected).map_err(|mut e| {
        e.line = header_row;
        fail(vec![e])
    })?;
    let mut table_rows = Vec::new();
    let mut errors = Vec::new();
    for (row_no, cells) in rows {
        let mut record = Record::with_capacity(cells.len());
        for (i, c) in cells.iter().enumerate() {
            match cell_text(c) {
                Ok(t) => record.push(t),
                Err(why) => {
                    errors.push(RowError {
                        line: row_no,
                        message: format!("cell {}{row_no}: {why}", column_name(left + i)),
                    });
                    record.push(String::new());
                }
            }
        }
        if record.iter().all(String::is_empty) {
            continue;
        }
        table_rows.push((row_no, record));
    }
    if errors.is_empty() {
        Ok(Table {
            sheet: Some(name.to_string()),
            headers,
            rows: table_rows,
        })
    } else {
        Err(fail(errors))
    }
}

#[cfg(test)]
mod tests;
