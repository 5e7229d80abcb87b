//! One Settings struct. Defaults here; the CLI and SIPAS_* / DATABASE_URL
//! environment variables override them (see `main.rs`).
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `data/sipas.db` (SQLite, the default) or `postgres://…`.
    pub database_url: String,
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: String,
    /// Folder of questionnaire templates loaded at start.
    pub templates_dir: PathBuf,
    /// Public base URL for links handed out by the API; taken from the request when unset.
    pub base_url: Option<String>,
    /// Connections in the pool.
    pub pool_size: u32,
    /// Form posts allowed per client IP per minute on public forms; 0 turns the limit off.
    pub rate_limit_per_minute: u32,
    /// Responses one device cookie may submit to one campaign through open links; 0 = no cap.
    pub device_cap_per_campaign: u32,
    /// Take the client IP from X-Forwarded-For (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "data/sipas.db".to_string(),
            bind: "127.0.0.1:8080".to_string(),
            templates_dir: PathBuf::from("survey-templates"),
            base_url: None,
            pool_size: 8,
            rate_limit_per_minute: 60,
            device_cap_per_campaign: 10,
            trust_proxy: false,
        }
    }
}
