use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::schema::{unit_links, units};
use super::DbConn;
use crate::domain::ids::UnitId;
use crate::domain::lineage::Link;
use crate::domain::unit::{UnitCode, UnitKind, Validity};
use crate::domain::unit_import::{ImportPlan, OpenUnit, UnitWrite};
use crate::domain::unit_tree::{Cycle, UnitTree};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct UnitRecord {
    #[diesel(deserialize_as = String)]
    pub id: UnitId,
    #[diesel(deserialize_as = String)]
    pub code: UnitCode,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub kind: UnitKind,
    pub parent_id: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl UnitRecord {
    pub fn validity(&self) -> Validity {
        Validity {
            from: self.valid_from,
            to: self.valid_to,
        }
    }
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<UnitRecord>> {
    units::table
        .select(UnitRecord::as_select())
        .order(units::code)
        .load(conn)
}

/// The units as a tree, to walk down or up.
pub fn tree_of(all: &[UnitRecord]) -> UnitTree {
    UnitTree::new(
        all.iter()
            .map(|u| (u.id.as_str(), u.code.as_str(), u.parent_id.as_deref())),
    )
}

/// What a walk of the tree found, also when the parents loop: bad data that
/// imports never write, so it is logged and the walk's units are used.
pub fn walked<T>(walk: Result<T, Cycle<T>>) -> T {
    walk.unwrap_or_else(|loop_| {
        tracing::warn!("units: {loop_}");
        loop_.found
    })
}

/// The units in force with no end yet, as the import planner sees them.
pub fn open(conn: &mut DbConn) -> QueryResult<Vec<OpenUnit>> {
    let all = all(conn)?;
    let code_of: HashMap<&str, &UnitCode> = all.iter().map(|u| (u.id.as_str(), &u.code)).collect();
    Ok(all
        .iter()
        .filter(|u| u.valid_to.is_none())
        .map(|u| OpenUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            kind: u.kind,
            parent_code: u
                .parent_id
                .as_deref()
                .and_then(|p| code_of.get(p))
                .map(|c| (*c).clone()),
            valid_from: u.valid_from,
        })
        .collect())
}

/// The units in force on every day from `first` to `last`.
pub fn in_force(
    conn: &mut DbConn,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<UnitRecord>> {
    units::table
        .filter(units::valid_from.is_null().or(units::valid_from.le(first)))
        .filter(units::valid_to.is_null().or(units::valid_to.ge(last)))
        .select(UnitRecord::as_select())
        .order(units::code)
        .load(conn)
}

/// The open units with these codes (a code names one open unit at most).
pub fn by_codes(conn: &mut DbConn, codes: &[String]) -> QueryResult<Vec<UnitRecord>> {
    units::table
        .filter(units::code.eq_any(codes))
        .filter(units::valid_to.is_null())
        .select(UnitRecord::as_select())
        .load(conn)
}

/// Write a planned import in one transaction: all rows or none. Codes
/// name the open units; a dated plan's ends come first, so a reused code is
/// free when its new unit is inserted.
pub fn apply_import(
    conn: &mut DbConn,
    plan: &ImportPlan,
    mut progress: impl FnMut(),
) -> QueryResult<()> {
    conn.transaction(|conn| {
        let eve = plan.valid_from.and_then(|d| d.pred_opt());
        for w in &plan.writes {
            if let UnitWrite::End(code) = w {
                diesel::update(units::table)
                    .filter(units::code.eq(code.as_str()))
                    .filter(units::valid_to.is_null())
                    .set(units::valid_to.eq(eve))
                    .execute(conn)?;
                progress();
            }
        }
        let mut id_of: HashMap<String, String> = units::table
            .filter(units::valid_to.is_null())
            .select((units::code, units::id))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        let now = Utc::now().naive_utc();
        for w in &plan.writes {
            let (UnitWrite::Update(u) | UnitWrite::Insert(u)) = w else {
                continue;
            };
            let parent_id = u
                .parent_code
                .as_ref()
                .and_then(|p| id_of.get(p.as_str()).cloned());
            match (w, id_of.get(u.code.as_str())) {
                (UnitWrite::Update(_), Some(id)) => {
                    diesel::update(units::table.find(id))
                        .set((
                            units::name.eq(&u.name),
                            units::kind.eq(u.kind.as_str()),
                            units::parent_id.eq(&parent_id),
                        ))
                        .execute(conn)?;
                }
                _ => {
                    let id = uuid::Uuid::new_v4().to_string();
                    diesel::insert_into(units::table)
                        .values((
                            units::id.eq(&id),
                            units::code.eq(u.code.as_str()),
                            units::name.eq(&u.name),
                            units::kind.eq(u.kind.as_str()),
                            units::parent_id.eq(&parent_id),
                            units::created_at.eq(now),
                            units::valid_from.eq(plan.valid_from),
                        ))
                        .execute(conn)?;
                    id_of.insert(u.code.as_str().to_string(), id);
                }
            }
            progress();
        }
        Ok(())
    })
}

/// Replace the links into the given new units with `links`, in the
/// caller's transaction (a lineage file describes its new units whole).
pub fn replace_links(conn: &mut DbConn, links: &[Link]) -> QueryResult<usize> {
    let mut new_ids: Vec<&str> = links.iter().map(|l| l.new_id.as_str()).collect();
    new_ids.sort_unstable();
    new_ids.dedup();
    diesel::delete(unit_links::table.filter(unit_links::new_unit_id.eq_any(&new_ids)))
        .execute(conn)?;
    // One statement per link: the two-backend connection has no batch insert.
    for l in links {
        diesel::insert_into(unit_links::table)
            .values((
                unit_links::new_unit_id.eq(&l.new_id),
                unit_links::old_unit_id.eq(&l.old_id),
                unit_links::part.eq(l.part),
                unit_links::share.eq(l.share),
                unit_links::note.eq(&l.note),
            ))
            .execute(conn)?;
    }
    Ok(links.len())
}

/// Every link of the lineage.
pub fn links(conn: &mut DbConn) -> QueryResult<Vec<Link>> {
    Ok(unit_links::table
        .select((
            unit_links::new_unit_id,
            unit_links::old_unit_id,
            unit_links::part,
            unit_links::share,
            unit_links::note,
        ))
        .load::<(String, String, bool, Option<f64>, String)>(conn)?
        .into_iter()
        .map(|(new_id, old_id, part, share, note)| Link {
            new_id,
            old_id,
            part,
            share,
            note,
        })
        .collect())
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<UnitRecord>> {
    units::table
        .find(id)
        .select(UnitRecord::as_select())
        .first(conn)
        .optional()
}
