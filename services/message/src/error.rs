//! The message service's errors. Each domain variant's `Display` is the
//! contract's text for it (CONTRACT §9–§11); `domain_error!` maps them to HTTP
//! and gRPC, logging internal failures once with their cause chain.

use chorus_kit::{DomainError, ErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // 400: the request itself is wrong.
    #[error("content, file_id or sticker_id required")]
    EmptyMessage,
    #[error("content required")]
    ContentRequired,
    #[error("Message too long")]
    TooLong,
    /// A text field held a NUL character (PostgreSQL text cannot store it).
    #[error("Invalid {0}")]
    InvalidText(&'static str),
    #[error("client_msg_id too long (max 64)")]
    ClientMsgIdTooLong,
    #[error("Invalid reply_to_message_id")]
    InvalidReplyTo,
    #[error("emoji required (max 32 chars)")]
    InvalidEmoji,
    #[error("from_chat_id required")]
    FromChatRequired,
    #[error("message_ids array required")]
    MessageIdsRequired,
    #[error("Maximum 100 messages per forward")]
    TooManyForwarded,

    // 403: the caller may not do this.
    #[error("Not a member of this chat")]
    NotMember,
    #[error("Not a member of source chat")]
    NotSourceMember,
    #[error("Not a member of target chat")]
    NotTargetMember,
    #[error("Only admins can post in channels")]
    OnlyAdminsPost,
    #[error("Only admins can pin in channels")]
    OnlyAdminsPin,
    #[error("Only admins can unpin in channels")]
    OnlyAdminsUnpin,
    /// Edits answer 403, not 404, for every reason a message cannot be edited (§9.6).
    #[error("Message not found or not editable")]
    NotEditable,
    #[error("Only sender or admin can delete for everyone")]
    NotSenderOrAdmin,
    #[error("Cannot delete for everyone after 48 hours")]
    TooOldToDelete,

    // 404: what the request names does not exist (for the caller).
    #[error("Message not found")]
    MessageNotFound,
    #[error("Message not found in this chat")]
    MessageNotInChat,
    #[error("No pinned message found")]
    NoPinnedMessage,
    #[error("No valid messages found")]
    NoValidMessages,
    #[error("Sticker not found")]
    StickerNotFound,
    #[error("File not found")]
    FileNotFound,

    // 500: ours or a peer's failure; the client sees `Internal error`.
    #[error("database")]
    Db(#[from] sqlx::Error),
    /// The send statement's driver (`db::store::send`).
    #[error("database")]
    Pg(#[from] tokio_postgres::Error),
    #[error("database pool")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// A peer service (auth, chat, media) failed.
    #[error("peer call failed")]
    Peer(#[from] tonic::Status),
    #[error("serializing a message")]
    Json(#[from] serde_json::Error),
}

impl DomainError for Error {
    fn kind(&self) -> ErrorKind {
        use Error::*;
        match self {
            EmptyMessage | ContentRequired | TooLong | InvalidText(_) | ClientMsgIdTooLong
            | InvalidReplyTo | InvalidEmoji | FromChatRequired | MessageIdsRequired
            | TooManyForwarded => ErrorKind::BadRequest,
            NotMember | NotSourceMember | NotTargetMember | OnlyAdminsPost | OnlyAdminsPin
            | OnlyAdminsUnpin | NotEditable | NotSenderOrAdmin | TooOldToDelete => {
                ErrorKind::Forbidden
            }
            MessageNotFound | MessageNotInChat | NoPinnedMessage | NoValidMessages
            | StickerNotFound | FileNotFound => ErrorKind::NotFound,
            Db(_) | Pg(_) | Pool(_) | Peer(_) | Json(_) => ErrorKind::Internal,
        }
    }
}

chorus_kit::domain_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_kit::ApiError;

    #[test]
    fn domain_errors_carry_the_contract_texts() {
        let api = ApiError::from(Error::NotMember);
        assert_eq!(api.kind, ErrorKind::Forbidden);
        assert_eq!(api.message, "Not a member of this chat");
        let api = ApiError::from(Error::InvalidText("content"));
        assert_eq!(
            (api.kind, api.message.as_str()),
            (ErrorKind::BadRequest, "Invalid content")
        );
    }

    #[test]
    fn internal_failures_show_no_detail() {
        let api = ApiError::from(Error::Peer(tonic::Status::unavailable("chat down")));
        assert_eq!(api.kind, ErrorKind::Internal);
        assert_eq!(api.message, "Internal error");
    }
}
