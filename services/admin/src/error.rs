//! The admin service's errors. Each domain variant's `Display` is the
//! contract's text for it (CONTRACT §14); `domain_error!` maps them to HTTP.

use chorus_kit::{DomainError, ErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // 400
    #[error("Cannot block yourself")]
    CannotBlockSelf,
    #[error("Cannot delete yourself")]
    CannotDeleteSelf,
    #[error("Cannot change your own admin status")]
    CannotChangeOwnAdmin,
    #[error("content required")]
    ContentRequired,
    #[error("Message too long")]
    TooLong,
    #[error("target_user_id or chat_id required")]
    TargetRequired,
    /// A text field held a NUL character (PostgreSQL text cannot store it).
    #[error("Invalid {0}")]
    InvalidText(&'static str),

    // 404
    #[error("Not found")]
    RouteNotFound,
    #[error("User not found")]
    UserNotFound,
    #[error("Chat not found")]
    ChatNotFound,
    #[error("Message not found")]
    MessageNotFound,

    // 500: the contract names this one's text (§14.6).
    #[error("chorus_support user not found")]
    SupportMissing,
    #[error("database")]
    Db(#[from] sqlx::Error),
    /// A peer service (auth, chat, message) failed or did not answer in time.
    #[error("peer call failed")]
    Peer(#[from] tonic::Status),
}

impl DomainError for Error {
    fn kind(&self) -> ErrorKind {
        use Error::*;
        match self {
            CannotBlockSelf | CannotDeleteSelf | CannotChangeOwnAdmin | ContentRequired
            | TooLong | TargetRequired | InvalidText(_) => ErrorKind::BadRequest,
            RouteNotFound | UserNotFound | ChatNotFound | MessageNotFound => ErrorKind::NotFound,
            SupportMissing | Db(_) | Peer(_) => ErrorKind::Internal,
        }
    }
}

impl From<Error> for chorus_kit::ApiError {
    fn from(err: Error) -> Self {
        if let Error::SupportMissing = err {
            // The one internal failure whose text the contract spells out.
            tracing::error!("the chorus_support account is missing");
            return Self::new(ErrorKind::Internal, err.to_string());
        }
        Self::from_domain(&err)
    }
}

impl axum::response::IntoResponse for Error {
    fn into_response(self) -> axum::response::Response {
        chorus_kit::ApiError::from(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_kit::ApiError;

    #[test]
    fn texts_and_statuses_are_the_contracts() {
        let api = ApiError::from(Error::CannotChangeOwnAdmin);
        assert_eq!(
            (api.kind, api.message.as_str()),
            (ErrorKind::BadRequest, "Cannot change your own admin status")
        );
        let api = ApiError::from(Error::SupportMissing);
        assert_eq!(
            (api.kind, api.message.as_str()),
            (ErrorKind::Internal, "chorus_support user not found")
        );
    }

    #[test]
    fn peer_failures_show_no_detail() {
        for status in [
            tonic::Status::internal("boom"),
            tonic::Status::unavailable("down"),
        ] {
            let api = ApiError::from(Error::Peer(status));
            assert_eq!(
                (api.kind, api.message.as_str()),
                (ErrorKind::Internal, "Internal error")
            );
        }
    }
}
