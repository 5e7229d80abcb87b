//! Each campaign's results kept per instance, with their
//! JSON, and brought up to date on each request from what the database says
//! changed. Every submission bumps its unit's count in the same transaction
//! as its tallies, so the unit counts say which units to reload; everything
//! else the figures depend on (the campaign, its units, targets, the unit
//! tree, the campaign compared with) is hashed into a stamp, and a change
//! there recomputes the campaign. Several instances each follow the database
//! the same way, so none serves stale figures.
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::service::auth::Scope;
use crate::service::templates::TemplateCache;

use super::compute::{Computation, Dirty};
use super::{CampaignResults, UnitResult};

/// Campaigns (with a comparison asked for or not) kept at most per instance.
/// A campaign of 1M responses over 150 units holds roughly 100 MB here: its
/// tallies, results and JSON. When full, all are dropped and the next
/// requests score their campaigns again.
const CAPACITY: usize = 8;

/// (campaign, campaign compared with if asked for)
pub type Key = (String, Option<String>);

/// Finished results and their JSON, shared by the requests that read them.
#[derive(Clone)]
pub struct Snapshot {
    pub results: Arc<CampaignResults>,
    key: Arc<Key>,
    /// Unique per instance and growing: a newer version has a larger one.
    version: u64,
    json: Arc<Json>,
}

/// The identity of one unit's JSON piece: equal while that piece is the
/// current one, across versions, so what was made from it stays valid.
/// Holding it keeps the piece's address unique.
#[derive(Clone)]
pub struct PieceStamp(Bytes);

impl PartialEq for PieceStamp {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_ptr() == other.0.as_ptr() && self.0.len() == other.0.len()
    }
}

/// Versions of every cached campaign's results, from one counter so that a
/// recomputed campaign never reuses a number.
static VERSIONS: AtomicU64 = AtomicU64::new(1);

fn next_version() -> u64 {
    VERSIONS.fetch_add(1, Ordering::Relaxed)
}

/// The results JSON in pieces: one per unit and roll-up, so a new response
/// re-serialises the few results it changed, and a unit officer's subtree is
/// cut from the same pieces.
#[derive(Clone)]
struct Json {
    /// `{"campaign_id":…,"settings":…` up to the unit list.
    head: Vec<u8>,
    units: Vec<(String, Bytes)>,
    rollups: Vec<(String, Bytes)>,
    whole: Bytes,
}

impl Json {
    fn new(results: &CampaignResults) -> Result<Self, AppError> {
        let pieces = |list: &[UnitResult]| list.iter().map(piece).collect::<Result<Vec<_>, _>>();
        let mut this = Json {
            head: head(results)?,
            units: pieces(&results.units)?,
            rollups: pieces(&results.rollups)?,
            whole: Bytes::new(),
        };
        this.whole = this.assemble(|_| true);
        Ok(this)
    }

    fn update(&mut self, results: &CampaignResults, dirty: &Dirty) -> Result<(), AppError> {
        for &i in &dirty.units {
            self.units[i] = piece(&results.units[i])?;
        }
        for &j in &dirty.rollups {
            self.rollups[j] = piece(&results.rollups[j])?;
        }
        self.whole = self.assemble(|_| true);
        Ok(())
    }

    /// The same bytes as serialising the results with only the units (and
    /// roll-ups) whose code passes `keep`.
    fn assemble(&self, keep: impl Fn(&str) -> bool) -> Bytes {
        let size = self.head.len()
            + self
                .units
                .iter()
                .chain(&self.rollups)
                .map(|(_, b)| b.len() + 1)
                .sum::<usize>()
            + 32;
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&self.head);
        for (name, list) in [("units", &self.units), ("rollups", &self.rollups)] {
            out.extend_from_slice(format!(",\"{name}\":[").as_bytes());
            let mut first = true;
            for (_, bytes) in list.iter().filter(|(code, _)| keep(code)) {
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(bytes);
            }
            out.push(b']');
        }
        out.push(b'}');
        Bytes::from(out)
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(value).map_err(|e| AppError::internal("results JSON", e))
}

/// One unit's (or roll-up's) piece of the JSON, with its code.
fn piece(u: &UnitResult) -> Result<(String, Bytes), AppError> {
    Ok((u.unit_code.clone(), Bytes::from(to_json(u)?)))
}

/// The results serialised without their unit lists, left open after the
/// last field (`units` and `rollups` are the last two fields).
fn head(results: &CampaignResults) -> Result<Vec<u8>, AppError> {
    let mut v = to_json(&results.header())?;
    let tail = b",\"units\":[],\"rollups\":[]}";
    if !v.ends_with(tail) {
        return Err(AppError::invariant(
            "results JSON: units and rollups are no longer the last fields",
        ));
    }
    v.truncate(v.len() - tail.len());
    Ok(v)
}

