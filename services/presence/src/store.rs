//! The presence state in Redis (layout in `lua/common.lua`), read and changed
//! only through the scripts, so each change and its transition are one atomic step.

use crate::scripts::Scripts;
use fred::prelude::*;
use std::sync::Arc;

/// Changes per script call: a resync re-sends every connection of a node, and
/// one script must not hold Redis for long.
const CHUNK: usize = 500;

/// One connection change as the edge reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub connection_id: String,
    pub user_id: i64,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Opened { active: bool },
    SetActive,
    SetAway,
    Closed,
}

/// A status as broadcast (CONTRACT §17.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Online,
    Offline,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Offline => "offline",
        }
    }

    fn parse(label: &str) -> Option<Self> {
        match label {
            "online" => Some(Self::Online),
            "offline" => Some(Self::Offline),
            _ => None,
        }
    }
}

/// A transition decided in Redis, to be broadcast. Versions rise per user
/// (`announce` in `lua/common.lua`), so receivers can drop one that arrives
/// after a newer one. It stays pending in Redis until [`Store::settle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub user_id: i64,
    pub status: Status,
    pub version: u64,
}

/// The outcome of one change, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub user_id: i64,
    /// The user became online: to be announced.
    pub online: Option<Transition>,
    /// A connection that did not exist before opened (a re-sent OPENED is not one).
    pub opened: bool,
}

/// Pending transitions claimed for another broadcast attempt.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Retries {
    pub due: Vec<Transition>,
    /// Dropped as too old to be worth announcing.
    pub given_up: usize,
}

/// How long a transition waits before its broadcast is attempted again, and
/// for how long that goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub debounce_ms: u64,
    pub node_ttl_ms: u64,
    pub retry_ms: u64,
    pub give_up_ms: u64,
}

#[derive(Clone)]
pub struct Store {
    client: Client,
    /// `{redis.prefix}presence:`
    base: String,
    scripts: Arc<Scripts>,
    debounce_ms: String,
    node_ttl_ms: String,
    retry_ms: String,
    give_up_ms: String,
}

impl Store {
    pub fn new(client: Client, redis_prefix: &str, timing: Timing) -> Self {
        Self {
            client,
            base: format!("{redis_prefix}presence:"),
            scripts: Arc::new(Scripts::new()),
            debounce_ms: timing.debounce_ms.to_string(),
            node_ttl_ms: timing.node_ttl_ms.to_string(),
            retry_ms: timing.retry_ms.max(1).to_string(),
            give_up_ms: timing.give_up_ms.to_string(),
        }
    }

    /// Applies `changes` of `node` in order.
    pub async fn apply(&self, node: &str, changes: &[Change]) -> Result<Vec<Applied>, Error> {
        let mut applied = Vec::with_capacity(changes.len());
        for chunk in changes.chunks(CHUNK) {
            let mut args = vec![
                self.base.clone(),
                node.to_string(),
                self.debounce_ms.clone(),
                self.retry_ms.clone(),
            ];
            for change in chunk {
                let (kind, active) = match change.kind {
                    Kind::Opened { active } => ("1", active),
                    Kind::SetActive => ("2", false),
                    Kind::SetAway => ("3", false),
                    Kind::Closed => ("4", false),
                };
                args.extend([
                    change.connection_id.clone(),
                    change.user_id.to_string(),
                    kind.to_string(),
                    if active { "1" } else { "0" }.to_string(),
                ]);
            }
            let out: Vec<String> = self.scripts.apply.run(&self.client, args).await?;
            applied.extend(out.chunks_exact(4).filter_map(|t| {
                let user_id = t[0].parse().ok()?;
                let online = (t[1] == "online").then(|| Transition {
                    user_id,
                    status: Status::Online,
                    version: t[3].parse().unwrap_or_default(),
                });
                Some(Applied {
                    user_id,
                    online,
                    opened: t[2] == "1",
                })
            }));
        }
        Ok(applied)
    }

    /// Records a heartbeat; true when the node must re-send its connections.
    pub async fn heartbeat(&self, node: &str) -> Result<bool, Error> {
        let args = vec![self.base.clone(), node.to_string()];
        let resync: i64 = self.scripts.heartbeat.run(&self.client, args).await?;
        Ok(resync == 1)
    }

    /// The subset of `ids` that is online.
    pub async fn online_many(&self, ids: &[i64]) -> Result<Vec<i64>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut args: Vec<String> = Vec::with_capacity(ids.len() + 1);
        args.push(format!("{}online", self.base));
        args.extend(ids.iter().map(i64::to_string));
        let flags: Vec<i64> = self.client.custom(fred::cmd!("SMISMEMBER"), args).await?;
        Ok(ids
            .iter()
            .zip(flags)
            .filter(|(_, flag)| *flag == 1)
            .map(|(id, _)| *id)
            .collect())
    }

    /// Pops up to `limit` due offline timers: the `offline` of each user
    /// still not online.
    pub async fn due_offline(&self, limit: usize) -> Result<Vec<Transition>, Error> {
        let args = vec![self.base.clone(), limit.to_string(), self.retry_ms.clone()];
        let out: Vec<String> = self.scripts.timers.run(&self.client, args).await?;
        Ok(out
            .chunks_exact(2)
            .filter_map(|t| {
                Some(Transition {
                    user_id: t[0].parse().ok()?,
                    status: Status::Offline,
                    version: t[1].parse().ok()?,
                })
            })
            .collect())
    }

    /// Claims up to `limit` pending transitions whose broadcast is due again.
    pub async fn due_retries(&self, limit: usize) -> Result<Retries, Error> {
        let args = vec![
            self.base.clone(),
            limit.to_string(),
            self.retry_ms.clone(),
            self.give_up_ms.clone(),
        ];
        let mut out: Vec<String> = self.scripts.retries.run(&self.client, args).await?;
        let given_up = out.pop().and_then(|n| n.parse().ok()).unwrap_or_default();
        let due = out
            .chunks_exact(3)
            .filter_map(|t| {
                Some(Transition {
                    user_id: t[0].parse().ok()?,
                    version: t[1].parse().ok()?,
                    status: Status::parse(&t[2])?,
                })
            })
            .collect();
        Ok(Retries { due, given_up })
    }

    /// The broadcast of `transition` succeeded: it is no longer pending
    /// (unless a newer one of the user replaced it already).
    pub async fn settle(&self, transition: &Transition) -> Result<(), Error> {
        let args = vec![
            self.base.clone(),
            transition.user_id.to_string(),
            transition.version.to_string(),
        ];
        let _: i64 = self.scripts.settle.run(&self.client, args).await?;
        Ok(())
    }

    /// Claims one dead node, if any, and closes its connections (their users'
    /// offline timers start as for any close): the node and how many it had.
    pub async fn reap(&self) -> Result<Option<(String, usize)>, Error> {
        let args = vec![
            self.base.clone(),
            self.node_ttl_ms.clone(),
            self.debounce_ms.clone(),
            self.retry_ms.clone(),
        ];
        let out: Vec<String> = self.scripts.reap.run(&self.client, args).await?;
        let Some((node, rest)) = out.split_first() else {
            return Ok(None);
        };
        Ok(Some((node.clone(), rest.len() / 2)))
    }
}
