//! Profiles (§4.4, §5): the public user object, presence keys shaped by the
//! target's privacy setting and the viewer, search, profile edits and avatars.

use crate::db;
use crate::db::users::{UserRow, UserWithPrivacy};
use crate::domain::settings::{LastSeenVisibility, Vocab};
use crate::error::{Error, Result};
use crate::events;
use crate::seams::{Media, MediaFile, Presence};
use crate::wire::{LastSeenApprox, Me, PresenceKeys, Profile, PublicUser};
use chorus_kit::time::Timestamp;
use chorus_proto::{FileId, UserId};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// Who is looking at a profile (§5.2).
#[derive(Debug, Clone, Copy)]
pub enum Viewer {
    /// `GET /users/by-username`: never self, never admin.
    Anonymous,
    User(UserId),
}

fn display_name(u: &UserRow) -> String {
    u.display_name.clone().unwrap_or_else(|| u.username.clone())
}

/// The public user object (§5.1).
fn public_user(u: &UserRow, avatar_url: Option<String>) -> PublicUser {
    PublicUser {
        id: u.id,
        username: u.username.clone(),
        display_name: display_name(u),
        bio: u.bio.clone(),
        is_admin: u.is_admin,
        avatar_url,
    }
}

async fn avatar_url(media: &dyn Media, u: &UserRow) -> Option<String> {
    let id = u.avatar_file_id?;
    media.urls(&[id]).await.remove(&id)
}

/// The `last_seen_approx` bucket, with the contract's strict comparisons.
pub fn approx_bucket(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<LastSeenApprox> {
    let last = last?;
    Some(if last > now - Duration::minutes(5) {
        LastSeenApprox::JustNow
    } else if last > now - Duration::hours(1) {
        LastSeenApprox::WithinAnHour
    } else if last > now - Duration::days(1) {
        LastSeenApprox::Today
    } else if last > now - Duration::days(7) {
        LastSeenApprox::ThisWeek
    } else {
        LastSeenApprox::LongAgo
    })
}

/// The visibility that applies: the target and admins see everything.
pub fn shown_visibility(target: LastSeenVisibility, full_view: bool) -> LastSeenVisibility {
    if full_view {
        LastSeenVisibility::Everyone
    } else {
        target
    }
}

/// The presence keys for a shown visibility; `online` is only asked for when shown.
pub fn presence_keys(
    shown: LastSeenVisibility,
    last_activity: Option<DateTime<Utc>>,
    online: bool,
    now: DateTime<Utc>,
) -> PresenceKeys {
    match shown {
        LastSeenVisibility::Everyone => PresenceKeys {
            is_online: Some(online),
            last_activity: last_activity.map(Timestamp),
            last_seen_approx: None,
        },
        LastSeenVisibility::ApproxOnly => PresenceKeys {
            is_online: None,
            last_activity: None,
            last_seen_approx: Some(approx_bucket(last_activity, now)),
        },
        LastSeenVisibility::Nobody => PresenceKeys {
            is_online: None,
            last_activity: None,
            last_seen_approx: None,
        },
    }
}

/// `GET /me`.
pub async fn me(db: &PgPool, media: &dyn Media, user: UserId) -> Result<Me> {
    let Some(u) = db::users::by_id(db, user).await? else {
        return Err(Error::UserNotFound);
    };
    if !u.is_active || u.is_blocked {
        return Err(Error::InvalidToken);
    }
    let avatar_url = avatar_url(media, &u).await;
    Ok(Me {
        id: u.id,
        display_name: display_name(&u),
        username: u.username,
        email: u.email,
        bio: u.bio,
        created_at: Timestamp(u.created_at),
        is_admin: u.is_admin,
        avatar_url,
    })
}

/// What a profile lookup reads: users, avatar URLs, and who is online.
#[derive(Clone, Copy)]
pub struct Lookup<'a> {
    pub db: &'a PgPool,
    pub media: &'a dyn Media,
    pub presence: &'a dyn Presence,
}

/// `GET /users/{id}`: an active user, seen by the caller.
pub async fn by_id(at: Lookup<'_>, viewer: UserId, target: UserId) -> Result<Profile> {
    let target = db::users::active_with_privacy_by_id(at.db, target).await?;
    profile(at, target, Viewer::User(viewer)).await
}

/// `GET /users/by-username/{username}`: an active user, seen anonymously.
pub async fn by_username(at: Lookup<'_>, username: &str) -> Result<Profile> {
    // PostgreSQL text cannot hold NUL, so no such user exists.
    let target = if username.contains('\0') {
        None
    } else {
        db::users::active_with_privacy_by_username(at.db, username).await?
    };
    profile(at, target, Viewer::Anonymous).await
}

