//! Registration (§4.1).

use crate::db;
use crate::error::{Error, Result};
use crate::events;
use crate::password::{MAX_PASSWORD_BYTES, Passwords};
use chorus_proto::UserId;
use sqlx::PgPool;

#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub username: String,
    pub email: String,
    pub password: String,
    pub display_name: Option<String>,
}

/// The contract's checks, in its order (the first failing one answers).
pub fn validate(r: &Registration) -> Result<()> {
    // PostgreSQL text cannot hold NUL: such a username or e-mail is invalid as such.
    if !(3..=32).contains(&r.username.len()) || r.username.contains('\0') {
        return Err(Error::RegistrationUsername);
    }
    if r.email.is_empty() || !r.email.contains('@') || r.email.contains('\0') {
        return Err(Error::InvalidEmail);
    }
    if r.password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::PasswordTooLong);
    }
    if r.password.len() < 8 {
        return Err(Error::PasswordTooShort);
    }
    Ok(())
}

/// Validates, hashes, then inserts the user, their default settings and the
/// `user.registered` event in one transaction.
#[tracing::instrument(skip_all)]
pub async fn register(db: &PgPool, passwords: &Passwords, r: Registration) -> Result<UserId> {
    validate(&r)?;
    let hash = passwords.hash(r.password).await?;
    let display_name = r
        .display_name
        .map_or_else(|| r.username.clone(), |d| d.replace('\0', ""));
    let mut tx = db.begin().await?;
    let id = match db::users::insert(&mut tx, &r.username, &r.email, &hash, &display_name).await {
        Ok(id) => id,
        Err(err)
            if chorus_kit::db::is_unique_violation(&err, "users_username_key")
                || chorus_kit::db::is_unique_violation(&err, "users_email_key") =>
        {
            return Err(Error::UsernameOrEmailTaken);
        }
        Err(err) => return Err(err.into()),
    };
    db::settings::create_default(&mut *tx, id).await?;
    events::user_registered(&mut tx, id, &r.username, &display_name).await?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(username: &str, email: &str, password: &str) -> Registration {
        Registration {
            username: username.into(),
            email: email.into(),
            password: password.into(),
            display_name: None,
        }
    }

    #[test]
    fn registration_is_checked_in_the_contracts_order() {
        let check = |r: Registration| validate(&r).err().map(|e| e.to_string());
        assert_eq!(
            check(reg("al", "x", "")),
            Some(Error::RegistrationUsername.to_string())
        );
        assert_eq!(check(reg("alice", "x", "")), Some("Invalid email".into()));
        let long = "p".repeat(MAX_PASSWORD_BYTES + 1);
        assert_eq!(
            check(reg("alice", "a@b", &long)),
            Some("Password too long".into())
        );
        assert_eq!(
            check(reg("alice", "a@b", "short")),
            Some("Password must be at least 8 characters".into())
        );
        assert_eq!(
            check(reg("al\0ce", "a@b", "password")),
            Some(Error::RegistrationUsername.to_string())
        );
        // Length is in bytes: 11 three-byte characters are 33 bytes.
        assert_eq!(check(reg(&"ж".repeat(16), "a@b", "password")), None);
        assert_eq!(
            check(reg(&"€".repeat(11), "a@b", "password")),
            Some(Error::RegistrationUsername.to_string())
        );
    }
}
