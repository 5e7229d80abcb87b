//! CSV files people upload (units, services, transactions): one reader so
//! every import treats a BOM, spaces, a missing column and a malformed row
//! the same way, and names each bad row by its line number.
use csv::StringRecord;

use super::unit::RowError;

/// A CSV table read from text: the header and each record with its line.
pub struct Table {
    pub headers: StringRecord,
    pub rows: Vec<(u64, StringRecord)>,
}

impl Table {
    /// The value of `column` in `row`, "" when absent.
    pub fn get<'r>(&self, row: &'r StringRecord, column: &str) -> &'r str {
        self.headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| row.get(i))
            .unwrap_or("")
    }
}

/// Read CSV text (a leading BOM from Excel is dropped, fields are trimmed)
/// whose header has every column of `required`. A header without them is
/// one error on line 1 naming `expected`; otherwise every row the CSV
/// reader cannot read (wrong number of fields, bad quoting) is an error with
/// its line, and no rows are returned unless there is none.
pub fn read(text: &str, required: &[&str], expected: &str) -> Result<Table, Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader.headers().cloned().map_err(|e| {
        vec![RowError {
            line: 1,
            message: format!("cannot read the header: {e}"),
        }]
    })?;
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowError {
            line: 1,
            message: format!(
                "missing column(s) {}; expected the header {expected}",
                missing.join(", ")
            ),
        }]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => rows.push((r.position().map(|p| p.line()).unwrap_or(0), r)),
            Err(e) => errors.push(RowError {
                line: e.position().map(|p| p.line()).unwrap_or(0),
                message: format!("malformed row: {e}"),
            }),
        }
    }
    if errors.is_empty() {
        Ok(Table { headers, rows })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_spaces_and_column_order_do_not_matter() {
        let t = read(
            "\u{feff}name , code\n Sở Nội vụ ,SNV\n",
            &["code", "name"],
            "code,name",
        )
        .expect("a table");
        let (line, row) = &t.rows[0];
        assert_eq!(*line, 2);
        assert_eq!(
            (t.get(row, "code"), t.get(row, "name")),
            ("SNV", "Sở Nội vụ")
        );
        assert_eq!(t.get(row, "parent_code"), "");
    }

    #[test]
    fn a_missing_column_and_bad_rows_are_named_by_line() {
        let e = read("code\nSNV\n", &["code", "name"], "code,name")
            .err()
            .expect("errors");
        assert_eq!(e[0].line, 1);
        assert!(
            e[0].message.contains("missing column(s) name"),
            "{}",
            e[0].message
        );

        let e = read(
            "code,name\nA,a\nB\nC,c,extra\n",
            &["code", "name"],
            "code,name",
        )
        .err()
        .expect("errors");
        assert_eq!(e.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
    }
}
