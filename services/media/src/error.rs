//! The media service's errors: contract errors carry their status and text;
//! every other failure is logged once here and answers `500 Internal error`.

use chorus_kit::ApiError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// A peer service failed; never shown to clients as anything but 500.
    #[error("peer call failed: {0}")]
    Peer(#[from] tonic::Status),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Error {
    pub fn bad_request(text: &str) -> Self {
        Self::Api(ApiError::bad_request(text))
    }
    pub fn not_found(text: &str) -> Self {
        Self::Api(ApiError::not_found(text))
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
