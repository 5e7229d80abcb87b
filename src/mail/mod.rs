//! Invitations by email: the outbox worker, transports, message
//! texts and bounce reports. Recipient lists and reminders are use cases
//! (`service::recipients`).
//!
//! The worker runs inside every server instance. It claims due messages with a
//! lease (see `db::outbox`), renders each one from its invitation id (the link
//! token is recomputed from the shared secret; nothing secret is stored in the
//! outbox), hands it to the transport at the configured rate and records the
//! outcome right after the server answers.
pub mod bounces;
pub mod message;
pub mod transport;

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use governor::{Quota, RateLimiter};
use lettre::message::Mailbox;

use crate::config::MailSettings;
use crate::db::{self, campaigns::CampaignRecord, mail_wording::CampaignWording};
use crate::db::{outbox::Claimed, Pool};
use crate::domain::campaign::CampaignStatus;
use crate::domain::invitation::{InvitationStatus, MessageKind};
use crate::domain::token;
use transport::{SendError, Transport};

/// How long a claim lasts before another worker may take the message over.
const LEASE_SECS: i64 = 300;
/// Longest wait between two attempts.
const MAX_BACKOFF_MS: u64 = 3_600_000;

pub struct Worker {
    pool: Pool,
    stop: Stop,
    /// One limiter for the worker's life, so the rate holds across batches.
    limiter: governor::DefaultDirectRateLimiter,
    transport: Arc<Transport>,
    settings: MailSettings,
    from: Mailbox,
    base_url: String,
    name: String,
    idle: Duration,
}

/// Asks a worker to stop: it sends nothing new, hands back the messages it
/// claimed but has not started, finishes the ones in flight (recording each
/// outcome) and returns.
#[derive(Clone, Default)]
pub struct Stop {
    flag: Arc<std::sync::atomic::AtomicBool>,
    wake: Arc<tokio::sync::Notify>,
}

