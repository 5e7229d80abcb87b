//! Synthetic campaign data for the results benchmark: a tree of 150 units,
//! and responses bulk-loaded straight into the database together with the
//! tallies, unit counts and breakdown tallies exactly as
//! `sipas::db::submit` keeps them at submit time.
use std::collections::HashMap;
use std::fmt::Write as _;

use diesel::connection::SimpleConnection;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sipas::db::DbConn;
use sipas::domain::scoring::ANSWERED;
use sipas::domain::template::{Condition, ScaleKind, Template};

pub const DISTRICTS: usize = 6;
pub const COMMUNES_PER_DISTRICT: usize = 24;
/// Responses per transaction.
const BATCH: usize = 5_000;
/// Rows per INSERT statement.
const ROWS: usize = 4_000;

/// Units CSV: a city, 6 districts and 24 wards in each (150 units below the city).
pub fn units_csv() -> String {
    let mut s = String::from("code,name,kind,parent_code\nBHN,Thành phố Bench,city,\n");
    for d in 1..=DISTRICTS {
        let _ = writeln!(s, "BQ{d:02},Quận {d},district,BHN");
        for c in 1..=COMMUNES_PER_DISTRICT {
            let _ = writeln!(s, "BX{d:02}{c:02},Phường {d}.{c},ward,BQ{d:02}");
        }
    }
    s
}

/// The 150 units the campaign covers: every district and ward.
pub fn campaign_unit_codes() -> Vec<String> {
    let mut codes = Vec::new();
    for d in 1..=DISTRICTS {
        codes.push(format!("BQ{d:02}"));
        for c in 1..=COMMUNES_PER_DISTRICT {
            codes.push(format!("BX{d:02}{c:02}"));
        }
    }
    codes
}

/// How one item is answered.
struct Plan {
    code: String,
    kind: ScaleKind,
    /// Values that count (not "no opinion").
    values: Vec<i32>,
    /// The "don't know / no opinion" value, if the scale has one.
    excluded: Option<i32>,
    max_choices: usize,
    required: bool,
    ask_if: Option<Condition>,
    breakdown: bool,
    /// Counted under each breakdown group (`Template::breakdown_scope`).
    counted_in_breakdowns: bool,
}

/// One generated answer: (item index, values, free text).
type Given = (usize, Vec<i32>, Option<String>);

pub struct Generator {
    plans: Vec<Plan>,
    rng: StdRng,
    /// Cumulative share of responses per unit (units differ in size).
    unit_cdf: Vec<f64>,
    /// Per unit, how satisfied its citizens are (0.2 … 0.8).
    quality: Vec<f64>,
}

impl Generator {
    pub fn new(template: &Template, units: usize, seed: u64) -> Generator {
        let scope = template.breakdown_scope();
        let plans = template
            .items
            .iter()
            .map(|item| {
                let scale = template.scale_of(item);
                Plan {
                    code: item.code.to_string(),
                    kind: scale.kind,
                    values: scale
                        .options
                        .iter()
                        .filter(|o| !o.excluded)
                        .map(|o| o.value)
                        .collect(),
                    excluded: scale.options.iter().find(|o| o.excluded).map(|o| o.value),
                    max_choices: scale.max_choices.unwrap_or(3).max(1) as usize,
                    required: item.required,
                    ask_if: item.ask_if.clone(),
                    breakdown: item.breakdown,
                    counted_in_breakdowns: scope.counted.contains(item.code.as_str()),
                }
            })
            .collect();
        let mut rng = StdRng::seed_from_u64(seed);
        let sizes: Vec<f64> = (0..units).map(|_| rng.random_range(0.5..1.5)).collect();
        let sum: f64 = sizes.iter().sum();
        let mut acc = 0.0;
        let unit_cdf = sizes
            .iter()
            .map(|s| {
                acc += s / sum;
                acc
            })
            .collect();
        let quality = (0..units).map(|_| rng.random_range(0.2..0.8)).collect();
        Generator {
            plans,
            rng,
            unit_cdf,
            quality,
        }
    }

    pub fn item_codes(&self) -> Vec<&str> {
        self.plans.iter().map(|p| p.code.as_str()).collect()
    }

    fn unit(&mut self) -> usize {
        let r: f64 = self.rng.random();
        self.unit_cdf
            .partition_point(|c| *c < r)
            .min(self.unit_cdf.len() - 1)
    }

    /// A respondent of the unit with this index as the fields the web form
    /// posts (a multiple choice repeats its name).
    pub fn form_fields(&mut self, unit: usize, serial: usize) -> Vec<(String, String)> {
        let given = self.respondent(unit, serial);
        let mut fields = Vec::new();
        for (i, values, text) in given {
            let code = &self.plans[i].code;
            for v in values {
                fields.push((code.clone(), v.to_string()));
            }
            if let Some(t) = text {
                fields.push((code.clone(), t));
            }
        }
        fields
    }

