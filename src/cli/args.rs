//! The command line's arguments (clap); `src/main.rs` dispatches them.
use crate::domain::ids::CampaignId;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Settings;

/// sipas: citizen-satisfaction surveys of public administration.
#[derive(Parser)]
#[command(version, about)]
pub struct Cli {
    /// SQLite file (default data/sipas.db) or postgres://user@host/db.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "data/sipas.db",
        global = true
    )]
    pub database_url: String,
    /// Folder of questionnaire templates (*.toml).
    #[arg(
        long,
        env = "SIPAS_TEMPLATES",
        default_value = "survey-templates",
        global = true
    )]
    pub templates: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// What every command shares: the database, the templates folder and
    /// the mail settings from the environment.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let mut settings = Settings {
            database_url: self.database_url.clone(),
            templates_dir: self.templates.clone(),
            ..Settings::default()
        };
        settings.mail.apply_env().map_err(|e| anyhow::anyhow!(e))?;
        Ok(settings)
    }

    /// The command given; plain `sipas` serves, with the same flags and
    /// environment as `sipas serve`.
    pub fn command_or_serve(self) -> Command {
        match self.command {
            Some(c) => c,
            None => Cli::parse_from(["sipas", "serve"])
                .command
                .unwrap_or(Command::Migrate),
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
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
        #[arg(long, default_value_t = 1500)]
        responses: u32,
        /// Instead: Hà Nội's real trees before and from 1 July 2025 with
        /// their lineage, a 2024 campaign on the 526 old communes and a 2025
        /// one on the 126 new ones, compared across the reorganisation.
        /// Needs a database without units.
        #[arg(long, conflicts_with = "responses")]
        reorganisation: bool,
    },
    /// Export a campaign's results or anonymised responses to a file.
    Export(ExportArgs),
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long)]
    pub campaign: CampaignId,
    /// csv, xlsx or json (json with --kind responses writes NDJSON).
    #[arg(long)]
    pub format: String,
    /// summary, units, criteria, distributions, breakdowns, responses or
    /// codebook (csv, json).
    #[arg(long)]
    pub kind: Option<String>,
    /// The campaign to compare with (default: the one stored with the campaign).
    #[arg(long)]
    pub compare: Option<String>,
    /// A unit code: that unit and everything below it.
    #[arg(long)]
    pub unit: Option<String>,
    /// First day of submission, YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of submission, YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SIPAS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Public base URL used in links the API hands out.
    #[arg(long, env = "SIPAS_BASE_URL")]
    pub base_url: Option<String>,
    /// Public form posts allowed per client IP per minute (0 = no limit).
    #[arg(long, env = "SIPAS_RATE_LIMIT_PER_MINUTE", default_value_t = 60)]
    pub rate_limit_per_minute: u32,
    /// Open-link responses one device cookie may submit per campaign (0 = no cap).
    #[arg(long, env = "SIPAS_DEVICE_CAP", default_value_t = 10)]
    pub device_cap: u32,
    /// Trust X-Forwarded-For for the client IP (only behind your own reverse proxy).
    #[arg(long, env = "SIPAS_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// How submissions are written: "grouped" (the default: one writer
    /// thread commits the queued ones together) or "direct" (a transaction
    /// per request). docs/BENCHMARKS.md compares them.
    #[arg(long, env = "SIPAS_GROUP_COMMIT", default_value = "grouped", value_parser = ["grouped", "direct"])]
    pub group_commit: String,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["population", "campaign"])))]
