//! `/me` and `/users/*` (§4.4, §5).

use crate::domain::profiles::{self, ProfileEdit};
use crate::error::Error;
use crate::state::AppState;
use crate::wire::{Me, Profile, PublicUser};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chorus_authn::AuthUser;
use chorus_kit::ApiError;
use chorus_kit::http::{MaybeJson, PathOr, parse_id};
use chorus_kit::lenient;
use chorus_kit::lenient::{Object as JsonObject, ObjectOrDefault as AnyJson};
use chorus_kit::openapi::{ApiRouter, ErrorBody};
use chorus_proto::{FileId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .routes(routes!(get_me))
        .routes(routes!(search_users))
        .routes(routes!(get_user_by_username))
        .routes(routes!(put_my_avatar))
        .routes(routes!(get_user, put_user))
        .routes(routes!(get_avatar))
}

/// Returns the caller's account
#[utoipa::path(
    get,
    path = "/me",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = Me),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`User not found`", body = ErrorBody),
    )
)]
async fn get_me(State(state): State<AppState>, user: AuthUser) -> Result<Json<Me>, Error> {
    let me = profiles::me(&state.db, state.media.as_ref(), UserId(user.id)).await?;
    Ok(Json(me))
}

/// Returns a user's profile with the presence the target's privacy allows
#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The profile (§5.2 decides the presence keys)", body = Profile),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`User not found` (also for soft-deleted users)", body = ErrorBody),
    )
)]
async fn get_user(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Json<Profile>, Error> {
    let target = parse_id(&id).map(UserId).ok_or(Error::UserNotFound)?;
    Ok(Json(
        profiles::by_id(state.lookup(), UserId(user.id), target).await?,
    ))
}

/// Returns a user's profile by username, as an anonymous viewer
#[utoipa::path(
    get,
    path = "/users/by-username/{username}",
    tag = "users",
    params(("username" = String, Path, description = "Matched case-insensitively")),
    responses(
        (status = 200, description = "The profile (any `Authorization` header is ignored)", body = Profile),
        (status = 404, description = "`User not found`", body = ErrorBody),
    )
)]
async fn get_user_by_username(
    State(state): State<AppState>,
    PathOr(username): PathOr<String>,
) -> Result<Json<Profile>, Error> {
    Ok(Json(
        profiles::by_username(state.lookup(), &username).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// A case-insensitive substring of the username or display name; `%` and
    /// `_` act as wildcards. Empty or absent matches every active user.
    #[serde(default)]
    q: Option<String>,
}

/// Searches active users
#[utoipa::path(
    get,
    path = "/users/search",
    tag = "users",
    security(("bearer" = [])),
    params(SearchQuery),
    responses(
        (status = 200, description = "At most 50 users ordered by username", body = Vec<PublicUser>),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
    )
)]
async fn search_users(
    State(state): State<AppState>,
    _user: AuthUser,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<PublicUser>>, Error> {
    // An undecodable query string searches for everything, as an empty `q` does.
    let q = query.ok().and_then(|Query(q)| q.q).unwrap_or_default();
    Ok(Json(
        profiles::search(&state.db, state.media.as_ref(), &q).await?,
    ))
}

/// `PUT /users/{id}`: non-string values are coerced to their JSON text.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateProfileRequest {
    /// Stored as given; absent is stored as an empty string.
    #[serde(default, deserialize_with = "lenient::text")]
    pub display_name: String,
    /// Stored as given; absent is stored as an empty string.
    #[serde(default, deserialize_with = "lenient::text")]
    pub bio: String,
    /// Absent or null keeps the username; otherwise `^[a-zA-Z0-9_]{3,20}$`.
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_coerced_text")]
    pub username: Option<String>,
}

/// The profile after an edit.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdatedProfile {
    pub id: UserId,
    pub username: String,
    /// Null only if the stored value is null.
    #[schema(required = true)]
    pub display_name: Option<String>,
    /// Null only if the stored value is null.
    #[schema(required = true)]
    pub bio: Option<String>,
}

