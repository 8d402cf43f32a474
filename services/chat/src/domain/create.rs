//! `POST /chats` (§7.2): direct get-or-create (race-free under an advisory lock on
//! the pair), self-chats, groups and channels, members committed before the answer.

use super::reject_nul;
use crate::db::chats::{self, NewChat, PUBLIC_NAME_KEY};
use crate::db::members;
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_kit::db::is_unique_violation;
use chorus_proto::{ChatId, ChatType, Role, UserId};

/// A parsed creation request; absent strings are `""`.
#[derive(Debug, Clone)]
pub struct NewChatRequest {
    pub kind: ChatType,
    pub name: String,
    pub title: String,
    pub description: String,
    pub public_name: String,
    pub member_ids: Vec<UserId>,
}

/// What was created or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A direct chat (or self-chat); `created` is false for an existing one (200).
    Direct { id: ChatId, created: bool },
    /// A new group or channel with its stored title.
    Chat {
        id: ChatId,
        kind: ChatType,
        title: String,
    },
}

pub async fn create(state: &AppState, caller: UserId, req: NewChatRequest) -> Result<Outcome> {
    if req.kind == ChatType::Channel && req.title.is_empty() {
        return Err(Error::ChannelTitleRequired);
    }
    for (field, value) in [
        ("name", &req.name),
        ("title", &req.title),
        ("description", &req.description),
        ("public_name", &req.public_name),
    ] {
        reject_nul(field, value)?;
    }
    if req.kind == ChatType::Direct {
        direct(state, caller, &req).await
    } else {
        group(state, caller, req).await
    }
}

/// The other member of a direct chat, `None` for a self-chat (§7.2).
pub fn direct_partner(caller: UserId, member_ids: &[UserId]) -> Result<Option<UserId>> {
    let includes_self = member_ids.contains(&caller);
    // Duplicates count: `[5,5]` is two other ids (§7.2).
    let others: Vec<UserId> = member_ids
        .iter()
        .copied()
        .filter(|id| *id != caller)
        .collect();
    if !includes_self && others.len() != 1 {
        return Err(Error::DirectNeedsOneOther);
    }
    if includes_self && !others.is_empty() {
        return Err(Error::SelfChatWithOthers);
    }
    Ok(others.first().copied())
}

async fn direct(state: &AppState, caller: UserId, req: &NewChatRequest) -> Result<Outcome> {
    let other = direct_partner(caller, &req.member_ids)?;
    if let Some(other) = other {
        let known = state.peers.users(&[other]).await?;
        if !known.get(&other).is_some_and(|u| u.is_active) {
            return Err(Error::UserNotFound);
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
            kind: ChatType::Direct,
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
    members::add(&mut tx, chat.id, caller, Role::Owner).await?;
    let mut audience = vec![caller];
    if let Some(other) = other {
        members::add(&mut tx, chat.id, other, Role::Member).await?;
        audience.push(other);
    }
    events::chat_created(&mut tx, &chat, &audience).await?;
    tx.commit().await?;
    Ok(Outcome::Direct {
        id: chat.id,
        created: true,
    })
}

async fn group(state: &AppState, caller: UserId, req: NewChatRequest) -> Result<Outcome> {
    let mut requested: Vec<UserId> = req
        .member_ids
        .iter()
        .copied()
        .filter(|id| *id != caller)
        .collect();
    requested.sort_unstable();
    requested.dedup();
    // Ids that are not (active) users are skipped silently (§7.2, §23 D16).
    let existing: Vec<UserId> = if requested.is_empty() {
        Vec::new()
    } else {
        let known = state.peers.users(&requested).await?;
        requested
            .into_iter()
            .filter(|id| known.get(id).is_some_and(|u| u.is_active))
            .collect()
    };
    let name = if req.kind == ChatType::Channel {
        req.title.as_str()
    } else {
        req.name.as_str()
    };
    let public_name = Some(req.public_name.as_str()).filter(|p| !p.is_empty());

    let mut tx = state.db.begin().await?;
    let inserted = chats::insert(
        &mut tx,
        &NewChat {
            kind: req.kind,
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
            return Err(Error::PublicNameTaken);
        }
        Err(err) => return Err(err.into()),
    };
    members::add(&mut tx, chat.id, caller, Role::Owner).await?;
    members::add_many(&mut tx, chat.id, &existing, Role::Member).await?;
    let mut audience = vec![caller];
    audience.extend(existing.iter().copied());
    events::chat_created(&mut tx, &chat, &audience).await?;
    tx.commit().await?;
    Ok(Outcome::Chat {
        id: chat.id,
        kind: chat.kind,
        title: chat.title.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(caller: i64, ids: &[i64]) -> std::result::Result<Option<i64>, String> {
        let ids: Vec<UserId> = ids.iter().copied().map(UserId).collect();
        direct_partner(UserId(caller), &ids)
            .map(|p| p.map(i64::from))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_direct_chat_names_exactly_one_other_member_or_only_the_caller() {
        assert_eq!(partner(1, &[2]), Ok(Some(2)));
        assert_eq!(partner(1, &[1]), Ok(None));
        assert_eq!(partner(1, &[1, 1]), Ok(None));
        let one_other = Err("direct chat requires exactly one other member_id".to_string());
        assert_eq!(partner(1, &[]), one_other);
        // Duplicates are not de-duplicated: `[5,5]` is two other ids.
        assert_eq!(partner(1, &[5, 5]), one_other);
        assert_eq!(
            partner(1, &[1, 2]),
            Err("self-chat must not include other members".to_string())
        );
    }
}
