//! Messages (§14.5) and the moderation delete.

use super::{ClientIp, int, path_id};
use crate::domain::Paging;
use crate::domain::messages::{self, Filter};
use crate::error::Error;
use crate::state::AppState;
use crate::wire::AdminMessagePage;
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
pub struct MessagesQuery {
    /// Default 1, min 1.
    #[param(value_type = Option<i64>)]
    page: Option<String>,
    /// Default 50, clamped to [1, 100].
    #[param(value_type = Option<i64>)]
    per_page: Option<String>,
    /// Sender filter, applied when it is an integer > 0.
    #[param(value_type = Option<i64>)]
    user_id: Option<String>,
    /// Chat filter, applied when it is an integer > 0.
    #[param(value_type = Option<i64>)]
    chat_id: Option<String>,
    /// Case-insensitive substring of the content.
    q: Option<String>,
}

/// Lists every message (deleted ones included), newest first
#[utoipa::path(
    get, path = "/admin-api/messages", tag = "admin", operation_id = "admin_list_messages",
    params(MessagesQuery),
    responses(
        (status = 200, description = "One page", body = AdminMessagePage),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn list_messages(
    State(state): State<AppState>,
    _admin: AdminUser,
    Params(query): Params<MessagesQuery>,
) -> Result<Json<AdminMessagePage>, Error> {
    let paging = Paging::new(
        int(query.page.as_deref()),
        int(query.per_page.as_deref()),
        50,
        100,
    );
    let filter = Filter {
        user_id: int(query.user_id.as_deref()),
        chat_id: int(query.chat_id.as_deref()),
        q: query.q.unwrap_or_default(),
    };
    Ok(Json(messages::list(&state, paging, filter).await?))
}

/// Deletes a message for everyone (moderation; audited)
#[utoipa::path(
    delete, path = "/admin-api/messages/{id}", tag = "admin", operation_id = "admin_delete_message",
    params(("id" = i64, Path, description = "The message")),
    responses(
        (status = 204, description = "Deleted; the chat's members see it go as for a delete by its sender"),
        (status = 404, description = "`Message not found` (unknown or already deleted)", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn delete_message(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ClientIp(ip): ClientIp,
    PathOr(id): PathOr<String>,
) -> Result<StatusCode, Error> {
    messages::delete(&state, admin.id, ip, path_id(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