/// Edits the caller's profile
#[utoipa::path(
    put,
    path = "/users/{id}",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The caller's own id")),
    request_body(content = UpdateProfileRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The updated profile", body = UpdatedProfile),
        (status = 400, description = "`Invalid JSON` or `Username must be 3-20 characters: letters, digits, underscores only`", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = "`Forbidden` (not the caller's id)", body = ErrorBody),
        (status = 404, description = "`User not found`", body = ErrorBody),
        (status = 409, description = "`Username already taken`", body = ErrorBody),
    )
)]
async fn put_user(
    State(state): State<AppState>,
    user: AuthUser,
    PathOr(id): PathOr<String>,
    MaybeJson(body): MaybeJson<JsonObject<UpdateProfileRequest>>,
) -> Result<Json<UpdatedProfile>, ApiError> {
    let caller = UserId(user.id);
    // The id is checked before the body (§5.6 lists 403 first).
    if parse_id(&id).map(UserId) != Some(caller) {
        return Err(Error::NotSelf.into());
    }
    let Some(JsonObject(body)) = body else {
        return Err(ApiError::invalid_json());
    };
    let edit = ProfileEdit {
        display_name: body.display_name,
        bio: body.bio,
        username: body.username,
    };
    let u = profiles::update(&state.db, caller, edit).await?;
    Ok(Json(UpdatedProfile {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        bio: u.bio,
    }))
}

/// Redirects to a user's avatar image
#[utoipa::path(
    get,
    path = "/users/{id}/avatar",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The user's id")),
    responses(
        (status = 302, description = "To the avatar's presigned URL",
            headers(("Location" = String, description = "The presigned URL"))),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`No avatar` (also for an unknown user)", body = ErrorBody),
    )
)]
async fn get_avatar(
    State(state): State<AppState>,
    _user: AuthUser,
    PathOr(id): PathOr<String>,
) -> Result<Response, Error> {
    let target = parse_id(&id).map(UserId).ok_or(Error::NoAvatar)?;
    let url = profiles::avatar_redirect(&state.db, state.media.as_ref(), target).await?;
    let location = HeaderValue::from_str(&url).map_err(|_| Error::AvatarUrl)?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// `PUT /users/me/avatar`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SetUserAvatarRequest {
    /// A file the caller uploaded; must be a JSON integer.
    #[serde(default, deserialize_with = "chorus_kit::lenient::opt_json_int")]
    #[schema(value_type = i64, required = true)]
    pub file_id: Option<i64>,
}

/// The new avatar.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserAvatarResponse {
    /// The avatar's presigned URL; absent if the file cannot be read back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
}

/// Sets the caller's avatar to a file they uploaded
#[utoipa::path(
    put,
    path = "/users/me/avatar",
    tag = "users",
    security(("bearer" = [])),
    request_body(content = SetUserAvatarRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The avatar is set", body = UserAvatarResponse),
        (status = 400, description = "`file_id required` (also when the body is not JSON)", body = ErrorBody),
        (status = 401, description = chorus_kit::openapi::UNAUTHORIZED, body = ErrorBody),
        (status = 404, description = "`File not found` (unknown, or someone else's file) or `User not found`", body = ErrorBody),
    )
)]
async fn put_my_avatar(
    State(state): State<AppState>,
    user: AuthUser,
    MaybeJson(body): MaybeJson<AnyJson<SetUserAvatarRequest>>,
) -> Result<Json<UserAvatarResponse>, Error> {
    let file_id = body
        .and_then(|AnyJson(b)| b.file_id)
        .map(FileId)
        .ok_or(Error::FileIdRequired)?;
    let url =
        profiles::set_avatar(&state.db, state.media.as_ref(), UserId(user.id), file_id).await?;
    Ok(Json(UserAvatarResponse {
        avatar_url: Some(url),
    }))
}
