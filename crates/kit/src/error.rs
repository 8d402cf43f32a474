//! One table of error kinds, mapped both to HTTP statuses (with the contract's
//! `{"error": ...}` body) and to tonic status codes, so every service and every
//! transport reports the same failure the same way.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// What went wrong, independent of transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    PayloadTooLarge,
    /// Carries the number of seconds after which a retry may succeed.
    TooManyRequests {
        retry_after_secs: u64,
    },
    BadGateway,
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub fn http_status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict => StatusCode::CONFLICT,
            Self::Gone => StatusCode::GONE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::BadGateway => StatusCode::BAD_GATEWAY,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn grpc_code(self) -> tonic::Code {
        match self {
            Self::BadRequest | Self::PayloadTooLarge => tonic::Code::InvalidArgument,
            Self::Unauthorized => tonic::Code::Unauthenticated,
            Self::Forbidden => tonic::Code::PermissionDenied,
            Self::NotFound | Self::Gone => tonic::Code::NotFound,
            Self::Conflict => tonic::Code::AlreadyExists,
            Self::TooManyRequests { .. } => tonic::Code::ResourceExhausted,
            Self::BadGateway | Self::Unavailable => tonic::Code::Unavailable,
            Self::Internal => tonic::Code::Internal,
        }
    }

    /// The kind a tonic status maps back to, for errors crossing a gRPC hop.
    pub fn from_grpc(code: tonic::Code) -> Self {
        match code {
            tonic::Code::InvalidArgument => Self::BadRequest,
            tonic::Code::Unauthenticated => Self::Unauthorized,
            tonic::Code::PermissionDenied => Self::Forbidden,
            tonic::Code::NotFound => Self::NotFound,
            tonic::Code::AlreadyExists => Self::Conflict,
            tonic::Code::ResourceExhausted => Self::TooManyRequests {
                retry_after_secs: 1,
            },
            tonic::Code::Unavailable | tonic::Code::DeadlineExceeded => Self::Unavailable,
            _ => Self::Internal,
        }
    }
}

/// An error as a client sees it: a kind and the exact contract text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthorized, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        Self::new(
            ErrorKind::TooManyRequests { retry_after_secs },
            "Too many requests",
        )
    }
    /// The only text a client ever sees for an unexpected failure (§1.3);
    /// the cause is logged where it happened.
    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, "Internal error")
    }
    pub fn invalid_json() -> Self {
        Self::bad_request("Invalid JSON")
    }
}

/// A service's domain error: each variant knows its kind, and its `Display` is
/// the contract's text for it. Every 5xx is logged once with its cause chain;
/// for internal kinds the client sees only `Internal error`, while a
/// `BadGateway` keeps its text (the contract names a few, such as §12.1's
/// `Object storage upload failed`).
/// Implement it, then [`domain_error!`](crate::domain_error) derives the HTTP
/// response, the `ApiError` and the `tonic::Status` from it.
pub trait DomainError: std::error::Error + Send + Sync + 'static {
    fn kind(&self) -> ErrorKind;
}

impl ErrorKind {
    /// A failure of ours (or of a peer) whose details stay in the log.
    pub fn is_internal(self) -> bool {
        matches!(self, Self::Internal | Self::Unavailable)
    }
}

/// An error and its sources, outermost first: `a: b: c`.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let next = cause.to_string();
        // `#[error(transparent)]` and `{0}` wrappers repeat their source's text.
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = cause.source();
    }
    text
}

impl ApiError {
    /// The client's view of a domain error; internal ones are logged here, once.
    pub fn from_domain<E: DomainError>(err: &E) -> Self {
        let kind = err.kind();
        if kind.is_internal() {
            tracing::error!(error = %chain(err), "request failed");
            return Self::internal();
        }
        if kind == ErrorKind::BadGateway {
            tracing::error!(error = %chain(err), "request failed upstream");
        }
        Self::new(kind, err.to_string())
    }
}

/// Implements `From<$ty> for ApiError`, `IntoResponse` and
/// `From<$ty> for tonic::Status` for a [`DomainError`].
#[macro_export]
macro_rules! domain_error {
    ($ty:ty) => {
        impl ::core::convert::From<$ty> for $crate::ApiError {
            fn from(err: $ty) -> Self {
                $crate::ApiError::from_domain(&err)
            }
        }

        impl $crate::error::__private::IntoResponse for $ty {
            fn into_response(self) -> $crate::error::__private::Response {
                $crate::error::__private::IntoResponse::into_response($crate::ApiError::from(self))
            }
        }

        impl ::core::convert::From<$ty> for $crate::error::__private::Status {
            fn from(err: $ty) -> Self {
                $crate::ApiError::from(err).into()
            }
        }
    };
}

#[doc(hidden)]
pub mod __private {
    pub use axum::response::{IntoResponse, Response};
    pub use tonic::Status;
}

/// Renders `{"error": text}` with the given status; used by extractors and
/// middleware that answer before a handler runs.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = error_response(self.kind.http_status(), &self.message);
        if let ErrorKind::TooManyRequests { retry_after_secs } = self.kind {
            res.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after_secs.max(1)),
            );
        }
        res
    }
}

impl From<ApiError> for tonic::Status {
    fn from(err: ApiError) -> Self {
        tonic::Status::new(err.kind.grpc_code(), err.message)
    }
}

impl From<tonic::Status> for ApiError {
    fn from(status: tonic::Status) -> Self {
        let kind = ErrorKind::from_grpc(status.code());
        if kind == ErrorKind::Internal || kind == ErrorKind::Unavailable {
            tracing::error!(code = ?status.code(), message = status.message(), "internal call failed");
            return Self::internal();
        }
        Self::new(kind, status.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_grpc_to_the_same_http_status() {
        for kind in [
            ErrorKind::BadRequest,
            ErrorKind::Unauthorized,
            ErrorKind::Forbidden,
            ErrorKind::NotFound,
            ErrorKind::Conflict,
            ErrorKind::Internal,
        ] {
            assert_eq!(
                ErrorKind::from_grpc(kind.grpc_code()).http_status(),
                kind.http_status()
            );
        }
    }

    #[derive(Debug, thiserror::Error)]
    enum Demo {
        #[error("Chat not found")]
        ChatNotFound,
        #[error("database failed")]
        Db(#[source] std::io::Error),
    }

    impl DomainError for Demo {
        fn kind(&self) -> ErrorKind {
            match self {
                Self::ChatNotFound => ErrorKind::NotFound,
                Self::Db(_) => ErrorKind::Internal,
            }
        }
    }

    #[test]
    fn domain_errors_show_their_text_or_only_internal_error() {
        let api = ApiError::from_domain(&Demo::ChatNotFound);
        assert_eq!(api, ApiError::not_found("Chat not found"));
        let io = std::io::Error::other("connection reset");
        assert_eq!(ApiError::from_domain(&Demo::Db(io)), ApiError::internal());
    }

    #[test]
    fn the_cause_chain_is_kept_for_the_log() {
        let io = std::io::Error::other("connection reset");
        assert_eq!(chain(&Demo::Db(io)), "database failed: connection reset");
    }

    #[test]
    fn too_many_requests_carries_retry_after() {
        let res = ApiError::too_many_requests(42).into_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()[header::RETRY_AFTER], "42");
    }
}
