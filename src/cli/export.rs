//! `sipas export`: the same exports as the API, to a file, with a
//! progress bar over the responses.
use std::io::{BufWriter, Write};

use anyhow::{anyhow, bail, Context};
use chrono::NaiveDate;

use crate::cli::args::ExportArgs;
use crate::config::Settings;
use crate::error::report;
use crate::prepare;
use crate::service::auth::Scope;
use crate::service::export::{self, formats, responses, ExportRequest, Kind};
use crate::service::results::Period;
use crate::state::AppState;

/// `sipas export`: write the file and say how many responses it covers.
pub fn run(settings: &Settings, args: &ExportArgs) -> anyhow::Result<()> {
    let state = prepare(settings)?;
    let n = write_file(&state, args)?;
    println!("exported {} ({n} responses in scope)", args.out.display());
    Ok(())
}

fn day(name: &str, v: Option<&str>) -> anyhow::Result<Option<NaiveDate>> {
    v.map(|s| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| anyhow!("--{name}: {s:?} is not a day like 2026-03-31"))
    })
    .transpose()
}

/// Write the export; returns how many responses it covered.
pub fn write_file(state: &AppState, a: &ExportArgs) -> anyhow::Result<u64> {
    let format = a.format.as_str();
    if !["csv", "xlsx", "json"].contains(&format) {
        bail!("--format: {:?} is not one of csv, xlsx, json", a.format);
    }
    let mut conn = state.pool.get()?;
    let req = ExportRequest {
        campaign_id: a.campaign.clone(),
        unit: a.unit.clone(),
        period: Period {
            from: day("from", a.from.as_deref())?,
            to: day("to", a.to.as_deref())?,
        },
        compare: a.compare.clone(),
        scope: Scope::All,
    };
    let p = export::prepare(&state.templates, &state.results_cache, &mut conn, &req)
        .map_err(|e| anyhow!("{}", report(&e)))?;
    let total = responses::count(&mut conn, &p).map_err(|e| anyhow!("{}", report(&e)))?;
    let bar = super::progress(total, "responses");
    let mut tick = |n: u64| bar.inc(n);
    let kind = match a.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            let all: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            anyhow!("--kind: {k:?} is not one of {}", all.join(", "))
        })?),
    };
    if format == "xlsx" {
        formats::write_xlsx(&mut conn, &p, &a.out, &mut tick)
            .map_err(|e| anyhow!("{}", report(&e)))?;
        bar.finish();
        return Ok(total);
    }
    let file = std::fs::File::create(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let mut out = BufWriter::new(file);
    let done = match format {
        "csv" => formats::write_csv(
            &mut conn,
            &p,
            kind.unwrap_or(Kind::Summary),
            &mut out,
            &mut tick,
        ),
        "json" if kind == Some(Kind::Responses) => {
            formats::write_ndjson(&mut conn, &p, &mut out, &mut tick).map(|_| ())
        }
        "json" => formats::write_results_json(&p, &mut out),
        other => bail!("--format: {other:?} is not one of csv, xlsx, json"),
    };
    done.map_err(|e| anyhow!("{}", report(&e)))?;
    out.flush()
        .with_context(|| format!("cannot write {}", a.out.display()))?;
    bar.finish();
    Ok(total)
}
