//! Account moderation used by the admin service (§2.4, §14.4): blocking and
//! soft-deleting revoke every session and take effect on every node at once
//! through the revocation flag; admin toggles apply to tokens issued afterwards.

use crate::db;
use crate::error::{Error, Result};
use crate::events;
use chorus_authn::Revocations;
use chorus_proto::UserId;
use sqlx::PgPool;

pub async fn set_blocked(
    db: &PgPool,
    revocations: &Revocations,
    user_id: UserId,
    blocked: bool,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let Some(_) = db::users::set_flags(&mut tx, user_id, Some(blocked), None, false).await? else {
        return Err(Error::UserNotFound);
    };
    if blocked {
        db::sessions::revoke_user(&mut *tx, user_id).await?;
        events::user_blocked(&mut tx, user_id).await?;
    } else {
        events::user_unblocked(&mut tx, user_id).await?;
    }
    let still_revoked = !blocked
        && db::users::by_id(&mut *tx, user_id)
            .await?
            .is_some_and(|u| !u.is_active);
    tx.commit().await?;
    let flagged = if blocked || still_revoked {
        revocations.revoke(user_id.0).await
    } else {
        revocations.restore(user_id.0).await
    };
    if let Err(err) = flagged {
        tracing::error!(%err, %user_id, "cannot update the revocation flag");
    }
    Ok(())
}

pub async fn soft_delete(db: &PgPool, revocations: &Revocations, user_id: UserId) -> Result<()> {
    let mut tx = db.begin().await?;
    // §14.4: soft-delete is `is_active = false` and `is_blocked = true`.
    let Some(_) = db::users::set_flags(&mut tx, user_id, Some(true), Some(false), false).await?
    else {
        return Err(Error::UserNotFound);
    };
    db::sessions::revoke_user(&mut *tx, user_id).await?;
    events::user_deleted(&mut tx, user_id).await?;
    tx.commit().await?;
    if let Err(err) = revocations.revoke(user_id.0).await {
        tracing::error!(%err, %user_id, "cannot set the revocation flag");
    }
    Ok(())
}

pub async fn toggle_admin(db: &PgPool, user_id: UserId) -> Result<()> {
    let mut tx = db.begin().await?;
    let Some(u) = db::users::set_flags(&mut tx, user_id, None, None, true).await? else {
        return Err(Error::UserNotFound);
    };
    events::user_updated(&mut tx, &u, false, None).await?;
    tx.commit().await?;
    Ok(())
}
