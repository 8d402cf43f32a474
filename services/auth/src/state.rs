//! Everything a handler needs, cloned cheaply per request.

use crate::config::AuthConfig;
use crate::keys::SigningKeys;
use crate::password::Passwords;
use crate::seams::{Media, Presence};
use crate::throttle::LoginThrottle;
use axum::extract::FromRef;
use chorus_authn::{Revocations, Verifier};
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub cfg: Arc<AuthConfig>,
    pub db: PgPool,
    pub keys: Arc<SigningKeys>,
    pub verifier: Arc<Verifier>,
    pub passwords: Passwords,
    pub throttle: LoginThrottle,
    pub revocations: Revocations,
    pub presence: Arc<dyn Presence>,
    pub media: Arc<dyn Media>,
    /// DAU/WAU snapshots for the admin dashboard.
    pub activity_windows: crate::activity_windows::ActivityWindows,
}

impl FromRef<AppState> for Arc<Verifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

impl AppState {
    /// The collaborators of profile lookups.
    pub fn lookup(&self) -> crate::domain::profiles::Lookup<'_> {
        crate::domain::profiles::Lookup {
            db: &self.db,
            media: self.media.as_ref(),
            presence: self.presence.as_ref(),
        }
    }
}
