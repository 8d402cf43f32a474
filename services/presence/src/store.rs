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

/// What a change did to its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Became online: broadcast `online`.
    Online,
    /// Stopped being online: the offline timer was (re)started.
    NotOnline,
    None,
}

impl Transition {
    fn parse(code: &str) -> Self {
        match code {
            "online" => Self::Online,
            "away" => Self::NotOnline,
            _ => Self::None,
        }
    }
}

/// The outcome of one change, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub user_id: i64,
    pub transition: Transition,
    /// A connection that did not exist before opened (a re-sent OPENED is not one).
    pub opened: bool,
}

#[derive(Clone)]
pub struct Store {
    client: Client,
    /// `{redis.prefix}presence:`
    base: String,
    scripts: Arc<Scripts>,
    debounce_ms: String,
    node_ttl_ms: String,
}

impl Store {
    pub fn new(client: Client, redis_prefix: &str, debounce_ms: u64, node_ttl_ms: u64) -> Self {
        Self {
            client,
            base: format!("{redis_prefix}presence:"),
            scripts: Arc::new(Scripts::new()),
            debounce_ms: debounce_ms.to_string(),
            node_ttl_ms: node_ttl_ms.to_string(),
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
            applied.extend(out.chunks_exact(3).filter_map(|t| {
                Some(Applied {
                    user_id: t[0].parse().ok()?,
                    transition: Transition::parse(&t[1]),
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

    /// Pops up to `limit` due offline timers; the users still not online.
    pub async fn due_offline(&self, limit: usize) -> Result<Vec<i64>, Error> {
        let args = vec![self.base.clone(), limit.to_string()];
        let users: Vec<String> = self.scripts.timers.run(&self.client, args).await?;
        Ok(users.iter().filter_map(|u| u.parse().ok()).collect())
    }

    /// Claims one dead node, if any, and closes its connections: the node and
    /// its users' transitions.
    pub async fn reap(&self) -> Result<Option<(String, Vec<(i64, Transition)>)>, Error> {
        let args = vec![
            self.base.clone(),
            self.node_ttl_ms.clone(),
            self.debounce_ms.clone(),
        ];
        let out: Vec<String> = self.scripts.reap.run(&self.client, args).await?;
        let Some((node, rest)) = out.split_first() else {
            return Ok(None);
        };
        let closed = rest
            .chunks_exact(2)
            .filter_map(|t| Some((t[0].parse().ok()?, Transition::parse(&t[1]))))
            .collect();
        Ok(Some((node.clone(), closed)))
    }
}
