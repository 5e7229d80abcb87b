use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use sipas::cli::campaigns::{self, NewCampaign, UnitSelection};
use sipas::config::Settings;
use sipas::domain::campaign::CampaignStatus;
use sipas::{cli, db, prepare, service, Application};

/// sipas: citizen-satisfaction surveys of public administration.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// SQLite file (default data/sipas.db) or postgres://user@host/db.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "data/sipas.db",
        global = true
    )]
    database_url: String,
    /// Folder of questionnaire templates (*.toml).
    #[arg(
        long,
        env = "SIPAS_TEMPLATES",
        default_value = "survey-templates",
        global = true
    )]
    templates: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the platform (the default).
    Serve(ServeArgs),
    /// Create the database if needed and apply migrations.
    Migrate,
    /// Units of administration.
    #[command(subcommand)]
    Units(UnitsCmd),
    /// Questionnaire templates.
    #[command(subcommand)]
    Templates(TemplatesCmd),
    /// Survey campaigns.
    #[command(subcommand)]
    Campaigns(CampaignsCmd),
    /// Administrators.
    #[command(subcommand)]
    Admin(AdminCmd),
    /// API keys for systems calling /api/v1.
    #[command(subcommand, name = "api-keys")]
    ApiKeys(ApiKeysCmd),
    /// Sample size n = N/(1+N·e²) for a population, or a campaign's sample
    /// allocated to its units in proportion to their transactions.
    SampleSize(SampleSizeArgs),
    /// Personal invitations by email: recipient lists, reminders, delivery status.
    #[command(subcommand)]
    Invitations(InvitationsCmd),
    /// Delivery status notifications (bounces).
    #[command(subcommand)]
    Bounces(BouncesCmd),
    /// Load Hà Nội sample units and an open demo campaign with responses.
    Demo {
        #[arg(long, default_value_t = 300)]
        responses: u32,
    },
    /// Export a campaign's results or anonymised responses to a file.
    Export {
        #[arg(long)]
        campaign: String,
        /// csv, xlsx or json (json with --kind responses writes NDJSON).
        #[arg(long)]
        format: String,
        /// summary, units, criteria, distributions, breakdowns, responses or
        /// codebook (csv, json).
        #[arg(long)]
        kind: Option<String>,
        /// The campaign to compare with (default: the one stored with the campaign).
        #[arg(long)]
        compare: Option<String>,
        /// A unit code: that unit and everything below it.
        #[arg(long)]
        unit: Option<String>,
        /// First day of submission, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last day of submission, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SIPAS_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Public base URL used in links the API hands out.
    #[arg(long, env = "SIPAS_BASE_URL")]
    base_url: Option<String>,
    /// Public form posts allowed per client IP per minute (0 = no limit).
    #[arg(long, env = "SIPAS_RATE_LIMIT_PER_MINUTE", default_value_t = 60)]
    rate_limit_per_minute: u32,
    /// Open-link responses one device cookie may submit per campaign (0 = no cap).
    #[arg(long, env = "SIPAS_DEVICE_CAP", default_value_t = 10)]
    device_cap: u32,
    /// Trust X-Forwarded-For for the client IP (only behind your own reverse proxy).
    #[arg(long, env = "SIPAS_TRUST_PROXY")]
    trust_proxy: bool,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["population", "campaign"])))]
struct SampleSizeArgs {
    /// Number of transactions (users) in the period.
    #[arg(long)]
    population: Option<u64>,
    /// Margin of error e.
    #[arg(long, default_value_t = sipas::domain::sampling::DEFAULT_MARGIN)]
    margin: f64,
    /// Campaign whose sample to allocate (needs --transactions).
    #[arg(long, requires = "transactions")]
    campaign: Option<String>,
    /// CSV with the header unit_code,transactions.
    #[arg(long, requires = "campaign")]
    transactions: Option<PathBuf>,
}

#[derive(Subcommand)]
enum UnitsCmd {
    /// Import units from CSV (code,name,kind,parent_code): all rows or none.
    Import { file: PathBuf },
    /// List units.
    List,
}

