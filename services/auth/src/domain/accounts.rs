//! Registration (§4.1).

use crate::db;
use crate::error::Result;
use crate::events;
use crate::password::MAX_PASSWORD_BYTES;
use crate::state::AppState;
use chorus_kit::ApiError;

pub struct Registration {
    pub username: String,
    pub email: String,
    pub password: String,
    pub display_name: Option<String>,
}

/// Validates in the contract's order, hashes, then inserts the user, their
/// default settings and the `user.registered` event in one transaction.
#[tracing::instrument(skip_all)]
pub async fn register(state: &AppState, r: Registration) -> Result<i64> {
    // PostgreSQL text cannot hold NUL: such a username or e-mail is invalid as such.
    if !(3..=32).contains(&r.username.len()) || r.username.contains('\0') {
        return Err(ApiError::bad_request("Username must be 3–32 characters").into());
    }
    if r.email.is_empty() || !r.email.contains('@') || r.email.contains('\0') {
        return Err(ApiError::bad_request("Invalid email").into());
    }
    if r.password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::bad_request("Password too long").into());
    }
    if r.password.len() < 8 {
        return Err(ApiError::bad_request("Password must be at least 8 characters").into());
    }
    let hash = state.passwords.hash(r.password).await?;
    let display_name = r
        .display_name
        .map_or_else(|| r.username.clone(), |d| d.replace('\0', ""));
    let mut tx = state.db.begin().await?;
    let id = match db::users::insert(&mut tx, &r.username, &r.email, &hash, &display_name).await {
        Ok(id) => id,
        Err(err)
            if chorus_kit::db::is_unique_violation(&err, "users_username_key")
                || chorus_kit::db::is_unique_violation(&err, "users_email_key") =>
        {
            return Err(ApiError::conflict("Username or email already taken").into());
        }
        Err(err) => return Err(err.into()),
    };
    db::settings::create_default(&mut *tx, id).await?;
    events::user_registered(&mut tx, id, &r.username, &display_name).await?;
    tx.commit().await?;
    Ok(id)
}
