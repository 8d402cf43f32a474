//! Development data (CONTRACT §19.1): alice (admin), bob and carol, password
//! `testpass`, with default settings rows. Loaded only by `chorus all --demo`;
//! idempotent, so restarts keep existing accounts as they are.

use crate::db;
use crate::error::Result;
use crate::state::AppState;

const USERS: [(&str, &str, &str, bool); 3] = [
    ("alice", "alice@example.com", "Alice", true),
    ("bob", "bob@example.com", "Bob", false),
    ("carol", "carol@example.com", "Carol", false),
];

pub async fn load(state: &AppState) -> Result<()> {
    for (username, email, display_name, is_admin) in USERS {
        if db::users::credentials(&state.db, username).await?.is_some() {
            continue;
        }
        let hash = state.passwords.hash("testpass".into()).await?;
        let mut tx = state.db.begin().await?;
        let id = db::users::insert(&mut tx, username, email, &hash, display_name).await?;
        if is_admin {
            db::users::set_flags(&mut tx, id, None, None, true).await?;
        }
        db::settings::create_default(&mut *tx, id).await?;
        crate::events::user_registered(&mut tx, id, username, display_name).await?;
        tx.commit().await?;
        tracing::info!(username, "demo user created");
    }
    Ok(())
}
