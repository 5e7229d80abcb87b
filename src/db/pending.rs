//! The rows and counts of accepted submissions, gathered and written
//! together (a response's choices packed on its row, `domain::packed`): one multi-row statement per table for a whole batch instead of
//! about ten statements per response. The counts of a batch are merged first,
//! so a hundred responses to four units make four unit-count rows, not a
//! hundred upserts. Everything lands in the caller's transaction, with the
//! responses it counts.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{answers, breakdown_tallies, responses, tallies, unit_counts, unit_day_counts};
use super::submission::NewResponse;
use super::DbConn;
use crate::domain::packed;
use crate::domain::response::tally_keys;
use crate::per_backend;

/// Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535
/// bind parameters for the widest table (7 columns).
const CHUNK: usize = 2000;

struct ResponseRow {
    id: String,
    campaign_id: String,
    unit_id: String,
    channel: &'static str,
    submitted_on: NaiveDate,
    service_code: Option<String>,
    choices: String,
}

/// A free-text answer: choices are packed on the response row.
struct TextRow {
    response_id: String,
    item_code: String,
    text: String,
}

type Place = (String, String);

/// Accepted submissions not yet written.
#[derive(Default)]
pub struct Pending {
    responses: Vec<ResponseRow>,
    texts: Vec<TextRow>,
    /// (campaign, unit, item, option) → count. Key order is also lock order,
    /// the same for every writer, so concurrent batches cannot deadlock.
    tallies: BTreeMap<(Place, String, i32), i64>,
    /// (campaign, unit, dim, dim value, item, option) → count.
    breakdowns: BTreeMap<(Place, String, i32, String, i32), i64>,
    units: BTreeMap<Place, i64>,
    days: BTreeMap<(Place, NaiveDate), i64>,
}

impl Pending {
    /// Add an accepted submission, stored under `id`.
    pub fn add(&mut self, id: String, r: NewResponse) {
        let place: Place = (r.campaign_id.clone(), r.unit_id.clone());
        let mut counts: BTreeMap<(String, i32), i64> = BTreeMap::new();
        for key in tally_keys(&r.answers) {
            *counts.entry(key).or_insert(0) += 1;
        }
        for ((item, value), n) in &counts {
            *self
                .tallies
                .entry((place.clone(), item.clone(), *value))
                .or_insert(0) += n;
        }
        // A breakdown counts the items its template names, under each
        // dimension the response answered with one value.
        for dim in &r.breakdowns.dims {
            let Some(dim_value) = r
                .answers
                .iter()
                .find(|a| &a.item_code == dim)
                .and_then(|a| match a.values.as_slice() {
                    [v] => Some(*v),
                    _ => None,
                })
            else {
                continue;
            };
            for ((item, value), n) in counts
                .iter()
                .filter(|((item, _), _)| r.breakdowns.counted.contains(item))
            {
                *self
                    .breakdowns
                    .entry((place.clone(), dim.clone(), dim_value, item.clone(), *value))
                    .or_insert(0) += n;
            }
        }
        *self.units.entry(place.clone()).or_insert(0) += 1;
        *self.days.entry((place, r.submitted_on)).or_insert(0) += 1;
        let choices = packed::pack(&r.answers);
        for a in r.answers {
            if let Some(text) = a.text {
                self.texts.push(TextRow {
                    response_id: id.clone(),
                    item_code: a.item_code,
                    text,
                });
            }
        }
        self.responses.push(ResponseRow {
            id,
            campaign_id: r.campaign_id,
            unit_id: r.unit_id,
            channel: r.channel.as_str(),
            submitted_on: r.submitted_on,
            service_code: r.service_code,
            choices,
        });
    }

