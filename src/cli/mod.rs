//! Command-line work: imports, campaigns, demo data. Long work shows a
//! progress bar; results are printed as plain lines a person can read.
//! Each subcommand is one function here that `src/main.rs` dispatches to.
pub mod admin;
pub mod api_keys;
pub mod args;
pub mod bounces;
pub mod campaigns;
pub mod demo;
mod demo_reorganisation;
pub mod export;
pub mod invitations;
pub mod sample_size;
pub mod serve;
pub mod templates;
pub mod units;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Settings;
use crate::prepare;
use crate::service::{self, PooledConn};

/// A connection to the database, created and migrated if needed, with the
/// templates loaded: where most commands start.
pub fn connect(settings: &Settings) -> anyhow::Result<PooledConn> {
    let state = prepare(settings)?;
    Ok(state.pool.get()?)
}

/// `sipas migrate`: no templates needed, so it runs from any folder.
pub fn migrate(settings: &Settings) -> anyhow::Result<()> {
    service::migrate(&settings.database_url)?;
    println!("migrations are up to date ({})", settings.database_url);
    Ok(())
}

/// A bar for the rows of a list file: about one row per line of text; a
/// workbook's bar fills as its rows come.
pub fn list_progress(bytes: &[u8], what: &str) -> ProgressBar {
    progress(bytes.iter().filter(|b| **b == b'\n').count() as u64, what)
}

pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}
