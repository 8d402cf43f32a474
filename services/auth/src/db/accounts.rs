//! The admin panel's reads of the `users` table (§14.1–§14.3, §14.6): pages with
//! filters, accounts by id, the active directory and the dashboard counters.

use chorus_proto::UserId;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: UserId,
    pub username: String,
    pub display_name: Option<String>,
    pub email: String,
    pub bio: Option<String>,
    pub is_active: bool,
    pub is_admin: bool,
    pub is_blocked: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_activity: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, username::text AS username, display_name, email::text AS email, bio, \
    is_active, is_admin, is_blocked, created_at, updated_at, last_activity";

/// The §14.2 status filter as SQL; unknown values filter nothing.
fn status_clause(status: &str) -> &'static str {
    match status {
        "active" => "is_active AND NOT is_blocked",
        "blocked" => "is_blocked",
        "admin" => "is_admin",
        "inactive" => "NOT is_active",
        _ => "TRUE",
    }
}

/// One page newest first, and the total under the same filter.
pub async fn page(
    db: impl PgExecutor<'_> + Copy,
    query: &str,
    status: &str,
    offset: i64,
    limit: i64,
) -> sqlx::Result<(Vec<AccountRow>, i64)> {
    let filter = format!(
        "({}) AND ($1 = '' OR username::text ILIKE $2 OR display_name ILIKE $2)",
        status_clause(status)
    );
    let pattern = chorus_kit::db::ilike_substring(query);
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE {filter} ORDER BY created_at DESC, id DESC OFFSET $3 LIMIT $4"
    )))
    .bind(query)
    .bind(&pattern)
    .bind(offset)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM users WHERE {filter}"
    )))
    .bind(query)
    .bind(&pattern)
    .fetch_one(db)
    .await?;
    Ok((rows, total))
}

pub async fn many(db: impl PgExecutor<'_>, ids: &[i64]) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE id = ANY($1)"
    )))
    .bind(ids)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Brief {
    pub id: UserId,
    pub username: String,
    pub display_name: Option<String>,
}

/// Every active account, username ascending.
pub async fn active(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Brief>> {
    sqlx::query_as(
        "SELECT id, username::text AS username, display_name FROM users WHERE is_active ORDER BY username",
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Default, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Counts {
    pub total_users: i64,
    pub blocked_users: i64,
    pub new_users_today: i64,
}

/// The counters kept by the `count_accounts_*` triggers.
pub async fn counts(db: impl PgExecutor<'_>) -> sqlx::Result<Counts> {
    sqlx::query_as(
        "SELECT \
           COALESCE((SELECT count FROM account_counts WHERE key = 'active'), 0) AS total_users, \
           COALESCE((SELECT count FROM account_counts WHERE key = 'blocked'), 0) AS blocked_users, \
           COALESCE((SELECT count FROM account_day_counts \
                     WHERE day = (now() AT TIME ZONE 'UTC')::date), 0) AS new_users_today",
    )
    .fetch_one(db)
    .await
}

/// Active users seen in the last 24 hours and 7 days (see `activity_windows.rs`).
pub async fn activity_windows(
    db: impl PgExecutor<'_>,
) -> sqlx::Result<crate::activity_windows::Windows> {
    let (dau, wau) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE last_activity >= now() - interval '24 hours'), count(*) \
         FROM users WHERE is_active AND last_activity >= now() - interval '7 days'",
    )
    .fetch_one(db)
    .await?;
    Ok(crate::activity_windows::Windows { dau, wau })
}

/// Active users per creation day since today − 14 days, ascending, no zero days.
pub async fn registrations_trend(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(NaiveDate, i64)>> {
    sqlx::query_as(
        "SELECT day, count FROM account_day_counts \
         WHERE day >= (now() AT TIME ZONE 'UTC')::date - 14 AND count > 0 ORDER BY day",
    )
    .fetch_all(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_statuses_filter_nothing() {
        assert_eq!(status_clause("blocked"), "is_blocked");
        assert_eq!(status_clause("everyone"), "TRUE");
        assert_eq!(status_clause(""), "TRUE");
    }
}
