//! `GET /admin-api/audit` (additive): the audit log.

use super::int;
use crate::audit::{Action, Filter};
use crate::domain::{Paging, audit_log};
use crate::error::Error;
use crate::state::AppState;
use crate::wire::AuditPage;
use axum::Json;
use axum::extract::State;
use chorus_authn::AdminUser;
use chorus_kit::http::Params;
use chorus_kit::openapi::ErrorBody;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Default 1, min 1.
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Default 50, clamped to [1, 100].
    #[param(value_type = Option<i64>)]
    per_page: Option<String>,
    /// Only this admin's actions.
    #[param(value_type = Option<i64>)]
    admin_id: Option<String>,
    /// Only actions on this user, chat or message id.
    #[param(value_type = Option<i64>)]
    target_id: Option<String>,
    /// `block`, `unblock`, `soft-delete`, `toggle-admin`, `support-send` or
    /// `message-delete`; anything else: no filter.
    action: Option<String>,
}

/// The audit log of admin actions, newest first
#[utoipa::path(
    get, path = "/admin-api/audit", tag = "admin",
    params(AuditQuery),
    responses(
        (status = 200, description = "One page", body = AuditPage),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn list_audit(
    State(state): State<AppState>,
    _admin: AdminUser,
    Params(query): Params<AuditQuery>,
) -> Result<Json<AuditPage>, Error> {
    let paging = Paging::new(
        int(query.page.as_deref()),
        int(query.per_page.as_deref()),
        50,
        100,
    );
    let filter = Filter {
        admin_id: int(query.admin_id.as_deref()),
        target_id: int(query.target_id.as_deref()),
        action: query.action.as_deref().and_then(Action::parse),
    };
    Ok(Json(audit_log::list(&state, paging, filter).await?))
}
