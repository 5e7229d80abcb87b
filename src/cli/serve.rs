//! `sipas serve` (and plain `sipas`): the web platform.
use crate::cli::args::ServeArgs;
use crate::config::Settings;
use crate::service::{auth, campaigns};
use crate::state::AppState;
use crate::{prepare, Application};

pub fn run(mut settings: Settings, args: ServeArgs) -> anyhow::Result<()> {
    settings.bind = args.bind;
    settings.base_url = args.base_url;
    settings.rate_limit_per_minute = args.rate_limit_per_minute;
    settings.device_cap_per_campaign = args.device_cap;
    settings.trust_proxy = args.trust_proxy;
    settings.group_commit = args.group_commit != "direct";
    settings
        .apply_account_env()
        .map_err(|e| anyhow::anyhow!(e))?;
    let state = prepare(&settings)?;
    let hints = first_run_hints(&state)?;
    let url = format!("http://{}", settings.bind.replace("0.0.0.0", "127.0.0.1"));
    actix_web::rt::System::new().block_on(async move {
        let app = Application::with_state(state)?;
        println!(
            "sipas is serving on {url}  (database: {})",
            settings.database_url
        );
        for hint in hints {
            println!("{hint}");
        }
        app.run_until_stopped().await?;
        anyhow::Ok(())
    })
}

/// What a newcomer does next on an empty database.
fn first_run_hints(state: &AppState) -> anyhow::Result<Vec<&'static str>> {
    let mut conn = state.pool.get()?;
    let mut hints = Vec::new();
    if campaigns::all(&mut conn)?.is_empty() {
        hints.push("No campaign yet. Load the demo data with:  sipas demo");
    }
    if auth::count_admins(&mut conn)? == 0 {
        hints.push("No administrator yet. Create one with:  sipas admin create --username admin");
    }
    Ok(hints)
}
