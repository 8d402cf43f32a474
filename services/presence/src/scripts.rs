//! The Lua scripts that are the only writers of the presence state, so that
//! several presence instances and edge nodes never interleave half a change.
//! Scripts run by SHA (`EVALSHA`) after a `SCRIPT LOAD`, and are re-loaded when
//! Redis forgot them (restart, `SCRIPT FLUSH`).

use fred::prelude::*;
use fred::types::FromValue;
use std::sync::RwLock;

const COMMON: &str = include_str!("lua/common.lua");

/// One script: its source (the shared prelude plus its body) and its SHA once loaded.
pub struct Script {
    lua: String,
    sha: RwLock<Option<String>>,
}

impl Script {
    fn new(body: &str) -> Self {
        Self {
            lua: format!("{COMMON}\n{body}"),
            sha: RwLock::new(None),
        }
    }

    /// Runs the script with `args` (no declared keys: every key derives from
    /// `args[0]`, the prefix, which is fine on a single Redis, not on a cluster).
    pub async fn run<R: FromValue>(&self, client: &Client, args: Vec<String>) -> Result<R, Error> {
        let cached = self.sha.read().ok().and_then(|sha| sha.clone());
        let sha = match cached {
            Some(sha) => sha,
            None => self.load(client).await?,
        };
        match client.evalsha::<R, _, _, _>(sha, (), args.clone()).await {
            Err(err) if err.details().starts_with("NOSCRIPT") => {
                let sha = self.load(client).await?;
                client.evalsha(sha, (), args).await
            }
            result => result,
        }
    }

    async fn load(&self, client: &Client) -> Result<String, Error> {
        let sha: String = client.script_load(self.lua.as_str()).await?;
        if let Ok(mut slot) = self.sha.write() {
            *slot = Some(sha.clone());
        }
        Ok(sha)
    }
}

/// Every script of the service.
pub struct Scripts {
    pub apply: Script,
    pub heartbeat: Script,
    pub reap: Script,
    pub retries: Script,
    pub settle: Script,
    pub timers: Script,
}

impl Scripts {
    pub fn new() -> Self {
        Self {
            apply: Script::new(include_str!("lua/apply.lua")),
            heartbeat: Script::new(include_str!("lua/heartbeat.lua")),
            reap: Script::new(include_str!("lua/reap.lua")),
            retries: Script::new(include_str!("lua/retries.lua")),
            settle: Script::new(include_str!("lua/settle.lua")),
            timers: Script::new(include_str!("lua/timers.lua")),
        }
    }
}

impl Default for Scripts {
    fn default() -> Self {
        Self::new()
    }
}
