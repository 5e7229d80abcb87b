use std::path::Path;

use crate::db::{self, DbConn};
use crate::domain::template::{Template, TemplateError};

/// A template file read and validated.
pub struct LoadedTemplate {
    pub path: String,
    pub source: String,
    pub template: Template,
}

/// Read and validate every `*.toml` in `dir`. Any error anywhere fails the
/// whole load, so a broken questionnaire is never served.
pub fn load_dir(dir: &Path) -> Result<Vec<LoadedTemplate>, Vec<TemplateError>> {
    let io_err = |path: &Path, e: std::io::Error| {
        vec![TemplateError {
            file: path.display().to_string(),
            line: 0,
            field: "file".into(),
            message: e.to_string(),
        }]
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| io_err(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let source = std::fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
        let name = path.display().to_string();
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
