use std::process::Command;

use crate::helpers::*;

fn copy_templates(to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(manifest_dir().join("survey-templates")).expect("read dir") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
        }
    }
}

async fn edited_template_becomes_a_new_version(db: TestDb) {
    let scratch = tempfile::tempdir().expect("dir");
    let dir = scratch.path().join("templates");
    copy_templates(&dir);
    let Some(app) = spawn_app_with(db, &dir).await else {
        return;
    };
    app.import_sample_units();
    let id = app.create_campaign("hn-mau-02", "SNV");

    let file = dir.join("hn-mau-02.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace(
            "Công chức có thái độ giao tiếp lịch sự",
            "Công chức lịch sự, niềm nở",
        ),
    )
    .expect("write");
    let list = app.cli_ok(&["templates", "list"]);
    assert!(list.contains("v1") && list.contains("v2"), "{list}");

    // The running campaign keeps the version it was created with.
    let html = app
        .get(&format!("/s/{id}/SNV"))
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("Công chức có thái độ giao tiếp lịch sự"));
    let campaigns = app.get_json("/api/v1/campaigns").await;
    assert_eq!(campaigns["campaigns"][0]["template"]["version"], 1);
    // A new campaign takes the new version.
    let id2 = app.create_campaign("hn-mau-02", "SNV");
    let html = app
        .get(&format!("/s/{id2}/SNV"))
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("Công chức lịch sự, niềm nở"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_template_becomes_a_new_version_sqlite() {
    edited_template_becomes_a_new_version(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_template_becomes_a_new_version_postgres() {
    edited_template_becomes_a_new_version(TestDb::Postgres).await;
}

#[test]
fn server_refuses_to_start_with_an_invalid_template() {
    let scratch = tempfile::tempdir().expect("dir");
    let dir = scratch.path().join("templates");
    copy_templates(&dir);
    let file = dir.join("hn-mau-02.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replacen("scale = \"sat5\"", "scale = \"sat7\"", 1),
    )
    .expect("write");
    let out = Command::new(sipas_bin())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", scratch.path().join("x.db"))
        .env("SIPAS_TEMPLATES", &dir)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid survey templates"), "{err}");
    assert!(
        err.contains("hn-mau-02.toml:72: items[0].scale (CC1): unknown scale sat7"),
        "{err}"
    );

    let out = Command::new(sipas_bin())
        .args(["templates", "check"])
        .arg(&dir)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown scale sat7"));
}

/// A file an editor saved in a legacy encoding is located exactly, and the
/// other files are still checked: every error of every file in one run.
#[test]
fn a_file_that_is_not_utf8_is_located_and_the_others_still_checked() {
    let scratch = tempfile::tempdir().expect("dir");
    let dir = scratch.path().join("templates");
    copy_templates(&dir);
    // Sorted first, so a check that stopped at it would miss the rest.
    std::fs::write(
        dir.join("a-legacy.toml"),
        b"# Saved in Windows-1258 by an old editor.\n\
          key = \"legacy\"\n\
          audience = \"citizen\"\n\
          title = { vi = \"Phi\xEAu kh\xE3o s\xE1t\" }\n",
    )
    .expect("write");
    let file = dir.join("hn-mau-02.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replacen("scale = \"sat5\"", "scale = \"sat7\"", 1),
    )
    .expect("write");
    let legacy = format!(
        "{}:4: not valid UTF-8 (first bad byte 0xEA at column 20;",
        dir.join("a-legacy.toml").display()
    );
    let scale = format!(
        "{}:72: items[0].scale (CC1): unknown scale sat7",
        dir.join("hn-mau-02.toml").display()
    );

    let out = Command::new(sipas_bin())
        .args(["templates", "check"])
        .arg(&dir)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&legacy), "{err}");
    assert!(err.contains("save it as UTF-8"), "{err}");
    assert!(err.contains(&scale), "{err}");
    assert!(err.contains("2 error(s) in templates"), "{err}");
    assert!(
        err.find(&legacy) < err.find(&scale),
        "files in name order: {err}"
    );

    // The server refusing to start lists the same errors.
    let out = Command::new(sipas_bin())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", scratch.path().join("x.db"))
        .env("SIPAS_TEMPLATES", &dir)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid survey templates") && err.contains(&legacy) && err.contains(&scale),
        "{err}"
    );
}
