//! `sipas campaigns create|list|services|mail-wording`: the campaign use
//! cases of `service::campaigns`, from the command line.
use std::path::Path;

use crate::cli::args::{CreateCampaignArgs, MailWordingArgs};
use crate::config::Settings;
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::CampaignId;
use crate::domain::invitation::MessageKind;
use crate::service::audit::Actor;
use crate::service::campaigns::{self, CampaignError, NewCampaign, UnitSelection};

/// `sipas campaigns create`: create, audit, and print the campaign with the
/// open link of each of its units.
pub fn create_from_args(settings: &Settings, args: CreateCampaignArgs) -> anyhow::Result<()> {
    let units = match (args.all_units, args.under) {
        (true, _) => UnitSelection::All,
        (false, Some(code)) => UnitSelection::Under(code),
        (false, None) => UnitSelection::Codes(args.units),
    };
    let mut conn = super::connect(settings)?;
    let status = if args.draft {
        CampaignStatus::Draft
    } else {
        CampaignStatus::Open
    };
    let c = campaigns::create(
        &mut conn,
        &Actor::Cli,
        NewCampaign {
            template_key: &args.template,
            name: &args.name,
            from: &args.from,
            to: &args.to,
            units,
            status,
            previous: args.previous.as_deref(),
        },
    )
    .map_err(|e| match e {
        CampaignError::NoPrevious(p) => {
            anyhow::anyhow!("--previous: no campaign has id {p}; `sipas campaigns list` shows them")
        }
        other => other.into(),
    })?;
    println!("campaign {} created ({})", c.id, c.status);
    if let Some(p) = &args.previous {
        println!("  results are compared with campaign {p}");
    }
    for u in campaigns::units_of(&mut conn, &c.id)? {
        println!("  {:<16} /s/{}/{}", u.code, c.id, u.code);
    }
    Ok(())
}

pub fn list(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    for c in campaigns::all(&mut conn)? {
        println!(
            "{}  {:<6}  {} – {}  {}",
            c.id, c.status, c.period_start, c.period_end, c.name
        );
    }
    Ok(())
}

/// `sipas campaigns services`: set the list, then print what is set.
pub fn services(settings: &Settings, campaign: &CampaignId, file: &Path) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    let n = campaigns::set_services_list(&mut conn, &Actor::Cli, campaign, &name, &bytes)?;
    println!("{n} services set for campaign {campaign}");
    for s in campaigns::services_of(&mut conn, campaign)? {
        println!("  {:<12} {}", s.code, s.name);
    }
    Ok(())
}

/// `sipas campaigns previous`: compare with another campaign, or none.
pub fn previous(
    settings: &Settings,
    campaign: &CampaignId,
    previous: Option<&CampaignId>,
) -> anyhow::Result<()> {
    let mut conn = super::connect(settings)?;
    campaigns::set_previous(&mut conn, &Actor::Cli, campaign, previous)?;
    match previous {
        Some(p) => println!("campaign {campaign} is compared with {p}"),
        None => println!("campaign {campaign} is compared with no campaign"),
    }
    Ok(())
}

/// `sipas campaigns mail-wording`: set or reset one wording, audited.
pub fn mail_wording(settings: &Settings, args: &MailWordingArgs) -> anyhow::Result<()> {
    // The body file first: a typo in its name should not open the database.
    let body = match &args.body_file {
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?,
        None => String::new(),
    };
    let campaign = &args.campaign;
    let kind = if args.reminder {
        MessageKind::Reminder
    } else {
        MessageKind::Invitation
    };
    let mut conn = super::connect(settings)?;
    let actor = Actor::Cli;
    campaigns::set_wording(&mut conn, &actor, campaign, kind, &args.subject, &body)?;
    if args.subject.trim().is_empty() && body.trim().is_empty() {
        println!("campaign {campaign}: the default {kind} wording is used");
    } else {
        println!("campaign {campaign}: {kind} wording saved");
    }
    Ok(())
}
