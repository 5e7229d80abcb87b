//! Command-line work: imports, campaigns, demo data. Long work shows a
//! progress bar; results are printed as plain lines a person can read.
pub mod admin;
pub mod args;
pub mod bounces;
pub mod campaigns;
pub mod demo;
pub mod export;
pub mod invitations;
pub mod sample_size;
pub mod units;

use indicatif::{ProgressBar, ProgressStyle};

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
