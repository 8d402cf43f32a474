//! Claiming a batch of outbox rows for the relay, finished for publishing.

use sqlx::PgConnection;
use std::sync::Arc;

/// Completes an event whose row was written before some of its values existed:
/// `(routing key, envelope, the row's assigned values)` → the envelope to
/// publish. A producer that renders an event before its own statement assigns
/// ids writes those values into the outbox's `assigned` column (only the
/// message schema's outbox has one) and gives its relay this function
/// (`Relay::finish_with`).
pub type Finish = Arc<dyn Fn(&str, Vec<u8>, &[i64]) -> Vec<u8> + Send + Sync>;

/// An outbox row claimed for publishing; `event_type` is the routing key.
#[derive(sqlx::FromRow)]
pub(crate) struct Claimed {
    pub id: i64,
    pub event_type: String,
    pub envelope: Vec<u8>,
    assigned: Option<Vec<i64>>,
}

/// Locks up to `limit` of the oldest rows no other relay holds, in the
/// caller's transaction, with their envelopes finished by `finish`.
pub(crate) async fn claim(
    tx: &mut PgConnection,
    limit: i64,
    finish: Option<&Finish>,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let select = if finish.is_some() {
        "SELECT id, event_type, envelope, assigned FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED"
    } else {
        "SELECT id, event_type, envelope, NULL::bigint[] AS assigned FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED"
    };
    let mut rows: Vec<Claimed> = sqlx::query_as(select).bind(limit).fetch_all(tx).await?;
    if let Some(finish) = finish {
        for row in &mut rows {
            if let Some(assigned) = row.assigned.take() {
                row.envelope = finish(
                    &row.event_type,
                    std::mem::take(&mut row.envelope),
                    &assigned,
                );
            }
        }
    }
    Ok(rows)
}
