//! `GET /stickers` (§13.1) and `GET /stickers/{id}/image` (§13.2).

use super::{UNAUTHORIZED, redirect};
use crate::db::stickers;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::wire::Sticker;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chorus_authn::AuthUser;
use chorus_kit::http::PathOr;
use chorus_kit::http::parse_id;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(list_stickers))
        .routes(routes!(sticker_image))
}

/// Lists all stickers
#[utoipa::path(
    get,
    path = "/stickers",
    tag = "media",
    responses(
        (status = 200, description = "Every sticker, ordered by id", body = Vec<Sticker>),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn list_stickers(
    State(state): State<AppState>,
    _user: AuthUser,
) -> Result<Json<Vec<Sticker>>> {
    let rows = stickers::all(&state.db).await?;
    let items = rows
        .into_iter()
        .map(|s| Sticker {
            url: match (&s.bucket, &s.object_key) {
                (Some(b), Some(k)) => Some(state.presigner.url(b, k)),
                _ => None,
            },
            id: s.id,
            label: s.label,
        })
        .collect();
    Ok(Json(items))
}

/// Redirects to a sticker's image
#[utoipa::path(
    get,
    path = "/stickers/{id}/image",
    tag = "media",
    params(("id" = i64, Path, description = "The sticker id; a segment that is not an integer is an unknown sticker")),
    responses(
        (status = 302, description = "To the presigned URL of the image (§13.3)",
            headers(("Location" = String, description = "The presigned URL"))),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`Sticker not found`, or `Sticker image unavailable` (it has no object)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn sticker_image(
    State(state): State<AppState>,
    _user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Response> {
    let id = parse_id(&id).ok_or(Error::StickerNotFound)?;
    let sticker = stickers::many(&state.db, &[id])
        .await?
        .pop()
        .ok_or(Error::StickerNotFound)?;
    match (&sticker.bucket, &sticker.object_key) {
        (Some(b), Some(k)) => Ok(redirect(&state.presigner.url(b, k))),
        _ => Err(Error::StickerImageUnavailable),
    }
}
