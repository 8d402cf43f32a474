//! JWT verification pinned to EdDSA: `alg` from the token is never trusted,
//! `exp` (30 s leeway), `iss`, `aud` and `type` are checked, and the `kid` must
//! name a published key. An unknown `kid` triggers one refetch of the key set
//! (at most every few seconds, so forged kids cannot hammer the auth service).
//! A token that verified is remembered (by its exact text) until it expires or
//! the key set changes: a client sends the same token for an hour, and checking
//! its Ed25519 signature again on every request was ~5 % of a send's CPU.

use crate::keys::{KeySource, PublicKey};
use crate::revocations::Revocations;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const REFETCH_INTERVAL: Duration = Duration::from_secs(5);
/// Verified tokens remembered at most; the memory is cleared when full.
const VERIFIED_CAPACITY: usize = 10_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct VerifierConfig {
    pub issuer: String,
    pub audience: String,
    pub leeway_secs: u64,
}

impl Default for VerifierConfig {
    fn default() -> Self {
        Self {
            issuer: "chorus".into(),
            audience: "chorus".into(),
            leeway_secs: 30,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Access,
    Refresh,
}

/// The claims of every issued token (§2.2).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(rename = "type")]
    pub token_type: TokenType,
    pub iat: i64,
    pub exp: i64,
    #[serde(default)]
    pub is_admin: bool,
    pub iss: String,
    pub aud: String,
    pub jti: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

impl Claims {
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

/// Why a token was refused; the `Display` texts are the contract's error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("Missing Authorization header")]
    Missing,
    #[error("Authorization header must start with 'Bearer '")]
    BadScheme,
    #[error("Invalid or expired token")]
    Invalid,
    #[error("Expected access token")]
    NotAccess,
    #[error("Admin access required")]
    NotAdmin,
}

pub struct Verifier {
    keys: RwLock<HashMap<String, DecodingKey>>,
    source: Arc<dyn KeySource>,
    validation: Validation,
    last_fetch: Mutex<Option<Instant>>,
    revocations: Option<Revocations>,
    /// Tokens whose signature and claims checked out, by their exact text.
    verified: std::sync::Mutex<HashMap<String, Claims>>,
}

impl Verifier {
    pub fn new(
        cfg: &VerifierConfig,
        source: Arc<dyn KeySource>,
        revocations: Option<Revocations>,
    ) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = cfg.leeway_secs;
        validation.set_issuer(&[&cfg.issuer]);
        validation.set_audience(&[&cfg.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            keys: RwLock::new(HashMap::new()),
            source,
            validation,
            last_fetch: Mutex::new(None),
            revocations,
            verified: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Replaces the known keys (also used by the auth service for its own keys).
    pub fn set_keys(&self, keys: &[PublicKey]) {
        let decoded: HashMap<String, DecodingKey> = keys
            .iter()
            .filter_map(|k| {
                DecodingKey::from_ed_components(&k.x)
                    .ok()
                    .map(|d| (k.kid.clone(), d))
            })
            .collect();
        if let Ok(mut map) = self.keys.write() {
            *map = decoded;
        }
        // A withdrawn key must take its tokens with it.
        if let Ok(mut verified) = self.verified.lock() {
            verified.clear();
        }
    }

    /// Checks signature and claims with the keys known now; no I/O.
    pub fn verify_known(&self, token: &str) -> Result<Claims, KidState> {
        let now = jsonwebtoken::get_current_timestamp() as i64;
        if let Ok(verified) = self.verified.lock()
            && let Some(claims) = verified.get(token)
        {
            // Everything but the clock was checked when it was remembered.
            if claims.exp + self.validation.leeway as i64 > now {
                return Ok(claims.clone());
            }
            return Err(KidState::Invalid);
        }
        let header = decode_header(token).map_err(|_| KidState::Invalid)?;
        let kid = header.kid.ok_or(KidState::Invalid)?;
        let keys = self.keys.read().map_err(|_| KidState::Invalid)?;
        let key = keys.get(&kid).ok_or(KidState::Unknown)?;
        let claims = decode::<Claims>(token, key, &self.validation)
            .map(|d| d.claims)
            .map_err(|_| KidState::Invalid)?;
        if let Ok(mut verified) = self.verified.lock() {
            if verified.len() >= VERIFIED_CAPACITY {
                verified.clear();
            }
            verified.insert(token.to_owned(), claims.clone());
        }
        Ok(claims)
    }

    /// Full verification of a token of the expected type, refetching keys once
    /// for an unknown `kid`.
    pub async fn verify(&self, token: &str, expected: TokenType) -> Result<Claims, AuthError> {
        let claims = match self.verify_known(token) {
            Ok(c) => c,
            Err(KidState::Invalid) => return Err(AuthError::Invalid),
            Err(KidState::Unknown) => {
                self.refresh_keys().await;
                self.verify_known(token).map_err(|_| AuthError::Invalid)?
            }
        };
        if claims.token_type != expected {
            return Err(if expected == TokenType::Access {
                AuthError::NotAccess
            } else {
                AuthError::Invalid
            });
        }
        Ok(claims)
    }

    /// Verifies an access token and that its user is neither blocked nor deleted.
    pub async fn verify_access(&self, token: &str) -> Result<Claims, AuthError> {
        let claims = self.verify(token, TokenType::Access).await?;
        let user_id = claims.user_id().ok_or(AuthError::Invalid)?;
        if let Some(rev) = &self.revocations
            && rev.is_revoked(user_id).await
        {
            return Err(AuthError::Invalid);
        }
        Ok(claims)
    }

    /// Fetches the key set unless fetched within the last few seconds.
    pub async fn refresh_keys(&self) {
        let mut last = self.last_fetch.lock().await;
        if last.is_some_and(|t| t.elapsed() < REFETCH_INTERVAL) {
            return;
        }
        *last = Some(Instant::now());
        match self.source.fetch().await {
            Ok(keys) => self.set_keys(&keys),
            Err(err) => tracing::warn!(%err, "cannot fetch verification keys"),
        }
    }
}

/// Outcome of verification with the currently known keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KidState {
    Invalid,
    Unknown,
}
