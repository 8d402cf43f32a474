//! `/me` and `/users/*`.

use super::coerce_str;
use crate::db;
use crate::domain::profiles::{self, ProfileEdit, Viewer};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::{MaybeJson, parse_id};
use serde::Deserialize;
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(get_me))
        .route("/users/search", get(search_users))
        .route("/users/by-username/{username}", get(get_user_by_username))
        .route("/users/me/avatar", put(put_my_avatar))
        .route("/users/{id}", get(get_user).put(put_user))
        .route("/users/{id}/avatar", get(get_avatar))
}

/// GET /me
async fn get_me(State(state): State<AppState>, user: AuthUser) -> Result<Json<Value>, ApiError> {
    Ok(Json(profiles::me(&state, user.id).await?))
}

/// GET /users/{id}
async fn get_user(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let target = match parse_id(&id) {
        Some(id) => db::users::active_with_privacy_by_id(&state.db, id)
            .await
            .map_err(crate::error::Error::from)?,
        None => None,
    };
    Ok(Json(
        profiles::profile(&state, target, Viewer::User { id: user.id }).await?,
    ))
}

/// GET /users/by-username/{username} — no authentication; the viewer is anonymous.
async fn get_user_by_username(
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let target = if username.contains('\0') {
        None
    } else {
        db::users::active_with_privacy_by_username(&state.db, &username)
            .await
            .map_err(crate::error::Error::from)?
    };
    Ok(Json(
        profiles::profile(&state, target, Viewer::Anonymous).await?,
    ))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// GET /users/search?q=
async fn search_users(
    State(state): State<AppState>,
    _user: AuthUser,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let q = query.map(|Query(q)| q.q).unwrap_or_default();
    Ok(Json(profiles::search(&state, &q).await?))
}

/// PUT /users/{id} — only the caller's own id.
async fn put_user(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<Json<Value>, ApiError> {
    if parse_id(&id) != Some(user.id) {
        return Err(ApiError::forbidden("Forbidden"));
    }
    let Some(body) = body.filter(Value::is_object) else {
        return Err(ApiError::invalid_json());
    };
    let edit = ProfileEdit {
        display_name: coerce_str(&body, "display_name").unwrap_or_default(),
        bio: coerce_str(&body, "bio").unwrap_or_default(),
        username: coerce_str(&body, "username"),
    };
    Ok(Json(profiles::update(&state, user.id, edit).await?))
}

/// GET /users/{id}/avatar — 302 to the presigned URL.
async fn get_avatar(
    State(state): State<AppState>,
    _user: AuthUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let url = profiles::avatar_redirect(&state, parse_id(&id)).await?;
    let location = HeaderValue::from_str(&url).map_err(|_| ApiError::internal())?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// PUT /users/me/avatar
async fn put_my_avatar(
    State(state): State<AppState>,
    user: AuthUser,
    MaybeJson(body): MaybeJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let file_id = body
        .as_ref()
        .and_then(|b| b.get("file_id"))
        .and_then(Value::as_i64);
    let Some(file_id) = file_id else {
        return Err(ApiError::bad_request("file_id required"));
    };
    Ok(Json(profiles::set_avatar(&state, user.id, file_id).await?))
}
