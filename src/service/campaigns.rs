//! Campaigns: creating one, setting its public services and its mail
//! wording. One use case each, for the CLI and the admin screens; creating
//! writes its audit entry in the campaign's transaction.
use crate::domain::ids::CampaignId;
use diesel::Connection;

pub use crate::db::campaigns::{CampaignRecord, ServiceRecord};
use crate::db::{self, units::UnitRecord, DbConn};
use crate::domain::campaign::{parse_name, CampaignStatus, Period};
use crate::domain::invitation::MessageKind;
use crate::domain::list_file::{self, Listing};
use crate::error::AppError;
use crate::service::access;
use crate::service::audit::{self, Actor, AuditAction};
use crate::service::auth::Scope;

/// Which units a new campaign covers.
pub enum UnitSelection {
    All,
    Codes(Vec<String>),
    /// A unit and everything below it.
    Under(String),
}

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("{0}")]
    Invalid(String),
    /// The campaign to compare with does not exist.
    #[error("no campaign has id {0} to compare with; `sipas campaigns list` shows them")]
    NoPrevious(String),
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
}

pub struct NewCampaign<'a> {
    pub template_key: &'a str,
    pub name: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub units: UnitSelection,
    pub status: CampaignStatus,
    /// The campaign whose results this one's are compared with.
    pub previous: Option<&'a str>,
}

/// Create a campaign by `actor`, audited in the same transaction.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    new: NewCampaign<'_>,
) -> Result<CampaignRecord, CampaignError> {
    let name = parse_name(new.name).map_err(CampaignError::Invalid)?;
    let period = Period::parse(new.from, new.to).map_err(CampaignError::Invalid)?;
    let template = db::templates::latest(conn, new.template_key)?.ok_or_else(|| {
        CampaignError::Invalid(format!(
            "no template with key {:?}; `sipas templates list` shows the loaded ones",
            new.template_key
        ))
    })?;
    // Codes name units only within their period: the campaign takes the
    // units in force on every day of its own.
    let all = db::units::in_force(conn, period.start, period.end)?;
    if all.is_empty() && !db::units::all(conn)?.is_empty() {
        return Err(CampaignError::Invalid(format!(
            "no unit is in force on every day from {} to {}; a reorganisation falls within this period, so start the campaign on the day the new units hold from, or end it before",
            period.start, period.end
        )));
    }
    let chosen: Vec<String> = match &new.units {
        UnitSelection::All => all.iter().map(|u| u.id.to_string()).collect(),
        UnitSelection::Codes(codes) => {
            let unknown: Vec<&String> = codes
                .iter()
                .filter(|c| !all.iter().any(|u| u.code == **c))
                .collect();
            if !unknown.is_empty() {
                return Err(CampaignError::Invalid(format!(
                    "unknown unit code(s): {} (no unit in force on every day from {} to {} has them)",
                    unknown
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    period.start,
                    period.end
                )));
            }
            all.iter()
                .filter(|u| codes.contains(&u.code.to_string()))
                .map(|u| u.id.to_string())
                .collect()
        }
        UnitSelection::Under(code) => {
            let tree = db::units::tree_of(&all);
            let root = tree.by_code(code).ok_or_else(|| {
                CampaignError::Invalid(format!(
                    "no unit in force from {} to {} has the code {code}",
                    period.start, period.end
                ))
            })?;
            let ids = db::units::walked(tree.subtree(root));
            all.iter()
                .filter(|u| ids.contains(u.id.as_str()))
                .map(|u| u.id.to_string())
                .collect()
        }
    };
    if chosen.is_empty() {
        return Err(CampaignError::Invalid(
            "the campaign covers no unit; import units first (`sipas units import FILE.csv`)"
                .into(),
        ));
    }
    if let Some(p) = new.previous {
        if db::campaigns::get(conn, p)?.is_none() {
            return Err(CampaignError::NoPrevious(p.to_string()));
        }
    }
    let rec = conn.transaction(|conn| {
        let rec = db::campaigns::create(conn, &name, &template.id, period, new.status, &chosen)?;
        if let Some(p) = new.previous {
            db::targets::set_previous(conn, &rec.id, p)?;
        }
        let detail = format!("{} ({})", rec.name, rec.status);
        audit::record(conn, actor, AuditAction::CampaignCreate, &rec.id, &detail)?;
        diesel::QueryResult::Ok(rec)
    })?;
    tracing::info!(campaign = %rec.id, template = %template.key, version = template.version, units = chosen.len(), "campaign created");
    Ok(rec)
}

