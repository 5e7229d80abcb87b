//! The admin screens under /admin: login, dashboard, campaigns, units, users,
//! API keys and the audit log. No JavaScript; every form carries a CSRF token.
pub mod account;
pub mod campaign_page;
pub mod campaign_settings;
pub mod campaigns;
mod dashboard;
pub mod entry;
pub mod invitations;
pub mod keys;
pub mod kit;
pub mod mail_wording;
pub mod template_preview;
pub mod units;
pub mod users;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::account::{AccountRule, Permission, Role};
use crate::domain::unit::RowError;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::service::auth::AccountError;
use crate::service::auth::Principal;
use crate::state::AppState;
use crate::web::auth::csrf_token;
use crate::web::layout::{page, with_lang};
use crate::web::run_blocking;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .route("", web::get().to(dashboard))
            .route("/", web::get().to(dashboard))
            .route("/login", web::get().to(account::login_form))
            .route("/login", web::post().to(account::login_submit))
            .route("/logout", web::post().to(account::logout))
            .route("/password", web::get().to(account::password_form))
            .route("/password", web::post().to(account::password_submit))
            .route("/audit", web::get().to(audit))
            .route("/campaigns", web::get().to(campaigns::list))
            .route("/campaigns", web::post().to(campaigns::create))
            .route("/campaigns/new", web::get().to(campaigns::new_form))
            .route("/campaigns/{id}", web::get().to(campaign_page::show))
            .route(
                "/campaigns/{id}/settings",
                web::get().to(campaign_settings::show),
            )
            .route(
                "/campaigns/{id}/settings/previous",
                web::post().to(campaign_settings::store_previous),
            )
            .route(
                "/campaigns/{id}/settings/targets",
                web::post().to(campaign_settings::store_targets),
            )
            .route(
                "/campaigns/{id}/settings/services",
                web::post().to(campaign_settings::store_services),
            )
            .route(
                "/campaigns/{id}/settings/transactions.csv",
                web::get().to(campaign_settings::transactions_sheet),
            )
            .route(
                "/campaigns/{id}/posters",
                web::get().to(campaign_page::posters),
            )
            .route(
                "/campaigns/{id}/publish",
                web::post().to(campaign_page::set_published),
            )
            .route(
                "/campaigns/{id}/status",
                web::get().to(campaign_page::confirm_status),
            )
            .route(
                "/campaigns/{id}/status",
                web::post().to(campaigns::set_status),
            )
            .route(
                "/campaigns/{id}/invitations",
                web::get().to(invitations::show),
            )
            .route(
                "/campaigns/{id}/invitations/import",
                web::post().to(invitations::import),
            )
            .route(
                "/campaigns/{id}/invitations/remind",
                web::post().to(invitations::remind),
            )
            .route(
                "/campaigns/{id}/mail-wording",
                web::get().to(mail_wording::show),
            )
            .route(
                "/campaigns/{id}/mail-wording",
                web::post().to(mail_wording::save),
            )
            .route("/templates", web::get().to(template_preview::list))
            .route("/templates/{id}", web::get().to(template_preview::show))
            .route("/templates/{id}", web::post().to(template_preview::step))
            .route(
                "/templates/{id}/paper",
                web::get().to(template_preview::paper),
            )
            .route("/units", web::get().to(units::list))
            .route("/units/import", web::post().to(units::import))
            .route("/units/lineage", web::post().to(units::import_lineage))
            .route("/units/{id}", web::get().to(units::show))
            .route("/users", web::get().to(users::list))
            .route("/users", web::post().to(users::create))
            .route(
                "/users/{id}/password",
                web::post().to(users::reset_password),
            )
            .route("/users/{id}/disable", web::post().to(users::set_disabled))
            .route("/api-keys", web::get().to(keys::keys))
            .route("/api-keys", web::post().to(keys::create_key))
            .route("/api-keys/{id}/revoke", web::post().to(keys::revoke_key))
            .route("/entry/{campaign}/{unit}", web::get().to(entry::show))
            .route("/entry/{campaign}/{unit}", web::post().to(entry::save)),
    );
}

/// What every admin page needs: the reader's language, who they are and the form token.
pub struct Ctx {
    pub lang: Lang,
    pub principal: Principal,
    pub csrf: String,
}

impl Ctx {
    pub fn new(principal: Principal, session: &Session, lang: Lang) -> Ctx {
        Ctx {
            lang,
            principal,
            csrf: csrf_token(session),
        }
    }

