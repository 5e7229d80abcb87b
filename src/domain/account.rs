//! Accounts and access: roles, what each may do and the login throttle
//! rule. Pure: no I/O. The units a unit officer sees are a `unit_tree`
//! subtree.
use chrono::{Duration, NaiveDateTime};

/// What a person (or an API key) is allowed to do in sipas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything.
    Admin,
    /// Campaigns, templates, invitations.
    CampaignManager,
    /// One unit's subtree: its results, QR posters and invitations.
    UnitOfficer,
    /// Reads and exports everything, changes nothing.
    Analyst,
}

/// One thing a role may or may not do. Handlers ask for exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read results and campaign lists (limited to the subtree for unit officers).
    ViewResults,
    /// Create campaigns, open and close them.
    ManageCampaigns,
    /// Load and change questionnaire templates.
    ManageTemplates,
    /// Send invitations, print QR posters (subtree for unit officers).
    ManageInvitations,
    /// Import units.
    ManageUnits,
    /// Create, reset and disable accounts.
    ManageUsers,
    /// Create and revoke API keys.
    ManageApiKeys,
    /// Read the audit log.
    ViewAudit,
    /// Type in paper questionnaires (subtree for unit officers).
    EnterPaperForms,
}

impl TryFrom<String> for Role {
    type Error = crate::domain::campaign::UnknownState;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Role::parse(&value).ok_or(crate::domain::campaign::UnknownState {
            what: "role",
            value,
        })
    }
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::CampaignManager,
        Role::UnitOfficer,
        Role::Analyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::CampaignManager => "campaign_manager",
            Role::UnitOfficer => "unit_officer",
            Role::Analyst => "analyst",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// A unit officer works on one unit's subtree, so needs a unit; the others must not have one.
    pub fn needs_unit(self) -> bool {
        self == Role::UnitOfficer
    }

    pub fn allows(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::CampaignManager => matches!(
                p,
                ViewResults
                    | ManageCampaigns
                    | ManageTemplates
                    | ManageInvitations
                    | EnterPaperForms
            ),
            Role::UnitOfficer => matches!(p, ViewResults | ManageInvitations | EnterPaperForms),
            Role::Analyst => matches!(p, ViewResults),
        }
    }
}

/// Why an account or key was refused. Messages here are for the CLI; the web
/// shows the catalogue's text for each (see `web::admin::rule_text`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountRule {
    #[error("the login name must be 3 to 64 characters long")]
    UsernameLength,
    #[error("the login name may only hold ASCII letters, digits, '.', '_', '-' and '@'")]
    UsernameChars,
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    PasswordShort,
    #[error("the password must be at most 256 characters long")]
    PasswordLong,
    #[error("the login name {0:?} is taken")]
    NameTaken(String),
    #[error("a unit officer needs a unit")]
    UnitNeeded,
    #[error("only unit officers have a unit; the other roles cover every unit")]
    UnitRefused,
    #[error("unknown unit code: {0}")]
    UnknownUnit(String),
    #[error("unknown role {0:?}; one of admin, campaign_manager, unit_officer, analyst")]
    UnknownRole(String),
    #[error("the key needs a name of 1 to 100 characters")]
    KeyName,
}

/// A login name: 3 to 64 characters of ASCII letters, digits, '.', '_', '-' and '@'.
pub fn parse_username(s: &str) -> Result<String, AccountRule> {
    let s = s.trim();
    if s.len() < 3 || s.len() > 64 {
        return Err(AccountRule::UsernameLength);
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(AccountRule::UsernameChars);
    }
    Ok(s.to_lowercase())
}

pub const MIN_PASSWORD_CHARS: usize = 10;

/// Passwords: at least 10 characters, at most 256 (argon2 work stays bounded).
pub fn check_password_policy(p: &str) -> Result<(), AccountRule> {
    let n = p.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AccountRule::PasswordShort);
    }
    if n > 256 {
        return Err(AccountRule::PasswordLong);
    }
    Ok(())
}

/// A role by name, or why not.
pub fn parse_role(s: &str) -> Result<Role, AccountRule> {
    Role::parse(s).ok_or_else(|| AccountRule::UnknownRole(s.trim().to_string()))
}

/// The login throttle: how many failures lock a login, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRule {
    pub max_failures: u32,
    pub lockout: Duration,
}

/// A login's throttle state as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleState {
    pub failures: i32,
    pub locked_until: Option<NaiveDateTime>,
}

impl ThrottleState {
    pub fn is_locked(&self, now: NaiveDateTime) -> bool {
        self.locked_until.is_some_and(|t| t > now)
    }

    /// The state after one more failed attempt: the `max_failures`-th failure
    /// locks the login for `lockout` and starts the count again.
    pub fn after_failure(self, rule: ThrottleRule, now: NaiveDateTime) -> ThrottleState {
        let failures = self.failures.max(0) + 1;
        if failures as u32 >= rule.max_failures.max(1) {
            ThrottleState {
                failures: 0,
                locked_until: Some(now + rule.lockout),
            }
        } else {
            ThrottleState {
                failures,
                locked_until: self.locked_until.filter(|t| *t > now),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_what_the_issue_says() {
        use Permission::*;
        assert!(Role::Admin.allows(ManageUsers));
        assert!(Role::CampaignManager.allows(ManageCampaigns));
        assert!(!Role::CampaignManager.allows(ManageUsers));
        assert!(Role::UnitOfficer.allows(ManageInvitations));
        assert!(!Role::UnitOfficer.allows(ManageCampaigns));
        assert!(Role::Analyst.allows(ViewResults));
        for p in [
            ManageCampaigns,
            ManageTemplates,
            ManageInvitations,
            ManageUnits,
            ManageUsers,
            ManageApiKeys,
            ViewAudit,
        ] {
            assert!(!Role::Analyst.allows(p), "analyst must not {p:?}");
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn the_fifth_failure_locks_and_the_lock_lifts() {
        let rule = ThrottleRule {
            max_failures: 5,
            lockout: Duration::minutes(15),
        };
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .expect("time")
            .naive_utc();
        let mut s = ThrottleState::default();
        for _ in 0..4 {
            s = s.after_failure(rule, now);
            assert!(!s.is_locked(now));
        }
        s = s.after_failure(rule, now);
        assert!(s.is_locked(now));
        assert!(s.is_locked(now + Duration::minutes(14)));
        assert!(!s.is_locked(now + Duration::minutes(15)));
    }

    #[test]
    fn usernames_and_passwords_are_checked() {
        assert_eq!(parse_username(" An.Nguyen ").as_deref(), Ok("an.nguyen"));
        assert!(parse_username("a b").is_err());
        assert!(check_password_policy("short").is_err());
        assert!(check_password_policy("long enough pass").is_ok());
    }
}
