//! sipas: citizen-satisfaction surveys of public administration.
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod service;
pub mod state;
pub mod web;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{web as aweb, App, HttpServer};
use tracing_actix_web::TracingLogger;

use config::Settings;
use db::DatabaseUrl;
use state::AppState;

/// A server bound to its port, ready to run. Tests bind port 0 and read `port`.
pub struct Application {
    port: u16,
    server: Server,
    /// The outbox worker of this instance, stopped after the server.
    mail: Option<mail::Running>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::SetupError),
    #[error("invalid survey templates:\n{0}")]
    Templates(String),
    #[error("{}", templates_not_found(.0))]
    TemplatesNotFound(std::path::PathBuf),
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
    #[error("{0}")]
    Other(String),
}

fn templates_not_found(dir: &std::path::Path) -> String {
    use i18n::{Lang, Msg};
    let shown = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    [Lang::Vi, Lang::En]
        .iter()
        .map(|&l| {
            format!(
                "{} {}\n{}",
                Msg::TemplatesNotFound.get(l),
                shown.display(),
                Msg::TemplatesPointElsewhere.get(l)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The templates folder exists. Checked first, so that a run from the wrong
/// folder says where it looked instead of a bare "No such file".
pub fn check_templates_dir(dir: &std::path::Path) -> Result<(), StartError> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(StartError::TemplatesNotFound(dir.to_path_buf()))
    }
}

/// Open the database (creating and migrating it), load the templates and
/// return the shared state. Used by the server and by CLI commands.
pub fn prepare(settings: &Settings) -> Result<AppState, StartError> {
    // Before the database, which a run from the wrong folder would create there.
    check_templates_dir(&settings.templates_dir)?;
    let url = DatabaseUrl::parse(&settings.database_url);
    let pool = db::connect(&url, settings.pool_size)?;
    let loaded = service::templates::load_dir(&settings.templates_dir).map_err(|errs| {
        StartError::Templates(
            errs.iter()
                .map(|e| format!("  {e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let mut conn = pool.get().map_err(|e| StartError::Other(e.to_string()))?;
    service::templates::sync(&mut conn, &loaded).map_err(|e| StartError::Other(e.to_string()))?;
    drop(conn);
    let writes = service::responses::Writes::for_database(&url, settings.group_commit)
        .map_err(|e| StartError::Other(e.to_string()))?;
    Ok(AppState::new(pool, url.backend(), settings.clone(), writes))
}

impl Application {
    pub fn build(settings: Settings) -> Result<Application, StartError> {
        let state = prepare(&settings)?;
        Self::with_state(state)
    }

    pub fn with_state(state: AppState) -> Result<Application, StartError> {
        let bind = state.settings.bind.clone();
        let listener = TcpListener::bind(&bind).map_err(|e| StartError::Bind(bind.clone(), e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartError::Bind(bind.clone(), e))?
            .port();
        tracing::info!(backend = state.backend.name(), %bind, port, "listening");
        // The outbox worker; links in messages use the public base URL
        // or, when unset, this server's own address.
        let link_base = state.settings.base_url.clone().unwrap_or_else(|| {
            let host = bind.rsplit_once(':').map(|(h, _)| h).unwrap_or("127.0.0.1");
            let host = if host == "0.0.0.0" || host.is_empty() {
                "127.0.0.1"
            } else {
                host
            };
            format!("http://{host}:{port}")
        });
        let mail = mail::spawn(state.pool.clone(), &state.settings.mail, &link_base)
            .map_err(StartError::Other)?;
        let key = {
            let mut conn = state
                .pool
                .get()
                .map_err(|e| StartError::Other(e.to_string()))?;
            service::auth::session_key_bytes(&state.settings, &mut conn)
                .map_err(StartError::Other)?
        };
        let state = aweb::Data::new(state);
        // Open campaigns are scored before their first visitor asks.
        let warm = state.clone();
        std::thread::Builder::new()
            .name("results-warm-up".into())
            .spawn(move || {
                service::results::warm_up(&warm.pool, &warm.templates, &warm.results_cache)
            })
            .map_err(|e| StartError::Other(e.to_string()))?;
        // Rendered results pages, kept by the web layer beside the results cache.
        let page_cache = aweb::Data::new(web::page_cache::PageCache::default());
        let server = HttpServer::new(move || {
            let sessions = web::auth::session_middleware(&state.settings, &key);
            App::new()
                // gzip or brotli as the client asks: results pages are mostly
                // repeated markup and shrink about tenfold.
                .wrap(actix_web::middleware::Compress::default())
                .wrap(sessions)
                .wrap_fn(|req, srv| {
                    use actix_web::dev::Service;
                    let https = req.connection_info().scheme() == "https";
                    let private =
                        req.path().starts_with("/admin") || req.path().starts_with("/api");
                    let asked_for = (req.method() == actix_web::http::Method::GET)
                        .then(|| req.uri().path_and_query().map(|p| p.to_string()))
                        .flatten();
                    let fut = srv.call(req);
                    async move {
                        let mut res = fut.await?;
                        if let Some(asked_for) = asked_for {
                            web::auth::remember_destination(res.headers_mut(), &asked_for);
                        }
                        web::auth::security_headers(res.headers_mut(), https, private);
                        Ok(res)
                    }
                })
                .wrap(TracingLogger::<web::request_log::RequestLog>::new())
                .app_data(state.clone())
                .app_data(page_cache.clone())
                .app_data(aweb::FormConfig::default().limit(64 * 1024))
                .app_data(
                    aweb::JsonConfig::default()
                        .limit(16 * 1024)
                        .error_handler(|e, _| {
                            // Malformed JSON gets the same problem document as every other API error.
                            error::ApiError(error::bad_request(format!("invalid JSON body: {e}")))
                                .into()
                        }),
                )
                .configure(web::routes)
        })
        .listen(listener)
        .map_err(|e| StartError::Bind(bind.clone(), e))?
        .run();
        Ok(Application { port, server, mail })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serve until SIGTERM or Ctrl-C (actix stops accepting and finishes the
    /// requests in progress), then stop the mail worker: it finishes the
    /// messages in flight and records their outcome before the process exits.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(mail) = self.mail {
            mail.shutdown(std::time::Duration::from_secs(30)).await;
        }
        served
    }
}
