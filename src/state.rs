use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Settings;
use crate::db::{self, Backend, DbConn, Pool};
use crate::domain::template::Template;
use crate::error::AppError;

/// Shared by every request. Holds no per-user state, so several instances can
/// run side by side on PostgreSQL.
pub struct AppState {
    pub pool: Pool,
    pub backend: Backend,
    pub settings: Settings,
    /// Parsed template versions by id. Versions never change, so caching is safe.
    templates: RwLock<HashMap<String, Arc<Template>>>,
    /// Per-IP limit on public form posts (per instance; each instance counts its own).
    pub form_limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Finished campaign results, reused while their stamp holds.
    pub results_cache: crate::service::results::ResultsCache,
}

impl AppState {
    pub fn new(pool: Pool, backend: Backend, settings: Settings) -> AppState {
        let form_limiter = NonZeroU32::new(settings.rate_limit_per_minute)
            .map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        AppState {
            pool,
            backend,
            settings,
            templates: RwLock::new(HashMap::new()),
            form_limiter,
            results_cache: Default::default(),
        }
    }

    /// The parsed template version `id`, from the cache or the stored source.
    pub fn template(&self, conn: &mut DbConn, id: &str) -> Result<Arc<Template>, AppError> {
        if let Some(t) = self.templates.read().ok().and_then(|m| m.get(id).cloned()) {
            return Ok(t);
        }
        let rec = db::templates::get(conn, id)?.ok_or(AppError::NotFound)?;
        let parsed = Template::parse(&rec.source_path, &rec.source).map_err(|errs| {
            AppError::Internal(format!(
                "stored template {} v{} no longer parses: {}",
                rec.key,
                rec.version,
                errs.first().map(|e| e.to_string()).unwrap_or_default()
            ))
        })?;
        let t = Arc::new(parsed);
        if let Ok(mut m) = self.templates.write() {
            m.insert(id.to_string(), t.clone());
        }
        Ok(t)
    }
}
