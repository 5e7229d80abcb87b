use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

pub use crate::db::templates::TemplateRecord;
use crate::db::{self, DbConn};
use crate::domain::template::{self, Template, TemplateError};
use crate::error::AppError;

/// A template file read and validated.
pub struct LoadedTemplate {
    pub path: String,
    pub source: String,
    pub template: Template,
}

/// Read and validate every `*.toml` in `dir` (or the one file `dir` names).
/// Every file is checked and every error of every file is returned, so one
/// run of `templates check` lists all that needs fixing. Any error fails the
/// whole load, so a broken questionnaire is never served.
pub fn load_dir(dir: &Path) -> Result<Vec<LoadedTemplate>, Vec<TemplateError>> {
    let io_err = |path: &Path, e: std::io::Error| TemplateError {
        file: path.display().to_string(),
        line: 0,
        field: String::new(),
        message: e.to_string(),
    };
    let mut paths: Vec<_> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        std::fs::read_dir(dir)
            .map_err(|e| vec![io_err(dir, e)])?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect()
    };
    paths.sort();
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                errors.push(io_err(&path, e));
                continue;
            }
        };
        let source = match template::decode(&name, &bytes) {
            Ok(s) => s.to_string(),
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match Template::parse(&name, &source) {
            Ok(template) => loaded.push(LoadedTemplate {
                path: name,
                source,
                template,
            }),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let mut keys = std::collections::HashMap::new();
    for l in &loaded {
        if let Some(other) = keys.insert(l.template.key.clone(), l.path.clone()) {
            errors.push(TemplateError {
                file: l.path.clone(),
                line: 1,
                field: "key".into(),
                message: format!("key {} is also used by {other}", l.template.key),
            });
        }
    }
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(errors)
    }
}

/// Register each loaded template; changed files become new versions.
pub fn sync(conn: &mut DbConn, loaded: &[LoadedTemplate]) -> diesel::QueryResult<()> {
    for l in loaded {
        let (rec, new) = db::templates::register(conn, &l.template, &l.path, &l.source)?;
        if new {
            tracing::info!(key = %rec.key, version = rec.version, path = %l.path, "template version registered");
        }
    }
    Ok(())
}

/// Parsed template versions by id. Versions never change, so caching is safe.
#[derive(Default)]
pub struct TemplateCache {
    parsed: RwLock<HashMap<String, Arc<Template>>>,
}

impl TemplateCache {
    /// The parsed template version `id`, from the cache or the stored source.
    pub fn get(&self, conn: &mut DbConn, id: &str) -> Result<Arc<Template>, AppError> {
        if let Some(t) = self.parsed.read().ok().and_then(|m| m.get(id).cloned()) {
            return Ok(t);
        }
        let rec = db::templates::get(conn, id)?.ok_or(AppError::NotFound)?;
        let parsed = Template::parse(&rec.source_path, &rec.source).map_err(|errs| {
            AppError::internal(
                format!(
                    "stored template {} v{} no longer parses",
                    rec.key, rec.version
                ),
                errs.first().map(|e| e.to_string()).unwrap_or_default(),
            )
        })?;
        let t = Arc::new(parsed);
        if let Ok(mut m) = self.parsed.write() {
            m.insert(id.to_string(), t.clone());
        }
        Ok(t)
    }
}

/// Every stored template version.
pub fn all(conn: &mut DbConn) -> Result<Vec<TemplateRecord>, AppError> {
    Ok(db::templates::all(conn)?)
}
