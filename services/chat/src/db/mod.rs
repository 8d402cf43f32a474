//! SQL, one module per table (or per query family); bound parameters only.

pub mod admin;
pub mod chats;
pub mod flags;
pub mod invites;
pub mod list;
pub mod members;

use chorus_proto::{ChatType, Role};
use sqlx::Row;
use sqlx::postgres::PgRow;

/// The `type` text column of a chat as the vocabulary; the table's CHECK
/// constraint admits nothing else, so other text is a decode error (500).
pub(crate) fn chat_type_at(row: &PgRow, column: &str) -> sqlx::Result<ChatType> {
    let text: String = row.try_get(column)?;
    ChatType::parse(&text).ok_or_else(|| unknown(column, text))
}

/// The `role` text column of a membership as the vocabulary; only `owner`,
/// `admin` and `member` are ever written, so other text is a decode error (500).
pub(crate) fn role_at(row: &PgRow, column: &str) -> sqlx::Result<Role> {
    let text: String = row.try_get(column)?;
    Role::parse(&text).ok_or_else(|| unknown(column, text))
}

fn unknown(column: &str, text: String) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("unknown value {text:?}").into(),
    }
}
