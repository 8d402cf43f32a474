//! Everything a handler needs, cloned cheaply per request.

use crate::config::MediaConfig;
use crate::domain::access::ChatMembership;
use crate::presign::Presigner;
use crate::store::Store;
use axum::extract::FromRef;
use chorus_authn::Verifier;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<MediaConfig>,
    pub db: PgPool,
    pub verifier: Arc<Verifier>,
    pub store: Store,
    pub presigner: Arc<Presigner>,
    /// MiB of upload buffers left (`upload_buffer_mib`).
    pub upload_budget: Arc<tokio::sync::Semaphore>,
    /// The chat service: which chats a downloader is in (D12).
    pub membership: Arc<dyn ChatMembership>,
}

impl FromRef<AppState> for Arc<Verifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}
