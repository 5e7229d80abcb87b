use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;

use super::schema::units;
use super::DbConn;
use crate::domain::ids::UnitId;
use crate::domain::unit::{NewUnit, UnitCode, UnitKind};
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

/// code -> parent code, the shape the import planner checks against.
pub fn parent_map(conn: &mut DbConn) -> QueryResult<HashMap<String, Option<String>>> {
    let all = all(conn)?;
    let code_of: HashMap<&str, &str> = all
        .iter()
        .map(|u| (u.id.as_str(), u.code.as_str()))
        .collect();
    Ok(all
        .iter()
        .map(|u| {
            let parent = u
                .parent_id
                .as_deref()
                .and_then(|p| code_of.get(p))
                .map(|c| c.to_string());
            (u.code.to_string(), parent)
        })
        .collect())
}

pub fn by_codes(conn: &mut DbConn, codes: &[String]) -> QueryResult<Vec<UnitRecord>> {
    units::table
        .filter(units::code.eq_any(codes))
        .select(UnitRecord::as_select())
        .load(conn)
}

/// Write a planned import in one transaction: all rows or none. Returns
/// (inserted, updated).
pub fn apply_import(
    conn: &mut DbConn,
    plan: &[NewUnit],
    mut progress: impl FnMut(),
) -> QueryResult<(usize, usize)> {
    conn.transaction(|conn| {
        let mut id_of: HashMap<String, String> = units::table
            .select((units::code, units::id))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        let now = Utc::now().naive_utc();
        let (mut inserted, mut updated) = (0, 0);
        for u in plan {
            let parent_id = u
                .parent_code
                .as_ref()
                .and_then(|p| id_of.get(p.as_str()).cloned());
            if let Some(id) = id_of.get(u.code.as_str()) {
                diesel::update(units::table.find(id))
                    .set((
                        units::name.eq(&u.name),
                        units::kind.eq(u.kind.as_str()),
                        units::parent_id.eq(&parent_id),
                    ))
                    .execute(conn)?;
                updated += 1;
            } else {
                let id = uuid::Uuid::new_v4().to_string();
                diesel::insert_into(units::table)
                    .values((
                        units::id.eq(&id),
                        units::code.eq(u.code.as_str()),
                        units::name.eq(&u.name),
                        units::kind.eq(u.kind.as_str()),
                        units::parent_id.eq(&parent_id),
                        units::created_at.eq(now),
                    ))
                    .execute(conn)?;
                id_of.insert(u.code.as_str().to_string(), id);
                inserted += 1;
            }
            progress();
        }
        Ok((inserted, updated))
    })
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<UnitRecord>> {
    units::table
        .find(id)
        .select(UnitRecord::as_select())
        .first(conn)
        .optional()
}
