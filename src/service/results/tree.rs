//! The levels above a campaign's units.
use std::collections::{BTreeMap, HashMap};

use crate::db::units::UnitRecord;

/// Ancestors of the campaign's units, each with the campaign units in its
/// subtree (itself included when it is one), top level first.
pub(super) fn ancestors_of(
    units: &[UnitRecord],
    all: &[UnitRecord],
) -> Vec<(UnitRecord, Vec<String>)> {
    let by_id: HashMap<&str, &UnitRecord> = all.iter().map(|u| (u.id.as_str(), u)).collect();
    let depth = |u: &UnitRecord| {
        let mut d = 0usize;
        let mut cur = u.parent_id.as_deref();
        while let Some(p) = cur {
            d += 1;
            if d > all.len() {
                break;
            }
            cur = by_id.get(p).and_then(|x| x.parent_id.as_deref());
        }
        d
    };
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for u in units {
        let mut cur = u.parent_id.as_deref();
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > all.len() {
                break;
            }
            groups.entry(p.to_string()).or_default().push(u.id.clone());
            cur = by_id.get(p).and_then(|x| x.parent_id.as_deref());
        }
    }
    let mut out: Vec<(UnitRecord, Vec<String>)> = groups
        .into_iter()
        .filter_map(|(id, mut members)| {
            let unit = by_id.get(id.as_str())?;
            if units.iter().any(|u| u.id == id) {
                members.push(id.clone());
            }
            Some(((*unit).clone(), members))
        })
        .collect();
    out.sort_by(|a, b| depth(&a.0).cmp(&depth(&b.0)).then(a.0.code.cmp(&b.0.code)));
    out
}
