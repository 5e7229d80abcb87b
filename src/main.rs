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
    /// Sample size n = N/(1+N·e²) for a population, or a campaign's sample
    /// allocated to its units in proportion to their transactions.
    SampleSize(SampleSizeArgs),
    /// Load Hà Nội sample units and an open demo campaign with responses.
    Demo {
        #[arg(long, default_value_t = 300)]
        responses: u32,
    },
}

#[derive(Args, Default)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SIPAS_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Public base URL used in links the API hands out.
    #[arg(long, env = "SIPAS_BASE_URL")]
    base_url: Option<String>,
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
    match cli.command.unwrap_or(Command::Serve(ServeArgs {
        bind: std::env::var("SIPAS_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into()),
        base_url: std::env::var("SIPAS_BASE_URL").ok(),
    })) {
        Command::Serve(args) => {
            settings.bind = args.bind;
            settings.base_url = args.base_url;
            let state = prepare(&settings)?;
            let empty = {
                let mut conn = state.pool.get()?;
                db::campaigns::all(&mut conn)?.is_empty()
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
                app.run_until_stopped().await?;
                anyhow::Ok(())
            })?;
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
