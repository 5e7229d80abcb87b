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
    /// Key for the session cookies (SIPAS_SECRET_KEY, at least 32 characters). When unset, a
    /// random key is created in the database on first start and shared by every instance.
    pub secret_key: Option<String>,
    /// Mark cookies Secure (sent over HTTPS only). On when the base URL is https://.
    pub secure_cookies: bool,
    /// A session ends this long after login (SIPAS_SESSION_SECS).
    pub session_secs: u64,
    /// Failed logins in a row that lock a login name (SIPAS_LOGIN_MAX_FAILURES).
    pub login_max_failures: u32,
    /// How long a locked login stays locked (SIPAS_LOGIN_LOCKOUT_SECS).
    pub login_lockout_secs: u64,
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
            secret_key: None,
            secure_cookies: false,
            session_secs: 8 * 3600,
            login_max_failures: 5,
            login_lockout_secs: 15 * 60,
        }
    }
}

impl Settings {
    /// Read the account settings from the environment: SIPAS_SECRET_KEY,
    /// SIPAS_SECURE_COOKIES, SIPAS_SESSION_SECS, SIPAS_LOGIN_MAX_FAILURES and
    /// SIPAS_LOGIN_LOCKOUT_SECS. A value that does not parse is an error, not a default.
    pub fn apply_account_env(&mut self) -> Result<(), String> {
        fn num<T: std::str::FromStr>(name: &str, into: &mut T) -> Result<(), String> {
            if let Ok(v) = std::env::var(name) {
                *into = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name}={v:?} is not a whole number"))?;
            }
            Ok(())
        }
        if let Ok(k) = std::env::var("SIPAS_SECRET_KEY") {
            if k.len() < 32 {
                return Err("SIPAS_SECRET_KEY must be at least 32 characters long".into());
            }
            self.secret_key = Some(k);
        }
        num("SIPAS_SESSION_SECS", &mut self.session_secs)?;
        num("SIPAS_LOGIN_MAX_FAILURES", &mut self.login_max_failures)?;
        num("SIPAS_LOGIN_LOCKOUT_SECS", &mut self.login_lockout_secs)?;
        let https = self
            .base_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        let forced = std::env::var("SIPAS_SECURE_COOKIES")
            .is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
        self.secure_cookies = https || forced;
        Ok(())
    }
}
