//! DAU and WAU (§14.1) for the admin dashboard. They are sliding windows over
//! `last_activity`, so no trigger can keep them; counting them is a range over
//! every user active in the last 7 days (tens of milliseconds at 100 000
//! users). So they are read from a snapshot at most `MAX_AGE` old: a caller
//! after that gets the snapshot at once and one refresh runs behind it; only
//! the very first caller waits for the count.

use crate::db::accounts;
use sqlx::PgPool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MAX_AGE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Windows {
    pub dau: i64,
    pub wau: i64,
}

#[derive(Default)]
struct Snapshot {
    value: Option<(Instant, Windows)>,
    refreshing: bool,
}

#[derive(Clone, Default)]
pub struct ActivityWindows(Arc<Mutex<Snapshot>>);

impl ActivityWindows {
    pub async fn get(&self, db: &PgPool) -> sqlx::Result<Windows> {
        let cached = {
            let mut snap = self.0.lock().unwrap_or_else(|p| p.into_inner());
            match snap.value {
                Some((at, w)) if at.elapsed() < MAX_AGE => return Ok(w),
                Some((_, w)) if !snap.refreshing => {
                    snap.refreshing = true;
                    Some(w)
                }
                Some((_, w)) => return Ok(w),
                None => None,
            }
        };
        match cached {
            Some(stale) => {
                let (this, db) = (self.clone(), db.clone());
                tokio::spawn(async move {
                    let fresh = accounts::activity_windows(&db).await;
                    this.store(fresh.ok());
                });
                Ok(stale)
            }
            None => {
                let fresh = accounts::activity_windows(db).await?;
                self.store(Some(fresh));
                Ok(fresh)
            }
        }
    }

    fn store(&self, fresh: Option<Windows>) {
        let mut snap = self.0.lock().unwrap_or_else(|p| p.into_inner());
        snap.refreshing = false;
        if let Some(w) = fresh {
            snap.value = Some((Instant::now(), w));
        }
    }
}
