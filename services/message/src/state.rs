//! Everything a handler needs, cloned cheaply per request.

use crate::config::MessageConfig;
use crate::peers::{Membership, Users};
use crate::seams::Media;
use axum::extract::FromRef;
use chorus_authn::Verifier;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<MessageConfig>,
    pub db: PgPool,
    /// The same database through tokio-postgres, for sends alone
    /// (`db::store::send`).
    pub send_db: deadpool_postgres::Pool,
    pub verifier: Arc<Verifier>,
    pub membership: Membership,
    pub users: Users,
    pub media: Arc<dyn Media>,
    /// Wakes this process's outbox relay after a commit of rows written
    /// without a NOTIFY (`events::message_created`).
    pub outbox: chorus_events::RelayWaker,
}

impl FromRef<AppState> for Arc<Verifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}
