use crate::db_test;
use crate::helpers::*;

db_test!(healthz_names_the_backend, |app: TestApp| async move {
    let body = app.get_json("/healthz").await;
    assert_eq!(body["status"], "ok");
    let expected = match app.backend {
        TestDb::Sqlite => "sqlite",
        TestDb::Postgres => "postgres",
    };
    assert_eq!(body["database"], expected);
});

db_test!(
    home_page_points_to_the_first_step,
    |app: TestApp| async move {
        let resp = app.get("/").await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.expect("body");
        assert!(html.contains("sipas demo"), "{html}");
        assert!(html.contains("lang=\"vi\""));
    }
);

db_test!(
    the_stylesheet_and_icon_are_cached_by_their_etag,
    |app: TestApp| async move {
        let home = app.get("/").await.text().await.expect("home");
        assert!(
            home.contains(r#"<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">"#)
        );
        for (path, kind) in [
            ("/static/app.css", "text/css"),
            ("/static/favicon.svg", "image/svg+xml"),
            ("/favicon.ico", "image/svg+xml"),
        ] {
            let first = app.get(path).await;
            assert_eq!(first.status(), 200, "{path}");
            assert!(first.headers()["content-type"]
                .to_str()
                .expect("type")
                .starts_with(kind));
            let etag = first.headers()["etag"].to_str().expect("etag").to_string();
            assert!(etag.starts_with('"') && etag.len() == 18, "{etag}");
            assert!(!first.bytes().await.expect("body").is_empty());
            let again = app
                .client
                .get(format!("{}{path}", app.address))
                .header("if-none-match", &etag)
                .send()
                .await
                .expect("get");
            assert_eq!(again.status(), 304, "{path}: unchanged");
            assert!(again.bytes().await.expect("body").is_empty());
        }
    }
);
