//! Users whose tokens must stop working before they expire (blocked or
//! soft-deleted, §2.4). The auth service writes a Redis flag per user; every
//! service checks it per request, so blocking takes effect at once on every node.

use fred::prelude::*;

#[derive(Clone)]
pub struct Revocations {
    redis: Client,
    prefix: String,
}

impl Revocations {
    pub fn new(redis: Client, prefix: impl Into<String>) -> Self {
        Self {
            redis,
            prefix: prefix.into(),
        }
    }

    fn key(&self, user_id: i64) -> String {
        format!("{}revoked:user:{user_id}", self.prefix)
    }

    /// Is the user blocked or deleted? Fails open (with an error log) when Redis
    /// is unreachable: signatures are still checked, and the auth service's own
    /// routes also consult the database.
    pub async fn is_revoked(&self, user_id: i64) -> bool {
        match self.redis.exists::<i64, _>(self.key(user_id)).await {
            Ok(n) => n > 0,
            Err(err) => {
                tracing::error!(%err, "revocation check unavailable; accepting the token");
                false
            }
        }
    }

    pub async fn revoke(&self, user_id: i64) -> Result<(), Error> {
        self.redis
            .set::<(), _, _>(self.key(user_id), 1, None, None, false)
            .await
    }

    pub async fn restore(&self, user_id: i64) -> Result<(), Error> {
        self.redis.del::<(), _>(self.key(user_id)).await
    }

    /// Makes the flags exactly `revoked`: Redis keeps nothing across a restart,
    /// and a flag write may have failed, so the owner of the truth (auth's
    /// database) re-asserts it periodically.
    pub async fn sync(&self, revoked: &std::collections::HashSet<i64>) -> Result<(), Error> {
        let pattern = format!("{}revoked:user:*", self.prefix);
        let mut stale = Vec::new();
        let mut present = std::collections::HashSet::new();
        let mut cursor = "0".to_string();
        loop {
            let (next, keys): (String, Vec<String>) = self
                .redis
                .custom(
                    fred::cmd!("SCAN"),
                    vec![
                        cursor.clone(),
                        "MATCH".into(),
                        pattern.clone(),
                        "COUNT".into(),
                        "1000".into(),
                    ],
                )
                .await?;
            for key in keys {
                match key.rsplit(':').next().and_then(|id| id.parse::<i64>().ok()) {
                    Some(id) if revoked.contains(&id) => {
                        present.insert(id);
                    }
                    _ => stale.push(key),
                }
            }
            if next == "0" {
                break;
            }
            cursor = next;
        }
        for id in revoked.difference(&present) {
            self.revoke(*id).await?;
        }
        if !stale.is_empty() {
            self.redis.del::<(), _>(stale).await?;
        }
        Ok(())
    }
}
