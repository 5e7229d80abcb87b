//! The dashboard's figures: for each open campaign the reader sees, the
//! responses today, in the last seven days and in total against the
//! targets, the personal links' fate, and the units furthest behind. All
//! from the counts kept at submit time (`unit_counts`, `unit_day_counts`)
//! and the invitations' own states: nothing scans the responses.
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::db::{self, DbConn};
use crate::domain::campaign::CampaignStatus;
use crate::error::AppError;
use crate::service::access;
use crate::service::auth::Scope;
use crate::service::campaigns::CampaignRecord;

/// A unit behind its target.
pub struct Behind {
    pub code: String,
    pub name: String,
    pub respondents: u64,
    pub target: u64,
}

impl Behind {
    /// The share of the target reached, in percent.
    pub fn reached(&self) -> f64 {
        if self.target == 0 {
            100.0
        } else {
            100.0 * self.respondents as f64 / self.target as f64
        }
    }
}

/// Personal links (email invitations) of a campaign, summed over its units.
#[derive(Default)]
pub struct Invitations {
    pub invited: i64,
    pub sent: i64,
    pub bounced: i64,
    pub opted_out: i64,
    pub answered: i64,
}

pub struct Pulse {
    pub campaign: CampaignRecord,
    pub units: usize,
    pub today: u64,
    pub week: u64,
    pub total: u64,
    /// The sum of the targets, when any is set.
    pub target: Option<u64>,
    pub days_left: i64,
    pub invitations: Option<Invitations>,
    /// Units under their target, the furthest behind first (at most five).
    pub behind: Vec<Behind>,
}

/// The open campaigns `scope` sees, with their figures as of `today`.
pub fn pulses(conn: &mut DbConn, scope: &Scope, today: NaiveDate) -> Result<Vec<Pulse>, AppError> {
    let mut out = Vec::new();
    for c in db::campaigns::all(conn)? {
        if c.status() != CampaignStatus::Open {
            continue;
        }
        let units = access::visible_units(scope, db::campaigns::units_of(conn, &c.id)?);
        if units.is_empty() {
            continue;
        }
        let counts: HashMap<String, i64> = db::responses::respondents_of(conn, &c.id)?
            .into_iter()
            .collect();
        let seen: std::collections::HashSet<&str> = units.iter().map(|u| u.id.as_str()).collect();
        let week_start = today - chrono::Days::new(6);
        let mut today_n = 0;
        let mut week_n = 0;
        for (unit, day, n) in db::responses::respondents_since(conn, &c.id, week_start)? {
            if !seen.contains(unit.as_str()) {
                continue;
            }
            week_n += n.max(0) as u64;
            if day == today {
                today_n += n.max(0) as u64;
            }
        }
        let targets: HashMap<String, i64> = db::targets::of_campaign(conn, &c.id)?
            .into_iter()
            .map(|t| (t.unit_id, t.target))
            .collect();
        let count = |id: &str| counts.get(id).copied().unwrap_or(0).max(0) as u64;
        let total: u64 = units.iter().map(|u| count(u.id.as_str())).sum();
        let planned: Vec<u64> = units
            .iter()
            .filter_map(|u| targets.get(u.id.as_str()).map(|t| (*t).max(0) as u64))
            .collect();
        let mut behind: Vec<Behind> = units
            .iter()
            .filter_map(|u| {
                let target = targets.get(u.id.as_str()).map(|t| (*t).max(0) as u64)?;
                let respondents = count(u.id.as_str());
                (respondents < target).then(|| Behind {
                    code: u.code.to_string(),
                    name: u.name.clone(),
                    respondents,
                    target,
                })
            })
            .collect();
        behind.sort_by(|a, b| {
            a.reached()
                .total_cmp(&b.reached())
                .then(a.code.cmp(&b.code))
        });
        behind.truncate(5);
        let invitations = invitations_of(conn, &c.id, &seen)?;
        out.push(Pulse {
            days_left: (c.period_end - today).num_days(),
            units: units.len(),
            today: today_n,
            week: week_n,
            total,
            target: (!planned.is_empty()).then(|| planned.iter().sum()),
            invitations,
            behind,
            campaign: c,
        });
    }
    Ok(out)
}

/// The campaign's email invitations over the units seen; None without any.
fn invitations_of(
    conn: &mut DbConn,
    campaign_id: &str,
    seen: &std::collections::HashSet<&str>,
) -> Result<Option<Invitations>, AppError> {
    let mut sum = Invitations::default();
    for ((unit, _), t) in db::outbox::tally(conn, campaign_id)? {
        if !seen.contains(unit.as_str()) {
            continue;
        }
        sum.invited += t.invited;
        sum.sent += t.sent;
        sum.bounced += t.bounced;
        sum.opted_out += t.opted_out;
        sum.answered += t.answered;
    }
    Ok((sum.invited > 0).then_some(sum))
}
