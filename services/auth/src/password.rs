//! argon2id password hashing (§2.1) off the async runtime, bounded in
//! concurrency (each hash holds ~19 MiB), with a dummy verification for unknown
//! users so that login timing does not reveal whether an account exists.

use crate::config::PasswordConfig;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use tokio::sync::Semaphore;

pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    permits: Arc<Semaphore>,
    dummy_hash: Arc<str>,
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("invalid argon2 parameters: {0}")]
    Params(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

impl Passwords {
    pub async fn new(cfg: &PasswordConfig) -> Result<Self, PasswordError> {
        let params = Params::new(cfg.m_cost_kib, cfg.t_cost, cfg.p_cost, None)
            .map_err(|e| PasswordError::Params(e.to_string()))?;
        let mut this = Self {
            params,
            permits: Arc::new(Semaphore::new(cfg.max_concurrent.max(1))),
            dummy_hash: Arc::from(""),
        };
        this.dummy_hash = Arc::from(this.hash("chorus-dummy-password".to_string()).await?);
        Ok(this)
    }

    fn argon(params: Params) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// A PHC string for `password` with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| PasswordError::Hash(e.to_string()))?;
        let params = self.params.clone();
        tokio::task::spawn_blocking(move || {
            Self::argon(params)
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
        })
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))?
        .map_err(|e| PasswordError::Hash(e.to_string()))
    }

    /// Whether `password` matches `stored`; a stored value that is not a PHC
    /// string never matches. `None` for `stored` verifies against a dummy hash.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let (stored, real) = match stored {
            Some(s) => (s, true),
            None => (self.dummy_hash.to_string(), false),
        };
        let params = self.params.clone();
        let ok = tokio::task::spawn_blocking(move || {
            Self::argon(params)
                .verify_password(password.as_bytes(), stored.as_str())
                .is_ok()
        })
        .await
        .unwrap_or(false);
        ok && real
    }

    /// Whether `stored` was made with weaker parameters than configured.
    pub fn needs_rehash(&self, stored: &str) -> bool {
        let Ok(hash) = PasswordHash::new(stored) else {
            return false;
        };
        if hash.algorithm.as_str() != "argon2id" {
            return true;
        }
        match Params::try_from(&hash) {
            Ok(p) => {
                p.m_cost() < self.params.m_cost()
                    || p.t_cost() < self.params.t_cost()
                    || p.p_cost() < self.params.p_cost()
            }
            Err(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(m: u32, t: u32) -> PasswordConfig {
        PasswordConfig {
            m_cost_kib: m,
            t_cost: t,
            p_cost: 1,
            max_concurrent: 2,
        }
    }

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_do_not() -> Result<(), PasswordError> {
        let pw = Passwords::new(&cfg(19 * 1024, 2)).await?;
        let hash = pw.hash("correct horse".into()).await?;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(pw.verify("correct horse".into(), Some(hash.clone())).await);
        assert!(!pw.verify("wrong horse".into(), Some(hash)).await);
        Ok(())
    }

    #[tokio::test]
    async fn a_non_phc_value_never_verifies_nor_does_the_dummy() -> Result<(), PasswordError> {
        let pw = Passwords::new(&cfg(1024, 1)).await?;
        assert!(
            !pw.verify(
                "SYSTEM_ACCOUNT_NO_LOGIN".into(),
                Some("SYSTEM_ACCOUNT_NO_LOGIN".into())
            )
            .await
        );
        assert!(!pw.verify("chorus-dummy-password".into(), None).await);
        Ok(())
    }

    #[tokio::test]
    async fn weaker_hashes_are_marked_for_rehash() -> Result<(), PasswordError> {
        let weak = Passwords::new(&cfg(1024, 1)).await?;
        let strong = Passwords::new(&cfg(19 * 1024, 2)).await?;
        let old = weak.hash("pw".into()).await?;
        assert!(strong.needs_rehash(&old));
        assert!(!strong.needs_rehash(&strong.hash("pw".into()).await?));
        Ok(())
    }
}
