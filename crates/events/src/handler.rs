//! What a consumer's handler implements, and how it reports an event it
//! could not apply.

use chorus_proto::events::v1::Envelope;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

/// What a handler says about an event it could not apply.
#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    /// Will never succeed (bad payload): dead-letter it.
    #[error("permanent: {0}")]
    Permanent(String),
    /// May succeed later (database down): redeliver it.
    #[error("transient: {0}")]
    Transient(String),
}

impl From<sqlx::Error> for HandleError {
    fn from(err: sqlx::Error) -> Self {
        Self::Transient(err.to_string())
    }
}

impl From<prost::DecodeError> for HandleError {
    fn from(err: prost::DecodeError) -> Self {
        Self::Permanent(err.to_string())
    }
}

/// Applies one event inside the consumer's transaction.
pub trait EventHandler: Send + Sync + 'static {
    fn handle<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        event: &'a Envelope,
    ) -> BoxFuture<'a, Result<(), HandleError>>;
}

/// Applies one event with no database of the consumer's own (the edge): the
/// handler itself must tolerate redelivery.
pub trait StatelessHandler: Send + Sync + 'static {
    fn handle<'a>(&'a self, event: &'a Envelope) -> BoxFuture<'a, Result<(), HandleError>>;
}
