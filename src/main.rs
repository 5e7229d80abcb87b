use std::process::ExitCode;

use clap::Parser;

use sipas::cli::args::*;
use sipas::cli::campaigns::{self, NewCampaign, UnitSelection};
use sipas::config::Settings;
use sipas::domain::campaign::CampaignStatus;
use sipas::i18n::{Lang, Msg};
use sipas::{check_templates_dir, cli, db, prepare, service, Application};

fn init_tracing() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SIPAS_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let json = std::env::var("SIPAS_LOG_FORMAT").is_ok_and(|v| v == "json");
    // Colour codes only on a terminal: piped to a file or journald they are noise.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.compact().init();
    }
}

fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings {
        database_url: cli.database_url.clone(),
        templates_dir: cli.templates.clone(),
        ..Settings::default()
    };
    settings.mail.apply_env().map_err(|e| anyhow::anyhow!(e))?;
    let command = match cli.command {
        Some(c) => c,
        // Plain `sipas` serves, with the same flags and environment as `sipas serve`.
        None => Cli::parse_from(["sipas", "serve"])
            .command
            .unwrap_or(Command::Migrate),
    };
    match command {
        Command::Invitations(InvitationsCmd::Import {
            campaign,
            file,
            allow_domain,
        }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            let mut allowed = settings.mail.allowed_domains.clone();
            allowed.extend(allow_domain.iter().map(|d| d.trim().to_ascii_lowercase()));
            let r = cli::invitations::import_file(&mut conn, &campaign, &file, &allowed)?;
            println!(
                "{}: {} invitations queued, {} duplicates merged",
                file.display(),
                r.added,
                r.merged
            );
        }
        Command::Invitations(InvitationsCmd::Remind {
            campaign,
            after_days,
            max,
        }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            let n = cli::invitations::remind(&mut conn, &campaign, after_days, max)?;
            println!("{n} reminders queued");
        }
        Command::Invitations(InvitationsCmd::Status { campaign }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            for line in cli::invitations::status_lines(&mut conn, &campaign)? {
                println!("{line}");
            }
        }
        Command::Bounces(BouncesCmd::Ingest { dir }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            let r = cli::bounces::ingest(&mut conn, &dir)?;
            println!(
                "{} files: {} invitations marked bounced, {} not matched, {} not bounce reports",
                r.files, r.bounced, r.unmatched, r.ignored
            );
            if !r.errors.is_empty() {
                for e in &r.errors {
                    eprintln!("{e}");
                }
                anyhow::bail!("{} file(s) could not be read", r.errors.len());
            }
        }
        Command::Serve(args) => {
            settings.bind = args.bind;
            settings.base_url = args.base_url;
            settings.rate_limit_per_minute = args.rate_limit_per_minute;
            settings.device_cap_per_campaign = args.device_cap;
            settings.trust_proxy = args.trust_proxy;
            settings
                .apply_account_env()
                .map_err(|e| anyhow::anyhow!(e))?;
            let state = prepare(&settings)?;
            let (empty, no_admin) = {
                let mut conn = state.pool.get()?;
                (
                    db::campaigns::all(&mut conn)?.is_empty(),
                    db::accounts::count_admins(&mut conn)? == 0,
                )
            };
            let url = format!("http://{}", settings.bind.replace("0.0.0.0", "127.0.0.1"));
            actix_web::rt::System::new().block_on(async move {
                let app = Application::with_state(state)?;
                println!(
                    "sipas is serving on {url}  (database: {})",
                    settings.database_url
                );
                if empty {
                    println!("No campaign yet. Load the demo data with:  sipas demo");
                }
                if no_admin {
                    println!(
                        "No administrator yet. Create one with:  sipas admin create --username admin"
                    );
                }
                app.run_until_stopped().await?;
                anyhow::Ok(())
            })?;
        }
        Command::Export {
            campaign,
            format,
            kind,
            compare,
            unit,
            from,
            to,
            out,
        } => {
            let state = prepare(&settings)?;
            let n = cli::export::run(
                &state,
                &cli::export::ExportArgs {
                    campaign: &campaign,
                    format: &format,
                    kind: kind.as_deref(),
                    compare: compare.as_deref(),
                    unit: unit.as_deref(),
                    from: from.as_deref(),
                    to: to.as_deref(),
                    out: &out,
                },
            )?;
            println!("exported {} ({n} responses in scope)", out.display());
        }
        Command::Migrate => {
            db::migrate(&db::DatabaseUrl::parse(&settings.database_url))?;
            println!("migrations are up to date ({})", settings.database_url);
        }
        Command::Units(UnitsCmd::Import { file }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            let (inserted, updated) = cli::units::import_file(&mut conn, &file)?;
            println!(
                "{}: {inserted} units added, {updated} updated",
                file.display()
            );
        }
        Command::Units(UnitsCmd::List) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            for u in db::units::all(&mut conn)? {
                println!("{:<16} {:<11} {}", u.code, u.kind, u.name);
            }
        }
        Command::Templates(TemplatesCmd::Check { path }) => {
            let dir = path.unwrap_or(settings.templates_dir);
            check_templates_dir(&dir)?;
            match service::templates::load_dir(&dir) {
                Ok(loaded) => {
                    for l in &loaded {
                        println!(
                            "ok  {}  {} ({} items)",
                            l.path,
                            l.template.key,
                            l.template.items.len()
                        );
                    }
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    anyhow::bail!("{} error(s) in templates", errors.len());
                }
            }
        }
        Command::Templates(TemplatesCmd::List) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            for t in db::templates::all(&mut conn)? {
                println!(
                    "{:<20} v{:<3} {}  ({})",
                    t.key, t.version, t.title, t.source_path
                );
            }
        }
        Command::Campaigns(CampaignsCmd::Create {
            template,
            name,
            from,
            to,
            units,
            all_units,
            under,
            draft,
            previous,
        }) => {
            let selection = match (all_units, under) {
                (true, _) => UnitSelection::All,
                (false, Some(code)) => UnitSelection::Under(code),
                (false, None) => UnitSelection::Codes(units),
            };
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            if let Some(p) = &previous {
                if db::campaigns::get(&mut conn, p)?.is_none() {
                    anyhow::bail!(
                        "--previous: no campaign has id {p}; `sipas campaigns list` shows them"
                    );
                }
            }
            let status = if draft {
                CampaignStatus::Draft
            } else {
                CampaignStatus::Open
            };
            let c = campaigns::create(
                &mut conn,
                NewCampaign {
                    template_key: &template,
                    name: &name,
                    from: &from,
                    to: &to,
                    units: selection,
                    status,
                },
            )?;
            db::audit::record(
                &mut conn,
                "cli",
                "campaign_create",
                &c.id,
                &format!("{} ({})", c.name, c.status),
            )?;
            println!("campaign {} created ({})", c.id, c.status);
            if let Some(p) = &previous {
                db::targets::set_previous(&mut conn, &c.id, p)?;
                println!("  results are compared with campaign {p}");
            }
            for u in db::campaigns::units_of(&mut conn, &c.id)? {
                println!("  {:<16} /s/{}/{}", u.code, c.id, u.code);
            }
        }
        Command::Campaigns(CampaignsCmd::List) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            for c in db::campaigns::all(&mut conn)? {
                println!(
                    "{}  {:<6}  {} – {}  {}",
                    c.id, c.status, c.period_start, c.period_end, c.name
                );
            }
        }
        Command::Campaigns(CampaignsCmd::MailWording {
            campaign,
            reminder,
            subject,
            body_file,
        }) => {
            let body = match &body_file {
                Some(f) => std::fs::read_to_string(f)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?,
                None => String::new(),
            };
            let kind = if reminder { "reminder" } else { "invitation" };
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            cli::invitations::set_wording(&mut conn, &campaign, kind, &subject, &body)?;
            db::audit::record(&mut conn, "cli", "campaign_mail_wording", &campaign, kind)?;
            if subject.trim().is_empty() && body.trim().is_empty() {
                println!("campaign {campaign}: the default {kind} wording is used");
            } else {
                println!("campaign {campaign}: {kind} wording saved");
            }
        }
        Command::Campaigns(CampaignsCmd::Services { campaign, file }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            let name = file.display().to_string();
            let bytes =
                std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
            let n = campaigns::set_services_list(&mut conn, &campaign, &name, &bytes)?;
            println!("{n} services set for campaign {campaign}");
            for s in db::campaigns::services_of(&mut conn, &campaign)? {
                println!("  {:<12} {}", s.code, s.name);
            }
        }
        Command::Admin(AdminCmd::Create {
            username,
            password_stdin,
        }) => {
            let password = if password_stdin {
                Some(cli::admin::password_from_stdin()?)
            } else {
                None
            };
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            let (_, generated) = cli::admin::create_admin(&mut conn, &username, password)?;
            println!("administrator {} created", username.trim().to_lowercase());
            if let Some(p) = generated {
                println!("password: {p}");
                println!("log in at /admin/login and change it under “Change password”.");
            }
        }
        Command::ApiKeys(ApiKeysCmd::Create { name, role, unit }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            let issued = cli::admin::create_key(&mut conn, &name, &role, unit.as_deref())?;
            eprintln!(
                "API key {} created; it is shown once, store it now:",
                issued.id
            );
            println!("{}", issued.key);
        }
        Command::ApiKeys(ApiKeysCmd::Revoke { id }) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            cli::admin::revoke_key(&mut conn, &id)?;
            println!("API key {id} revoked");
        }
        Command::ApiKeys(ApiKeysCmd::List) => {
            let state = prepare(&settings)?;
            let mut conn = state.pool.get()?;
            for line in cli::admin::list_keys(&mut conn)? {
                println!("{line}");
            }
        }
        Command::SampleSize(args) => match (args.population, args.campaign, args.transactions) {
            (Some(n), _, _) => {
                println!("{}", cli::sample_size::for_population(n, args.margin)?);
            }
            (None, Some(campaign), Some(file)) => {
                let state = prepare(&settings)?;
                let mut conn = state.pool.get()?;
                let (total, plan) =
                    cli::sample_size::plan_campaign(&mut conn, &campaign, &file, args.margin)?;
                println!("campaign {campaign}: {total} questionnaires");
                for p in plan {
                    println!("  {:<16} {:>10} {:>6}", p.code, p.transactions, p.target);
                }
            }
            _ => anyhow::bail!("give --population N, or --campaign ID --transactions FILE.csv"),
        },
        Command::Demo { responses } => {
            let state = prepare(&settings)?;
            let demo = cli::demo::load(&state, responses)?;
            match &demo {
                cli::demo::Demo::Loaded(c) => {
                    println!("demo campaign {} is open with {responses} responses", c.id);
                }
                cli::demo::Demo::AlreadyLoaded(c) => {
                    for lang in [Lang::Vi, Lang::En] {
                        println!("{} {}", Msg::DemoAlreadyLoaded.get(lang), c.id);
                    }
                }
            }
            for lang in [Lang::Vi, Lang::En] {
                println!("{} http://127.0.0.1:8080/", Msg::DemoOpenHint.get(lang));
            }
        }
    }
    Ok(())
}
