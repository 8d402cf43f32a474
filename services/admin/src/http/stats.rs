//! `GET /admin-api/stats` (§14.1).

use crate::domain::stats;
use crate::error::Error;
use crate::state::AppState;
use crate::wire::AdminStats;
use axum::Json;
use axum::extract::State;
use chorus_authn::AdminUser;
use chorus_kit::openapi::ErrorBody;

/// Dashboard numbers and the 14-day trends
#[utoipa::path(
    get, path = "/admin-api/stats", tag = "admin",
    responses(
        (status = 200, description = "Counters kept by the owners (no scans)", body = AdminStats),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Admin access required`", body = ErrorBody),
    ),
    security(("bearer" = [])),
)]
pub async fn get_stats(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<AdminStats>, Error> {
    Ok(Json(stats::stats(&state).await?))
}
