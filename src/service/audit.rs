//! What the audit log records, as a type: each use case writes its entry
//! inside its own transaction, so an action and its record stand or fall
//! together.
pub use crate::db::audit::AuditEntry;
use crate::db::{self, DbConn};

/// Every action the audit log knows, mapped to the text it stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    ApiKeyCreate,
    ApiKeyRevoke,
    BouncesIngest,
    CampaignCreate,
    CampaignMailWording,
    CampaignPrevious,
    CampaignPublish,
    CampaignServices,
    CampaignStatus,
    CampaignTargets,
    InvitationsImport,
    InvitationsRemind,
    Login,
    LoginFailed,
    LoginLocked,
    /// The failure that locked a login name.
    Lockout,
    Logout,
    PasswordChange,
    UnitsImport,
    UnitsLineageImport,
    UserCreate,
    UserDisable,
    UserEnable,
    UserPasswordReset,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::ApiKeyCreate => "api_key_create",
            AuditAction::ApiKeyRevoke => "api_key_revoke",
            AuditAction::BouncesIngest => "bounces_ingest",
            AuditAction::CampaignCreate => "campaign_create",
            AuditAction::CampaignMailWording => "campaign_mail_wording",
            AuditAction::CampaignPrevious => "campaign_previous",
            AuditAction::CampaignPublish => "campaign_publish",
            AuditAction::CampaignServices => "campaign_services",
            AuditAction::CampaignStatus => "campaign_status",
            AuditAction::CampaignTargets => "campaign_targets",
            AuditAction::InvitationsImport => "invitations_import",
            AuditAction::InvitationsRemind => "invitations_remind",
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginLocked => "login_locked",
            AuditAction::Lockout => "lockout",
            AuditAction::Logout => "logout",
            AuditAction::PasswordChange => "password_change",
            AuditAction::UnitsImport => "units_import",
            AuditAction::UnitsLineageImport => "units_lineage_import",
            AuditAction::UserCreate => "user_create",
            AuditAction::UserDisable => "user_disable",
            AuditAction::UserEnable => "user_enable",
            AuditAction::UserPasswordReset => "user_password_reset",
        }
    }
}

/// Who acted: an official's account, a system's API key, or the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User(String),
    Key(String),
    Cli,
    /// Someone trying to sign in under this login name, not yet known.
    Login(String),
}

impl Actor {
    /// The account, key or login name, without its kind.
    pub fn name(&self) -> &str {
        match self {
            Actor::User(n) | Actor::Key(n) | Actor::Login(n) => n,
            Actor::Cli => "cli",
        }
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::User(name) => write!(f, "user:{name}"),
            Actor::Key(name) => write!(f, "key:{name}"),
            Actor::Cli => f.write_str("cli"),
            Actor::Login(name) => write!(f, "login:{name}"),
        }
    }
}

/// Record `action` by `actor` on `target`; call it inside the use case's
/// transaction.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: AuditAction,
    target: &str,
    detail: &str,
) -> diesel::QueryResult<()> {
    db::audit::record(conn, &actor.to_string(), action.as_str(), target, detail)
}

/// The newest `limit` entries, newest first, for the audit screen.
pub fn recent(conn: &mut DbConn, limit: i64) -> diesel::QueryResult<Vec<AuditEntry>> {
    db::audit::recent(conn, limit)
}
