//! Black-box tests: the real server over HTTP and the real CLI binary.
mod helpers;

mod campaigns;
mod form;
mod health;
mod measurement;
mod results;
mod templates;
mod units;
