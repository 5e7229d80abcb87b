//! Black-box tests: the real server over HTTP and the real CLI binary.
mod helpers;

mod access;
mod accounts;
mod campaigns;
mod form;
mod health;
mod results;
mod templates;
mod units;
