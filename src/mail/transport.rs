//! Where messages go: an SMTP relay (lettre, pooled) or, with no SMTP host
//! configured, .eml files in a folder so `cargo run` works out of the box.
use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailSettings, SmtpTls};

pub enum Transport {
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        host: String,
        port: u16,
    },
    File(PathBuf),
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// 4xx replies, refused connections, timeouts: try again later.
    Temporary(String),
    /// 5xx replies and messages that cannot be built: do not try again.
    Permanent(String),
}

impl Transport {
    pub fn from_settings(m: &MailSettings) -> Result<Transport, String> {
        let Some(host) = m.smtp_host.clone() else {
            return Ok(Transport::File(m.outbox_dir.clone()));
        };
        let port = match (m.smtp_port, m.smtp_tls) {
            (0, SmtpTls::None) => 25,
            (0, SmtpTls::StartTls) => 587,
            (0, SmtpTls::Tls) => 465,
            (p, _) => p,
        };
        let tls = match m.smtp_tls {
            SmtpTls::None => Tls::None,
            SmtpTls::StartTls | SmtpTls::Tls => {
                let params = TlsParameters::new(host.clone())
                    .map_err(|e| format!("SMTP TLS settings for {host}: {e}"))?;
                if m.smtp_tls == SmtpTls::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(m.timeout_secs.max(1))))
            .pool_config(PoolConfig::new().max_size(m.pool_size.max(1)));
        if let (Some(u), Some(p)) = (&m.smtp_user, &m.smtp_password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Transport::Smtp {
            mailer: b.build(),
            host,
            port,
        })
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp { host, port, .. } => format!("smtp://{host}:{port}"),
            Transport::File(dir) => format!("files in {}", dir.display()),
        }
    }

    /// Hand one message over. Ok means the server (or the folder) accepted it.
    pub async fn send(&self, file_name: &str, msg: &Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp { mailer, .. } => match mailer.send(msg.clone()).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                Err(e) => Err(SendError::Temporary(e.to_string())),
            },
            Transport::File(dir) => {
                let (dir, name, bytes) = (dir.clone(), file_name.to_string(), msg.formatted());
                let shown = dir.display().to_string();
                let write = move || -> std::io::Result<()> {
                    std::fs::create_dir_all(&dir)?;
                    let tmp = dir.join(format!(".{name}.tmp"));
                    std::fs::write(&tmp, bytes)?;
                    std::fs::rename(&tmp, dir.join(format!("{name}.eml")))
                };
                match tokio::task::spawn_blocking(write).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(SendError::Temporary(format!(
                        "cannot write to {shown}: {e}"
                    ))),
                    Err(e) => Err(SendError::Temporary(format!(
                        "cannot write to {shown}: {e}"
                    ))),
                }
            }
        }
    }
}
