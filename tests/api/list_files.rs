//! Lists as Excel saves them (tests/fixtures/lists, written by
//! scripts/make-list-fixtures.py): CSV UTF-8 with CRLF, "CSV" in Windows-1258
//! with semicolons, "Unicode Text" in UTF-16 with tabs, and XLSX. Each imports
//! the same rows through the CLI and the admin screens, and a bad list is
//! refused whole with every bad row at its exact line or sheet row.
use std::path::PathBuf;

use crate::db_test;
use crate::helpers::*;

const FORMS: [&str; 4] = ["-utf8-crlf.csv", "-windows-1258.csv", "-utf16.txt", ".xlsx"];

fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/lists").join(name)
}

fn path_str(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Where the CLI says a row is: `file:4` for text, the sheet and row for XLSX.
fn at(file: &str, line: u64) -> String {
    if file.ends_with(".xlsx") {
        format!("{file}, sheet “Danh sách”, row {line}")
    } else {
        format!("{file}:{line}")
    }
}

/// How the admin screen names a row.
fn at_on_screen(file: &str, line: u64) -> String {
    if file.ends_with(".xlsx") {
        format!("Trang tính “Danh sách”, hàng {line}")
    } else {
        format!("Dòng {line}")
    }
}

db_test!(
    unit_lists_import_however_excel_saved_them,
    |app: TestApp| async move {
        // Bad lists first: nothing of them may be written.
        for form in FORMS {
            let file = fixture(&format!("units-bad{form}"));
            let out = app.cli(&["units", "import", path_str(&file)]);
            assert!(!out.status.success(), "{form}");
            let err = String::from_utf8_lossy(&out.stderr);
            let path = path_str(&file);
            assert!(
                err.contains(&format!("{}: unknown kind \"village\"", at(path, 4))),
                "{form}: {err}"
            );
            assert!(
                err.contains(&format!("{}: code SNV already appears", at(path, 6))),
                "{form}: {err}"
            );
            assert!(!err.contains("UTF-8"), "{form} was decoded: {err}");
        }
        assert_eq!(app.cli_ok(&["units", "list"]).trim(), "", "all or nothing");

        let admin = app.admin_client().await;
        for form in FORMS {
            let name = format!("units-bad{form}");
            let bytes = std::fs::read(fixture(&name)).expect("fixture");
            let resp = admin
                .post_multipart_bytes("/admin/units/import", &[("file", Some(&name), &bytes)])
                .await;
            assert_eq!(resp.status(), 422, "{form}");
            let page = resp.text().await.expect("page");
            for line in [4, 6] {
                let place = at_on_screen(&name, line);
                assert!(page.contains(&place), "{form}: {place} missing");
            }
        }
        assert_eq!(app.cli_ok(&["units", "list"]).trim(), "", "all or nothing");

        // Each good list gives the same units, names in the same Unicode form
        // as typed in UTF-8 (Windows-1258 spells tone marks apart).
        for (i, form) in FORMS.iter().enumerate() {
            let name = format!("units{form}");
            if i % 2 == 0 {
                let out = app.cli_ok(&["units", "import", path_str(&fixture(&name))]);
                assert!(out.contains("units"), "{out}");
            } else {
                let bytes = std::fs::read(fixture(&name)).expect("fixture");
                let resp = admin
                    .post_multipart_bytes("/admin/units/import", &[("file", Some(&name), &bytes)])
                    .await;
                assert_eq!(resp.status(), 200, "{form}");
            }
            let list = app.cli_ok(&["units", "list"]);
            for unit in [
                "Phường Hoàn Kiếm",
                "Phường Nghĩa Đô",
                "Xã Sóc Sơn",
                "Sở Nội vụ",
            ] {
                assert!(list.contains(unit), "{form}: {unit} in {list}");
            }
            assert_eq!(list.lines().count(), 5, "{form}: updated in place\n{list}");
        }
    }
);

db_test!(
    recipient_lists_import_however_excel_saved_them,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "SNV");
        for form in FORMS {
            let file = fixture(&format!("recipients-bad{form}"));
            let out = app.cli(&["invitations", "import", "--campaign", &id, path_str(&file)]);
            assert!(!out.status.success(), "{form}");
            let err = String::from_utf8_lossy(&out.stderr);
            let path = path_str(&file);
            assert!(
                err.contains(&format!("{}: \"không-phải-địa-chỉ\"", at(path, 3))),
                "{form}: {err}"
            );
            assert!(
                err.contains(&format!("{}: group must be", at(path, 4))),
                "{form}: {err}"
            );
        }
        let admin = app.admin_client().await;
        let import = format!("/admin/campaigns/{id}/invitations/import");
        for form in FORMS {
            let name = format!("recipients-bad{form}");
            let bytes = std::fs::read(fixture(&name)).expect("fixture");
            let resp = admin
                .post_multipart_bytes(&import, &[("file", Some(&name), &bytes)])
                .await;
            assert_eq!(resp.status(), 422, "{form}");
            let page = resp.text().await.expect("page");
            for line in [3, 4] {
                let place = at_on_screen(&name, line);
                assert!(page.contains(&place), "{form}: {place} missing");
            }
        }
        let status = admin
            .page(&format!("/admin/campaigns/{id}/invitations"))
            .await;
        assert!(!status.contains("truong.phong"), "all or nothing");

        // The first good list adds three recipients; the same list saved
        // another way merges all three.
        for (i, form) in FORMS.iter().enumerate() {
            let name = format!("recipients{form}");
            let bytes = std::fs::read(fixture(&name)).expect("fixture");
            let resp = admin
                .post_multipart_bytes(&import, &[("file", Some(&name), &bytes)])
                .await;
            assert_eq!(resp.status(), 200, "{form}");
            let page = resp.text().await.expect("page");
            let expected = if i == 0 { "3 / 0" } else { "0 / 3" };
            assert!(page.contains(expected), "{form}: {expected}");
        }
        let page = admin
            .page(&format!("/admin/campaigns/{id}/invitations"))
            .await;
        assert!(
            page.contains("lãnh đạo") && page.contains("công chức"),
            "groups in NFC"
        );
    }
);

