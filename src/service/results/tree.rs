//! The levels above a campaign's units.
use std::collections::{BTreeMap, HashMap};

use crate::db::units::{tree_of, walked, UnitRecord};

/// Ancestors of the campaign's units, each with the campaign units in its
/// subtree (itself included when it is one), top level first.
pub(super) fn ancestors_of(
    units: &[UnitRecord],
    all: &[UnitRecord],
) -> Vec<(UnitRecord, Vec<String>)> {
    let by_id: HashMap<&str, &UnitRecord> = all.iter().map(|u| (u.id.as_str(), u)).collect();
    let tree = tree_of(all);
    let depth = |u: &UnitRecord| {
        let up = tree.ancestors(&u.id);
        up.map_or_else(|loop_| loop_.found.len(), |a| a.len())
    };
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for u in units {
        for p in walked(tree.ancestors(&u.id)) {
            groups
                .entry(p.to_string())
                .or_default()
                .push(u.id.to_string());
        }
    }
    let mut out: Vec<(UnitRecord, Vec<String>)> = groups
        .into_iter()
        .filter_map(|(id, mut members)| {
            let unit = by_id.get(id.as_str())?;
            if units.iter().any(|u| u.id == id.as_str()) {
                members.push(id.clone());
            }
            Some(((*unit).clone(), members))
        })
        .collect();
    out.sort_by(|a, b| depth(&a.0).cmp(&depth(&b.0)).then(a.0.code.cmp(&b.0.code)));
    out
}
