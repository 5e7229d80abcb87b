//! Rendered results pages kept per instance, following the versions of the
//! results service's snapshots: a whole page is rendered once per version,
//! language and scope, and each unit's section once per JSON piece it was
//! rendered from, so a new response re-renders only the units it changed.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::AppError;
use crate::service::results::{CampaignResults, Key, PieceStamp, Snapshot};

/// Campaigns (with a comparison asked for or not) whose pages are kept.
const CAMPAIGNS: usize = 8;
/// Pages kept per version of a campaign's results (languages × scopes seen).
const PAGES: usize = 64;
/// Page pieces kept per campaign (units × languages, with room to spare).
const PIECES: usize = 4096;

/// Rendered page pieces by key, each with the JSON piece it was rendered from.
type Pieces = HashMap<String, (PieceStamp, Arc<String>)>;

#[derive(Default)]
struct Pages {
    /// The results version the pages are of.
    version: u64,
    by_key: HashMap<String, Arc<String>>,
}

#[derive(Default)]
struct Campaign {
    pages: Mutex<Pages>,
    pieces: Mutex<Pieces>,
}

#[derive(Default)]
pub struct PageCache {
    campaigns: Mutex<HashMap<Key, Arc<Campaign>>>,
}

impl PageCache {
    fn campaign(&self, key: &Key) -> Arc<Campaign> {
        let mut all = self.campaigns.lock().unwrap_or_else(|e| e.into_inner());
        if all.len() >= CAMPAIGNS && !all.contains_key(key) {
            all.clear();
        }
        all.entry(key.clone()).or_default().clone()
    }

    /// The page rendered for `key` (what else it depends on: language,
    /// scope), rendered once per version of the results.
    pub fn page(
        &self,
        snapshot: &Snapshot,
        key: &str,
        render: impl FnOnce(&CampaignResults) -> Result<String, AppError>,
    ) -> Result<Arc<String>, AppError> {
        let campaign = self.campaign(snapshot.key());
        let version = snapshot.version();
        if let Ok(pages) = campaign.pages.lock() {
            if let Some(hit) = pages.by_key.get(key).filter(|_| pages.version == version) {
                return Ok(hit.clone());
            }
        }
        let page = Arc::new(render(&snapshot.results)?);
        if let Ok(mut pages) = campaign.pages.lock() {
            // A request still holding an older version does not evict the newer pages.
            if pages.version < version {
                *pages = Pages {
                    version,
                    by_key: HashMap::new(),
                };
            }
            if pages.version == version {
                keep(&mut pages.by_key, PAGES, key.to_string(), page.clone());
            }
        }
        Ok(page)
    }

    /// A piece of a page about one unit (`rollup`: a level above the
    /// campaign's units), rendered again only when that unit's results
    /// changed. `key` names what else it depends on (language, kind).
    pub fn piece(
        &self,
        snapshot: &Snapshot,
        key: &str,
        unit_code: &str,
        rollup: bool,
        render: impl FnOnce() -> String,
    ) -> Arc<String> {
        let Some(stamp) = snapshot.piece_stamp(unit_code, rollup) else {
            return Arc::new(render());
        };
        let campaign = self.campaign(snapshot.key());
        let key = format!("{key} {} {unit_code}", if rollup { "r" } else { "u" });
        if let Some((_, hit)) = campaign
            .pieces
            .lock()
            .ok()
            .and_then(|p| p.get(&key).filter(|(s, _)| *s == stamp).cloned())
        {
            return hit;
        }
        let rendered = Arc::new(render());
        if let Ok(mut pieces) = campaign.pieces.lock() {
            keep(&mut pieces, PIECES, key, (stamp, rendered.clone()));
        }
        rendered
    }
}

/// Keeps `value` under `key`; a map already holding `capacity` entries is
/// emptied first (what is dropped is rendered again when asked for).
fn keep<V>(map: &mut HashMap<String, V>, capacity: usize, key: String, value: V) {
    if map.len() >= capacity && !map.contains_key(&key) {
        map.clear();
    }
    map.insert(key, value);
}
