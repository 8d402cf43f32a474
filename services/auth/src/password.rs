//! argon2id password hashing (§2.1) off the async runtime, with a dummy
//! verification for unknown users so that login timing does not reveal whether
//! an account exists.
//!
//! Each hash needs `m_cost` (19 MiB) of working memory. Allocated per hash on
//! blocking-pool threads, those blocks land in per-thread malloc arenas that
//! glibc keeps: a login storm grew the process by ~600 MB for good. So the
//! blocks come from a pool instead, one buffer per concurrent hash, reused and
//! wiped after each use, and the concurrency follows a memory budget: the
//! process never holds more than `permits × m_cost` for passwords.

use crate::config::PasswordConfig;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    permits: Arc<Semaphore>,
    pool: Arc<BlockPool>,
    dummy_hash: Arc<str>,
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("invalid argon2 parameters: {0}")]
    Params(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

/// Working memory for hashes, kept between them (at most one buffer per permit).
struct BlockPool {
    blocks: usize,
    free: Mutex<Vec<Vec<Block>>>,
}

impl BlockPool {
    fn take(&self) -> Vec<Block> {
        let pooled = self.free.lock().ok().and_then(|mut free| free.pop());
        pooled.unwrap_or_else(|| vec![Block::new(); self.blocks])
    }

    /// Wipes the buffer (it held password-derived data) and keeps it.
    fn give(&self, mut buffer: Vec<Block>) {
        buffer.fill(Block::new());
        if let Ok(mut free) = self.free.lock() {
            free.push(buffer);
        }
    }
}

/// How many hashes may run at once: the configured count, bounded by the memory
/// budget (at least one).
pub fn permits(cfg: &PasswordConfig) -> usize {
    let by_memory =
        (u64::from(cfg.memory_budget_mib) * 1024 / u64::from(cfg.m_cost_kib.max(1))) as usize;
    cfg.max_concurrent.min(by_memory).max(1)
}

/// `password` hashed with `argon` and `salt` into `out`, in `memory` (grown
/// for stored hashes made with more memory than configured).
fn compute(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
    memory: &mut Vec<Block>,
) -> argon2::Result<()> {
    let needed = argon.params().block_count();
    if memory.len() < needed {
        memory.resize(needed, Block::new());
    }
    argon.hash_password_into_with_memory(password, salt, out, &mut memory[..])
}

impl Passwords {
    pub async fn new(cfg: &PasswordConfig) -> Result<Self, PasswordError> {
        let params = Params::new(cfg.m_cost_kib, cfg.t_cost, cfg.p_cost, None)
            .map_err(|e| PasswordError::Params(e.to_string()))?;
        let permits = permits(cfg);
        let mut this = Self {
            pool: Arc::new(BlockPool {
                blocks: params.block_count(),
                free: Mutex::new(Vec::with_capacity(permits)),
            }),
            params,
            permits: Arc::new(Semaphore::new(permits)),
            dummy_hash: Arc::from(""),
        };
        this.dummy_hash = Arc::from(this.hash("chorus-dummy-password".to_string()).await?);
        Ok(this)
    }

    /// Runs `work` on the blocking pool with a permit and a pooled buffer.
    async fn with_memory<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| PasswordError::Hash(e.to_string()))?;
        let pool = Arc::clone(&self.pool);
        tokio::task::spawn_blocking(move || {
            let mut memory = pool.take();
            let result = work(&mut memory);
            pool.give(memory);
            result
        })
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))
    }

    /// A PHC string for `password` with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        let params = self.params.clone();
        self.with_memory(move |memory| {
            let salt = Salt::generate();
            let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
            let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
            compute(&argon, password.as_bytes(), &salt, &mut out, memory)
                .map_err(|e| PasswordError::Hash(e.to_string()))?;
            let phc = PasswordHash {
                algorithm: Algorithm::Argon2id.ident(),
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&params)
                    .map_err(|e| PasswordError::Hash(e.to_string()))?,
                salt: Some(salt),
                hash: Some(Output::new(&out).map_err(|e| PasswordError::Hash(e.to_string()))?),
            };
            Ok(phc.to_string())
        })
        .await?
    }

    /// Whether `password` matches `stored`; a stored value that is not a PHC
    /// string never matches. `None` for `stored` verifies against a dummy hash.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        let (stored, real) = match stored {
            Some(s) => (s, true),
            None => (self.dummy_hash.to_string(), false),
        };
        let ok = self
            .with_memory(move |memory| matches(password.as_bytes(), &stored, memory))
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

/// Recomputes `stored`'s hash of `password` with its own algorithm, version,
/// parameters and salt; compares in constant time.
fn matches(password: &[u8], stored: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt.as_ref(), hash.hash.as_ref()) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&hash) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    if compute(&argon, password, salt, &mut out, memory).is_err() {
        return false;
    }
    Output::new(&out).is_ok_and(|actual| actual == *expected)
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
            memory_budget_mib: 128,
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

    #[tokio::test]
    async fn pooled_hashes_match_the_library_both_ways() -> Result<(), PasswordError> {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let pw = Passwords::new(&cfg(1024, 1)).await?;
        let argon = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None).map_err(|e| PasswordError::Params(e.to_string()))?,
        );
        let by_library = argon
            .hash_password(b"open sesame")
            .map_err(|e| PasswordError::Hash(e.to_string()))?
            .to_string();
        assert!(
            pw.verify("open sesame".into(), Some(by_library.clone()))
                .await
        );
        assert!(!pw.verify("open sesame!".into(), Some(by_library)).await);
        let ours = pw.hash("open sesame".into()).await?;
        assert!(argon.verify_password(b"open sesame", ours.as_str()).is_ok());
        // A stored hash made with more memory than configured still verifies.
        let strong = Passwords::new(&cfg(4096, 1))
            .await?
            .hash("pw".into())
            .await?;
        assert!(pw.verify("pw".into(), Some(strong)).await);
        Ok(())
    }

    #[tokio::test]
    async fn concurrency_follows_the_memory_budget_and_buffers_are_reused()
    -> Result<(), PasswordError> {
        let budget = |m_cost_kib, max_concurrent, memory_budget_mib| {
            permits(&PasswordConfig {
                m_cost_kib,
                t_cost: 1,
                p_cost: 1,
                max_concurrent,
                memory_budget_mib,
            })
        };
        assert_eq!(budget(19 * 1024, 8, 128), 6);
        assert_eq!(budget(19 * 1024, 4, 128), 4);
        assert_eq!(budget(19 * 1024, 4, 1), 1);

        let pw = Passwords::new(&cfg(1024, 1)).await?;
        let hashes = (0..12).map(|i| pw.hash(format!("pw{i}")));
        for hash in futures_util::future::join_all(hashes).await {
            hash?;
        }
        let pooled = pw.pool.free.lock().map(|f| f.len()).unwrap_or(usize::MAX);
        assert!((1..=2).contains(&pooled), "{pooled} buffers for 2 permits");
        Ok(())
    }
}