    /// One respondent of `unit`: skip logic respected (the SVC items only
    /// after N8-3 = yes), some "no opinion", optional items sometimes left out.
    fn respondent(&mut self, unit: usize, serial: usize) -> Vec<Given> {
        let q = self.quality[unit];
        let mut given: Vec<Given> = Vec::new();
        let mut so_far: HashMap<String, Vec<i32>> = HashMap::new();
        for (i, plan) in self.plans.iter().enumerate() {
            if let Some(cond) = &plan.ask_if {
                if !cond.holds(&so_far) {
                    continue;
                }
            }
            if !plan.required && self.rng.random_bool(0.05) {
                continue;
            }
            let n = plan.values.len();
            let values = match plan.kind {
                ScaleKind::Text => {
                    if self.rng.random_bool(0.1) {
                        given.push((i, Vec::new(), Some(format!("Góp ý số {serial}"))));
                    }
                    continue;
                }
                ScaleKind::Multiple => {
                    let k = self.rng.random_range(1..=plan.max_choices.min(n));
                    let mut picked: Vec<i32> = Vec::with_capacity(k);
                    while picked.len() < k {
                        let v = plan.values[self.rng.random_range(0..n)];
                        if !picked.contains(&v) {
                            picked.push(v);
                        }
                    }
                    picked.sort_unstable();
                    picked
                }
                ScaleKind::YesNo => {
                    let yes = self.rng.random_bool(0.6);
                    vec![plan.values[usize::from(!yes).min(n - 1)]]
                }
                ScaleKind::Ordinal if plan.excluded.is_some() && self.rng.random_bool(0.04) => {
                    vec![plan.excluded.unwrap_or_default()]
                }
                ScaleKind::Ordinal => {
                    // Skewed towards the top levels by the unit's quality.
                    let u: f64 = self.rng.random::<f64>().powf(1.3 - q);
                    vec![plan.values[((u * n as f64) as usize).min(n - 1)]]
                }
                ScaleKind::Single => vec![plan.values[self.rng.random_range(0..n)]],
            };
            so_far.insert(plan.code.clone(), values.clone());
            given.push((i, values, None));
        }
        given
    }
}

/// The counts the submit path keeps, summed in memory.
#[derive(Default)]
struct Counts {
    /// (unit, item, value) → n
    tallies: HashMap<(u16, u16, i32), i64>,
    /// (unit, dim item, dim value, item, value) → n
    breakdowns: HashMap<(u16, u16, i32, u16, i32), i64>,
    respondents: Vec<i64>,
}

impl Counts {
    /// As `db::pending`: every chosen value is counted once, and a
    /// multiple-choice item's respondent once more under `ANSWERED`; the
    /// breakdown tallies count those of scored and breakdown items again
    /// under each breakdown item the response answered with exactly one value.
    fn add(&mut self, plans: &[Plan], unit: usize, given: &[Given]) {
        let u = unit as u16;
        self.respondents[unit] += 1;
        for (item, values, _) in given {
            let multiple = plans[*item].kind == ScaleKind::Multiple && !values.is_empty();
            let answered = multiple.then_some(ANSWERED);
            for v in values.iter().copied().chain(answered) {
                *self.tallies.entry((u, *item as u16, v)).or_default() += 1;
            }
        }
        for (dim, dim_values, _) in given {
            if !plans[*dim].breakdown || dim_values.len() != 1 {
                continue;
            }
            for (item, values, _) in given {
                if !plans[*item].counted_in_breakdowns {
                    continue;
                }
                for v in values {
                    *self
                        .breakdowns
                        .entry((u, *dim as u16, dim_values[0], *item as u16, *v))
                        .or_default() += 1;
                }
            }
        }
    }
}

fn exec(conn: &mut DbConn, sql: &str) {
    let r = match conn {
        DbConn::Sqlite(c) => c.batch_execute(sql),
        DbConn::Pg(c) => c.batch_execute(sql),
    };
    if let Err(e) = r {
        panic!("bulk load: {e}\n{}", &sql[..sql.len().min(300)]);
    }
}

/// Multi-row INSERTs of `rows` (each already a parenthesised tuple).
fn insert_rows(sql: &mut String, table: &str, columns: &str, rows: &[String]) {
    for chunk in rows.chunks(ROWS) {
        let _ = write!(sql, "INSERT INTO {table} ({columns}) VALUES ");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(r);
        }
        sql.push_str(";\n");
    }
}

pub struct Loaded {
    pub answers: u64,
    pub tallies: usize,
    pub breakdown_tallies: usize,
}

