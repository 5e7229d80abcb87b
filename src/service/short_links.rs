//! Short links of a campaign: one typeable code per unit, and per unit and
//! public service, drawn once and kept, so a printed poster stays valid.
use std::collections::HashMap;

use rand::Rng;

use crate::db::{self, short_links::ShortLink, DbConn};
use crate::domain::short_code;
use crate::error::AppError;

/// (unit id, service code or "") → code.
pub type Codes = HashMap<(String, String), String>;

/// The campaign's codes, drawing those still missing (campaigns created
/// before short links, services added later). Each draw stands alone, with
/// no transaction around them: two pages opened at once may both draw, and
/// the one that loses takes the winner's code instead of failing.
pub fn ensure(conn: &mut DbConn, campaign_id: &str) -> Result<Codes, AppError> {
    let mut codes: Codes = db::short_links::of_campaign(conn, campaign_id)?
        .into_iter()
        .map(|l| ((l.unit_id, l.service_code), l.code))
        .collect();
    let units = db::campaigns::units_of(conn, campaign_id)?;
    let services = db::campaigns::services_of(conn, campaign_id)?;
    let mut rng = rand::rng();
    for u in &units {
        let wanted = std::iter::once(String::new()).chain(services.iter().map(|s| s.code.clone()));
        for service in wanted {
            let key = (u.id.to_string(), service);
            if codes.contains_key(&key) {
                continue;
            }
            // A taken code is drawn again; after many tries, a longer one.
            for attempt in 0.. {
                let len = if attempt < 20 { 4 } else { 5 };
                let link = ShortLink {
                    code: short_code::make(len, || rng.random()),
                    campaign_id: campaign_id.to_string(),
                    unit_id: key.0.clone(),
                    service_code: key.1.clone(),
                };
                if db::short_links::insert(conn, &link)? {
                    codes.insert(key.clone(), link.code);
                    break;
                }
                if let Some(code) = db::short_links::code_of(conn, campaign_id, &key.0, &key.1)? {
                    codes.insert(key.clone(), code);
                    break;
                }
            }
        }
    }
    Ok(codes)
}

/// Where a typed code leads: (campaign id, unit code, service code or "").
pub fn resolve(
    conn: &mut DbConn,
    typed: &str,
) -> Result<Option<(String, String, String)>, AppError> {
    let Some(code) = short_code::parse(typed) else {
        return Ok(None);
    };
    let Some(link) = db::short_links::find(conn, &code)? else {
        return Ok(None);
    };
    let unit = db::units::by_id(conn, &link.unit_id)?;
    Ok(unit.map(|u| (link.campaign_id, u.code.to_string(), link.service_code)))
}
