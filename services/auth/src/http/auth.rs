//! `/auth/*` and `/.well-known/jwks.json` (§4.1–§4.3, §2.2, §2.3).

use crate::domain::accounts::{self, Registration};
use crate::domain::sessions;
use crate::error::Error;
use crate::state::AppState;
use crate::wire::Jwks;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use chorus_kit::http::{JsonBody, client_ip};
use chorus_kit::lenient;
use chorus_kit::lenient::ObjectOrDefault as AnyJson;
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_proto::UserId;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(jwks))
}

/// `POST /auth/register`: non-string values are coerced to their JSON text (§4.1).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// 3–32 bytes of UTF-8, any characters.
    #[serde(default, deserialize_with = "lenient::text")]
    #[schema(required = true)]
    pub username: String,
    /// Non-empty and contains `@`.
    #[serde(default, deserialize_with = "lenient::text")]
    #[schema(required = true)]
    pub email: String,
    /// 8–1024 bytes.
    #[serde(default, deserialize_with = "lenient::text")]
    #[schema(required = true)]
    pub password: String,
    /// Defaults to the username.
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_coerced_text")]
    pub display_name: Option<String>,
}

/// A new account (not logged in: the client logs in next).
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterResponse {
    pub id: UserId,
    /// Exactly as submitted.
    pub username: String,
}

/// Creates an account
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "auth",
    request_body(content = RegisterRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The account was created", body = RegisterResponse),
        (status = 400, description = "`Invalid JSON`, `Username must be 3–32 characters`, `Invalid email`, `Password must be at least 8 characters` or `Password too long`", body = ErrorBody),
        (status = 409, description = "`Username or email already taken`", body = ErrorBody),
    )
)]
async fn register(
    State(state): State<AppState>,
    JsonBody(AnyJson(body)): JsonBody<AnyJson<RegisterRequest>>,
) -> Result<(StatusCode, Json<RegisterResponse>), Error> {
    let registration = Registration {
        username: body.username,
        email: body.email,
        password: body.password,
        display_name: body.display_name,
    };
    let username = registration.username.clone();
    let id = accounts::register(&state.db, &state.passwords, registration).await?;
    Ok((StatusCode::CREATED, Json(RegisterResponse { id, username })))
}

/// `POST /auth/login`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Matched case-insensitively among active accounts.
    #[serde(default, deserialize_with = "lenient::text")]
    #[schema(required = true)]
    pub username: String,
    #[serde(default, deserialize_with = "lenient::text")]
    #[schema(required = true)]
    pub password: String,
}

/// A new session's tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// The access token's lifetime in seconds.
    pub expires_in: i64,
    pub user_id: UserId,
}

/// Logs in and starts a session
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    request_body(content = LoginRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Logged in", body = LoginResponse),
        (status = 400, description = "`Invalid JSON`, `username and password required` or `Password too long`", body = ErrorBody),
        (status = 401, description = "`Invalid credentials`", body = ErrorBody),
        (status = 403, description = "`Account blocked. Contact support.`", body = ErrorBody),
        (status = 429, description = "`Too many requests` (with `Retry-After`)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until a retry may succeed"))),
    )
)]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(AnyJson(body)): JsonBody<AnyJson<LoginRequest>>,
) -> Result<Json<LoginResponse>, Error> {
    let ip = client_ip(&headers, Some(peer), state.cfg.trust_forwarded_for);
    let pair = sessions::login(&state, &body.username, body.password, ip).await?;
    Ok(Json(LoginResponse {
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
        token_type: "Bearer",
        expires_in: state.cfg.jwt.access_ttl_secs,
        user_id: pair.user_id,
    }))
}

/// `POST /auth/refresh` and `POST /auth/logout`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RefreshTokenRequest {
    #[serde(default, deserialize_with = "lenient::text")]
    #[schema(required = true)]
    pub refresh_token: String,
}

/// The next tokens of the session; the presented refresh token stops working.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshResponse {
    /// Its `is_admin` claim is read at refresh time.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// The access token's lifetime in seconds.
    pub expires_in: i64,
    /// Replaces the presented one (rotation, §2.3).
    pub refresh_token: String,
}

/// Exchanges a refresh token for new tokens
#[utoipa::path(
    post,
    path = "/auth/refresh",
    tag = "auth",
    request_body(content = RefreshTokenRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The session's next tokens", body = RefreshResponse),
        (status = 400, description = "`Invalid JSON` or `refresh_token required`", body = ErrorBody),
        (status = 401, description = "`Invalid or expired refresh token` (a reused token also revokes its session)", body = ErrorBody),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    JsonBody(AnyJson(body)): JsonBody<AnyJson<RefreshTokenRequest>>,
) -> Result<Json<RefreshResponse>, Error> {
    let pair = sessions::refresh(&state, &body.refresh_token).await?;
    Ok(Json(RefreshResponse {
        access_token: pair.access_token,
        token_type: "Bearer",
        expires_in: state.cfg.jwt.access_ttl_secs,
        refresh_token: pair.refresh_token,
    }))
}

/// Ends the session of a refresh token
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    request_body(content = RefreshTokenRequest, content_type = "application/json"),
    responses(
        (status = 204, description = "The session is revoked (also for unknown, expired or revoked tokens)"),
        (status = 400, description = "`Invalid JSON` or `refresh_token required`", body = ErrorBody),
    )
)]
async fn logout(
    State(state): State<AppState>,
    JsonBody(AnyJson(body)): JsonBody<AnyJson<RefreshTokenRequest>>,
) -> Result<StatusCode, Error> {
    sessions::logout(&state, &body.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lists the public keys that verify tokens
#[utoipa::path(
    get,
    path = "/.well-known/jwks.json",
    tag = "auth",
    responses((status = 200, description = "The JWKS", body = Jwks))
)]
async fn jwks(State(state): State<AppState>) -> Json<Jwks> {
    Json(state.keys.jwks())
}