impl Stop {
    pub fn request(&self) {
        self.flag.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_waiters();
    }
    pub fn requested(&self) -> bool {
        self.flag.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A running worker: stop it and wait for its in-flight messages.
pub struct Running {
    stop: Stop,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stop and wait at most `grace` for the messages in flight.
    pub async fn shutdown(self, grace: Duration) {
        self.stop.request();
        match tokio::time::timeout(grace, self.task).await {
            Ok(_) => tracing::info!("mail worker stopped; nothing left in flight"),
            Err(_) => tracing::warn!(
                "mail worker still sending after the grace period; its claims return when the lease ends"
            ),
        }
    }
}

/// A campaign as the worker needs it: its record and its own wording.
struct Campaign {
    record: CampaignRecord,
    wording: CampaignWording,
}

/// The delay before attempt `attempts + 1`: base · 2^attempts, capped.
pub fn backoff_ms(base_ms: u64, attempts: i32) -> u64 {
    let shift = attempts.clamp(0, 30) as u32;
    base_ms.saturating_mul(1u64 << shift).min(MAX_BACKOFF_MS)
}

impl Worker {
    pub fn new(pool: Pool, settings: &MailSettings, base_url: &str) -> Result<Worker, String> {
        let transport = Transport::from_settings(settings)?;
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("SIPAS_MAIL_FROM={:?} is not a mailbox: {e}", settings.from))?;
        let rate = NonZeroU32::new(settings.rate_per_second).unwrap_or(NonZeroU32::MIN);
        Ok(Worker {
            pool,
            stop: Stop::default(),
            limiter: RateLimiter::direct(Quota::per_second(rate)),
            transport: Arc::new(transport),
            settings: settings.clone(),
            from,
            base_url: base_url.trim_end_matches('/').to_string(),
            name: format!("w-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            idle: Duration::from_millis(250),
        })
    }

    pub fn describe(&self) -> String {
        self.transport.describe()
    }

    /// Run on the current runtime until `Running::shutdown`.
    pub fn start(self) -> Running {
        let stop = self.stop.clone();
        Running {
            stop,
            task: tokio::spawn(self.run()),
        }
    }

    /// Run until stopped (or until the runtime stops).
    pub async fn run(self) {
        match &*self.transport {
            Transport::File(dir) => tracing::warn!(
                dir = %dir.display(),
                "no SMTP host configured (SIPAS_SMTP_HOST): invitations are written as .eml files, not sent"
            ),
            t => {
                tracing::info!(transport = %t.describe(), worker = %self.name, "mail worker started")
            }
        }
        let me = Arc::new(self);
        while !me.stop.requested() {
            let pause = match me.clone().run_once().await {
                Ok(0) => me.idle,
                Ok(_) => Duration::ZERO,
                Err(e) => {
                    tracing::error!(error = %e, "mail worker: database error");
                    Duration::from_secs(2)
                }
            };
            if !pause.is_zero() {
                let woken = me.stop.wake.notified();
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = woken => {}
                }
            }
        }
    }

    /// Claim one batch and send it. Returns how many messages were handled.
    pub async fn run_once(self: Arc<Self>) -> Result<usize, String> {
        let rate = self.settings.rate_per_second.max(1);
        let batch = i64::from(rate.clamp(20, 500));
        let me = self.clone();
        let (claimed, secret, campaigns, units) = tokio::task::spawn_blocking(move || {
            let mut conn = me.pool.get().map_err(|e| e.to_string())?;
            let now = Utc::now().naive_utc();
            let claimed = db::outbox::claim(
                &mut conn,
                &me.name,
                batch,
                chrono::Duration::seconds(LEASE_SECS),
                now,
            )
            .map_err(|e| e.to_string())?;
            if claimed.is_empty() {
                return Ok((claimed, Vec::new(), HashMap::new(), HashMap::new()));
            }
            let secret = db::invitations::link_secret(&mut conn).map_err(|e| e.to_string())?;
            let mut campaigns: HashMap<String, Campaign> = HashMap::new();
            let mut units: HashMap<String, String> = HashMap::new();
            for m in &claimed {
                if !campaigns.contains_key(&m.campaign_id) {
                    if let Some(c) =
                        db::campaigns::get(&mut conn, &m.campaign_id).map_err(|e| e.to_string())?
                    {
                        let wording = db::mail_wording::of_campaign(&mut conn, &c.id)
                            .map_err(|e| e.to_string())?;
                        campaigns.insert(c.id.to_string(), Campaign { record: c, wording });
                    }
                }
                if !units.contains_key(&m.unit_id) {
                    if let Some(u) =
                        db::units::by_id(&mut conn, &m.unit_id).map_err(|e| e.to_string())?
                    {
                        units.insert(u.id.to_string(), u.name.clone());
                    }
                }
            }
            Ok::<_, String>((claimed, secret, campaigns, units))
        })
        .await
        .map_err(|e| e.to_string())??;
        let n = claimed.len();
        if n == 0 {
            return Ok(0);
        }
        let secret = Arc::new(secret);
        let campaigns = Arc::new(campaigns);
        let units = Arc::new(units);
        let mut tasks = tokio::task::JoinSet::new();
        let parallel = (self.settings.pool_size.max(1) * 2) as usize;
        let mut not_started: Vec<String> = Vec::new();
        for m in claimed {
            if self.stop.requested() {
                not_started.push(m.id);
                continue;
            }
            self.limiter.until_ready().await;
            while tasks.len() >= parallel {
                tasks.join_next().await;
            }
            let (me, secret, campaigns, units) = (
                self.clone(),
                secret.clone(),
                campaigns.clone(),
                units.clone(),
            );
            tasks.spawn(async move { me.deliver(m, &secret, &campaigns, &units).await });
        }
        while tasks.join_next().await.is_some() {}
        if !not_started.is_empty() {
            // Stopping: hand back what was claimed but not tried, so another
            // instance (or the next start) takes it at once, not after the lease.
            let me = self.clone();
            let k = not_started.len();
            tokio::task::spawn_blocking(move || -> Result<usize, String> {
                let mut conn = me.pool.get().map_err(|e| e.to_string())?;
                db::outbox::release(&mut conn, &not_started).map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())??;
            tracing::info!(messages = k, "mail worker stopping: claims handed back");
        }
        Ok(n)
    }

    async fn deliver(
        self: Arc<Self>,
        m: Claimed,
        secret: &[u8],
        campaigns: &HashMap<String, Campaign>,
        units: &HashMap<String, String>,
    ) {
        let campaign = campaigns.get(&m.campaign_id);
        let skip = match (&m.email, campaign) {
            (None, _) => Some("no address"),
            (_, None) => Some("campaign not found"),
            (_, Some(c)) if c.record.status() != CampaignStatus::Open => Some("campaign not open"),
            _ if matches!(
                m.invitation_status,
                InvitationStatus::Answered | InvitationStatus::Bounced
            ) =>
            {
                Some("not sent: already answered or bounced")
            }
            _ if m.opted_out && m.kind == MessageKind::Reminder => {
                Some("not sent: the recipient opted out")
            }
            _ => None,
        };
        let outcome = match (skip, &m.email, campaign) {
            (None, Some(email), Some(c)) => {
                let link = format!(
                    "{}{}",
                    self.base_url,
                    crate::domain::invitation::link_path(&token::derive(secret, &m.invitation_id))
                );
                let opt_out_link = format!("{link}/unsubscribe");
                let letter = message::Letter {
                    message_id: &m.id,
                    invitation_id: &m.invitation_id,
                    reminder: m.kind == MessageKind::Reminder,
                    from: &self.from,
                    to: email,
                    campaign_name: &c.record.name,
                    closes_on: c.record.period_end,
                    link: &link,
                    opt_out_link: &opt_out_link,
                    unit_name: units.get(&m.unit_id).map_or("", String::as_str),
                    wording: Some(&c.wording),
                };
                match message::build(&letter) {
                    Ok(msg) => self.transport.send(&m.id, &msg).await,
                    Err(e) => Err(SendError::Permanent(e)),
                }
            }
            _ => Err(SendError::Permanent(skip.unwrap_or("skipped").to_string())),
        };
        let me = self.clone();
        let id = m.id.clone();
        let recorded = tokio::task::spawn_blocking(move || -> Result<(), String> {
            let mut conn = me.pool.get().map_err(|e| e.to_string())?;
            let now = Utc::now().naive_utc();
            let r = match &outcome {
                Ok(()) => db::outbox::mark_sent(&mut conn, &m, now),
                Err(SendError::Permanent(why)) => {
                    db::outbox::mark_failed(&mut conn, &m, why, skip.is_none())
                }
                Err(SendError::Temporary(why)) if m.attempts + 1 >= me.settings.max_attempts => {
                    let why = format!("gave up after {} attempts: {why}", m.attempts + 1);
                    db::outbox::mark_failed(&mut conn, &m, &why, true)
                }
                Err(SendError::Temporary(why)) => {
                    let wait = backoff_ms(me.settings.retry_base_ms, m.attempts);
                    let next = now + chrono::Duration::milliseconds(wait as i64);
                    db::outbox::retry_later(&mut conn, &m, next, why)
                }
            };
            match &outcome {
                Ok(()) => tracing::debug!(message = %m.id, "mail accepted"),
                Err(e) => tracing::info!(message = %m.id, attempt = m.attempts + 1, error = ?e, "mail not accepted"),
            }
            r.map_err(|e| e.to_string())
        })
        .await;
        match recorded {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::error!(message = %id, error = %e, "cannot record the mail outcome; the lease will expire and it is retried")
            }
            Err(e) => tracing::error!(message = %id, error = %e, "mail outcome task failed"),
        }
    }
}

/// Start the worker on the current tokio runtime, when the settings ask for it.
pub fn spawn(
    pool: Pool,
    settings: &MailSettings,
    base_url: &str,
) -> Result<Option<Running>, String> {
    if !settings.worker {
        tracing::info!("mail worker off (SIPAS_MAIL_WORKER=0)");
        return Ok(None);
    }
    let worker = Worker::new(pool, settings, base_url)?;
    if tokio::runtime::Handle::try_current().is_err() {
        return Err("the mail worker needs a running tokio runtime".into());
    }
    Ok(Some(worker.start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(1000, 0), 1000);
        assert_eq!(backoff_ms(1000, 3), 8000);
        assert_eq!(backoff_ms(1000, 40), MAX_BACKOFF_MS);
    }
}
