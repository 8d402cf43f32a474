//! The message service's errors and their contract texts.

use chorus_kit::ApiError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A contract error whose status and text are known where it is raised.
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// A peer service (auth, chat, media) failed; logged once, the client sees 500.
    #[error("peer call failed: {0}")]
    Peer(#[from] tonic::Status),
}

impl Error {
    pub fn not_member() -> Self {
        ApiError::forbidden("Not a member of this chat").into()
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        match err {
            Error::Api(api) => api,
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::internal()
            }
        }
    }
}

impl axum::response::IntoResponse for Error {
    fn into_response(self) -> axum::response::Response {
        ApiError::from(self).into_response()
    }
}

impl From<Error> for tonic::Status {
    fn from(err: Error) -> Self {
        ApiError::from(err).into()
    }
}
