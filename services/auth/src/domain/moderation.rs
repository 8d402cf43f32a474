//! Account moderation used by the admin service (§2.4, §14.4): blocking and
//! soft-deleting revoke every session and take effect on every node at once
//! through the revocation flag; admin toggles apply to tokens issued afterwards.

use crate::db;
use crate::error::Result;
use crate::events;
use crate::state::AppState;
use chorus_kit::ApiError;

pub async fn set_blocked(state: &AppState, user_id: i64, blocked: bool) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let Some(_) = db::users::set_flags(&mut tx, user_id, Some(blocked), None, false).await? else {
        return Err(ApiError::not_found("User not found").into());
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
        state.revocations.revoke(user_id).await
    } else {
        state.revocations.restore(user_id).await
    };
    if let Err(err) = flagged {
        tracing::error!(%err, user_id, "cannot update the revocation flag");
    }
    Ok(())
}

pub async fn soft_delete(state: &AppState, user_id: i64) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let Some(_) = db::users::set_flags(&mut tx, user_id, None, Some(false), false).await? else {
        return Err(ApiError::not_found("User not found").into());
    };
    db::sessions::revoke_user(&mut *tx, user_id).await?;
    events::user_deleted(&mut tx, user_id).await?;
    tx.commit().await?;
    if let Err(err) = state.revocations.revoke(user_id).await {
        tracing::error!(%err, user_id, "cannot set the revocation flag");
    }
    Ok(())
}

pub async fn toggle_admin(state: &AppState, user_id: i64) -> Result<()> {
    let mut tx = state.db.begin().await?;
    let Some(u) = db::users::set_flags(&mut tx, user_id, None, None, true).await? else {
        return Err(ApiError::not_found("User not found").into());
    };
    events::user_updated(&mut tx, &u, false, None).await?;
    tx.commit().await?;
    Ok(())
}
