//! Profiles (§4.4, §5): the public user object, presence keys shaped by the
//! target's privacy setting and the viewer, search, profile edits and avatars.

use crate::db;
use crate::db::users::{UserRow, UserWithPrivacy};
use crate::error::Result;
use crate::events;
use crate::state::AppState;
use chorus_kit::ApiError;
use chorus_kit::time::format_ts;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

/// Who is looking at a profile (§5.2).
#[derive(Debug, Clone, Copy)]
pub enum Viewer {
    /// `GET /users/by-username`: never self, never admin.
    Anonymous,
    User {
        id: i64,
    },
}

fn display_name(u: &UserRow) -> String {
    u.display_name.clone().unwrap_or_else(|| u.username.clone())
}

/// The public user object (§5.1).
fn public_object(u: &UserRow, avatar_url: Option<String>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(u.id));
    m.insert("username".into(), json!(u.username));
    m.insert("display_name".into(), json!(display_name(u)));
    m.insert("bio".into(), json!(u.bio));
    m.insert("is_admin".into(), json!(u.is_admin));
    m.insert("avatar_url".into(), json!(avatar_url));
    m
}

async fn avatar_url(state: &AppState, u: &UserRow) -> Option<String> {
    let id = u.avatar_file_id?;
    state.media.urls(&[id]).await.remove(&id)
}

/// The `last_seen_approx` bucket, with the contract's strict comparisons.
pub fn approx_bucket(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<&'static str> {
    let last = last?;
    Some(if last > now - Duration::minutes(5) {
        "just now"
    } else if last > now - Duration::hours(1) {
        "within an hour"
    } else if last > now - Duration::days(1) {
        "today"
    } else if last > now - Duration::days(7) {
        "this week"
    } else {
        "long ago"
    })
}

/// `GET /me`.
pub async fn me(state: &AppState, user_id: i64) -> Result<Value> {
    let Some(u) = db::users::by_id(&state.db, user_id).await? else {
        return Err(ApiError::not_found("User not found").into());
    };
    if !u.is_active || u.is_blocked {
        return Err(ApiError::unauthorized("Invalid or expired token").into());
    }
    let avatar = avatar_url(state, &u).await;
    Ok(json!({
        "id": u.id,
        "username": u.username,
        "email": u.email,
        "display_name": display_name(&u),
        "bio": u.bio,
        "created_at": format_ts(u.created_at),
        "is_admin": u.is_admin,
        "avatar_url": avatar,
    }))
}

/// A profile lookup with the presence keys the viewer may see (§5.2).
pub async fn profile(
    state: &AppState,
    target: Option<UserWithPrivacy>,
    viewer: Viewer,
) -> Result<Value> {
    let Some(target) = target else {
        return Err(ApiError::not_found("User not found").into());
    };
    let full_view = match viewer {
        Viewer::Anonymous => false,
        Viewer::User { id } if id == target.user.id => true,
        // Admin status of the viewer is the database flag, not the token claim.
        Viewer::User { id } => db::users::by_id(&state.db, id)
            .await?
            .is_some_and(|v| v.is_admin),
    };
    let u = &target.user;
    let mut obj = public_object(u, avatar_url(state, u).await);
    let visibility = if full_view {
        "everyone"
    } else {
        target.last_seen_visibility.as_str()
    };
    match visibility {
        "approx_only" => {
            obj.insert("is_online".into(), Value::Null);
            obj.insert("last_activity".into(), Value::Null);
            obj.insert(
                "last_seen_approx".into(),
                json!(approx_bucket(u.last_activity, Utc::now())),
            );
        }
        "nobody" => {
            obj.insert("is_online".into(), Value::Null);
            obj.insert("last_activity".into(), Value::Null);
        }
        _ => {
            let online = state.presence.online(&[u.id]).await.contains(&u.id);
            obj.insert("is_online".into(), json!(online));
            obj.insert(
                "last_activity".into(),
                json!(u.last_activity.map(format_ts)),
            );
        }
    }
    Ok(Value::Object(obj))
}

