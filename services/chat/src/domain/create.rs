//! `POST /chats` (§7.2): direct get-or-create (race-free under an advisory lock on
//! the pair), self-chats, groups and channels, members committed before the answer.

use super::reject_nul;
use crate::db::chats::{self, NewChat, PUBLIC_NAME_KEY};
use crate::db::members::{self, MEMBER, OWNER};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_kit::db::is_unique_violation;

/// A parsed creation request; absent strings are `""`.
#[derive(Debug, Default, Clone)]
pub struct NewChatRequest {
    pub kind: String,
    pub name: String,
    pub title: String,
    pub description: String,
    pub public_name: String,
    pub member_ids: Vec<i64>,
}

/// What was created or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A direct chat (or self-chat); `created` is false for an existing one (200).
    Direct { id: i64, created: bool },
    /// A new group or channel with its stored title.
    Chat {
        id: i64,
        kind: String,
        title: String,
    },
}

pub async fn create(state: &AppState, caller: i64, req: NewChatRequest) -> Result<Outcome> {
    if !matches!(req.kind.as_str(), "direct" | "group" | "channel") {
        return Err(Error::bad_request(
            "type must be 'direct', 'group', or 'channel'",
        ));
    }
    if req.kind == "channel" && req.title.is_empty() {
        return Err(Error::bad_request("title is required for channel type"));
    }
    for (field, value) in [
        ("name", &req.name),
        ("title", &req.title),
        ("description", &req.description),
        ("public_name", &req.public_name),
    ] {
        reject_nul(field, value)?;
    }
    if req.kind == "direct" {
        direct(state, caller, &req).await
    } else {
        group(state, caller, req).await
    }
}

async fn direct(state: &AppState, caller: i64, req: &NewChatRequest) -> Result<Outcome> {
    let includes_self = req.member_ids.contains(&caller);
    // Duplicates count: `[5,5]` is two other ids (§7.2).
    let others: Vec<i64> = req
        .member_ids
        .iter()
        .copied()
        .filter(|id| *id != caller)
        .collect();
    if !includes_self && others.len() != 1 {
        return Err(Error::bad_request(
            "direct chat requires exactly one other member_id",
        ));
    }
    if includes_self && !others.is_empty() {
        return Err(Error::bad_request(
            "self-chat must not include other members",
        ));
    }
    let other = others.first().copied();
    if let Some(other) = other {
        let known = state.peers.users(&[other]).await?;
        if !known.get(&other).is_some_and(|u| u.is_active) {
            return Err(Error::not_found("User not found"));
        }
    }

    let mut tx = state.db.begin().await?;
    let partner = other.unwrap_or(caller);
    chats::lock_direct_pair(&mut tx, caller, partner).await?;
    let existing = match other {
        Some(other) => chats::find_direct(&mut tx, caller, other).await?,
        None => chats::find_self(&mut tx, caller).await?,
    };
    if let Some(id) = existing {
        tx.commit().await?;
        return Ok(Outcome::Direct { id, created: false });
    }
    let chat = chats::insert(
        &mut tx,
        &NewChat {
            kind: "direct",
            name: &req.name,
            title: &req.title,
            description: &req.description,
            // Public names are a group/channel feature; a DM never claims one.
            public_name: None,
            owner_id: caller,
            is_self: other.is_none(),
        },
    )
    .await?;
    members::add(&mut tx, chat.id, caller, OWNER).await?;
    let mut audience = vec![caller];
    if let Some(other) = other {
        members::add(&mut tx, chat.id, other, MEMBER).await?;
        audience.push(other);
    }
    events::chat_created(&mut tx, &chat, audience).await?;
    tx.commit().await?;
    Ok(Outcome::Direct {
        id: chat.id,
        created: true,
    })
}

async fn group(state: &AppState, caller: i64, req: NewChatRequest) -> Result<Outcome> {
    let mut requested: Vec<i64> = req
        .member_ids
        .iter()
        .copied()
        .filter(|id| *id != caller)
        .collect();
    requested.sort_unstable();
    requested.dedup();
    // Ids that are not (active) users are skipped silently (§7.2, §23 D16).
    let existing: Vec<i64> = if requested.is_empty() {
        Vec::new()
    } else {
        let known = state.peers.users(&requested).await?;
        requested
            .into_iter()
            .filter(|id| known.get(id).is_some_and(|u| u.is_active))
            .collect()
    };
    let name = if req.kind == "channel" {
        req.title.as_str()
    } else {
        req.name.as_str()
    };
    let public_name = Some(req.public_name.as_str()).filter(|p| !p.is_empty());

    let mut tx = state.db.begin().await?;
    let inserted = chats::insert(
        &mut tx,
        &NewChat {
            kind: &req.kind,
            name,
            title: &req.title,
            description: &req.description,
            public_name,
            owner_id: caller,
            is_self: false,
        },
    )
    .await;
    let chat = match inserted {
        Ok(chat) => chat,
        Err(err) if is_unique_violation(&err, PUBLIC_NAME_KEY) => {
            return Err(Error::conflict("public_name already taken"));
        }
        Err(err) => return Err(err.into()),
    };
    members::add(&mut tx, chat.id, caller, OWNER).await?;
    members::add_many(&mut tx, chat.id, &existing, MEMBER).await?;
    let mut audience = vec![caller];
    audience.extend(existing.iter().copied());
    events::chat_created(&mut tx, &chat, audience).await?;
    tx.commit().await?;
    Ok(Outcome::Chat {
        id: chat.id,
        kind: chat.kind,
        title: chat.title.unwrap_or_default(),
    })
}
