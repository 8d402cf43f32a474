//! Memory and CPU of the suite's processes, read from /proc: each one is a
//! process group with its descendants (a chorus process; PostgreSQL's
//! postmaster with its backends; RabbitMQ's script with its Erlang VM),
//! sampled every so often while a scenario runs and printed as a series.

use std::time::{Duration, Instant};

/// What one process group used at one moment.
#[derive(Clone, Copy, Default)]
pub struct Usage {
    /// Resident memory in bytes: VmRSS for a single process; for several, the
    /// proportional share (PSS) summed, so memory they share counts once.
    pub memory: u64,
    /// CPU time in clock ticks of the live processes and of the children they
    /// reaped (PostgreSQL's ended backends), so the count only grows.
    pub ticks: u64,
}

/// The processes of the group `pgid` and every descendant of them: PostgreSQL's
/// backends leave their postmaster's group (each starts a session of its own).
fn members(pgid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    // (pid, parent, group) of every process.
    let all: Vec<(u32, u32, u32)> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let f = stat_fields(pid)?;
            Some((pid, f.get(1)?.parse().ok()?, f.get(2)?.parse().ok()?))
        })
        .collect();
    let mut found: std::collections::HashSet<u32> =
        all.iter().filter(|p| p.2 == pgid).map(|p| p.0).collect();
    loop {
        let more: Vec<u32> = all
            .iter()
            .filter(|p| found.contains(&p.1) && !found.contains(&p.0))
            .map(|p| p.0)
            .collect();
        if more.is_empty() {
            return found.into_iter().collect();
        }
        found.extend(more);
    }
}

/// `/proc/PID/stat` after the command name (which may hold spaces): field 0 is
/// the state, 1 the parent, 2 the process group, 11–14 utime, stime, cutime, cstime.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 2..];
    Some(rest.split_whitespace().map(str::to_string).collect())
}

fn status_kb(file: &str, pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// What is sampled: a process group with its descendants, or one process
/// alone (the suite itself, whose descendants are everything else).
#[derive(Clone, Copy)]
pub enum Target {
    Group(u32),
    Alone(u32),
}

pub fn usage(target: Target) -> Usage {
    // Alone: its own time only; the children it reaped are the chorus
    // processes it killed, not its work.
    let (pids, fields) = match target {
        Target::Group(pgid) => (members(pgid), 11..15),
        Target::Alone(pid) => (vec![pid], 11..13),
    };
    let ticks = pids
        .iter()
        .filter_map(|&pid| stat_fields(pid))
        .map(|f| {
            fields
                .clone()
                .filter_map(|i| f.get(i)?.parse::<u64>().ok())
                .sum::<u64>()
        })
        .sum();
    let memory_kb: u64 = match pids.as_slice() {
        [one] => status_kb("status", *one, "VmRSS:"),
        many => many
            .iter()
            .map(|&pid| status_kb("smaps_rollup", pid, "Pss:"))
            .sum(),
    };
    Usage {
        memory: memory_kb * 1024,
        ticks,
    }
}

/// Open sockets of one process (its file descriptors that are sockets).
pub fn sockets(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| {
                    std::fs::read_link(e.path())
                        .is_ok_and(|t| t.to_string_lossy().starts_with("socket:"))
                })
                .count()
        })
        .unwrap_or(0)
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// Samples of named process groups over a scenario.
pub struct Series {
    names: Vec<String>,
    started: Instant,
    /// (seconds since start, one usage per name)
    rows: Vec<(f64, Vec<Usage>)>,
    hz: f64,
}

impl Series {
    pub fn new(names: Vec<String>) -> Self {
        Self {
            names,
            started: Instant::now(),
            rows: Vec::new(),
            hz: clock_ticks_per_second(),
        }
    }

    /// One sample; `targets` in the order of the names (`None`: not running).
    pub fn sample(&mut self, targets: &[Option<Target>]) {
        let at = self.started.elapsed().as_secs_f64();
        // The end of a run that falls on a tick: one row, not a second one
        // whose CPU figure is over a few milliseconds.
        if self.rows.last().is_some_and(|r| at - r.0 < 1.0) {
            return;
        }
        let row = targets
            .iter()
            .map(|t| t.map(usage).unwrap_or_default())
            .collect();
        self.rows.push((at, row));
    }

