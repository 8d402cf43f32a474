//! Login, refresh with rotation and reuse detection, logout (§2.3, §4.2, §4.3).

use crate::db;
use crate::db::sessions::StoredToken;
use crate::error::{Error, Result};
use crate::password::MAX_PASSWORD_BYTES;
use crate::state::AppState;
use crate::tokens::{self, hash_refresh_token};
use chorus_authn::TokenType;
use chorus_proto::UserId;
use chrono::{DateTime, Utc};
use std::net::IpAddr;

pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: UserId,
}

/// The checks of a login request made before any lookup (§4.2, §2.1).
pub fn check_login_input(username: &str, password: &str) -> Result<()> {
    if username.is_empty() || password.is_empty() {
        return Err(Error::CredentialsRequired);
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::PasswordTooLong);
    }
    Ok(())
}

/// What a presented (signature-checked) refresh token's stored row allows.
#[derive(Debug, PartialEq, Eq)]
pub enum Presented {
    /// Rotate it: issue the next pair of the family.
    Rotate,
    /// Already rotated away and not revoked: a replay, the family is revoked (RFC 9700 §4.14.2).
    Reused,
    /// Revoked, expired, or its user can no longer log in.
    Refused,
}

pub fn judge(stored: &StoredToken, now: DateTime<Utc>) -> Presented {
    if stored.rotated && !stored.revoked {
        return Presented::Reused;
    }
    if stored.revoked || stored.rotated || stored.expires_at <= now || !stored.user_usable {
        return Presented::Refused;
    }
    Presented::Rotate
}

#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    username: &str,
    password: String,
    ip: Option<IpAddr>,
) -> Result<TokenPair> {
    check_login_input(username, &password)?;
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
        return Err(Error::InvalidCredentials);
    };
    if creds.is_blocked {
        return Err(Error::AccountBlocked);
    }
    if !state
        .passwords
        .verify(password.clone(), Some(creds.password_hash.clone()))
        .await
    {
        state.throttle.record_failure(username, ip).await;
        return Err(Error::InvalidCredentials);
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
    user_id: UserId,
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
        return Err(Error::RefreshTokenRequired);
    }
    state
        .verifier
        .verify(refresh_token, TokenType::Refresh)
        .await
        .map_err(|_| Error::InvalidRefreshToken)?;
    let mut tx = state.db.begin().await?;
    let Some(stored) =
        db::sessions::lock_by_hash(&mut tx, &hash_refresh_token(refresh_token)).await?
    else {
        return Err(Error::InvalidRefreshToken);
    };
    match judge(&stored, Utc::now()) {
        Presented::Rotate => {}
        Presented::Reused => {
            tracing::warn!(user_id = %stored.user_id, family = %stored.family_id, "refresh token reuse: session revoked");
            db::sessions::revoke_family(&mut *tx, &stored.family_id).await?;
            tx.commit().await?;
            return Err(Error::InvalidRefreshToken);
        }
        Presented::Refused => return Err(Error::InvalidRefreshToken),
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
        return Err(Error::RefreshTokenRequired);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(rotated: bool, revoked: bool, usable: bool, expires_in: i64) -> StoredToken {
        StoredToken {
            id: 1,
            user_id: UserId(7),
            family_id: "f".into(),
            expires_at: Utc::now() + chrono::Duration::seconds(expires_in),
            rotated,
            revoked,
            user_usable: usable,
            is_admin: false,
        }
    }

    #[test]
    fn only_a_live_unrotated_token_of_a_usable_user_rotates() {
        let now = Utc::now();
        assert_eq!(
            judge(&stored(false, false, true, 60), now),
            Presented::Rotate
        );
        assert_eq!(
            judge(&stored(true, false, true, 60), now),
            Presented::Reused
        );
        // A replay of a family that is already revoked changes nothing more.
        assert_eq!(
            judge(&stored(true, true, true, 60), now),
            Presented::Refused
        );
        assert_eq!(
            judge(&stored(false, true, true, 60), now),
            Presented::Refused
        );
        assert_eq!(
            judge(&stored(false, false, false, 60), now),
            Presented::Refused
        );
        assert_eq!(
            judge(&stored(false, false, true, -1), now),
            Presented::Refused
        );
    }

    #[test]
    fn login_input_needs_both_fields_and_a_bounded_password() {
        assert!(matches!(
            check_login_input("", "pw"),
            Err(Error::CredentialsRequired)
        ));
        assert!(matches!(
            check_login_input("bob", ""),
            Err(Error::CredentialsRequired)
        ));
        let long = "p".repeat(MAX_PASSWORD_BYTES + 1);
        assert!(matches!(
            check_login_input("bob", &long),
            Err(Error::PasswordTooLong)
        ));
        assert!(check_login_input("bob", "testpass").is_ok());
    }
}
