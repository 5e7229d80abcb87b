//! A demo of Hà Nội's reorganisation of 1 July 2025 on the real trees: the
//! 526 communes and wards before, the 126 from that day and the lineage
//! between them (examples/hanoi-2025), a 2024 campaign on the old tree and a
//! 2025 campaign on the new one, compared with it.
use chrono::NaiveDate;
use rand::Rng;

use super::demo::{plant, DEMO_TEMPLATE};
use crate::domain::campaign::CampaignStatus;
use crate::domain::unit::UnitKind;
use crate::service::audit::Actor;
use crate::service::campaigns::{self, CampaignRecord, NewCampaign, UnitSelection};
use crate::service::{lineage, units, DbConn};
use crate::state::AppState;

const OLD_TREE: &str = include_str!("../../examples/hanoi-2025/units-before-2025-07-01.csv");
const NEW_TREE: &str = include_str!("../../examples/hanoi-2025/units-from-2025-07-01.csv");
const LINEAGE: &str = include_str!("../../examples/hanoi-2025/lineage-2025-07-01.csv");
const OLD_NAME: &str = "Khảo sát mẫu: sự hài lòng của xã, phường năm 2024 (trước sắp xếp)";
const NEW_NAME: &str = "Khảo sát mẫu: sự hài lòng của xã, phường năm 2025 (sau sắp xếp)";
/// Responses per commune: about as many in each year, over 4 times fewer units.
const PER_OLD_UNIT: u32 = 10;
const PER_NEW_UNIT: u32 = 42;

pub enum Loaded {
    Now(CampaignRecord, CampaignRecord),
    Before(CampaignRecord),
}

fn reorganisation_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("a real day")
}

fn communes(conn: &mut DbConn, c: &CampaignRecord) -> anyhow::Result<Vec<units::UnitRecord>> {
    Ok(campaigns::units_of(conn, &c.id)?)
}

fn commune_codes(conn: &mut DbConn, day: NaiveDate) -> anyhow::Result<Vec<String>> {
    Ok(units::on(conn, Some(day))?
        .into_iter()
        .filter(|u| {
            matches!(
                u.kind,
                UnitKind::Ward | UnitKind::Commune | UnitKind::Township
            )
        })
        .map(|u| u.code.to_string())
        .collect())
}

/// Load it once, into a database without units (the trees replace any).
pub fn load(state: &AppState) -> anyhow::Result<Loaded> {
    let mut conn = state.pool.get()?;
    if let Some(c) = campaigns::all(&mut conn)?
        .into_iter()
        .find(|c| c.name == NEW_NAME)
    {
        return Ok(Loaded::Before(c));
    }
    if !units::all(&mut conn)?.is_empty() {
        anyhow::bail!(
            "the reorganisation demo needs a database without units, since its trees would end the units there; \
             run it on a new database, e.g. DATABASE_URL=sipas-hanoi-2025.db sipas demo --reorganisation"
        );
    }
    let day = reorganisation_day();
    let show = true;
    super::units::import_bytes(
        &mut conn,
        "examples/hanoi-2025/units-before-2025-07-01.csv",
        OLD_TREE.as_bytes(),
        None,
        show,
    )?;
    super::units::import_bytes(
        &mut conn,
        "examples/hanoi-2025/units-from-2025-07-01.csv",
        NEW_TREE.as_bytes(),
        Some(day),
        show,
    )?;
    lineage::import(
        &mut conn,
        &Actor::Cli,
        "examples/hanoi-2025/lineage-2025-07-01.csv",
        LINEAGE.as_bytes(),
        Some(day),
    )?;
    let old_codes = commune_codes(
        &mut conn,
        NaiveDate::from_ymd_opt(2024, 9, 1).expect("a day"),
    )?;
    let old = campaigns::create(
        &mut conn,
        &Actor::Cli,
        NewCampaign {
            template_key: DEMO_TEMPLATE,
            name: OLD_NAME,
            from: "2024-09-01",
            to: "2024-11-30",
            units: UnitSelection::Codes(old_codes),
            status: CampaignStatus::Open,
            previous: None,
        },
    )?;
    let new_codes = commune_codes(&mut conn, day)?;
    let new = campaigns::create(
        &mut conn,
        &Actor::Cli,
        NewCampaign {
            template_key: DEMO_TEMPLATE,
            name: NEW_NAME,
            from: "2025-09-01",
            to: "2025-11-30",
            units: UnitSelection::Codes(new_codes),
            status: CampaignStatus::Open,
            previous: Some(old.id.as_str()),
        },
    )?;
    for (c, per_unit) in [(&old, PER_OLD_UNIT), (&new, PER_NEW_UNIT)] {
        let list = communes(&mut conn, c)?;
        let count = per_unit * list.len() as u32;
        let bar = super::progress(u64::from(count), "responses");
        plant(
            state,
            &mut conn,
            c,
            |rng| &list[rng.random_range(0..list.len())],
            count,
            &bar,
        )?;
        bar.finish();
        campaigns::set_status(&mut conn, &Actor::Cli, &c.id, CampaignStatus::Closed)?;
    }
    Ok(Loaded::Now(old, new))
}
