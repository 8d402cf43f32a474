//! The audit log (the admin schema's one table): every admin action and support
//! send, written after the action succeeded, read newest first with filters.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;

/// What an admin did, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Block,
    Unblock,
    SoftDelete,
    ToggleAdmin,
    SupportSend,
    MessageDelete,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Self::Block,
        Self::Unblock,
        Self::SoftDelete,
        Self::ToggleAdmin,
        Self::SupportSend,
        Self::MessageDelete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Unblock => "unblock",
            Self::SoftDelete => "soft-delete",
            Self::ToggleAdmin => "toggle-admin",
            Self::SupportSend => "support-send",
            Self::MessageDelete => "message-delete",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// One entry to write.
pub struct Record {
    pub admin_id: i64,
    pub action: Action,
    /// `user`, `chat` or `message`.
    pub target_type: &'static str,
    pub target_id: i64,
    pub detail: Option<Value>,
    pub ip: Option<String>,
}

pub async fn record(db: impl PgExecutor<'_>, r: Record) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (admin_id, action, target_type, target_id, detail, ip) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.admin_id)
    .bind(r.action.as_str())
    .bind(r.target_type)
    .bind(r.target_id)
    .bind(r.detail)
    .bind(r.ip)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub admin_id: i64,
    pub action: String,
    pub target_type: String,
    pub target_id: i64,
    pub detail: Option<Value>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub admin_id: Option<i64>,
    pub target_id: Option<i64>,
    pub action: Option<Action>,
}

const WHERE: &str = "WHERE ($1::bigint IS NULL OR admin_id = $1) \
    AND ($2::bigint IS NULL OR target_id = $2) AND ($3::text IS NULL OR action = $3)";

/// One page newest first, and the total under the same filter.
pub async fn page(
    db: impl PgExecutor<'_> + Copy,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> sqlx::Result<(Vec<Row>, i64)> {
    let action = f.action.map(Action::as_str);
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, admin_id, action, target_type, target_id, detail, ip, created_at \
         FROM audit_log {WHERE} ORDER BY id DESC OFFSET $4 LIMIT $5"
    )))
    .bind(f.admin_id)
    .bind(f.target_id)
    .bind(action)
    .bind(offset)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM audit_log {WHERE}"
    )))
    .bind(f.admin_id)
    .bind(f.target_id)
    .bind(action)
    .fetch_one(db)
    .await?;
    Ok((rows, total))
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn action_names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse("delete"), None);
    }
}
