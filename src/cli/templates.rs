//! `sipas templates check|list`: questionnaire templates.
use std::path::PathBuf;

use crate::config::Settings;
use crate::{check_templates_dir, service};

/// Validate a folder (or one file) of templates without the database; every
/// error is printed before the command fails.
pub fn check(settings: &Settings, path: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = path.unwrap_or_else(|| settings.templates_dir.clone());
    check_templates_dir(&dir)?;
    match service::templates::load_dir(&dir) {
        Ok(loaded) => {
            for l in &loaded {
                println!(
                    "ok  {}  {} ({} items)",
                    l.path,
                    l.template.key,
                    l.template.items.len()
                );
            }
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            anyhow::bail!("{} error(s) in templates", errors.len());
        }
    }
}

/// The template versions in the database.
pub fn list(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    for t in service::templates::all(&mut conn)? {
        println!(
            "{:<20} v{:<3} {}  ({})",
            t.key, t.version, t.title, t.source_path
        );
    }
    Ok(())
}
