//! The chat service's errors. Each domain variant's `Display` is the contract's
//! text for it (CONTRACT §7, §8) and its kind gives the status; database, peer
//! and other failures are internal: logged once with their cause chain by
//! `chorus_kit`, answered `500 Internal error`.

use chorus_kit::{DomainError, ErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // 400
    #[error("type must be 'direct', 'group', or 'channel'")]
    InvalidChatType,
    #[error("title is required for channel type")]
    ChannelTitleRequired,
    #[error("direct chat requires exactly one other member_id")]
    DirectNeedsOneOther,
    #[error("self-chat must not include other members")]
    SelfChatWithOthers,
    /// PostgreSQL rejects NUL in text, so such input is refused before it gets there.
    #[error("{0} must not contain NUL characters")]
    NulInField(&'static str),
    #[error("No fields to update")]
    NoFieldsToUpdate,
    #[error("file_id is required")]
    FileIdRequired,
    #[error("Invalid muted_until")]
    InvalidMutedUntil,
    #[error("Transfer ownership before leaving, or delete the chat")]
    OwnerMustTransfer,
    #[error("Cannot create invites for direct chats")]
    DirectChatInvites,

    // 403
    #[error("Not a member")]
    NotMember,
    #[error("Only owner or admin can update chat")]
    UpdateNeedsManager,
    #[error("Only the chat owner can delete it")]
    DeleteNeedsOwner,
    #[error("Only owner can set chat avatar")]
    AvatarNeedsOwner,
    #[error("Only owner can promote members")]
    PromoteNeedsOwner,
    #[error("Only owner can demote members")]
    DemoteNeedsOwner,
    #[error("Only owner or admin can create invites")]
    CreateInviteNeedsManager,
    #[error("Only owner or admin can list invites")]
    ListInvitesNeedsManager,
    #[error("Only owner or admin can revoke invites")]
    RevokeInviteNeedsManager,

    // 404
    /// A missing chat and a non-member get the same answer.
    #[error("Chat not found or access denied")]
    ChatNotFound,
    /// `GET /chats/by-name/{public_name}` (no membership involved).
    #[error("Chat not found")]
    PublicChatNotFound,
    #[error("Not a member of this chat")]
    NotMemberOfChat,
    #[error("User not found")]
    UserNotFound,
    #[error("File not found")]
    FileNotFound,
    #[error("User not found or already admin/owner")]
    NotPromotable,
    #[error("User not found or not an admin")]
    NotDemotable,
    #[error("Invite not found")]
    InviteNotFound,
    #[error("Invite not found or already revoked")]
    InviteNotRevocable,

    // 409, 410
    #[error("public_name already taken")]
    PublicNameTaken,
    #[error("Invite has been revoked")]
    InviteRevoked,

    // 500
    #[error("database")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Peer(#[from] PeerError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A call to a peer service (auth, media) failed; never shown to clients as
/// anything but 500. The status stays as the source for the log.
#[derive(Debug, thiserror::Error)]
#[error("peer call {call} failed")]
pub struct PeerError {
    pub call: &'static str,
    #[source]
    pub status: tonic::Status,
}

impl PeerError {
    pub fn new(call: &'static str, status: tonic::Status) -> Self {
        Self { call, status }
    }
}

impl DomainError for Error {
    fn kind(&self) -> ErrorKind {
        use Error::*;
        match self {
            InvalidChatType | ChannelTitleRequired | DirectNeedsOneOther | SelfChatWithOthers
            | NulInField(_) | NoFieldsToUpdate | FileIdRequired | InvalidMutedUntil
            | OwnerMustTransfer | DirectChatInvites => ErrorKind::BadRequest,
            NotMember
            | UpdateNeedsManager
            | DeleteNeedsOwner
            | AvatarNeedsOwner
            | PromoteNeedsOwner
            | DemoteNeedsOwner
            | CreateInviteNeedsManager
            | ListInvitesNeedsManager
            | RevokeInviteNeedsManager => ErrorKind::Forbidden,
            ChatNotFound | PublicChatNotFound | NotMemberOfChat | UserNotFound | FileNotFound
            | NotPromotable | NotDemotable | InviteNotFound | InviteNotRevocable => {
                ErrorKind::NotFound
            }
            PublicNameTaken => ErrorKind::Conflict,
            InviteRevoked => ErrorKind::Gone,
            Db(_) | Peer(_) | Other(_) => ErrorKind::Internal,
        }
    }
}

chorus_kit::domain_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_kit::ApiError;

    #[test]
    fn contract_errors_keep_their_text_and_failures_hide_theirs() {
        let api = ApiError::from(Error::NulInField("title"));
        assert_eq!(api.kind, ErrorKind::BadRequest);
        assert_eq!(api.message, "title must not contain NUL characters");
        let api = ApiError::from(Error::InviteRevoked);
        assert_eq!(api.kind, ErrorKind::Gone);
        assert_eq!(api.message, "Invite has been revoked");
        let api = ApiError::from(Error::Db(sqlx::Error::RowNotFound));
        assert_eq!(api.kind, ErrorKind::Internal);
        assert_eq!(api.message, "Internal error");
    }
}
