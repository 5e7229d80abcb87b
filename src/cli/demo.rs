//! A demo dataset: Hà Nội sample units, an open campaign on the one-stop
//! questionnaire (Mẫu số 02) and a few hundred plausible responses.
use rand::Rng;

use crate::config::Settings;
use crate::domain::campaign::CampaignStatus;
use crate::domain::response::ResponseChannel;
use crate::domain::template::ScaleKind;
use crate::i18n::{Lang, Msg};
use crate::prepare;
use crate::service::audit::Actor;
use crate::service::campaigns::{self, CampaignRecord, NewCampaign, UnitSelection};
use crate::service::responses;
use crate::service::{templates, units, DbConn};
use crate::state::AppState;

pub const DEMO_UNITS: &str = include_str!("../../examples/hanoi-units.csv");
pub const DEMO_TEMPLATE: &str = "hn-mau-02";
/// The demo campaign's name, followed by the year.
const DEMO_NAME: &str = "Khảo sát mẫu: sự hài lòng tại bộ phận một cửa năm";

pub enum Demo {
    /// Created now, with its responses.
    Loaded(CampaignRecord),
    /// Created by an earlier run; nothing was added.
    AlreadyLoaded(CampaignRecord),
}

/// `sipas demo`: load the demo once and say, in both languages, where to
/// look at it.
pub fn run(settings: &Settings, responses: u32, reorganisation: bool) -> anyhow::Result<()> {
    let state = prepare(settings)?;
    if reorganisation {
        use super::demo_reorganisation::{load, Loaded};
        match load(&state)? {
            Loaded::Now(old, new) => {
                println!("demo campaigns: {} (2024, old tree) and {} (2025, new tree, compared with 2024)", old.id, new.id);
            }
            Loaded::Before(c) => {
                for lang in [Lang::Vi, Lang::En] {
                    println!("{} {}", Msg::DemoAlreadyLoaded.get(lang), c.id);
                }
            }
        }
        for lang in [Lang::Vi, Lang::En] {
            println!("{} http://127.0.0.1:8080/", Msg::DemoOpenHint.get(lang));
        }
        return Ok(());
    }
    match load(&state, responses)? {
        Demo::Loaded(c) => {
            println!("demo campaign {} is open with {responses} responses", c.id);
        }
        Demo::AlreadyLoaded(c) => {
            for lang in [Lang::Vi, Lang::En] {
                println!("{} {}", Msg::DemoAlreadyLoaded.get(lang), c.id);
            }
        }
    }
    for lang in [Lang::Vi, Lang::En] {
        println!("{} http://127.0.0.1:8080/", Msg::DemoOpenHint.get(lang));
    }
    Ok(())
}

/// The demo campaign an earlier run created: its name on the demo template.
pub fn existing(conn: &mut DbConn) -> anyhow::Result<Option<CampaignRecord>> {
    let demo_templates: Vec<String> = templates::all(conn)?
        .into_iter()
        .filter(|t| t.key == DEMO_TEMPLATE)
        .map(|t| t.id)
        .collect();
    Ok(campaigns::all(conn)?
        .into_iter()
        .find(|c| c.name.starts_with(DEMO_NAME) && demo_templates.contains(&c.template_id)))
}

/// Load the demo once: a second run finds the campaign and adds nothing.
pub fn load(state: &AppState, responses_per_campaign: u32) -> anyhow::Result<Demo> {
    let mut conn = state.pool.get()?;
    if let Some(c) = existing(&mut conn)? {
        return Ok(Demo::AlreadyLoaded(c));
    }
    if units::all(&mut conn)?.is_empty() {
        super::units::import_bytes(
            &mut conn,
            "examples/hanoi-units.csv",
            DEMO_UNITS.as_bytes(),
            None,
            true,
        )?;
    }
    let year = chrono::Utc::now().format("%Y").to_string();
    let campaign = campaigns::create(
        &mut conn,
        &Actor::Cli,
        NewCampaign {
            template_key: DEMO_TEMPLATE,
            name: &format!("{DEMO_NAME} {year}"),
            from: &format!("{year}-01-01"),
            to: &format!("{year}-12-31"),
            units: UnitSelection::All,
            status: CampaignStatus::Open,
            previous: None,
        },
    )?;
    let units = campaigns::units_of(&mut conn, &campaign.id)?;
    let bar = super::progress(u64::from(responses_per_campaign), "responses");
    plant(
        state,
        &mut conn,
        &campaign,
        |rng| &units[rng.random_range(0..units.len())],
        responses_per_campaign,
        &bar,
    )?;
    bar.finish();
    Ok(Demo::Loaded(campaign))
}

/// `count` plausible responses to `campaign`, each to the unit `pick` draws.
/// Each unit leans a little differently, so rankings are not flat.
pub(super) fn plant<'u>(
    state: &AppState,
    conn: &mut DbConn,
    campaign: &CampaignRecord,
    mut pick: impl FnMut(&mut rand::rngs::ThreadRng) -> &'u units::UnitRecord,
    count: u32,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    let template = state.templates.get(conn, &campaign.template_id)?;
    let mut rng = rand::rng();
    for _ in 0..count {
        let unit = pick(&mut rng);
        let lean = (unit.code.as_str().bytes().map(u32::from).sum::<u32>() % 3) as i32;
        let mut pairs = Vec::new();
        for item in &template.items {
            let scale = template.scale_of(item);
            if scale.kind == ScaleKind::Text || scale.options.is_empty() {
                continue;
            }
            let value = if scale.kind == ScaleKind::Ordinal {
                // Mostly satisfied, as published indices (85–95 %) are;
                // each unit a little more or less so.
                let draw = rng.random_range(0..100) + lean * 4;
                match draw {
                    0..4 => 1,
                    4..9 => 2,
                    9..20 => 3,
                    20..62 => 4,
                    _ => 5,
                }
            } else {
                scale.options[rng.random_range(0..scale.options.len())].value
            };
            pairs.push((item.code.to_string(), value.to_string()));
        }
        if let Err(errs) = responses::submit_complete(
            &state.templates,
            &state.writes,
            conn,
            &responses::Complete {
                campaign_id: &campaign.id,
                unit_code: &unit.code,
                channel: ResponseChannel::Demo,
                pairs: &pairs,
                key: None,
                entry_batch: None,
            },
        )? {
            anyhow::bail!("demo response rejected: {errs:?}");
        }
        bar.inc(1);
    }
    Ok(())
}
