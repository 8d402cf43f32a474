//! Login, refresh with rotation and reuse detection, logout (§2.3, §4.2, §4.3).

use crate::db;
use crate::error::Result;
use crate::password::MAX_PASSWORD_BYTES;
use crate::state::AppState;
use crate::tokens::{self, hash_refresh_token};
use chorus_authn::TokenType;
use chorus_kit::ApiError;
use chrono::{DateTime, Utc};
use std::net::IpAddr;

pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: i64,
}

const INVALID_CREDENTIALS: &str = "Invalid credentials";
const INVALID_REFRESH: &str = "Invalid or expired refresh token";

#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    username: &str,
    password: String,
    ip: Option<IpAddr>,
) -> Result<TokenPair> {
    if username.is_empty() || password.is_empty() {
        return Err(ApiError::bad_request("username and password required").into());
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::bad_request("Password too long").into());
    }
    state.throttle.check(username, ip).await?;
    let creds = if username.contains('\0') {
        None
    } else {
        db::users::credentials(&state.db, username).await?
    };
    let Some(creds) = creds else {
        // Same work as a real check, so timing does not reveal the account's absence.
        state.passwords.verify(password, None).await;
        state.throttle.record_failure(username, ip).await;
        return Err(ApiError::unauthorized(INVALID_CREDENTIALS).into());
    };
    if creds.is_blocked {
        return Err(ApiError::forbidden("Account blocked. Contact support.").into());
    }
    if !state
        .passwords
        .verify(password.clone(), Some(creds.password_hash.clone()))
        .await
    {
        state.throttle.record_failure(username, ip).await;
        return Err(ApiError::unauthorized(INVALID_CREDENTIALS).into());
    }
    if state.passwords.needs_rehash(&creds.password_hash) {
        let rehashed = state.passwords.hash(password).await?;
        db::users::set_password_hash(&state.db, creds.id, &rehashed).await?;
    }
    let session_end = Utc::now() + chrono::Duration::seconds(state.cfg.jwt.refresh_ttl_secs);
    let family = uuid::Uuid::new_v4().to_string();
    let pair = issue_pair(state, creds.id, creds.is_admin, &family, session_end)?;
    let mut tx = state.db.begin().await?;
    db::sessions::insert(
        &mut *tx,
        creds.id,
        &family,
        &hash_refresh_token(&pair.refresh_token),
        session_end,
    )
    .await?;
    db::users::touch_activity(&mut *tx, creds.id).await?;
    tx.commit().await?;
    Ok(pair)
}

fn issue_pair(
    state: &AppState,
    user_id: i64,
    is_admin: bool,
    family: &str,
    session_end: DateTime<Utc>,
) -> Result<TokenPair> {
    let jwt = &state.cfg.jwt;
    let access = tokens::issue(&state.keys, jwt, user_id, is_admin, TokenType::Access, None)?;
    let refresh = tokens::issue(
        &state.keys,
        jwt,
        user_id,
        is_admin,
        TokenType::Refresh,
        Some((family, session_end.timestamp())),
    )?;
    Ok(TokenPair {
        access_token: access.token,
        refresh_token: refresh.token,
        user_id,
    })
}

/// Exchanges a refresh token for a new pair. Presenting a token that was already
/// exchanged revokes its whole family (RFC 9700 §4.14.2).
#[tracing::instrument(skip_all)]
pub async fn refresh(state: &AppState, refresh_token: &str) -> Result<TokenPair> {
    if refresh_token.is_empty() {
        return Err(ApiError::bad_request("refresh_token required").into());
    }
    let invalid = || ApiError::unauthorized(INVALID_REFRESH);
    state
        .verifier
        .verify(refresh_token, TokenType::Refresh)
        .await
        .map_err(|_| invalid())?;
    let mut tx = state.db.begin().await?;
    let Some(stored) =
        db::sessions::lock_by_hash(&mut tx, &hash_refresh_token(refresh_token)).await?
    else {
        return Err(invalid().into());
    };
    if stored.rotated && !stored.revoked {
        tracing::warn!(user_id = stored.user_id, family = %stored.family_id, "refresh token reuse: session revoked");
        db::sessions::revoke_family(&mut *tx, &stored.family_id).await?;
        tx.commit().await?;
        return Err(invalid().into());
    }
    if stored.revoked || stored.rotated || stored.expires_at <= Utc::now() || !stored.user_usable {
        return Err(invalid().into());
    }
    db::sessions::mark_rotated(&mut tx, stored.id).await?;
    let pair = issue_pair(
        state,
        stored.user_id,
        stored.is_admin,
        &stored.family_id,
        stored.expires_at,
    )?;
    db::sessions::insert(
        &mut *tx,
        stored.user_id,
        &stored.family_id,
        &hash_refresh_token(&pair.refresh_token),
        stored.expires_at,
    )
    .await?;
    tx.commit().await?;
    Ok(pair)
}

/// Revokes the session of `refresh_token`; unknown, expired or revoked tokens
/// are accepted silently (idempotent).
#[tracing::instrument(skip_all)]
pub async fn logout(state: &AppState, refresh_token: &str) -> Result<()> {
    if refresh_token.is_empty() {
        return Err(ApiError::bad_request("refresh_token required").into());
    }
    if state
        .verifier
        .verify(refresh_token, TokenType::Refresh)
        .await
        .is_err()
    {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    if let Some(stored) =
        db::sessions::lock_by_hash(&mut tx, &hash_refresh_token(refresh_token)).await?
    {
        db::sessions::revoke_family(&mut *tx, &stored.family_id).await?;
    }
    tx.commit().await?;
    Ok(())
}