    /// A path in the reader's language.
    pub fn href(&self, path: &str) -> String {
        with_lang(path, self.lang)
    }

    pub fn t(&self, m: Msg) -> &'static str {
        m.get(self.lang)
    }

    /// The hidden CSRF field every POST form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }
}

pub fn role_name(r: Role, lang: Lang) -> &'static str {
    match r {
        Role::Admin => Msg::RoleAdmin.get(lang),
        Role::CampaignManager => Msg::RoleCampaignManager.get(lang),
        Role::UnitOfficer => Msg::RoleUnitOfficer.get(lang),
        Role::Analyst => Msg::RoleAnalyst.get(lang),
    }
}

/// An admin page: the site shell with the admin navigation, sized by what the role may do.
pub fn admin_page(ctx: &Ctx, path: &str, title: &str, body: Markup) -> Markup {
    let lang = ctx.lang;
    let p = &ctx.principal;
    let links: Vec<(&str, Msg, bool)> = vec![
        ("/admin", Msg::AdminDashboard, true),
        (
            "/admin/campaigns",
            Msg::AdminCampaigns,
            p.can(Permission::ViewResults),
        ),
        ("/admin/units", Msg::Units, p.can(Permission::ViewResults)),
        (
            "/admin/templates",
            Msg::Templates,
            p.can(Permission::ManageCampaigns),
        ),
        (
            "/admin/users",
            Msg::AdminUsers,
            p.can(Permission::ManageUsers),
        ),
        (
            "/admin/api-keys",
            Msg::AdminApiKeys,
            p.can(Permission::ManageApiKeys),
        ),
        (
            "/admin/audit",
            Msg::AdminAudit,
            p.can(Permission::ViewAudit),
        ),
        ("/admin/password", Msg::ChangePassword, p.user_id.is_some()),
    ];
    page(
        lang,
        title,
        Some(&with_lang(path, lang.other())),
        html! {
            nav.admin aria-label=(ctx.t(Msg::AdminNav)) {
                ul {
                    @for (href, label, shown) in &links {
                        @if *shown {
                            li { a href=(ctx.href(href)) aria-current=[(path == *href).then_some("page")] { (label.get(lang)) } }
                        }
                    }
                }
                form.inline method="post" action=(ctx.href("/admin/logout")) {
                    (ctx.csrf_field())
                    span.muted { (p.actor.name()) " · " (role_name(p.role, lang)) " " }
                    button.secondary type="submit" { (ctx.t(Msg::Logout)) }
                }
            }
            (body)
        },
    )
}

pub use crate::web::respond::{html as html_status, see_other};

/// The reader's text for an account rule that was broken.
pub fn rule_text(r: &AccountRule, lang: Lang) -> String {
    let t = |m: Msg| m.get(lang).to_string();
    match r {
        AccountRule::UsernameLength => t(Msg::ErrUsernameLength),
        AccountRule::UsernameChars => t(Msg::ErrUsernameChars),
        AccountRule::PasswordShort => t(Msg::ErrPasswordShort),
        AccountRule::PasswordLong => t(Msg::ErrPasswordLong),
        AccountRule::NameTaken(n) => format!("{} {n}", t(Msg::ErrNameTaken)),
        AccountRule::UnitNeeded => t(Msg::ErrUnitNeeded),
        AccountRule::UnitRefused => t(Msg::ErrUnitRefused),
        AccountRule::UnknownUnit(c) => format!("{} {c}", t(Msg::ErrUnknownUnit)),
        AccountRule::UnknownRole(r) => format!("{} {r}", t(Msg::ErrUnknownRole)),
        AccountRule::KeyName => t(Msg::ErrKeyName),
    }
}

/// In a blocking handler: a broken rule becomes the form's message (Ok(Err)),
/// anything else stays a server error.
pub fn shown<T>(r: Result<T, AccountError>, lang: Lang) -> Result<Result<T, String>, AppError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(e) => Ok(Err(rule_text(&e.into_rule()?, lang))),
    }
}

/// The files a list upload offers to pick: what Excel saves a list as.
pub const LIST_FILES: &str = ".xlsx,.xls,.ods,.csv,.txt,text/csv,text/plain,\
    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The two ways to give a list: a file, or text pasted (given back after an
