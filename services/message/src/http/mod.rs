//! Public HTTP routes of the message service (CONTRACT §9–§11). The router and
//! this service's part of the OpenAPI document come from the same [`routes`],
//! so nothing is served undocumented.

mod extract;
mod messages;
mod pins;
mod reactions;
mod reads;

use crate::state::AppState;
use axum::Router;
use chorus_kit::openapi::ApiRouter;
use utoipa_axum::routes;

/// Every public route with its description, before the state is attached.
pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(messages::send_message, messages::list_messages))
        .routes(routes!(messages::search_messages))
        .routes(routes!(messages::forward_messages))
        .routes(routes!(messages::edit_message, messages::delete_message))
        .routes(routes!(pins::pin_message, pins::unpin_message))
        .routes(routes!(pins::get_pinned))
        .routes(routes!(reactions::toggle_reaction))
        .routes(routes!(reactions::get_reactions))
        .routes(routes!(reads::mark_read))
        .routes(routes!(reads::get_read_receipts))
}

pub fn router(state: AppState) -> Router {
    let (router, _) = routes().split_for_parts();
    router.with_state(state)
}
