//! Pure domain types and rules: no I/O here, so everything is unit-testable.
pub mod account;
pub mod campaign;
pub mod invitation;
pub mod list_file;
pub mod mail_wording;
pub mod paging;
pub mod paper;
pub mod points;
pub mod response;
pub mod rollup;
pub mod sampling;
pub mod scoring;
pub mod template;
pub mod text;
pub mod token;
pub mod unit;
pub mod unit_tree;
