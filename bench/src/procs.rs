//! CPU time of the processes a benchmark loads, read from /proc: every Chorus
//! process, PostgreSQL, RabbitMQ, Redis, and the load generator itself.
//!
//! Processes are found by their command name, so PostgreSQL's backends (one per
//! connection) and a system of several `chorus` processes are summed. With
//! `BENCH_ROOTS=chorus=PID,postgres=PID,…` a group counts only that process and
//! its descendants (private servers beside the machine's shared ones). A process
//! that exits during a window loses its share; one that starts counts whole.

use crate::ws::{clock_ticks_per_sec, cpu_ticks};
use std::collections::HashMap;

/// A named group of processes whose CPU is added up.
pub struct Group {
    pub name: &'static str,
    /// `/proc/PID/comm` values of the group.
    comms: &'static [&'static str],
}

/// The groups a pipeline benchmark reports.
pub const GROUPS: &[Group] = &[
    Group {
        name: "chorus",
        comms: &["chorus"],
    },
    Group {
        name: "postgres",
        comms: &["postgres"],
    },
    Group {
        name: "rabbitmq",
        comms: &["beam.smp", "erl_child_setup", "epmd"],
    },
    Group {
        name: "redis",
        comms: &["redis-server"],
    },
];

/// CPU ticks per process at one instant, by group (and the load generator).
pub struct Snapshot {
    per_pid: HashMap<u32, (usize, u64)>,
    own: u64,
}

impl Snapshot {
    /// Reads every process of [`GROUPS`] (under its root, when `roots` names one).
    pub fn take(roots: &Roots) -> anyhow::Result<Self> {
        let mut parent = HashMap::new();
        let mut candidates = Vec::new();
        for entry in std::fs::read_dir("/proc")?.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            // A process may exit between the listing and the reads.
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let Some((head, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            let comm = head.split_once('(').map_or("", |(_, c)| c);
            if let Some(ppid) = rest
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u32>().ok())
            {
                parent.insert(pid, ppid);
            }
            if let Some(group) = GROUPS.iter().position(|g| g.comms.contains(&comm)) {
                candidates.push((pid, group));
            }
        }
        let mut per_pid = HashMap::new();
        for (pid, group) in candidates {
            if let Some(root) = roots.0.get(group).copied().flatten()
                && !descends(pid, root, &parent)
            {
                continue;
            }
            if let Ok(ticks) = cpu_ticks(&pid.to_string()) {
                per_pid.insert(pid, (group, ticks));
            }
        }
        Ok(Self {
            per_pid,
            own: cpu_ticks(&std::process::id().to_string())?,
        })
    }

    /// CPU seconds per group between `self` and a later snapshot, then the load
    /// generator's own.
    pub fn since(&self, earlier: &Snapshot) -> (Vec<f64>, f64) {
        let hz = clock_ticks_per_sec();
        let mut secs = vec![0.0; GROUPS.len()];
        for (pid, (group, ticks)) in &self.per_pid {
            let before = earlier.per_pid.get(pid).map_or(0, |(_, t)| *t);
            secs[*group] += ticks.saturating_sub(before) as f64 / hz;
        }
        (secs, self.own.saturating_sub(earlier.own) as f64 / hz)
    }
}

/// "CPU ms per request: chorus 0.41, postgres 0.30, … total 0.85; load generator 0.12"
/// for `requests` served since `earlier` (the servers' total without the generator).
pub fn per_request(earlier: &Snapshot, roots: &Roots, requests: usize) -> anyhow::Result<String> {
    let (secs, own) = Snapshot::take(roots)?.since(earlier);
    let per = |s: f64| s * 1000.0 / requests.max(1) as f64;
    let groups: Vec<String> = GROUPS
        .iter()
        .zip(&secs)
        .map(|(g, s)| format!("{} {:.3}", g.name, per(*s)))
        .collect();
    Ok(format!(
        "CPU ms per request: {}, total {:.3}; load generator {:.3}",
        groups.join(", "),
        per(secs.iter().sum()),
        per(own)
    ))
}

/// Whether `pid` is `root` or one of its descendants.
fn descends(mut pid: u32, root: u32, parent: &HashMap<u32, u32>) -> bool {
    for _ in 0..16 {
        if pid == root {
            return true;
        }
        match parent.get(&pid) {
            Some(&p) if p > 1 => pid = p,
            _ => return false,
        }
    }
    false
}

/// The root process of each group, where one is given.
#[derive(Default)]
pub struct Roots(Vec<Option<u32>>);

impl Roots {
    /// `chorus=PID,postgres=PID,…` (`BENCH_ROOTS`); unnamed groups count every
    /// process of their names.
    pub fn parse(spec: &str) -> anyhow::Result<Self> {
        let mut roots = vec![None; GROUPS.len()];
        for item in spec.split(',').filter(|s| !s.is_empty()) {
            let (name, pid) = item
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("BENCH_ROOTS: {item:?} is not name=pid"))?;
            let group = GROUPS
                .iter()
                .position(|g| g.name == name)
                .ok_or_else(|| anyhow::anyhow!("BENCH_ROOTS: no group {name:?}"))?;
            roots[group] = Some(pid.parse()?);
        }
        Ok(Self(roots))
    }

    pub fn from_env() -> anyhow::Result<Self> {
        Self::parse(&std::env::var("BENCH_ROOTS").unwrap_or_default())
    }
}