    /// Write every row and count, responses before their answers.
    pub fn write(self, conn: &mut DbConn) -> QueryResult<()> {
        for chunk in self.responses.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|r| {
                    (
                        responses::id.eq(&r.id),
                        responses::campaign_id.eq(&r.campaign_id),
                        responses::unit_id.eq(&r.unit_id),
                        responses::channel.eq(r.channel),
                        responses::submitted_on.eq(r.submitted_on),
                        responses::service_code.eq(r.service_code.as_deref()),
                        responses::choices.eq(&r.choices),
                    )
                })
                .collect();
            per_backend!(conn, c => diesel::insert_into(responses::table).values(&rows).execute(c))?;
        }
        for chunk in self.texts.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|a| {
                    (
                        answers::response_id.eq(&a.response_id),
                        answers::item_code.eq(&a.item_code),
                        answers::seq.eq(0),
                        answers::value.eq(None::<i32>),
                        answers::text_value.eq(Some(&a.text)),
                    )
                })
                .collect();
            per_backend!(conn, c => diesel::insert_into(answers::table).values(&rows).execute(c))?;
        }
        let tallies: Vec<_> = self.tallies.into_iter().collect();
        for chunk in tallies.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|(((campaign, unit), item, value), n)| {
                    (
                        tallies::campaign_id.eq(campaign),
                        tallies::unit_id.eq(unit),
                        tallies::item_code.eq(item),
                        tallies::option_value.eq(*value),
                        tallies::n.eq(*n),
                    )
                })
                .collect();
            per_backend!(conn, c => diesel::insert_into(tallies::table)
                .values(&rows)
                .on_conflict((tallies::campaign_id, tallies::unit_id, tallies::item_code, tallies::option_value))
                .do_update()
                .set(tallies::n.eq(tallies::n + excluded(tallies::n)))
                .execute(c))?;
        }
        let breakdowns: Vec<_> = self.breakdowns.into_iter().collect();
        for chunk in breakdowns.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|(((campaign, unit), dim, dim_value, item, value), n)| {
                    (
                        breakdown_tallies::campaign_id.eq(campaign),
                        breakdown_tallies::unit_id.eq(unit),
                        breakdown_tallies::dim_code.eq(dim),
                        breakdown_tallies::dim_value.eq(*dim_value),
                        breakdown_tallies::item_code.eq(item),
                        breakdown_tallies::option_value.eq(*value),
                        breakdown_tallies::n.eq(*n),
                    )
                })
                .collect();
            per_backend!(conn, c => diesel::insert_into(breakdown_tallies::table)
                .values(&rows)
                .on_conflict((
                    breakdown_tallies::campaign_id,
                    breakdown_tallies::unit_id,
                    breakdown_tallies::dim_code,
                    breakdown_tallies::dim_value,
                    breakdown_tallies::item_code,
                    breakdown_tallies::option_value,
                ))
                .do_update()
                .set(breakdown_tallies::n.eq(breakdown_tallies::n + excluded(breakdown_tallies::n)))
                .execute(c))?;
        }
        let units: Vec<_> = self.units.into_iter().collect();
        for chunk in units.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|((campaign, unit), n)| {
                    (
                        unit_counts::campaign_id.eq(campaign),
                        unit_counts::unit_id.eq(unit),
                        unit_counts::respondents.eq(*n),
                    )
                })
                .collect();
            per_backend!(conn, c => diesel::insert_into(unit_counts::table)
                .values(&rows)
                .on_conflict((unit_counts::campaign_id, unit_counts::unit_id))
                .do_update()
                .set(unit_counts::respondents.eq(unit_counts::respondents + excluded(unit_counts::respondents)))
                .execute(c))?;
        }
        let days: Vec<_> = self.days.into_iter().collect();
        for chunk in days.chunks(CHUNK) {
            let rows: Vec<_> = chunk
                .iter()
                .map(|(((campaign, unit), day), n)| {
                    (
                        unit_day_counts::campaign_id.eq(campaign),
                        unit_day_counts::unit_id.eq(unit),
                        unit_day_counts::day.eq(*day),
                        unit_day_counts::respondents.eq(*n),
                    )
                })
                .collect();
            per_backend!(conn, c => diesel::insert_into(unit_day_counts::table)
                .values(&rows)
                .on_conflict((unit_day_counts::campaign_id, unit_day_counts::unit_id, unit_day_counts::day))
                .do_update()
                .set(unit_day_counts::respondents.eq(unit_day_counts::respondents + excluded(unit_day_counts::respondents)))
                .execute(c))?;
        }
        Ok(())
    }
}