impl Snapshot {
    /// Which cached campaign (and comparison) this is a version of.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// This version of the results; any change to them makes a new one.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The stamp of the JSON piece of a unit (`rollup`: a level above the
    /// campaign's units), if the results have one.
    pub fn piece_stamp(&self, unit_code: &str, rollup: bool) -> Option<PieceStamp> {
        let list = if rollup {
            &self.json.rollups
        } else {
            &self.json.units
        };
        list.iter()
            .find(|(code, _)| code == unit_code)
            .map(|(_, b)| PieceStamp(b.clone()))
    }

    /// The results JSON as the principal may see it: everything, or only the
    /// units (and roll-ups) in its scope. Forbidden when none is.
    pub fn json_for(&self, scope: &Scope) -> Result<Bytes, AppError> {
        if *scope == Scope::All {
            return Ok(self.json.whole.clone());
        }
        if !self
            .json
            .units
            .iter()
            .any(|(code, _)| scope.has_unit_code(code))
        {
            return Err(AppError::Forbidden);
        }
        Ok(self.json.assemble(|code| scope.has_unit_code(code)))
    }
}

struct Entry {
    structure: u64,
    computation: Computation,
    key: Arc<Key>,
    version: u64,
    json: Arc<Json>,
}

impl Entry {
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            results: self.computation.results.clone(),
            key: self.key.clone(),
            version: self.version,
            json: self.json.clone(),
        }
    }
}

#[derive(Default)]
pub struct ResultsCache {
    entries: Mutex<HashMap<Key, Arc<Mutex<Option<Entry>>>>>,
}

impl ResultsCache {
    fn slot(&self, key: &Key) -> Arc<Mutex<Option<Entry>>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY && !entries.contains_key(key) {
            entries.clear();
        }
        entries.entry(key.clone()).or_default().clone()
    }
}

/// The whole-campaign results, from the cache once brought up to date.
pub fn fresh(
    templates: &TemplateCache,
    cache: &ResultsCache,
    conn: &mut DbConn,
    campaign_id: &str,
    compare: Option<&str>,
) -> Result<Snapshot, AppError> {
    let started = std::time::Instant::now();
    let key = (campaign_id.to_string(), compare.map(str::to_string));
    let structure = structure_stamp(conn, campaign_id, compare)?;
    let counts: HashMap<String, u64> = db::responses::respondents_of(conn, campaign_id)?
        .into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect();
    // One request per campaign brings it up to date; the others wait for it
    // instead of doing the same work.
    let slot = cache.slot(&key);
    let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(entry) = guard.as_mut().filter(|e| e.structure == structure) {
        let stamped = started.elapsed();
        let dirty = entry.computation.refresh(conn, &counts)?;
        if !dirty.units.is_empty() || !dirty.rollups.is_empty() {
            let refreshed = started.elapsed();
            let json = Arc::make_mut(&mut entry.json);
            if let Err(e) = json.update(&entry.computation.results, &dirty) {
                // The JSON no longer matches the results: start again next time.
                *guard = None;
                return Err(e);
            }
            entry.version = next_version();
            tracing::debug!(
                campaign = campaign_id,
                units = dirty.units.len(),
                rollups = dirty.rollups.len(),
                stamp_ms = stamped.as_secs_f64() * 1e3,
                refresh_ms = (refreshed - stamped).as_secs_f64() * 1e3,
                json_ms = (started.elapsed() - refreshed).as_secs_f64() * 1e3,
                "results followed new responses"
            );
        }
        return Ok(entry.snapshot());
    }
    *guard = None;
    let computation = Computation::load(templates, conn, campaign_id, compare, None)?;
    let entry = Entry {
        structure,
        json: Arc::new(Json::new(&computation.results)?),
        computation,
        key: Arc::new(key),
        version: next_version(),
    };
    let snapshot = entry.snapshot();
    *guard = Some(entry);
    tracing::info!(
        campaign = campaign_id,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "results computed from all tallies"
    );
    Ok(snapshot)
}

/// A hash of everything a campaign's whole-period results are computed from
/// but its own tallies and unit counts, which `Computation::refresh` follows.
fn structure_stamp(
    conn: &mut DbConn,
    campaign_id: &str,
    compare: Option<&str>,
) -> Result<u64, AppError> {
    let mut h = DefaultHasher::new();
    let previous = match compare {
        Some(c) => Some(c.to_string()),
        None => db::targets::previous_of(conn, campaign_id)?,
    };
    previous.hash(&mut h);
    for id in std::iter::once(campaign_id).chain(previous.as_deref()) {
        format!("{:?}", db::campaigns::get(conn, id)?).hash(&mut h);
        format!("{:?}", db::campaigns::units_of(conn, id)?).hash(&mut h);
    }
    if let Some(p) = &previous {
        let mut counts = db::responses::respondents_of(conn, p)?;
        counts.sort();
        counts.hash(&mut h);
    }
    format!("{:?}", db::targets::of_campaign(conn, campaign_id)?).hash(&mut h);
    format!("{:?}", db::units::all(conn)?).hash(&mut h);
    // Baselines across a reorganisation follow the lineage.
    if previous.is_some() {
        format!("{:?}", db::units::links(conn)?).hash(&mut h);
    }
    Ok(h.finish())
}
