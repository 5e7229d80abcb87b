//! Black-box tests: the real server over HTTP and the real CLI binary.
mod helpers;

mod access;
mod accounts;
mod browser;
mod campaigns;
mod channels;
mod exports;
mod form;
mod health;
mod measurement;
mod openapi;
mod results;
mod skip_logic;
mod templates;
mod units;
