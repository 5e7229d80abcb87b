use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Settings;
use crate::db::{Backend, DbConn, Pool};
use crate::domain::ids::CampaignId;
use crate::error::AppError;
use crate::service::access;
use crate::service::auth::Scope;
use crate::service::responses::{FormCache, Writes};
use crate::service::results::{ResultsCache, Snapshot};
use crate::service::templates::TemplateCache;

/// Shared by every request. Holds no per-user state, so several instances can
/// run side by side on PostgreSQL.
pub struct AppState {
    pub pool: Pool,
    pub backend: Backend,
    pub settings: Settings,
    pub templates: TemplateCache,
    /// Per-IP limit on public form posts (per instance; each instance counts its own).
    pub form_limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Finished campaign results, reused while their stamp holds.
    pub results_cache: ResultsCache,
    /// Where responses are written (group commit).
    pub writes: Writes,
    /// The campaign, unit and service of form posts, kept for a moment.
    pub forms: FormCache,
}

impl AppState {
    pub fn new(pool: Pool, backend: Backend, settings: Settings, writes: Writes) -> AppState {
        let form_limiter = NonZeroU32::new(settings.rate_limit_per_minute)
            .map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        AppState {
            pool,
            backend,
            settings,
            templates: TemplateCache::default(),
            form_limiter,
            results_cache: Default::default(),
            writes,
            forms: FormCache::default(),
        }
    }

    /// The results of campaign `id` (against `compare`) that `scope` may
    /// see, from this instance's caches.
    pub fn results_for(
        &self,
        conn: &mut DbConn,
        scope: &Scope,
        id: &CampaignId,
        compare: Option<&str>,
    ) -> Result<Snapshot, AppError> {
        let (templates, cache) = (&self.templates, &self.results_cache);
        access::results_for(templates, cache, conn, scope, id, compare)
    }
}
