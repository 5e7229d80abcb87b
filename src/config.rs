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
    /// Submissions written by one writer thread, queued ones committed
    /// together (`db::writer`); off: a transaction per request.
    pub group_commit: bool,
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
    /// Outgoing mail: SMTP, or .eml files when no host is set.
    pub mail: MailSettings,
}

/// How the outbox worker delivers mail. Read from SIPAS_SMTP_* and SIPAS_MAIL_*.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// SIPAS_SMTP_HOST; when unset, messages are written to `outbox_dir` as .eml files.
    pub smtp_host: Option<String>,
    /// SIPAS_SMTP_PORT; 0 means the usual port for the TLS mode (25, 587 or 465).
    pub smtp_port: u16,
    /// SIPAS_SMTP_TLS: none, starttls or tls.
    pub smtp_tls: SmtpTls,
    /// SIPAS_SMTP_USER and SIPAS_SMTP_PASSWORD.
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    /// SIPAS_MAIL_FROM: the sender, e.g. `Sở Nội vụ <khaosat@hanoi.gov.vn>`.
    pub from: String,
    /// SIPAS_MAIL_RATE: messages per second at most (per instance).
    pub rate_per_second: u32,
    /// SMTP connections kept open (SIPAS_SMTP_POOL).
    pub pool_size: u32,
    /// Where the file transport writes (SIPAS_MAIL_OUTBOX_DIR).
    pub outbox_dir: PathBuf,
    /// First retry delay after a temporary failure; doubles each time (SIPAS_MAIL_RETRY_MS).
    pub retry_base_ms: u64,
    /// Attempts before a message is given up as failed (SIPAS_MAIL_MAX_ATTEMPTS).
    pub max_attempts: i32,
    /// Run the outbox worker in this server (SIPAS_MAIL_WORKER=0 turns it off).
    pub worker: bool,
    /// Official domains recipients must belong to; empty allows any (SIPAS_MAIL_ALLOWED_DOMAINS, comma-separated).
    pub allowed_domains: Vec<String>,
    /// Seconds per SMTP command before it counts as a timeout.
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Tls,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_host: None,
            smtp_port: 0,
            smtp_tls: SmtpTls::StartTls,
            smtp_user: None,
            smtp_password: None,
            from: "Khảo sát sự hài lòng <khaosat@localhost>".to_string(),
            rate_per_second: 50,
            pool_size: 4,
            outbox_dir: PathBuf::from("data/outbox"),
            retry_base_ms: 30_000,
            max_attempts: 10,
            worker: true,
            allowed_domains: Vec::new(),
            timeout_secs: 30,
        }
    }
}

impl MailSettings {
    /// Read SIPAS_SMTP_* and SIPAS_MAIL_* from the environment. A value that
    /// does not parse is an error, not a default.
    pub fn apply_env(&mut self) -> Result<(), String> {
        fn var(name: &str) -> Option<String> {
            std::env::var(name).ok().filter(|v| !v.trim().is_empty())
        }
        fn num<T: std::str::FromStr>(name: &str, into: &mut T) -> Result<(), String> {
            if let Some(v) = var(name) {
                *into = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name}={v:?} is not a whole number"))?;
            }
            Ok(())
        }
        self.smtp_host = var("SIPAS_SMTP_HOST").or(self.smtp_host.take());
        num("SIPAS_SMTP_PORT", &mut self.smtp_port)?;
        if let Some(t) = var("SIPAS_SMTP_TLS") {
            self.smtp_tls = match t.trim().to_ascii_lowercase().as_str() {
                "none" | "off" | "plain" => SmtpTls::None,
                "starttls" => SmtpTls::StartTls,
                "tls" | "smtps" => SmtpTls::Tls,
                _ => return Err(format!("SIPAS_SMTP_TLS={t:?}: use none, starttls or tls")),
            };
        }
        self.smtp_user = var("SIPAS_SMTP_USER").or(self.smtp_user.take());
        self.smtp_password = var("SIPAS_SMTP_PASSWORD").or(self.smtp_password.take());
        if let Some(f) = var("SIPAS_MAIL_FROM") {
            self.from = f;
        }
        num("SIPAS_MAIL_RATE", &mut self.rate_per_second)?;
        num("SIPAS_SMTP_POOL", &mut self.pool_size)?;
        num("SIPAS_MAIL_RETRY_MS", &mut self.retry_base_ms)?;
        num("SIPAS_MAIL_MAX_ATTEMPTS", &mut self.max_attempts)?;
        if let Some(d) = var("SIPAS_MAIL_OUTBOX_DIR") {
            self.outbox_dir = PathBuf::from(d);
        }
        if let Some(w) = var("SIPAS_MAIL_WORKER") {
            self.worker = !matches!(w.trim(), "0" | "false" | "no" | "off");
        }
        if let Some(d) = var("SIPAS_MAIL_ALLOWED_DOMAINS") {
            self.allowed_domains = d
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect();
        }
        Ok(())
    }
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
            group_commit: true,
            secret_key: None,
            secure_cookies: false,
            session_secs: 8 * 3600,
            login_max_failures: 5,
            login_lockout_secs: 15 * 60,
            mail: MailSettings::default(),
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
