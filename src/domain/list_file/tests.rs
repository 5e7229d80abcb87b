use super::*;

/// The lists of tests/fixtures/lists, as Excel saves them
/// (scripts/make-list-fixtures.py).
macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/lists/", $name)).as_slice()
    };
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend(u.to_le_bytes());
    }
    out
}

fn lines(e: &ListError) -> Vec<u64> {
    e.errors.iter().map(|e| e.line).collect()
}

#[test]
fn bom_spaces_case_and_column_order_do_not_matter() {
    let t = read(
        "\u{feff}Name , CODE\n Sở Nội vụ ,SNV\n".as_bytes(),
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
    assert!(t.sheet.is_none());
}

#[test]
fn a_missing_column_and_bad_rows_are_named_by_line() {
    let e = read(b"code\nSNV\n", &["code", "name"], "code,name").expect_err("errors");
    assert_eq!(lines(&e), [1]);
    assert!(
        e.errors[0].message.contains("missing column(s) name"),
        "{}",
        e.errors[0].message
    );
    let e = read(
        b"code,name\nA,a\nB\nC,c,extra\n",
        &["code", "name"],
        "code,name",
    )
    .expect_err("errors");
    assert_eq!(lines(&e), [3, 4]);
}

#[test]
fn crlf_files_have_the_same_line_numbers_as_lf_files() {
    let lf = "code,name\nA,a\n\"B\",\"two\nlines\"\nC\nD,d,x\n";
    let crlf = lf.replace('\n', "\r\n");
    for text in [lf, crlf.as_str()] {
        let e = read(text.as_bytes(), &["code", "name"], "code,name").expect_err("errors");
        assert_eq!(lines(&e), [5, 6], "{text:?}");
    }
    let t = read(
        b"code,name\r\nA,a\r\n\r\nB,b\r\n",
        &["code", "name"],
        "code,name",
    )
    .expect("table");
    assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 4]);
}

#[test]
fn alternatives_name_one_column() {
    let t = read(
        b"email;Unit;group\na@x.vn;SNV;lanh_dao\n",
        &["unit_code|unit"],
        "x",
    )
    .expect("table");
    assert!(t.has("unit_code|unit"));
    assert_eq!(t.get(&t.rows[0].1, "unit_code|unit"), "SNV");
}

#[test]
fn every_way_excel_saves_a_list_reads_the_same() {
    let required = ["code", "name", "kind"];
    let expected = "code,name,kind,parent_code";
    let files = [
        fixture!("units-utf8-crlf.csv"),
        fixture!("units-windows-1258.csv"),
        fixture!("units-utf16.txt"),
        fixture!("units.xlsx"),
    ];
    let windows_1258 = files[1];
    assert!(std::str::from_utf8(windows_1258).is_err(), "not UTF-8");
    for bytes in files {
        let t = read(bytes, &required, expected).expect("table");
        let rows: Vec<(u64, &str, &str)> = t
            .rows
            .iter()
            .map(|(line, r)| (*line, t.get(r, "code"), t.get(r, "name")))
            .collect();
        // NFC, so names compare equal to the same names typed in UTF-8.
        assert_eq!(rows[0], (2, "HN", "Thành phố Hà Nội"));
        assert_eq!(rows[2], (4, "P-HOANKIEM", "Phường Hoàn Kiếm"));
        assert_eq!(rows[4], (6, "P-NGHIATO", "Phường Nghĩa Đô"));
        assert_eq!(t.get(&t.rows[0].1, "parent_code"), "");
    }
}

#[test]
fn utf16_unicode_text_is_tab_separated() {
    let bytes = utf16le_with_bom("code\tname\r\nSNV\tSở Nội vụ\r\nSTC\r\n");
    let e = read(&bytes, &["code", "name"], "code,name").expect_err("short row");
    assert_eq!(lines(&e), [3]);
    let bytes = utf16le_with_bom("code\tname\r\nSNV\tSở Nội vụ\r\n");
    let t = read(&bytes, &["code", "name"], "code,name").expect("table");
    assert_eq!(t.get(&t.rows[0].1, "name"), "Sở Nội vụ");
}

#[test]
fn undecodable_bytes_are_named_by_line_with_the_way_out() {
    // UTF-8 throughout but one damaged byte on line 3.
    let mut bytes = "code,name\nSNV,Sở Nội vụ\nSTC,Sở Tài ".as_bytes().to_vec();
    bytes.push(0xFF);
    bytes.extend("chính\n".as_bytes());
    let e = read(&bytes, &["code", "name"], "code,name").expect_err("refused");
    assert_eq!(lines(&e), [3]);
    let m = &e.errors[0].message;
    assert!(m.contains("not UTF-8") && m.contains("CSV UTF-8"), "{m}");

    // A byte Windows-1258 leaves undefined (0x8A) on line 2.
    let e = read(b"code,name\nA,\x8a\n", &["code"], "code").expect_err("refused");
    assert_eq!(lines(&e), [2]);
    assert!(e.errors[0].message.contains("Windows-1258"));

    // A UTF-8 BOM, then a bad byte on line 4.
    let e = read(b"\xef\xbb\xbfcode\nA\nB\n\xc3(\n", &["code"], "code").expect_err("refused");
    assert_eq!(lines(&e), [4]);
}

fn workbook(rows: &[&[&str]], sheet: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).expect("sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Ok(n) = v.parse::<f64>() {
                ws.write_number(r as u32, c as u16, n).expect("cell");
            } else {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn xlsx_rows_are_named_by_sheet_and_row() {
    let bytes = workbook(
        &[
            &["Code", "Name", "Transactions"],
            &["SNV", "Sở Nội vụ", "1200"],
            &["", "", ""],
            &["STC", "Sở Tài chính", "12.5"],
        ],
        "Đơn vị",
    );
    let t = read(&bytes, &["code", "name"], "code,name").expect("table");
    assert_eq!(t.sheet.as_deref(), Some("Đơn vị"));
    assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(t.get(&t.rows[0].1, "transactions"), "1200");
    assert_eq!(t.get(&t.rows[1].1, "transactions"), "12.5");
    assert_eq!(
        place("u.xlsx", t.sheet.as_deref(), 4),
        "u.xlsx, sheet “Đơn vị”, row 4"
    );

    let e = read(
        &workbook(&[&["code"], &["A"]], "Units"),
        &["code", "name"],
        "code,name",
    )
    .expect_err("missing column");
    assert_eq!(e.sheet.as_deref(), Some("Units"));
    assert_eq!(lines(&e), [1]);
}

#[test]
fn column_names_follow_excel() {
    assert_eq!(
        [0, 25, 26, 27, 701, 702].map(column_name),
        ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    );
}
