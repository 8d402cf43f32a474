//! `GET /stickers` (§13.1) and `GET /stickers/{id}/image` (§13.2).

use super::redirect;
use crate::db::stickers;
use crate::error::{Error, Result};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::http::PathOr;
use chorus_kit::http::parse_id;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stickers", get(list_stickers))
        .route("/stickers/{id}/image", get(sticker_image))
}

/// GET /stickers
async fn list_stickers(State(state): State<AppState>, _user: AuthUser) -> Result<Json<Value>> {
    let rows = stickers::all(&state.db).await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|s| {
            let url = match (&s.bucket, &s.object_key) {
                (Some(b), Some(k)) => Some(state.presigner.url(b, k)),
                _ => None,
            };
            json!({"id": s.id, "label": s.label, "url": url})
        })
        .collect();
    Ok(Json(Value::Array(items)))
}

/// GET /stickers/{id}/image
async fn sticker_image(
    State(state): State<AppState>,
    _user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Response> {
    let Some(id) = parse_id(&id) else {
        return Err(Error::not_found("Sticker not found"));
    };
    let Some(sticker) = stickers::many(&state.db, &[id]).await?.pop() else {
        return Err(Error::not_found("Sticker not found"));
    };
    match (&sticker.bucket, &sticker.object_key) {
        (Some(b), Some(k)) => Ok(redirect(&state.presigner.url(b, k))),
        _ => Err(Error::not_found("Sticker image unavailable")),
    }
}