    /// The series as a table: memory in MB and CPU as % of one core over the
    /// interval before each sample (the first row has no interval: `-`).
    pub fn table(&self) -> Vec<String> {
        let mut out = vec![
            "resources: MB resident (VmRSS; a server of several processes: PSS summed), cpu % of one core since the previous sample".to_string(),
        ];
        let mut header = format!("{:>7}", "t s");
        for name in &self.names {
            header += &format!(" {:>9} {:>7}", format!("{name} MB"), "cpu %");
        }
        out.push(header);
        let mut previous: Option<&(f64, Vec<Usage>)> = None;
        for row in &self.rows {
            let mut line = format!("{:>7.0}", row.0);
            for (n, u) in row.1.iter().enumerate() {
                let cpu = previous.and_then(|p| {
                    let (dt, before) = (row.0 - p.0, p.1.get(n)?);
                    // A restarted process starts its count again: no figure.
                    (dt > 0.0 && u.ticks >= before.ticks)
                        .then(|| (u.ticks - before.ticks) as f64 / self.hz / dt * 100.0)
                });
                line += &format!(
                    " {:>9.1} {:>7}",
                    u.memory as f64 / 1e6,
                    cpu.map_or("-".into(), |c| format!("{c:.0}"))
                );
            }
            out.push(line);
            previous = Some(row);
        }
        out
    }
}

/// Samples of what an edge node holds: memory, WebSocket connections by its
/// own gauge, and sockets by its file descriptors.
#[derive(Clone, Copy, Default)]
pub struct EdgeLoad {
    pub memory: u64,
    pub ws: Option<i64>,
    pub sockets: usize,
}

/// `messenger_ws_connections_active` from the edge's `/metrics`.
pub async fn ws_gauge(http: &reqwest::Client, port: u16) -> Option<i64> {
    let text = http
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find(|l| l.starts_with("messenger_ws_connections_active "))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map(|v| v as i64)
}

pub async fn edge_load(http: &reqwest::Client, pid: Option<u32>, port: u16) -> EdgeLoad {
    EdgeLoad {
        memory: pid.map_or(0, |p| usage(Target::Group(p)).memory),
        ws: ws_gauge(http, port).await,
        sockets: pid.map_or(0, sockets),
    }
}

/// "edge0: ws 0 → 0 (peak 512), sockets 25 → 25, RSS 41.0 → 55.2 MB (peak 60.3)".
pub fn edge_line(name: &str, start: EdgeLoad, end: EdgeLoad, peak: EdgeLoad) -> String {
    let ws = |v: Option<i64>| v.map_or("?".to_string(), |v| v.to_string());
    format!(
        "{name}: ws connections {} → {} (peak {}), sockets {} → {} (peak {}), RSS {:.1} → {:.1} MB (peak {:.1})",
        ws(start.ws),
        ws(end.ws),
        ws(peak.ws),
        start.sockets,
        end.sockets,
        peak.sockets,
        start.memory as f64 / 1e6,
        end.memory as f64 / 1e6,
        peak.memory as f64 / 1e6,
    )
}

/// Field-wise maximum, for peaks.
pub fn max_load(a: EdgeLoad, b: EdgeLoad) -> EdgeLoad {
    EdgeLoad {
        memory: a.memory.max(b.memory),
        ws: a.ws.max(b.ws),
        sockets: a.sockets.max(b.sockets),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt as _;

    /// A group whose child starts a session of its own (as PostgreSQL's
    /// backends do) is still counted, with its memory summed as PSS.
    #[test]
    fn counts_descendants_that_left_the_group() -> anyhow::Result<()> {
        let mut leader = std::process::Command::new("sh")
            .args(["-c", "setsid sleep 30 & sleep 30 & wait"])
            .process_group(0)
            .spawn()?;
        let pgid = leader.id();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut found = members(pgid);
        while found.len() < 3 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
            found = members(pgid);
        }
        let used = usage(Target::Group(pgid));
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .status();
        for pid in &found {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let _ = leader.wait();
        assert_eq!(found.len(), 3, "sh, its sleep and the setsid sleep");
        assert!(used.memory > 0);
        Ok(())
    }
}
