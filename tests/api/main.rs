//! Black-box tests: the real server over HTTP and the real CLI binary.
mod helpers;

mod access;
mod accounts;
mod browser;
mod campaigns;
mod channels;
mod durability;
mod exports;
mod form;
mod health;
mod invitations;
mod list_files;
mod logs;
mod mail;
mod mail_wording;
mod measurement;
mod multiple_choice;
mod openapi;
mod paper_entry;
mod results;
mod sheets;
mod skip_logic;
mod smtp_servers;
mod templates;
mod units;
mod upgrade;
