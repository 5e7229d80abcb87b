use chrono::Utc;
use diesel::prelude::*;

use super::schema::templates;
use super::DbConn;
use crate::domain::template::Template;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = templates)]
pub struct TemplateRecord {
    pub id: String,
    pub key: String,
    pub version: i32,
    pub content_hash: String,
    pub title: String,
    pub source_path: String,
    pub source: String,
}

/// Record a template file. Unchanged content keeps its version; changed content
/// becomes a new version, and campaigns keep the version they were created with.
/// Returns the record and whether it is new.
pub fn register(
    conn: &mut DbConn,
    template: &Template,
    path: &str,
    source: &str,
) -> QueryResult<(TemplateRecord, bool)> {
    conn.transaction(|conn| {
        let existing = templates::table
            .filter(templates::key.eq(&template.key))
            .filter(templates::content_hash.eq(&template.content_hash))
            .select(TemplateRecord::as_select())
            .first(conn)
            .optional()?;
        if let Some(rec) = existing {
            return Ok((rec, false));
        }
        let last: Option<i32> = templates::table
            .filter(templates::key.eq(&template.key))
            .select(diesel::dsl::max(templates::version))
            .first(conn)?;
        let rec = TemplateRecord {
            id: uuid::Uuid::new_v4().to_string(),
            key: template.key.clone(),
            version: last.unwrap_or(0) + 1,
            content_hash: template.content_hash.clone(),
            title: template.title.vi.clone(),
            source_path: path.to_string(),
            source: source.to_string(),
        };
        diesel::insert_into(templates::table)
            .values((
                templates::id.eq(&rec.id),
                templates::key.eq(&rec.key),
                templates::version.eq(rec.version),
                templates::content_hash.eq(&rec.content_hash),
                templates::title.eq(&rec.title),
                templates::source_path.eq(&rec.source_path),
                templates::source.eq(&rec.source),
                templates::created_at.eq(Utc::now().naive_utc()),
            ))
            .execute(conn)?;
        Ok((rec, true))
    })
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<TemplateRecord>> {
    templates::table
        .find(id)
        .select(TemplateRecord::as_select())
        .first(conn)
        .optional()
}

/// The newest version of a template key.
pub fn latest(conn: &mut DbConn, key: &str) -> QueryResult<Option<TemplateRecord>> {
    templates::table
        .filter(templates::key.eq(key))
        .order(templates::version.desc())
        .select(TemplateRecord::as_select())
        .first(conn)
        .optional()
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<TemplateRecord>> {
    templates::table
        .order((templates::key, templates::version))
        .select(TemplateRecord::as_select())
        .load(conn)
}
