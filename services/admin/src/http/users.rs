//! Users (§14.2–§14.4).

use super::{ClientIp, int, path_id};
use crate::domain::{Paging, users};
use crate::error::Error;
use crate::state::AppState;
use crate::wire::{AdminUserDetail, AdminUserPage};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chorus_authn::AdminUser;
use chorus_kit::http::{Params, PathOr};
use chorus_kit::openapi::ErrorBody;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// Default 1, min 1.
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Default 20, clamped to [1, 100].
    #[param(value_type = Option<i64>)]
    per_page: Option<String>,
    /// Case-insensitive substring of username or display name.
    q: Option<String>,
    /// `active`, `blocked`, `admin`, `inactive`; anything else: no filter.
    status: Option<String>,
}

/// Lists users, newest first
#[utoipa::path(
    get, path = "/admin-api/users", tag = "admin",
    params(UsersQuery),
    responses(
        (status = 200, description = "One page", body = AdminUserPage),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn list_users(
    State(state): State<AppState>,
    _admin: AdminUser,
    Params(query): Params<UsersQuery>,
) -> Result<Json<AdminUserPage>, Error> {
    let paging = Paging::new(
        int(query.page.as_deref()),
        int(query.per_page.as_deref()),
        20,
        100,
    );
    let q = query.q.unwrap_or_default();
    let status = query.status.unwrap_or_default();
    Ok(Json(users::list(&state, paging, &q, &status).await?))
}

/// One user with their chats and recent messages
#[utoipa::path(
    get, path = "/admin-api/users/{id}", tag = "admin", operation_id = "admin_get_user",
    params(("id" = i64, Path, description = "The user")),
    responses(
        (status = 200, description = "The user", body = AdminUserDetail),
        (status = 404, description = "`User not found`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn get_user(
    State(state): State<AppState>,
    _admin: AdminUser,
    PathOr(id): PathOr<String>,
) -> Result<Json<AdminUserDetail>, Error> {
    Ok(Json(users::detail(&state, path_id(&id)).await?))
}

/// Blocks, unblocks, soft-deletes or toggles admin
#[utoipa::path(
    post, path = "/admin-api/users/{id}/{action}", tag = "admin",
    params(
        ("id" = i64, Path, description = "The user (unknown ids answer 204 too)"),
        ("action" = String, Path, description = "`block`, `unblock`, `soft-delete` or `toggle-admin`"),
    ),
    responses(
        (status = 204, description = "Done; block and soft-delete end the user's sessions and sockets within 1 s"),
        (status = 400, description = "`Cannot block yourself`, `Cannot delete yourself`, `Cannot change your own admin status`", body = ErrorBody),
        (status = 404, description = "`Not found` (another action)", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn user_action(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ClientIp(ip): ClientIp,
    PathOr((id, action)): PathOr<(String, String)>,
) -> Result<StatusCode, Error> {
    let action = users::parse_action(&action)?;
    users::act(&state, admin.id, ip, path_id(&id), action).await?;
    Ok(StatusCode::NO_CONTENT)
}
