//! `/auth/*` and `/.well-known/jwks.json`.

use super::coerce_str;
use crate::domain::accounts::{self, Registration};
use crate::domain::sessions;
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use chorus_kit::ApiError;
use chorus_kit::http::{JsonBody, client_ip};
use serde_json::{Value, json};
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
        .route("/.well-known/jwks.json", get(jwks))
}

/// POST /auth/register
async fn register(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let registration = Registration {
        username: coerce_str(&body, "username").unwrap_or_default(),
        email: coerce_str(&body, "email").unwrap_or_default(),
        password: coerce_str(&body, "password").unwrap_or_default(),
        display_name: coerce_str(&body, "display_name"),
    };
    let username = registration.username.clone();
    let id = accounts::register(&state, registration).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "username": username })),
    ))
}

/// POST /auth/login
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, ApiError> {
    let username = coerce_str(&body, "username").unwrap_or_default();
    let password = coerce_str(&body, "password").unwrap_or_default();
    let ip = client_ip(&headers, Some(peer), state.cfg.trust_forwarded_for);
    let pair = sessions::login(&state, &username, password, ip).await?;
    Ok(Json(json!({
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "Bearer",
        "expires_in": state.cfg.jwt.access_ttl_secs,
        "user_id": pair.user_id,
    })))
}

/// POST /auth/refresh
async fn refresh(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, ApiError> {
    let token = coerce_str(&body, "refresh_token").unwrap_or_default();
    let pair = sessions::refresh(&state, &token).await?;
    Ok(Json(json!({
        "access_token": pair.access_token,
        "token_type": "Bearer",
        "expires_in": state.cfg.jwt.access_ttl_secs,
        "refresh_token": pair.refresh_token,
    })))
}

/// POST /auth/logout
async fn logout(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Value>,
) -> Result<StatusCode, ApiError> {
    let token = coerce_str(&body, "refresh_token").unwrap_or_default();
    sessions::logout(&state, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// GET /.well-known/jwks.json
async fn jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.keys.jwks_json())
}