/// error). Field ids start with `prefix`; the hint with id `{prefix}_hint`
/// describes the file field.
pub fn list_fields(ctx: &Ctx, prefix: &str, kept: &str) -> Markup {
    let (file, text, hint) = (
        format!("{prefix}_file"),
        format!("{prefix}_csv"),
        format!("{prefix}_hint"),
    );
    html! {
        div.field {
            label for=(file) { (ctx.t(Msg::CsvFile)) }
            input id=(file) type="file" name="file" accept=(LIST_FILES) aria-describedby=(hint);
        }
        div.field {
            label for=(text) { (ctx.t(Msg::CsvPaste)) }
            textarea id=(text) name="csv" rows="6" { (kept) }
        }
    }
}

/// A list import's bad rows as a person finds them: "Dòng 12: …" for a text
/// file, "Trang tính “Đơn vị”, hàng 12: …" for a workbook.
pub fn row_errors(lang: Lang, sheet: Option<&str>, errors: &[RowError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| match sheet {
            None => format!("{} {}: {}", Msg::Line.get(lang), e.line, e.message),
            Some(s) => format!(
                "{} “{s}”, {} {}: {}",
                Msg::Sheet.get(lang),
                Msg::Row.get(lang),
                e.line,
                e.message
            ),
        })
        .collect()
}

/// A form's error box: a heading and the message, announced to screen readers.
pub fn error_box(ctx: &Ctx, errors: &[String]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { (ctx.t(Msg::AdminFormErrors)) }
                ul { @for e in errors { li { (e) } } }
            }
        }
    }
}

async fn dashboard(me: kit::Official<kit::SignedIn>) -> Result<HttpResponse, AppError> {
    let scope = me.ctx.principal.scope.clone();
    let pulses = me
        .run(move |_, conn| {
            let today = crate::clock::today();
            crate::service::dashboard::pulses(conn, &scope, today)
        })
        .await?;
    let ctx = &me.ctx;
    let p = &ctx.principal;
    let title = ctx.t(Msg::AdminDashboard);
    Ok(html_status(
        StatusCode::OK,
        admin_page(
            ctx,
            "/admin",
            title,
            html! {
                h1 { (title) }
                p { (ctx.t(Msg::AdminWelcome)) " " strong { (role_name(p.role, ctx.lang)) } "." }
                (dashboard::open_campaigns(ctx, &pulses))
                h2 { (ctx.t(Msg::Tools)) }
                ul {
                    li { a href=(ctx.href("/admin/campaigns")) { (ctx.t(Msg::AdminCampaigns)) } }
                    @if p.can(Permission::ManageCampaigns) {
                        li { a href=(ctx.href("/admin/campaigns/new")) { (ctx.t(Msg::NewCampaign)) } }
                    }
                    li { a href=(ctx.href("/admin/units")) { (ctx.t(Msg::Units)) } }
                    @if p.can(Permission::ManageUsers) {
                        li { a href=(ctx.href("/admin/users")) { (ctx.t(Msg::AdminUsers)) } }
                    }
                    @if p.can(Permission::ManageApiKeys) {
                        li { a href=(ctx.href("/admin/api-keys")) { (ctx.t(Msg::AdminApiKeys)) } }
                    }
                    @if p.can(Permission::ViewAudit) {
                        li { a href=(ctx.href("/admin/audit")) { (ctx.t(Msg::AdminAudit)) } }
                    }
                }
            },
        ),
    ))
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

crate::csrf_forms!(CsrfOnly);

async fn audit(
    state: web::Data<AppState>,
    me: kit::Official<kit::ViewAudit>,
) -> Result<HttpResponse, AppError> {
    let ctx = &me.ctx;
    let entries = run_blocking(&state, |_, conn| {
        Ok(crate::service::audit::recent(conn, 500)?)
    })
    .await?;
    let title = ctx.t(Msg::AdminAudit);
    Ok(html_status(
        StatusCode::OK,
        admin_page(
            ctx,
            "/admin/audit",
            title,
            html! {
                h1 { (title) }
                p.muted { (ctx.t(Msg::AuditNote)) }
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { (ctx.t(Msg::AuditWhen)) " (UTC)" }
                            th scope="col" { (ctx.t(Msg::AuditWho)) }
                            th scope="col" { (ctx.t(Msg::AuditWhat)) }
                            th scope="col" { (ctx.t(Msg::AuditOnWhat)) }
                            th scope="col" { (ctx.t(Msg::AuditDetail)) }
                        } }
                        tbody {
                            @for e in &entries {
                                tr {
                                    td { (e.at.format("%Y-%m-%d %H:%M:%S")) }
                                    td { (e.actor) }
                                    td { code { (e.action) } }
                                    td { (e.target) }
                                    td { (e.detail) }
                                }
                            }
                        }
                    }
                }
            },
        ),
    ))
}
