//! What every admin handler needs, once: the signed-in official with a checked
//! permission and the page context (`Official`), a form whose CSRF token was
//! checked (`Checked`), and a re-rendered form for bad input (`invalid`).
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use maud::Markup;
use serde::de::DeserializeOwned;

use super::{html_status, Ctx};
use crate::domain::account::Permission;
use crate::service::auth::Principal;
use crate::web::auth::check_csrf;
use crate::web::LangQuery;

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
}

/// The signed-in official, allowed `N`, with the page context in their language.
pub struct Official<N: Need> {
    pub ctx: Ctx,
    pub session: Session,
    need: PhantomData<N>,
}

impl<N: Need> Official<N> {
    pub fn principal(&self) -> &Principal {
        &self.ctx.principal
    }
}

impl<N: Need + 'static> FromRequest for Official<N> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let principal = Principal::from_request(req, payload);
        let session = req.get_session();
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

/// The form again, with its messages, answered 422.
pub fn invalid(page: Markup) -> HttpResponse {
    html_status(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// A page answered 200.
pub fn ok(page: Markup) -> HttpResponse {
    html_status(StatusCode::OK, page)
}
