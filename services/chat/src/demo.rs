//! Development data (CONTRACT §19.1): the group "Dev Team" (title and description
//! NULL) owned by alice with bob and carol as members. Loaded only in demo mode,
//! once auth's demo users exist; a `seeds` row makes it idempotent across restarts.

use crate::db::{chats, members};
use crate::error::{Error, Result};
use crate::events;
use crate::state::AppState;
use chorus_proto::Role;

const SEED: &str = "demo.dev_team";

/// Creates the group; `Ok(false)` while auth does not know the demo users yet.
pub async fn load(state: &AppState) -> Result<bool> {
    let mut ids = Vec::with_capacity(3);
    for username in ["alice", "bob", "carol"] {
        match state.peers.user_by_username(username).await? {
            Some(user) => ids.push(user.id),
            None => return Ok(false),
        }
    }
    let [alice, bob, carol] = ids[..] else {
        return Err(Error::Other(anyhow::anyhow!("demo users incomplete")));
    };
    let mut tx = state.db.begin().await?;
    if !chats::claim_seed(&mut tx, SEED).await? {
        return Ok(true);
    }
    let chat = chats::insert_named_group(&mut tx, "Dev Team", alice).await?;
    members::add(&mut tx, chat.id, alice, Role::Owner).await?;
    members::add_many(&mut tx, chat.id, &[bob, carol], Role::Member).await?;
    events::chat_created(&mut tx, &chat, &[alice, bob, carol]).await?;
    tx.commit().await?;
    tracing::info!(chat_id = chat.id.0, "demo group created");
    Ok(true)
}
