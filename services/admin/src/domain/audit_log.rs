//! `GET /admin-api/audit` (additive): the audit log, newest first, with the
//! admins' current usernames.

use super::{Paging, accounts, at};
use crate::audit::{self, Filter};
use crate::error::Result;
use crate::state::AppState;
use crate::wire::{AuditEntry, AuditPage, total_pages};

pub async fn list(state: &AppState, paging: Paging, f: Filter) -> Result<AuditPage> {
    let (rows, total) = audit::page(&state.db, &f, paging.offset(), paging.per_page).await?;
    let admin_ids: Vec<i64> = rows.iter().map(|r| r.admin_id).collect();
    let admins = accounts(state, &admin_ids).await?;
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            admin_username: admins
                .get(&r.admin_id)
                .map(|a| a.username.clone())
                .unwrap_or_default(),
            admin_id: r.admin_id,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            detail: r.detail,
            ip: r.ip,
            created_at: at(r.created_at.timestamp_micros()),
        })
        .collect();
    Ok(AuditPage {
        entries,
        page: paging.page,
        per_page: paging.per_page,
        total,
        total_pages: total_pages(total, paging.per_page),
    })
}