/// Generate and store `total` responses of the campaign, seeded, in
/// transactions of `BATCH`, then the counts.
pub fn load(
    conn: &mut DbConn,
    template: &Template,
    campaign_id: &str,
    unit_ids: &[String],
    total: usize,
) -> Loaded {
    let pg = matches!(conn, DbConn::Pg(_));
    if pg {
        // A bulk load as a restore would do it: no per-row FK triggers, the
        // answers' primary key rebuilt once at the end.
        exec(conn, "SET synchronous_commit = off");
        exec(
            conn,
            "ALTER TABLE answers DROP CONSTRAINT IF EXISTS answers_pkey",
        );
    } else {
        exec(
            conn,
            "PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; \
             PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;",
        );
    }
    let mut generator = Generator::new(template, unit_ids.len(), 20261125);
    // The answers are seeded; the ids also depend on the campaign, so two
    // campaigns loaded into one database do not draw the same ids.
    let salt: [u8; 16] = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        campaign_id.hash(&mut h);
        let a = h.finish();
        a.hash(&mut h);
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&a.to_le_bytes());
        out[8..].copy_from_slice(&h.finish().to_le_bytes());
        out
    };
    let codes: Vec<String> = generator
        .item_codes()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut counts = Counts {
        respondents: vec![0; unit_ids.len()],
        ..Counts::default()
    };
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("responses");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day");
    let mut answers = 0u64;
    let mut done = 0usize;
    while done < total {
        let n = BATCH.min(total - done);
        let mut response_rows = Vec::with_capacity(n);
        let mut answer_rows = Vec::with_capacity(n * 80);
        for k in 0..n {
            let serial = done + k;
            let unit = generator.unit();
            let given = generator.respondent(unit, serial);
            counts.add(&generator.plans, unit, &given);
            let mut bytes: [u8; 16] = generator.rng.random();
            for (b, s) in bytes.iter_mut().zip(salt) {
                *b ^= s;
            }
            let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
            let day = start + chrono::Days::new((serial * 365 / total.max(1)) as u64);
            let channel = if serial.is_multiple_of(5) {
                "personal_link"
            } else {
                "open_link"
            };
            // Choices packed on the row as the submit path packs them
            // (`domain::packed`: code order, values as given); free text in
            // the answers table.
            let mut choices: Vec<(&str, usize, i32)> = Vec::new();
            for (item, values, text) in &given {
                let code = &codes[*item];
                for (seq, v) in values.iter().enumerate() {
                    choices.push((code.as_str(), seq, *v));
                }
                if let Some(t) = text {
                    answer_rows.push(format!("('{id}','{code}',0,NULL,'{t}')"));
                }
            }
            choices.sort_unstable();
            let packed: Vec<String> = choices.iter().map(|(c, _, v)| format!("{c}={v}")).collect();
            response_rows.push(format!(
                "('{id}','{campaign_id}','{}','{channel}','{day}','{}')",
                unit_ids[unit],
                packed.join(";")
            ));
        }
        answers += answer_rows.len() as u64;
        let mut sql = String::from("BEGIN;\n");
        insert_rows(
            &mut sql,
            "responses",
            "id, campaign_id, unit_id, channel, submitted_on, choices",
            &response_rows,
        );
        insert_rows(
            &mut sql,
            "answers",
            "response_id, item_code, seq, value, text_value",
            &answer_rows,
        );
        sql.push_str("COMMIT;");
        exec(conn, &sql);
        done += n;
        bar.inc(n as u64);
    }
    bar.finish_and_clear();

    let mut sql = String::from("BEGIN;\n");
    let tallies: Vec<String> = counts
        .tallies
        .iter()
        .map(|((u, item, v), n)| {
            format!(
                "('{campaign_id}','{}','{}',{v},{n})",
                unit_ids[*u as usize], codes[*item as usize]
            )
        })
        .collect();
    insert_rows(
        &mut sql,
        "tallies",
        "campaign_id, unit_id, item_code, option_value, n",
        &tallies,
    );
    let breakdowns: Vec<String> = counts
        .breakdowns
        .iter()
        .map(|((u, dim, dv, item, v), n)| {
            format!(
                "('{campaign_id}','{}','{}',{dv},'{}',{v},{n})",
                unit_ids[*u as usize], codes[*dim as usize], codes[*item as usize]
            )
        })
        .collect();
    insert_rows(
        &mut sql,
        "breakdown_tallies",
        "campaign_id, unit_id, dim_code, dim_value, item_code, option_value, n",
        &breakdowns,
    );
    let unit_counts: Vec<String> = counts
        .respondents
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(u, n)| format!("('{campaign_id}','{}',{n})", unit_ids[u]))
        .collect();
    insert_rows(
        &mut sql,
        "unit_counts",
        "campaign_id, unit_id, respondents",
        &unit_counts,
    );
    sql.push_str("COMMIT;");
    exec(conn, &sql);
    if pg {
        exec(
            conn,
            "ALTER TABLE answers ADD CONSTRAINT answers_pkey PRIMARY KEY (response_id, item_code, seq)",
        );
        exec(conn, "VACUUM ANALYZE");
    } else {
        exec(conn, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
    }
    Loaded {
        answers,
        tallies: tallies.len(),
        breakdown_tallies: breakdowns.len(),
    }
}
