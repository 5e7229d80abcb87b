//! `sipas sample-size`: n for a population, or a campaign's targets per
//! unit from a transactions file (`service::targets`).
use crate::cli::args::SampleSizeArgs;
use crate::config::Settings;
use crate::service::audit::Actor;
use crate::service::targets;

/// `sipas sample-size`: n for a population, or a campaign's plan per unit.
pub fn run(settings: &Settings, args: SampleSizeArgs) -> anyhow::Result<()> {
    match (args.population, args.campaign, args.transactions) {
        (Some(n), _, _) => {
            println!("{}", targets::for_population(n, args.margin)?);
        }
        (None, Some(campaign), Some(file)) => {
            let mut conn = super::connect(settings)?;
            let name = file.display().to_string();
            let bytes =
                std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
            let (total, plan) = targets::plan_campaign(
                &mut conn,
                &Actor::Cli,
                &campaign,
                &name,
                &bytes,
                args.margin,
            )?;
            println!("campaign {campaign}: {total} questionnaires");
            for p in plan {
                println!("  {:<16} {:>10} {:>6}", p.code, p.transactions, p.target);
            }
        }
        _ => anyhow::bail!("give --population N, or --campaign ID --transactions FILE.csv"),
    }
    Ok(())
}
