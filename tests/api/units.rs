use crate::db_test;
use crate::helpers::*;

db_test!(sample_units_import, |app: TestApp| async move {
    app.import_sample_units();
    let list = app.cli_ok(&["units", "list"]);
    assert!(list.contains("Thành phố Hà Nội"), "{list}");
    assert!(list.contains("SNV"));
    // Importing the same file again updates in place and adds nothing.
    let file = manifest_dir().join("examples/hanoi-units.csv");
    let again = app.cli_ok(&["units", "import", file.to_str().expect("path")]);
    assert!(again.contains(" 0 units added"), "{again}");
});

db_test!(
    bad_rows_are_all_reported_and_nothing_is_imported,
    |app: TestApp| async move {
        let file = manifest_dir().join("examples/bad-units.csv");
        let out = app.cli(&["units", "import", file.to_str().expect("path")]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad-units.csv:4: unknown kind \"village\""),
            "{err}"
        );
        assert!(
            err.contains("bad-units.csv:5: parent_code Q-DONGDA"),
            "{err}"
        );
        assert!(
            err.contains("bad-units.csv:6: code SNV already appears on line 3"),
            "{err}"
        );
        assert!(err.contains("nothing was imported"));
        // All or nothing: the good rows of that file were not written either.
        assert_eq!(app.cli_ok(&["units", "list"]).trim(), "");
    }
);

db_test!(
    malformed_csv_rows_carry_their_line_number,
    |app: TestApp| async move {
        let path = app.dir.path().join("broken.csv");
        std::fs::write(&path, "code,name,kind,parent_code\nHN,Hà Nội,city,\nX1,\"unterminated,ward,HN\nX2,Xã 2,commune,HN,extra\n")
        .expect("write csv");
        let out = app.cli(&["units", "import", path.to_str().expect("path")]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("broken.csv:3:") || err.contains("broken.csv:4:"),
            "{err}"
        );
        assert_eq!(app.cli_ok(&["units", "list"]).trim(), "");

        let path = app.dir.path().join("noheader.csv");
        std::fs::write(&path, "ma,ten\nHN,Hà Nội\n").expect("write csv");
        let out = app.cli(&["units", "import", path.to_str().expect("path")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("noheader.csv:1: missing column(s) code, name, kind"),
            "{err}"
        );
    }
);
