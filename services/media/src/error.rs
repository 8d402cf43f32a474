//! The media service's errors: each domain variant's `Display` is the
//! contract's text (§12, §13); every other failure is logged once with its
//! cause chain and answers `500 Internal error`.

use chorus_kit::{DomainError, ErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A peer service (the chat service's membership) failed; the cause is logged,
/// never shown.
#[derive(Debug, thiserror::Error)]
#[error("peer call failed: {0}")]
pub struct PeerError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("No file uploaded (use multipart/form-data field 'file')")]
    NoFile,
    #[error("File is empty")]
    EmptyFile,
    /// The body broke off mid-part (malformed, or the client went away).
    #[error("Invalid multipart body")]
    BrokenBody,
    /// `max_mb` is the configured `MAX_FILE_SIZE_MB`.
    #[error("File too large (max {max_mb} MB)")]
    TooLarge { max_mb: u32 },
    /// The object store refused or failed the write: a 502 with its own text
    /// (§12.1), not the anonymous 500.
    #[error("Object storage upload failed")]
    Storage(#[source] crate::store::StoreError),
    #[error("File not found")]
    FileNotFound,
    #[error("Sticker not found")]
    StickerNotFound,
    #[error("Sticker image unavailable")]
    StickerImageUnavailable,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Peer(#[from] PeerError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl DomainError for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NoFile | Self::EmptyFile | Self::BrokenBody => ErrorKind::BadRequest,
            Self::TooLarge { .. } => ErrorKind::PayloadTooLarge,
            Self::Storage(_) => ErrorKind::BadGateway,
            Self::FileNotFound | Self::StickerNotFound | Self::StickerImageUnavailable => {
                ErrorKind::NotFound
            }
            Self::Db(_) | Self::Peer(_) | Self::Other(_) => ErrorKind::Internal,
        }
    }
}

chorus_kit::domain_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;
    use chorus_kit::ApiError;

    #[test]
    fn contract_texts_and_statuses() {
        let cases = [
            (
                Error::NoFile,
                StatusCode::BAD_REQUEST,
                "No file uploaded (use multipart/form-data field 'file')",
            ),
            (
                Error::TooLarge { max_mb: 7 },
                StatusCode::PAYLOAD_TOO_LARGE,
                "File too large (max 7 MB)",
            ),
            (
                Error::Storage("disk full".into()),
                StatusCode::BAD_GATEWAY,
                "Object storage upload failed",
            ),
            (
                Error::StickerImageUnavailable,
                StatusCode::NOT_FOUND,
                "Sticker image unavailable",
            ),
            (
                Error::Other(anyhow::anyhow!("secret detail")),
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
            ),
        ];
        for (err, status, text) in cases {
            let api = ApiError::from(err);
            assert_eq!(api.kind.http_status(), status);
            assert_eq!(api.message, text);
        }
    }
}
