//! What a scenario is judged by: every 201 stored once, and received once and
//! in order by every member of its chat.

use crate::infra::Postgres;
use crate::load::{Acked, Group, Member, Received};
use hdrhistogram::Histogram;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Until every member holds every acknowledged message of its chats.
pub async fn wait_delivered(
    members: &[Member],
    acked: &[Acked],
    inboxes: &[Arc<Mutex<Vec<Received>>>],
    within: Duration,
) {
    let deadline = Instant::now() + within;
    let mut by_chat: HashMap<i64, HashSet<i64>> = HashMap::new();
    for (chat, id, _, _) in acked {
        by_chat.entry(*chat).or_default().insert(*id);
    }
    // Members found complete are not looked at again: with a thousand
    // clients, rebuilding every inbox's set each round costs real CPU.
    let mut complete = vec![false; members.len()];
    while Instant::now() < deadline {
        let all = members
            .iter()
            .zip(inboxes)
            .zip(&mut complete)
            .all(|((m, inbox), done)| {
                if !*done {
                    let got: HashSet<i64> = inbox
                        .lock()
                        .map(|r| r.iter().map(|x| x.2).collect())
                        .unwrap_or_default();
                    *done = m
                        .chats
                        .iter()
                        .all(|c| by_chat.get(c).is_none_or(|ids| ids.is_subset(&got)));
                }
                *done
            });
        if all {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub struct Stored {
    pub ids: HashSet<i64>,
    pub rows: i64,
    pub duplicates: i64,
}

/// The rows of the scenario's chats in the message service's table.
pub fn stored(pg: &Postgres, groups: &[Group]) -> anyhow::Result<Stored> {
    let chats: Vec<String> = groups.iter().map(|g| g.id.to_string()).collect();
    let sql = format!(
        "SELECT id, coalesce(client_msg_id, '') FROM message.messages WHERE chat_id IN ({})",
        chats.join(",")
    );
    let out = std::process::Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-At", "-F", " ", "-p"])
        .arg(pg.port.to_string())
        .args(["-d", "chorus", "-c", &sql])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut ids = HashSet::new();
    let mut keys = HashSet::new();
    let mut rows = 0;
    for line in text.lines() {
        let (id, key) = line.split_once(' ').unwrap_or((line, ""));
        rows += 1;
        ids.insert(id.parse().unwrap_or_default());
        keys.insert(key.to_string());
    }
    Ok(Stored {
        duplicates: rows - keys.len() as i64,
        ids,
        rows,
    })
}

pub struct Row {
    pub name: String,
    sent: usize,
    failed: usize,
    stored: i64,
    stored_dup: i64,
    acked_missing: usize,
    delivered_min: usize,
    expected_per_member_min: usize,
    lost: usize,
    shown_dup: usize,
    reorders: usize,
    p50_ms: f64,
    p99_ms: f64,
    recover_s: Option<f64>,
}

impl Row {
    pub fn header() -> String {
        format!(
            "{:<18} {:>6} {:>6} {:>6} {:>8} {:>9} {:>13} {:>5} {:>8} {:>8} {:>8} {:>8} {:>9}",
            "scenario",
            "sent",
            "failed",
            "stored",
            "dupStore",
            "ackedLost",
            "delivered/exp",
            "lost",
            "dupShown",
            "reorder",
            "p50 ms",
            "p99 ms",
            "recover s"
        )
    }

    pub fn clean(&self) -> bool {
        self.failed == 0
            && self.stored_dup == 0
            && self.acked_missing == 0
            && self.lost == 0
            && self.shown_dup == 0
            && self.reorders == 0
    }
}

impl std::fmt::Display for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<18} {:>6} {:>6} {:>6} {:>8} {:>9} {:>6}/{:<6} {:>5} {:>8} {:>8} {:>8.1} {:>8.1} {:>9}",
            self.name,
            self.sent,
            self.failed,
            self.stored,
            self.stored_dup,
            self.acked_missing,
            self.delivered_min,
            self.expected_per_member_min,
            self.lost,
            self.shown_dup,
            self.reorders,
            self.p50_ms,
            self.p99_ms,
            self.recover_s.map_or("-".into(), |s| format!("{s:.1}")),
        )
    }
}

pub fn row(
    name: &str,
    members: &[Member],
    acked: &[Acked],
    failed: usize,
    stored: &Stored,
    inboxes: &[Arc<Mutex<Vec<Received>>>],
    recovered: Option<Instant>,
) -> anyhow::Result<Row> {
    let started: HashMap<i64, Instant> = acked.iter().map(|a| (a.1, a.2)).collect();
    let mut by_chat: HashMap<i64, HashSet<i64>> = HashMap::new();
    for (chat, id, _, _) in acked {
        by_chat.entry(*chat).or_default().insert(*id);
    }
    let mut hist = Histogram::<u64>::new(3)?;
    let (mut lost, mut shown_dup, mut reorders) = (0, 0, 0);
    let (mut delivered_min, mut expected_min) = (usize::MAX, usize::MAX);
    for (m, inbox) in members.iter().zip(inboxes) {
        let got = inbox.lock().map(|r| r.clone()).unwrap_or_default();
        let mut expected = 0;
        let mut delivered = 0;
        for chat in &m.chats {
            let want = by_chat.get(chat).cloned().unwrap_or_default();
            let frames: Vec<&Received> = got.iter().filter(|r| r.0 == *chat).collect();
            let mut seen = HashSet::new();
            let mut last_seq = 0;
            for (_, seq, id, at) in frames {
                if !seen.insert(*id) {
                    shown_dup += 1;
                    continue;
                }
                if *seq < last_seq {
                    reorders += 1;
                }
                last_seq = last_seq.max(*seq);
                if let Some(t0) = started.get(id) {
                    let _ = hist.record(at.duration_since(*t0).as_micros() as u64);
                }
            }
            expected += want.len();
            delivered += want.intersection(&seen).count();
            lost += want.difference(&seen).count();
        }
        delivered_min = delivered_min.min(delivered);
        expected_min = expected_min.min(expected);
    }
    // Seconds from the fault's end until the last send caught in it was answered.
    let recover_s = recovered.map(|r| {
        acked
            .iter()
            .filter(|a| a.2 < r && a.3 > r)
            .map(|a| a.3.duration_since(r).as_secs_f64())
            .fold(0.0, f64::max)
    });
    Ok(Row {
        name: name.to_string(),
        sent: acked.len(),
        failed,
        stored: stored.rows,
        stored_dup: stored.duplicates,
        acked_missing: acked.iter().filter(|a| !stored.ids.contains(&a.1)).count(),
        delivered_min,
        expected_per_member_min: expected_min,
        lost,
        shown_dup,
        reorders,
        p50_ms: hist.value_at_quantile(0.5) as f64 / 1000.0,
        p99_ms: hist.value_at_quantile(0.99) as f64 / 1000.0,
        recover_s,
    })
}
