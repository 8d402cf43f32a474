//! Everything a handler needs, cloned cheaply per request.

use crate::config::ChatConfig;
use crate::peers::Peers;
use crate::seams::{Media, Presence};
use axum::extract::FromRef;
use chorus_authn::Verifier;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<ChatConfig>,
    pub db: PgPool,
    pub verifier: Arc<Verifier>,
    pub peers: Peers,
    pub presence: Arc<dyn Presence>,
    pub media: Arc<dyn Media>,
}

impl FromRef<AppState> for Arc<Verifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}
