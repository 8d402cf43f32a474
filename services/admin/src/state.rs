//! Everything a handler needs, cloned cheaply per request.

use crate::config::AdminConfig;
use crate::peers::Peers;
use axum::extract::FromRef;
use chorus_authn::Verifier;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<AdminConfig>,
    /// The admin schema: the audit log.
    pub db: PgPool,
    pub verifier: Arc<Verifier>,
    pub peers: Peers,
}

impl FromRef<AppState> for Arc<Verifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}