/// Set a campaign's public services (TTHC) from a list `code,name` (CSV or a
/// workbook): all or none, every bad row reported with its line number.
pub fn set_services_list(
    conn: &mut DbConn,
    actor: &Actor,
    campaign_id: &CampaignId,
    file: &str,
    bytes: &[u8],
) -> Result<usize, CampaignError> {
    if db::campaigns::get(conn, campaign_id)?.is_none() {
        return Err(CampaignError::Invalid(format!(
            "no campaign with id {campaign_id}"
        )));
    }
    let table = list_file::read(bytes, &["code", "name"], "code,name").map_err(|e| {
        let listing = Listing {
            file,
            sheet: e.sheet.as_deref(),
            errors: &e.errors,
        };
        CampaignError::Invalid(format!("nothing was imported:\n{listing}"))
    })?;
    let at = |line: &u64| list_file::place(file, table.sheet.as_deref(), *line);
    let mut errors = Vec::new();
    let mut rows: Vec<(String, String)> = Vec::new();
    for (line, r) in &table.rows {
        let code = table.get(r, "code").to_string();
        let name = table.get(r, "name").to_string();
        let code_ok = !code.is_empty()
            && code.len() <= 40
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !code_ok {
            errors.push(format!(
                "{}: code {code:?} must be 1–40 ASCII letters, digits, '-', '_' or '.'",
                at(line)
            ));
        } else if name.is_empty() {
            errors.push(format!("{}: name is empty", at(line)));
        } else if rows.iter().any(|(c, _)| *c == code) {
            errors.push(format!("{}: code {code} appears twice", at(line)));
        } else {
            rows.push((code, name));
        }
    }
    if !errors.is_empty() {
        return Err(CampaignError::Invalid(format!(
            "nothing was imported:\n  {}",
            errors.join("\n  ")
        )));
    }
    conn.transaction(|conn| {
        db::campaigns::set_services(conn, campaign_id, &rows)?;
        let detail = format!("{file}: {} services", rows.len());
        audit::record(
            conn,
            actor,
            AuditAction::CampaignServices,
            campaign_id,
            &detail,
        )
    })?;
    tracing::info!(campaign = %campaign_id, services = rows.len(), "campaign services set");
    Ok(rows.len())
}

/// Compare the campaign with another one, or (None) with nothing. A
/// campaign cannot be its own baseline.
pub fn set_previous(
    conn: &mut DbConn,
    actor: &Actor,
    campaign_id: &CampaignId,
    previous: Option<&CampaignId>,
) -> Result<(), CampaignError> {
    if db::campaigns::get(conn, campaign_id)?.is_none() {
        return Err(CampaignError::Invalid(format!(
            "no campaign with id {campaign_id}"
        )));
    }
    let previous = match previous {
        Some(p) if p == campaign_id => {
            return Err(CampaignError::Invalid(
                "a campaign cannot be compared with itself".into(),
            ))
        }
        Some(p) => Some(
            db::campaigns::get(conn, p)?.ok_or_else(|| CampaignError::NoPrevious(p.to_string()))?,
        ),
        None => None,
    };
    conn.transaction(|conn| {
        let detail = match &previous {
            Some(p) => {
                db::targets::set_previous(conn, campaign_id, p.id.as_str())?;
                format!("compared with {} ({})", p.name, p.id)
            }
            None => {
                db::targets::clear_previous(conn, campaign_id)?;
                "compared with none".to_string()
            }
        };
        audit::record(
            conn,
            actor,
            AuditAction::CampaignPrevious,
            campaign_id,
            &detail,
        )
    })?;
    Ok(())
}

