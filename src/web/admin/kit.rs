//! What every admin handler needs, once: the signed-in official with a checked
//! permission and the page context (`Official`), a form whose CSRF token was
//! checked (`Checked`), an uploaded list (`ListUpload`), and a re-rendered
//! form for bad input (`invalid`).
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_multipart::Multipart;
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use maud::Markup;
use serde::de::DeserializeOwned;

use super::{html_status, Ctx};
use crate::domain::account::Permission;
use crate::error::AppError;
use crate::service::audit::Actor;
use crate::service::auth::Principal;
use crate::service::DbConn;
use crate::state::AppState;
use crate::web::auth::check_csrf;
use crate::web::{run_blocking, LangQuery};

/// A permission a handler needs, named by a type so the extractor can check it.
pub trait Need {
    /// None: any signed-in official.
    const PERMISSION: Option<Permission>;
}

macro_rules! needs {
    ($($name:ident => $perm:expr;)*) => {
        $(
            pub struct $name;
            impl Need for $name {
                const PERMISSION: Option<Permission> = $perm;
            }
        )*
    };
}

needs! {
    SignedIn => None;
    ViewResults => Some(Permission::ViewResults);
    ManageCampaigns => Some(Permission::ManageCampaigns);
    ManageInvitations => Some(Permission::ManageInvitations);
    ManageUnits => Some(Permission::ManageUnits);
    ManageUsers => Some(Permission::ManageUsers);
    ManageApiKeys => Some(Permission::ManageApiKeys);
    ViewAudit => Some(Permission::ViewAudit);
    EnterPaperForms => Some(Permission::EnterPaperForms);
}

/// The signed-in official, allowed `N`, with the page context in their language.
pub struct Official<N: Need> {
    pub ctx: Ctx,
    pub session: Session,
    pub state: web::Data<AppState>,
    need: PhantomData<N>,
}

impl<N: Need> Official<N> {
    pub fn principal(&self) -> &Principal {
        &self.ctx.principal
    }

    /// Who acts, for the audit log.
    pub fn actor(&self) -> Actor {
        self.ctx.principal.actor.clone()
    }

    /// Blocking work with a pooled connection (`web::run_blocking`).
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState, &mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        run_blocking(&self.state, work).await
    }
}

impl<N: Need + 'static> FromRequest for Official<N> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let principal = Principal::from_request(req, payload);
        let session = req.get_session();
        let state = web::Data::<AppState>::extract(req);
        let lang = web::Query::<LangQuery>::from_query(req.query_string())
            .map(|q| q.lang())
            .unwrap_or_default();
        Box::pin(async move {
            let principal = principal.await?;
            if let Some(p) = N::PERMISSION {
                principal.require(p)?;
            }
            Ok(Official {
                ctx: Ctx::new(principal, &session, lang),
                session,
                state: state.await?,
                need: PhantomData,
            })
        })
    }
}

/// A form that carries the session's CSRF token in its `csrf` field.
pub trait CsrfField {
    fn csrf(&self) -> &str;
}

/// Forms whose `csrf` field is their token.
#[macro_export]
macro_rules! csrf_forms {
    ($($form:ty),* $(,)?) => {
        $(
            impl $crate::web::admin::kit::CsrfField for $form {
                fn csrf(&self) -> &str {
                    &self.csrf
                }
            }
        )*
    };
}

/// A posted form whose CSRF token matched the session's.
pub struct Checked<T>(pub T);

impl<T: DeserializeOwned + CsrfField + 'static> FromRequest for Checked<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<T>::from_request(req, payload);
        let session = req.get_session();
        Box::pin(async move {
            let form = form.await?.into_inner();
            check_csrf(&session, form.csrf())?;
            Ok(Checked(form))
        })
    }
}

/// A list upload: a file (any list Excel saves) or pasted text, and the token.
#[derive(Default)]
pub struct ListUpload {
    pub csrf: String,
    file: Vec<u8>,
    pub pasted: String,
    /// The form's other text fields (a date, say), by name.
    fields: Vec<(String, String)>,
}

/// The most a list upload may weigh: far more than any real list.
const MAX_LIST_BYTES: usize = 8 * 1024 * 1024;

impl ListUpload {
    /// Read the multipart form and check its token against the session's.
    pub async fn read(mut payload: Multipart, session: &Session) -> Result<ListUpload, AppError> {
        let mut form = ListUpload::default();
        while let Some(field) = payload.next().await {
            let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
            let name = field.name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
                if bytes.len() + chunk.len() > MAX_LIST_BYTES {
                    return Err(AppError::BadRequest(format!(
                        "the file is larger than {} MB",
                        MAX_LIST_BYTES / 1024 / 1024
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            match name.as_str() {
                "csrf" => form.csrf = String::from_utf8_lossy(&bytes).into_owned(),
                "file" => form.file = bytes,
                "csv" => form.pasted = String::from_utf8_lossy(&bytes).into_owned(),
                _ => form
                    .fields
                    .push((name, String::from_utf8_lossy(&bytes).trim().to_string())),
            }
        }
        check_csrf(session, &form.csrf)?;
        Ok(form)
    }

    /// The list's bytes: the file if one was chosen, else the pasted text.
    pub fn bytes(&self) -> Vec<u8> {
        if self.file.is_empty() {
            self.pasted.clone().into_bytes()
        } else {
            self.file.clone()
        }
    }

    /// Another text field of the form, empty when absent.
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The pasted text, kept on the page to be mended after an error (a
    /// file is not: the browser cannot be given it back).
    pub fn kept_text(&self) -> &str {
        if self.file.is_empty() {
            &self.pasted
        } else {
            ""
        }
    }
}

/// The form again, with its messages, answered 422.
pub fn invalid(page: Markup) -> HttpResponse {
    html_status(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// A page answered 200.
pub fn ok(page: Markup) -> HttpResponse {
    html_status(StatusCode::OK, page)
}