/// `GET /users/search`.
pub async fn search(state: &AppState, q: &str) -> Result<Value> {
    let q = q.replace('\0', "");
    let users = db::users::search(&state.db, &q).await?;
    let file_ids: Vec<i64> = users.iter().filter_map(|u| u.avatar_file_id).collect();
    let urls = if file_ids.is_empty() {
        Default::default()
    } else {
        state.media.urls(&file_ids).await
    };
    let list: Vec<Value> = users
        .iter()
        .map(|u| {
            Value::Object(public_object(
                u,
                u.avatar_file_id.and_then(|f| urls.get(&f).cloned()),
            ))
        })
        .collect();
    Ok(Value::Array(list))
}

pub struct ProfileEdit {
    pub display_name: String,
    pub bio: String,
    pub username: Option<String>,
}

fn valid_username(name: &str) -> bool {
    (3..=20).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `PUT /users/{id}` for the caller's own id.
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn update(state: &AppState, user_id: i64, edit: ProfileEdit) -> Result<Value> {
    if let Some(name) = &edit.username
        && !valid_username(name)
    {
        return Err(ApiError::bad_request(
            "Username must be 3-20 characters: letters, digits, underscores only",
        )
        .into());
    }
    let display_name = edit.display_name.replace('\0', "");
    let bio = edit.bio.replace('\0', "");
    let mut tx = state.db.begin().await?;
    let updated = match db::users::update_profile(
        &mut tx,
        user_id,
        &display_name,
        &bio,
        edit.username.as_deref(),
    )
    .await
    {
        Ok(row) => row,
        Err(err) if chorus_kit::db::is_unique_violation(&err, "users_username_key") => {
            return Err(ApiError::conflict("Username already taken").into());
        }
        Err(err) => return Err(err.into()),
    };
    let Some(u) = updated else {
        return Err(ApiError::not_found("User not found").into());
    };
    // §5.6: every successful profile update announces the (possibly unchanged)
    // display name to the user's chats.
    events::user_updated(&mut tx, &u, true, None).await?;
    tx.commit().await?;
    Ok(json!({ "id": u.id, "username": u.username, "display_name": u.display_name, "bio": u.bio }))
}

/// `GET /users/{id}/avatar`: the presigned URL to redirect to.
pub async fn avatar_redirect(state: &AppState, user_id: Option<i64>) -> Result<String> {
    let no_avatar = || ApiError::not_found("No avatar");
    let user = match user_id {
        Some(id) => db::users::by_id(&state.db, id).await?,
        None => None,
    };
    // An outage of media is a 500, not "no avatar".
    let file = match user.and_then(|u| u.avatar_file_id) {
        Some(file_id) => state.media.file(file_id).await?,
        None => None,
    };
    file.map(|f| f.url).ok_or_else(|| no_avatar().into())
}

/// `PUT /users/me/avatar`: only a file the caller uploaded (§5.8).
pub async fn set_avatar(state: &AppState, user_id: i64, file_id: i64) -> Result<Value> {
    let file = state.media.file(file_id).await?;
    let Some(file) = file.filter(|f| f.uploader_id == user_id) else {
        return Err(ApiError::not_found("File not found").into());
    };
    let mut tx = state.db.begin().await?;
    let Some(u) = db::users::set_avatar(&mut tx, user_id, file_id).await? else {
        return Err(ApiError::not_found("User not found").into());
    };
    events::user_updated(&mut tx, &u, false, Some(&file.url)).await?;
    tx.commit().await?;
    Ok(json!({ "avatar_url": file.url }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approx_buckets_use_strict_comparisons() {
        let now = Utc::now();
        assert_eq!(approx_bucket(None, now), None);
        assert_eq!(
            approx_bucket(Some(now - Duration::seconds(10)), now),
            Some("just now")
        );
        assert_eq!(
            approx_bucket(Some(now - Duration::minutes(5)), now),
            Some("within an hour")
        );
        assert_eq!(
            approx_bucket(Some(now - Duration::hours(1)), now),
            Some("today")
        );
        assert_eq!(
            approx_bucket(Some(now - Duration::days(1)), now),
            Some("this week")
        );
        assert_eq!(
            approx_bucket(Some(now - Duration::days(7)), now),
            Some("long ago")
        );
    }

    #[test]
    fn profile_usernames_are_ascii_word_characters() {
        assert!(valid_username("alice_2"));
        assert!(!valid_username("al"));
        assert!(!valid_username("alice-2"));
        assert!(!valid_username("ålice"));
        assert!(!valid_username("a23456789012345678901"));
    }
}
