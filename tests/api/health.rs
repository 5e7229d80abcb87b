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