/// A profile lookup with the presence keys the viewer may see (§5.2). Only a
/// viewer other than the target costs a query (is the viewer an admin?).
pub async fn profile(
    at: Lookup<'_>,
    target: Option<UserWithPrivacy>,
    viewer: Viewer,
) -> Result<Profile> {
    let Some(target) = target else {
        return Err(Error::UserNotFound);
    };
    let u = &target.user;
    let full_view = match viewer {
        Viewer::Anonymous => false,
        Viewer::User(id) if id == u.id => true,
        // Admin status of the viewer is the database flag, not the token claim.
        Viewer::User(id) => db::users::by_id(at.db, id)
            .await?
            .is_some_and(|v| v.is_admin),
    };
    let shown = shown_visibility(
        LastSeenVisibility::coerce(&target.last_seen_visibility),
        full_view,
    );
    let online =
        shown == LastSeenVisibility::Everyone && at.presence.online(&[u.id]).await.contains(&u.id);
    Ok(Profile {
        user: public_user(u, avatar_url(at.media, u).await),
        presence: presence_keys(shown, u.last_activity, online, Utc::now()),
    })
}

/// `GET /users/search`.
pub async fn search(db: &PgPool, media: &dyn Media, q: &str) -> Result<Vec<PublicUser>> {
    let q = q.replace('\0', "");
    let users = db::users::search(db, &q).await?;
    let file_ids: Vec<FileId> = users.iter().filter_map(|u| u.avatar_file_id).collect();
    let urls = if file_ids.is_empty() {
        Default::default()
    } else {
        media.urls(&file_ids).await
    };
    Ok(users
        .iter()
        .map(|u| public_user(u, u.avatar_file_id.and_then(|f| urls.get(&f).cloned())))
        .collect())
}

pub struct ProfileEdit {
    pub display_name: String,
    pub bio: String,
    /// `None` keeps the username.
    pub username: Option<String>,
}

fn valid_username(name: &str) -> bool {
    (3..=20).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `PUT /users/{id}` for the caller's own id: the updated row.
#[tracing::instrument(skip_all, fields(%user))]
pub async fn update(db: &PgPool, user: UserId, edit: ProfileEdit) -> Result<UserRow> {
    if let Some(name) = &edit.username
        && !valid_username(name)
    {
        return Err(Error::ProfileUsername);
    }
    let display_name = edit.display_name.replace('\0', "");
    let bio = edit.bio.replace('\0', "");
    let mut tx = db.begin().await?;
    let updated = match db::users::update_profile(
        &mut tx,
        user,
        &display_name,
        &bio,
        edit.username.as_deref(),
    )
    .await
    {
        Ok(row) => row,
        Err(err) if chorus_kit::db::is_unique_violation(&err, "users_username_key") => {
            return Err(Error::UsernameTaken);
        }
        Err(err) => return Err(err.into()),
    };
    let Some(u) = updated else {
        return Err(Error::UserNotFound);
    };
    // §5.6: every successful profile update announces the (possibly unchanged)
    // display name to the user's chats.
    events::user_updated(&mut tx, &u, true, None).await?;
    tx.commit().await?;
    Ok(u)
}

/// `GET /users/{id}/avatar`: the presigned URL to redirect to. The active flag
/// is not checked (§5.7).
pub async fn avatar_redirect(db: &PgPool, media: &dyn Media, user: UserId) -> Result<String> {
    let user = db::users::by_id(db, user).await?;
    // An outage of media is a 500, not "no avatar".
    let file = match user.and_then(|u| u.avatar_file_id) {
        Some(file_id) => media.file(file_id).await?,
        None => None,
    };
    file.map(|f| f.url).ok_or(Error::NoAvatar)
}

/// Only a file the caller uploaded may become their avatar: another's file
/// would be published by it (§5.8).
pub fn own_file(file: Option<MediaFile>, user: UserId) -> Result<MediaFile> {
    file.filter(|f| f.uploader_id == user)
        .ok_or(Error::FileNotFound)
}

/// `PUT /users/me/avatar`: the avatar's presigned URL.
pub async fn set_avatar(
    db: &PgPool,
    media: &dyn Media,
    user: UserId,
    file_id: FileId,
) -> Result<String> {
    let file = own_file(media.file(file_id).await?, user)?;
    let mut tx = db.begin().await?;
    let Some(u) = db::users::set_avatar(&mut tx, user, file.id).await? else {
        return Err(Error::UserNotFound);
    };
    events::user_updated(&mut tx, &u, false, Some(&file.url)).await?;
    tx.commit().await?;
    Ok(file.url)
}

#[cfg(test)]
mod tests;
