//! Failed-login throttling per account and per client IP (§20.1), in Redis so the
//! limits hold across instances. Fixed windows: a counter per key that expires
//! with its window. Redis being down disables throttling (logged), not logins.

use crate::config::LoginLimits;
use crate::error::Error;
use fred::prelude::*;
use std::net::IpAddr;

const CHECK: &str = r"
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', key)
    if ttl < 1 then ttl = 1 end
    return ttl
  end
end
return 0";

const RECORD: &str = r"
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return 0";

#[derive(Clone)]
pub struct LoginThrottle {
    redis: Client,
    prefix: String,
    limits: LoginLimits,
}

impl LoginThrottle {
    pub fn new(redis: Client, prefix: &str, limits: LoginLimits) -> Self {
        Self {
            redis,
            prefix: format!("{prefix}login-fail:"),
            limits,
        }
    }

    fn keys(&self, username: &str, ip: Option<IpAddr>) -> Vec<(String, u32, i64)> {
        let account = username.to_lowercase();
        let mut keys = vec![
            (
                format!("{}acct-min:{account}", self.prefix),
                self.limits.per_account_per_minute,
                60,
            ),
            (
                format!("{}acct-hour:{account}", self.prefix),
                self.limits.per_account_per_hour,
                3600,
            ),
        ];
        if let Some(ip) = ip {
            keys.push((
                format!("{}ip-hour:{ip}", self.prefix),
                self.limits.per_ip_per_hour,
                3600,
            ));
        }
        keys
    }

    /// [`Error::TooManyRequests`] (429 with `Retry-After`) when a limit is already reached.
    pub async fn check(&self, username: &str, ip: Option<IpAddr>) -> Result<(), Error> {
        let keys = self.keys(username, ip);
        let names: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        let limits: Vec<String> = keys.iter().map(|k| k.1.to_string()).collect();
        match self.redis.eval::<i64, _, _, _>(CHECK, names, limits).await {
            Ok(0) => Ok(()),
            Ok(retry_after) => Err(Error::TooManyRequests {
                retry_after_secs: retry_after.max(1) as u64,
            }),
            Err(err) => {
                tracing::error!(%err, "login throttle unavailable");
                Ok(())
            }
        }
    }

    pub async fn record_failure(&self, username: &str, ip: Option<IpAddr>) {
        let keys = self.keys(username, ip);
        let names: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        let windows: Vec<String> = keys.iter().map(|k| k.2.to_string()).collect();
        if let Err(err) = self
            .redis
            .eval::<i64, _, _, _>(RECORD, names, windows)
            .await
        {
            tracing::error!(%err, "cannot record a failed login");
        }
    }
}