#[derive(Subcommand)]
enum TemplatesCmd {
    /// Validate template files without touching the database.
    Check { path: Option<PathBuf> },
    /// List template versions in the database.
    List,
}

#[derive(Subcommand)]
enum CampaignsCmd {
    /// Create a campaign (open unless --draft).
    Create {
        #[arg(long)]
        template: String,
        #[arg(long)]
        name: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Unit codes, comma-separated.
        #[arg(long, value_delimiter = ',', conflicts_with_all = ["all_units", "under"])]
        units: Vec<String>,
        /// Every unit.
        #[arg(long)]
        all_units: bool,
        /// A unit and all units below it.
        #[arg(long)]
        under: Option<String>,
        /// Create as draft instead of open.
        #[arg(long)]
        draft: bool,
        /// A previous campaign to compare results with by default.
        #[arg(long)]
        previous: Option<String>,
    },
    /// List campaigns.
    List,
    /// Set the public services (TTHC) of a campaign from CSV (code,name), for per-service open links and QR codes.
    Services { campaign: String, file: PathBuf },
    /// Set the campaign's own invitation (or reminder) mail wording: plain
    /// text with {campaign}, {unit}, {link}, {deadline}, {sender}. Without
    /// --subject and --body-file, goes back to the default wording.
    MailWording {
        #[arg(long)]
        campaign: String,
        /// Set the reminder's wording instead of the invitation's.
        #[arg(long)]
        reminder: bool,
        #[arg(long, default_value = "")]
        subject: String,
        /// A UTF-8 text file with the body.
        #[arg(long)]
        body_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum InvitationsCmd {
    /// Import recipients from CSV (email,unit_code,group[,name]) into an open
    /// campaign: all rows or none. Each new recipient's message is queued.
    Import {
        #[arg(long)]
        campaign: String,
        file: PathBuf,
        /// Official domain recipients must belong to (repeatable; subdomains
        /// included). Adds to SIPAS_MAIL_ALLOWED_DOMAINS.
        #[arg(long = "allow-domain")]
        allow_domain: Vec<String>,
    },
    /// Queue reminders to recipients who have not answered.
    Remind {
        #[arg(long)]
        campaign: String,
        /// Days since the last message to that recipient.
        #[arg(long, default_value_t = 7)]
        after_days: i64,
        /// Reminders per recipient at most.
        #[arg(long, default_value_t = 2)]
        max: i64,
    },
    /// Invited, sent, bounced and answered per unit and respondent group.
    Status {
        #[arg(long)]
        campaign: String,
    },
}

#[derive(Subcommand)]
enum BouncesCmd {
    /// Read delivery status notifications (RFC 3464) from a maildir and mark
    /// the invitations they name bounced.
    Ingest { dir: PathBuf },
}

#[derive(Subcommand)]
enum AdminCmd {
    /// Create an administrator (the first one, or another). Prints a generated
    /// password once unless --password-stdin gives one.
    Create {
        #[arg(long)]
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum ApiKeysCmd {
    /// Create a key; prints it once on standard output (only its hash is stored).
    Create {
        /// Which system uses the key.
        #[arg(long)]
        name: String,
        /// admin, campaign_manager, unit_officer or analyst.
        #[arg(long, default_value = "analyst")]
        role: String,
        /// The unit a unit_officer key is limited to (with everything below it).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Revoke a key by id.
    Revoke { id: String },
    /// List keys (never the keys themselves).
    List,
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SIPAS_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let json = std::env::var("SIPAS_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
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
                    println!(
                        "No campaign yet. Load the demo data with:  cargo run --release -- demo"
                    );
                }
                if no_admin {
                    println!(
                        "No administrator yet. Create one with:  cargo run --release -- admin create --username admin"
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
            db::audit::record(
                &mut conn,
                "cli",
                "units_import",
                &file.display().to_string(),
                &format!("added={inserted} updated={updated}"),
            )?;
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
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
            let n = campaigns::set_services_csv(&mut conn, &campaign, &name, &text)?;
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
            let c = cli::demo::load(&state, responses)?;
            println!("demo campaign {} is open with {responses} responses", c.id);
            println!("start the server with `cargo run --release` and open http://127.0.0.1:8080/");
        }
    }
    Ok(())
}