pub struct SampleSizeArgs {
    /// Number of transactions (users) in the period.
    #[arg(long)]
    pub population: Option<u64>,
    /// Margin of error e.
    #[arg(long, default_value_t = crate::domain::sampling::DEFAULT_MARGIN)]
    pub margin: f64,
    /// Campaign whose sample to allocate (needs --transactions).
    #[arg(long, requires = "transactions")]
    pub campaign: Option<CampaignId>,
    /// A list with the header unit_code,transactions (CSV as Excel saves it, or XLSX).
    #[arg(long, requires = "campaign")]
    pub transactions: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum UnitsCmd {
    /// Import units from a list (code,name,kind,parent_code): CSV in UTF-8,
    /// Windows-1258 or UTF-16 as Excel saves it, or XLSX; all rows or none.
    Import {
        file: PathBuf,
        /// The day the file's tree holds from (YYYY-MM-DD), for a
        /// reorganisation: the open units it does not continue (of its
        /// families: departments, or districts and communes) end the day
        /// before, and a reused code becomes a new unit. Without it, the
        /// file corrects and extends the units in force.
        #[arg(long, value_name = "DATE")]
        valid_from: Option<chrono::NaiveDate>,
    },
    /// List units: those in force today, or on --on DATE, or --all periods.
    List {
        /// The day to list the tree of (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", conflicts_with = "all")]
        on: Option<chrono::NaiveDate>,
        /// Every unit of every period, with its period.
        #[arg(long)]
        all: bool,
    },
    /// Lineage: which old units each new unit was formed from.
    #[command(subcommand)]
    Lineage(LineageCmd),
}

#[derive(Subcommand)]
pub enum LineageCmd {
    /// Import links from a list (new_code,old_code,kind,share,note), CSV or
    /// XLSX; all rows or none. kind is whole (full) or part (partial);
    /// share, optional, is the part's share of the old unit's people (0.5,
    /// 0,5 or 50%). New codes are read in the tree from --date, old codes in
    /// the tree of the day before. A file replaces the links into each new
    /// unit it names.
    Import {
        file: PathBuf,
        /// The day the new tree holds from [default: the latest day a tree
        /// was imported from with --valid-from].
        #[arg(long, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
    },
    /// List the links: new code, old code, whole or part, share, note.
    List,
}

#[derive(Subcommand)]
pub enum TemplatesCmd {
    /// Validate template files without touching the database: every error
    /// of every file is listed with its file and line.
    Check {
        /// A folder of *.toml templates or one template file [default: the
        /// --templates folder].
        path: Option<PathBuf>,
    },
    /// List template versions in the database.
    List,
}

#[derive(Subcommand)]
pub enum CampaignsCmd {
    /// Create a campaign (open unless --draft).
    Create(CreateCampaignArgs),
    /// List campaigns.
    List,
    /// Set the public services (TTHC) of a campaign from a list (code,name; CSV or XLSX), for per-service open links and QR codes.
    Services { campaign: CampaignId, file: PathBuf },
    /// Set the campaign whose results this one is compared with (the
    /// change column of the ranking), or --none for no comparison.
    Previous {
        /// The campaign's id.
        campaign: CampaignId,
        /// The earlier campaign's id (`sipas campaigns list`).
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        previous: Option<CampaignId>,
        /// Compare with nothing.
        #[arg(long)]
        none: bool,
    },
    /// Set the campaign's own invitation (or reminder) mail wording: plain
    /// text with {campaign}, {unit}, {link}, {deadline}, {sender}. Without
    /// --subject and --body-file, goes back to the default wording.
    MailWording(MailWordingArgs),
}

#[derive(Args)]
pub struct CreateCampaignArgs {
    #[arg(long)]
    pub template: String,
    #[arg(long)]
    pub name: String,
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    pub from: String,
    /// Last day, YYYY-MM-DD.
    #[arg(long)]
    pub to: String,
    /// Unit codes, comma-separated.
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["all_units", "under"])]
    pub units: Vec<String>,
    /// Every unit.
    #[arg(long)]
    pub all_units: bool,
    /// A unit and all units below it.
    #[arg(long)]
    pub under: Option<String>,
    /// Create as draft instead of open.
    #[arg(long)]
    pub draft: bool,
    /// A previous campaign to compare results with by default.
    #[arg(long)]
    pub previous: Option<String>,
}

#[derive(Args)]
pub struct MailWordingArgs {
    #[arg(long)]
    pub campaign: CampaignId,
    /// Set the reminder's wording instead of the invitation's.
    #[arg(long)]
    pub reminder: bool,
    #[arg(long, default_value = "")]
    pub subject: String,
    /// A UTF-8 text file with the body.
    #[arg(long)]
    pub body_file: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum InvitationsCmd {
    /// Import recipients from a list (email,unit_code,group[,name]; CSV or XLSX) into an open
    /// campaign: all rows or none. Each new recipient's message is queued.
    Import {
        #[arg(long)]
        campaign: CampaignId,
        file: PathBuf,
        /// Official domain recipients must belong to (repeatable; subdomains
        /// included). Adds to SIPAS_MAIL_ALLOWED_DOMAINS.
        #[arg(long = "allow-domain")]
        allow_domain: Vec<String>,
    },
    /// Queue reminders to recipients who have not answered.
    Remind {
        #[arg(long)]
        campaign: CampaignId,
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
        campaign: CampaignId,
    },
}

#[derive(Subcommand)]
pub enum BouncesCmd {
    /// Read delivery status notifications (RFC 3464) from a maildir and mark
    /// the invitations they name bounced.
    Ingest { dir: PathBuf },
}

#[derive(Subcommand)]
pub enum AdminCmd {
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
pub enum ApiKeysCmd {
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
