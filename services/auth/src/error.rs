//! The auth service's errors. Each domain variant's `Display` is the contract's
//! text (CONTRACT §2, §4–§6) and `kind()` its status; `domain_error!` derives
//! the HTTP response and the `tonic::Status` from them.

use crate::seams::PeerError;
use chorus_kit::{DomainError, ErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // Registration (§4.1). The dash of the first is U+2013, as the client shows it.
    #[error("Username must be 3–32 characters")]
    RegistrationUsername,
    #[error("Invalid email")]
    InvalidEmail,
    #[error("Password must be at least 8 characters")]
    PasswordTooShort,
    #[error("Password too long")]
    PasswordTooLong,
    #[error("Username or email already taken")]
    UsernameOrEmailTaken,

    // Sessions (§4.2, §4.3, §2.3).
    #[error("username and password required")]
    CredentialsRequired,
    #[error("Too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("Invalid credentials")]
    InvalidCredentials,
    #[error("Account blocked. Contact support.")]
    AccountBlocked,
    #[error("refresh_token required")]
    RefreshTokenRequired,
    #[error("Invalid or expired refresh token")]
    InvalidRefreshToken,
    /// The caller's account is blocked or deleted (§1.4 answers the same).
    #[error("Invalid or expired token")]
    InvalidToken,

    // Profiles (§4.4, §5).
    #[error("User not found")]
    UserNotFound,
    /// `PUT /users/{id}` for someone else.
    #[error("Forbidden")]
    NotSelf,
    #[error("Username must be 3-20 characters: letters, digits, underscores only")]
    ProfileUsername,
    #[error("Username already taken")]
    UsernameTaken,
    #[error("No avatar")]
    NoAvatar,
    #[error("file_id required")]
    FileIdRequired,
    #[error("File not found")]
    FileNotFound,

    /// gRPC `Users.GetMany` asked for more ids than one call may carry.
    #[error("at most {max} ids per call")]
    TooManyIds { max: usize },

    #[error("database")]
    Db(#[from] sqlx::Error),
    #[error("password hashing")]
    Password(#[from] crate::password::PasswordError),
    /// A peer service (media) failed; never shown to clients as anything but 500.
    #[error(transparent)]
    Peer(#[from] PeerError),
    #[error("token signing")]
    Signing(#[from] jsonwebtoken::errors::Error),
    /// A presigned URL that cannot be a `Location` header.
    #[error("avatar URL is not a valid header value")]
    AvatarUrl,
}

impl DomainError for Error {
    fn kind(&self) -> ErrorKind {
        use Error::*;
        match self {
            RegistrationUsername
            | InvalidEmail
            | PasswordTooShort
            | PasswordTooLong
            | CredentialsRequired
            | RefreshTokenRequired
            | ProfileUsername
            | FileIdRequired
            | TooManyIds { .. } => ErrorKind::BadRequest,
            UsernameOrEmailTaken | UsernameTaken => ErrorKind::Conflict,
            TooManyRequests { retry_after_secs } => ErrorKind::TooManyRequests {
                retry_after_secs: *retry_after_secs,
            },
            InvalidCredentials | InvalidRefreshToken | InvalidToken => ErrorKind::Unauthorized,
            AccountBlocked | NotSelf => ErrorKind::Forbidden,
            UserNotFound | NoAvatar | FileNotFound => ErrorKind::NotFound,
            Db(_) | Password(_) | Peer(_) | Signing(_) | AvatarUrl => ErrorKind::Internal,
        }
    }
}

chorus_kit::domain_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;
    use chorus_kit::ApiError;

    #[test]
    fn contract_texts_reach_the_client_and_internal_causes_do_not() {
        assert_eq!(
            ApiError::from(Error::RegistrationUsername),
            ApiError::bad_request("Username must be 3\u{2013}32 characters")
        );
        assert_eq!(
            ApiError::from(Error::AccountBlocked),
            ApiError::forbidden("Account blocked. Contact support.")
        );
        assert_eq!(
            ApiError::from(Error::TooManyRequests {
                retry_after_secs: 7
            }),
            ApiError::too_many_requests(7)
        );
        assert_eq!(
            ApiError::from(Error::Db(sqlx::Error::PoolTimedOut)),
            ApiError::internal()
        );
    }
}
