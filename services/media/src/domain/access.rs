//! Who may download a file (§12.2, D12): its uploader; anyone, for a file in use
//! as a user or chat avatar or a sticker; members of a chat where it is attached.

use crate::db::{files::FileRow, uses};
use crate::error::Result;
use crate::state::AppState;
use chorus_proto::chat::v1::ListUserChatsRequest;
use std::time::Duration;

pub async fn may_download(state: &AppState, user_id: i64, file: &FileRow) -> Result<bool> {
    if file.uploader_id == user_id {
        return Ok(true);
    }
    let uses = uses::of(&state.db, file.id).await?;
    if uses.public {
        return Ok(true);
    }
    if uses.chats.is_empty() {
        return Ok(false);
    }
    const DEADLINE: Duration = Duration::from_secs(2);
    let mut client = state.membership.clone();
    let request = chorus_kit::grpc::request(ListUserChatsRequest { user_id }, DEADLINE);
    let chats = chorus_kit::grpc::within(DEADLINE, client.list_user_chats(request))
        .await?
        .into_inner()
        .chat_ids;
    Ok(uses.chats.iter().any(|c| chats.contains(c)))
}
