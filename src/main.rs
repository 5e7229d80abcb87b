use std::process::ExitCode;

use clap::Parser;

use sipas::cli::{self, args::*};

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

/// One subcommand, one function in `cli`. The templates folder is checked
/// by each command that reads it, before it opens the database.
fn run(args: Cli) -> anyhow::Result<()> {
    let settings = args.settings()?;
    match args.command_or_serve() {
        Command::Serve(a) => cli::serve::run(settings, a),
        Command::Migrate => cli::migrate(&settings),
        Command::Units(UnitsCmd::Import { file, valid_from }) => {
            cli::units::import(&settings, &file, valid_from)
        }
        Command::Units(UnitsCmd::List { on, all }) => cli::units::list(&settings, on, all),
        Command::Units(UnitsCmd::Lineage(LineageCmd::Import { file, date })) => {
            cli::units::lineage_import(&settings, &file, date)
        }
        Command::Units(UnitsCmd::Lineage(LineageCmd::List)) => cli::units::lineage_list(&settings),
        Command::Templates(TemplatesCmd::Check { path }) => cli::templates::check(&settings, path),
        Command::Templates(TemplatesCmd::List) => cli::templates::list(&settings),
        Command::Campaigns(CampaignsCmd::Create(a)) => {
            cli::campaigns::create_from_args(&settings, a)
        }
        Command::Campaigns(CampaignsCmd::List) => cli::campaigns::list(&settings),
        Command::Campaigns(CampaignsCmd::Services { campaign, file }) => {
            cli::campaigns::services(&settings, &campaign, &file)
        }
        Command::Campaigns(CampaignsCmd::Previous {
            campaign, previous, ..
        }) => cli::campaigns::previous(&settings, &campaign, previous.as_ref()),
        Command::Campaigns(CampaignsCmd::MailWording(a)) => {
            cli::campaigns::mail_wording(&settings, &a)
        }
        Command::Admin(AdminCmd::Create {
            username,
            password_stdin,
        }) => cli::admin::create(&settings, &username, password_stdin),
        Command::ApiKeys(ApiKeysCmd::Create { name, role, unit }) => {
            cli::api_keys::create(&settings, &name, &role, unit.as_deref())
        }
        Command::ApiKeys(ApiKeysCmd::Revoke { id }) => cli::api_keys::revoke(&settings, &id),
        Command::ApiKeys(ApiKeysCmd::List) => cli::api_keys::list(&settings),
        Command::SampleSize(a) => cli::sample_size::run(&settings, a),
        Command::Invitations(InvitationsCmd::Import {
            campaign,
            file,
            allow_domain,
        }) => cli::invitations::import(&settings, &campaign, &file, &allow_domain),
        Command::Invitations(InvitationsCmd::Remind {
            campaign,
            after_days,
            max,
        }) => cli::invitations::remind(&settings, &campaign, after_days, max),
        Command::Invitations(InvitationsCmd::Status { campaign }) => {
            cli::invitations::status(&settings, &campaign)
        }
        Command::Bounces(BouncesCmd::Ingest { dir }) => cli::bounces::ingest(&settings, &dir),
        Command::Demo {
            responses,
            reorganisation,
        } => cli::demo::run(&settings, responses, reorganisation),
        Command::Export(a) => cli::export::run(&settings, &a),
    }
}