db_test!(
    a_file_that_does_not_decode_is_named_by_line_with_the_way_out,
    |app: TestApp| async move {
        // UTF-8 throughout, but a byte of line 4 was damaged.
        let mut bytes = std::fs::read(fixture("units-utf8-crlf.csv")).expect("fixture");
        let at_line_4 = bytes
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w == b"\r\n")
            .nth(2)
            .map(|(i, _)| i + 2 + 14)
            .expect("line 4");
        bytes[at_line_4] = 0xFF;
        let path = app.dir.path().join("damaged.csv");
        std::fs::write(&path, &bytes).expect("write");
        let out = app.cli(&["units", "import", path.to_str().expect("path")]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("damaged.csv:4: "), "{err}");
        assert!(err.contains("CSV UTF-8"), "says how to save it: {err}");
        assert!(!err.contains("stream did not contain valid UTF-8"), "{err}");

        let admin = app.admin_client().await;
        let resp = admin
            .post_multipart_bytes(
                "/admin/units/import",
                &[("file", Some("damaged.csv"), &bytes)],
            )
            .await;
        assert_eq!(resp.status(), 422);
        let page = resp.text().await.expect("page");
        assert!(
            page.contains("Dòng 4") && page.contains("CSV UTF-8"),
            "{page}"
        );
        assert_eq!(app.cli_ok(&["units", "list"]).trim(), "");
    }
);

/// A workbook of one sheet, numbers as numbers, as Excel keeps them.
fn workbook(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).expect("sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(r, c, n).map(|_| ()),
                Err(_) => ws.write_string(r, c, *v).map(|_| ()),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

db_test!(
    services_and_transactions_come_from_workbooks_too,
    |app: TestApp| async move {
        app.import_sample_units();
        let id = app.create_campaign("hn-mau-02", "P-HOANKIEM,X-SOCSON");
        let services = app.dir.path().join("tthc.xlsx");
        let rows: &[&[&str]] = &[
            &["Code", "Name"],
            &["1.001", "Đăng ký khai sinh"],
            &["2.002", "Chứng thực bản sao"],
        ];
        std::fs::write(&services, workbook("TTHC", rows)).expect("write");
        let out = app.cli_ok(&["campaigns", "services", &id, path_str(&services)]);
        assert!(
            out.contains("2 services set") && out.contains("Đăng ký khai sinh"),
            "{out}"
        );

        let counts = app.dir.path().join("giao-dich.xlsx");
        let bad: &[&[&str]] = &[
            &["unit_code", "transactions"],
            &["P-HOANKIEM", "1200"],
            &["X-SOCSON", "nhiều"],
        ];
        std::fs::write(&counts, workbook("Số liệu", bad)).expect("write");
        let args = [
            "sample-size",
            "--campaign",
            &id,
            "--transactions",
            path_str(&counts),
        ];
        let out = app.cli(&args);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        let place = format!(
            "{}, sheet “Số liệu”, row 3: transactions",
            path_str(&counts)
        );
        assert!(err.contains(&place), "{err}");
        let good: &[&[&str]] = &[
            &["unit_code", "transactions"],
            &["P-HOANKIEM", "1200"],
            &["X-SOCSON", "800"],
        ];
        std::fs::write(&counts, workbook("Số liệu", good)).expect("write");
        let out = app.cli_ok(&args);
        assert!(
            out.contains("P-HOANKIEM") && out.contains("X-SOCSON"),
            "{out}"
        );
    }
);
