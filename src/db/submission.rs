//! One submission as the database layer takes it: everything it writes,
//! owned so it can be handed to the writer thread, and why it may be refused.
use chrono::NaiveDate;

use crate::domain::response::{Answer, ResponseChannel};
use crate::domain::template::BreakdownScope;

pub struct NewResponse {
    pub campaign_id: String,
    pub unit_id: String,
    pub channel: ResponseChannel,
    pub submitted_on: NaiveDate,
    pub answers: Vec<Answer>,
    pub service_code: Option<String>,
    /// The form's idempotency key: a second submission with it stores nothing.
    pub idempotency_key: Option<String>,
    /// The device cookie, counted for the per-device cap on open links.
    pub device_id: Option<String>,
    /// Submissions one device may make to the campaign (0: no cap), checked
    /// in the same transaction as the count it reads.
    pub device_cap: u32,
    /// The personal link being answered: marked answered in the same
    /// transaction, and never referred to by the response.
    pub invitation_id: Option<String>,
    /// The paper-entry batch this form was typed in: its count goes up in
    /// the same transaction, so a repeated Enter counts nothing either.
    pub entry_batch: Option<String>,
    /// The template's breakdown items and what is counted under them.
    pub breakdowns: BreakdownScope,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    /// This form was already stored (same idempotency key), or its personal
    /// link was answered.
    #[error("already stored")]
    Duplicate,
    /// The device has sent as many forms to the campaign as it may.
    #[error("the device's cap is reached")]
    DeviceCapReached,
    /// The campaign is not open (closed since the form was shown).
    #[error("the campaign is not open")]
    Closed,
    /// The paper-entry batch named is not there.
    #[error("no such paper-entry batch")]
    NoEntryBatch,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}