/// `sipas campaigns mail-wording`: set (or, with neither subject nor body,
/// reset) a campaign's invitation or reminder wording. Every problem is
/// reported at once; nothing is stored then.
pub fn set_wording(
    conn: &mut DbConn,
    actor: &Actor,
    campaign: &CampaignId,
    kind: MessageKind,
    subject: &str,
    body: &str,
) -> anyhow::Result<()> {
    use crate::service::mail_wording;
    match mail_wording::save(
        conn,
        actor,
        campaign,
        kind,
        subject,
        body,
        crate::i18n::Lang::En,
    ) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(p)) => {
            let mut lines = Vec::new();
            lines.extend(p.subject.iter().map(|e| format!("--subject: {e}")));
            lines.extend(p.body.iter().map(|e| format!("--body-file: {e}")));
            anyhow::bail!("{}", lines.join("\n"))
        }
        Err(crate::error::AppError::NotFound) => {
            anyhow::bail!("no campaign has id {campaign}; `sipas campaigns list` shows them")
        }
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}

/// Open or close a campaign by `actor`, audited in the same transaction.
/// An unknown campaign is `Ok(false)`.
pub fn set_status(
    conn: &mut DbConn,
    actor: &Actor,
    id: &CampaignId,
    status: CampaignStatus,
) -> diesel::QueryResult<bool> {
    conn.transaction(|conn| {
        if db::campaigns::set_status(conn, id, status)? == 0 {
            return Ok(false);
        }
        audit::record(
            conn,
            actor,
            AuditAction::CampaignStatus,
            id,
            status.as_str(),
        )?;
        Ok(true)
    })
}

/// Publishes a campaign's ranking report (`on`: the day), or withdraws it,
/// with its audit record; false when the campaign is unknown.
pub fn set_published(
    conn: &mut DbConn,
    actor: &Actor,
    id: &CampaignId,
    on: Option<chrono::NaiveDate>,
) -> diesel::QueryResult<bool> {
    conn.transaction(|conn| {
        if db::campaigns::get(conn, id)?.is_none() {
            return Ok(false);
        }
        if db::publications::set(conn, id, on)? {
            let detail = if on.is_some() {
                "published"
            } else {
                "withdrawn"
            };
            audit::record(conn, actor, AuditAction::CampaignPublish, id, detail)?;
        }
        Ok(true)
    })
}

/// The day a campaign was published, if it is.
pub fn published_on(
    conn: &mut DbConn,
    id: &CampaignId,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    Ok(db::publications::published_on(conn, id)?)
}

/// The published campaigns' ids.
pub fn published(conn: &mut DbConn) -> Result<Vec<String>, AppError> {
    Ok(db::publications::all(conn)?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

/// Every campaign with all its units, as the public home page lists them.
pub fn with_units(conn: &mut DbConn) -> Result<Vec<(CampaignRecord, Vec<UnitRecord>)>, AppError> {
    let mut out = Vec::new();
    for c in db::campaigns::all(conn)? {
        let units = db::campaigns::units_of(conn, &c.id)?;
        out.push((c, units));
    }
    Ok(out)
}

/// The campaigns `scope` sees, each with those of its units it sees; a
/// campaign with none of them is left out.
pub fn visible(
    conn: &mut DbConn,
    scope: &Scope,
) -> Result<Vec<(CampaignRecord, Vec<UnitRecord>)>, AppError> {
    let mut out = with_units(conn)?;
    for (_, units) in &mut out {
        *units = access::visible_units(scope, std::mem::take(units));
    }
    out.retain(|(_, units)| !units.is_empty());
    Ok(out)
}

/// One campaign by id; an unknown id is `NotFound`.
pub fn get(conn: &mut DbConn, id: &CampaignId) -> Result<CampaignRecord, AppError> {
    db::campaigns::get(conn, id)?.ok_or(AppError::NotFound)
}

/// Every campaign, newest first as `sipas campaigns list` shows them.
pub fn all(conn: &mut DbConn) -> Result<Vec<CampaignRecord>, AppError> {
    Ok(db::campaigns::all(conn)?)
}

/// The public services (TTHC) a campaign's respondents choose from.
pub fn services_of(
    conn: &mut DbConn,
    campaign_id: &CampaignId,
) -> Result<Vec<ServiceRecord>, AppError> {
    Ok(db::campaigns::services_of(conn, campaign_id)?)
}

/// The units a campaign covers.
pub fn units_of(conn: &mut DbConn, campaign_id: &CampaignId) -> Result<Vec<UnitRecord>, AppError> {
    Ok(db::campaigns::units_of(conn, campaign_id)?)
}
