//! The admin service's reads of messages (§14.1, §14.3, §14.5): the day counters
//! and pages over every message, deleted ones included.

use chorus_proto::{ChatId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Totals {
    pub total: i64,
    pub today: i64,
}

/// All messages and today's, summed from `message_day_counts`.
pub async fn totals(db: impl PgExecutor<'_>) -> sqlx::Result<Totals> {
    sqlx::query_as(
        "SELECT COALESCE(sum(count), 0)::bigint AS total, \
                COALESCE(sum(count) FILTER (WHERE day = (now() AT TIME ZONE 'UTC')::date), 0)::bigint AS today \
         FROM message_day_counts",
    )
    .fetch_one(db)
    .await
}

/// Messages per day since today − 14 days, ascending, no zero days.
pub async fn trend(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(NaiveDate, i64)>> {
    sqlx::query_as(
        "SELECT day, sum(count)::bigint FROM message_day_counts \
         WHERE day >= (now() AT TIME ZONE 'UTC')::date - 14 \
         GROUP BY day HAVING sum(count) > 0 ORDER BY day",
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub sender_id: Option<UserId>,
    pub chat_id: Option<ChatId>,
    /// An ILIKE pattern; `None` for no text filter.
    pub pattern: Option<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.sender_id.is_none() && self.chat_id.is_none() && self.pattern.is_none()
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub chat_id: i64,
    pub sender_id: i64,
    pub content: String,
    pub message_type: String,
    pub created_at: DateTime<Utc>,
    pub is_deleted: bool,
}

impl Filter {
    /// The WHERE clause of the filters present, numbering their parameters
    /// from $1 in the order [`Filter::bind`] binds them. Only present filters
    /// appear, so each query plans for its own indexes (a generic
    /// `$1 IS NULL OR …` plan would scan the table).
    fn clause(&self) -> String {
        let mut parts = Vec::new();
        if self.sender_id.is_some() {
            parts.push(format!("sender_id = ${}", parts.len() + 1));
        }
        if self.chat_id.is_some() {
            parts.push(format!("chat_id = ${}", parts.len() + 1));
        }
        if self.pattern.is_some() {
            parts.push(format!("content ILIKE ${}", parts.len() + 1));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", parts.join(" AND "))
        }
    }

    fn params(&self) -> usize {
        usize::from(self.sender_id.is_some())
            + usize::from(self.chat_id.is_some())
            + usize::from(self.pattern.is_some())
    }

    fn bind<'q, O>(
        &'q self,
        mut q: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
        if let Some(id) = self.sender_id {
            q = q.bind(id);
        }
        if let Some(id) = self.chat_id {
            q = q.bind(id);
        }
        if let Some(p) = &self.pattern {
            q = q.bind(p.as_str());
        }
        q
    }
}

/// One page, newest first. `id` order is insertion order, the same as
/// `created_at` (set at insert by the clock), and needs no index beyond the
/// key and the filters' own.
pub async fn page(
    db: impl PgExecutor<'_>,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Row>> {
    let n = f.params();
    let sql = format!(
        "SELECT id, chat_id, sender_id, content, message_type, created_at, is_deleted \
         FROM messages {} ORDER BY id DESC OFFSET ${} LIMIT ${}",
        f.clause(),
        n + 1,
        n + 2
    );
    f.bind(sqlx::query_as(sqlx::AssertSqlSafe(sql)))
        .bind(offset)
        .bind(limit)
        .fetch_all(db)
        .await
}

/// How many messages match (with no filter, use [`totals`]).
pub async fn count(db: impl PgExecutor<'_>, f: &Filter) -> sqlx::Result<i64> {
    let sql = format!("SELECT count(*) FROM messages {}", f.clause());
    let (n,): (i64,) = f
        .bind(sqlx::query_as(sqlx::AssertSqlSafe(sql)))
        .fetch_one(db)
        .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_present_filters_reach_the_sql_numbered_in_bind_order() {
        assert_eq!(Filter::default().clause(), "");
        let f = Filter {
            sender_id: None,
            chat_id: Some(ChatId(4)),
            pattern: Some("%x%".into()),
        };
        assert_eq!(f.clause(), "WHERE chat_id = $1 AND content ILIKE $2");
        assert_eq!(f.params(), 2);
    }
}
