//! Public HTTP routes of the message service (CONTRACT §9–§11).

mod messages;
mod params;
mod pins;
mod reactions;
mod reads;

use crate::state::AppState;
use axum::Router;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(messages::router())
        .merge(pins::router())
        .merge(reactions::router())
        .merge(reads::router())
        .with_state(state)
}

/// The decoded query string; an undecodable one reads as empty.
type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

fn pairs(query: RawQuery) -> Vec<(String, String)> {
    query.map(|Query(q)| q).unwrap_or_default()
}
