//! Issue 7 (speed): finished results per campaign, reused while nothing they
//! are computed from has changed. Every submission bumps its unit's count in
//! the same transaction as its tallies, so the campaign's unit counts (with
//! the campaign, its units, targets and comparison) are a cheap stamp of
//! everything the figures depend on: a few small reads instead of loading
//! and scoring hundreds of thousands of tally rows on every request.
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::db::{self, DbConn};
use crate::error::AppError;

use super::CampaignResults;

/// Campaigns whose results are kept at most (per instance).
const CAPACITY: usize = 32;

type Key = (String, Option<String>);

#[derive(Default)]
pub struct ResultsCache {
    entries: Mutex<HashMap<Key, (u64, Arc<CampaignResults>)>>,
}

impl ResultsCache {
    pub fn get(&self, key: &Key, stamp: u64) -> Option<CampaignResults> {
        let entries = self.entries.lock().ok()?;
        let (s, results) = entries.get(key)?;
        (*s == stamp).then(|| (**results).clone())
    }

    pub fn put(&self, key: Key, stamp: u64, results: &CampaignResults) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, (stamp, Arc::new(results.clone())));
        }
    }
}

/// A hash of everything a campaign's whole-period results are computed from,
/// except the tallies themselves, which only change together with the unit
/// counts read here.
pub fn stamp(conn: &mut DbConn, campaign_id: &str, compare: Option<&str>) -> Result<u64, AppError> {
    let mut h = DefaultHasher::new();
    let previous = match compare {
        Some(c) => Some(c.to_string()),
        None => db::targets::previous_of(conn, campaign_id)?,
    };
    for id in std::iter::once(campaign_id).chain(previous.as_deref()) {
        format!("{:?}", db::campaigns::get(conn, id)?).hash(&mut h);
        format!("{:?}", db::campaigns::units_of(conn, id)?).hash(&mut h);
        let mut counts = db::responses::respondents_of(conn, id)?;
        counts.sort();
        counts.hash(&mut h);
    }
    format!("{:?}", db::targets::of_campaign(conn, campaign_id)?).hash(&mut h);
    format!("{:?}", db::units::all(conn)?).hash(&mut h);
    Ok(h.finish())
}
