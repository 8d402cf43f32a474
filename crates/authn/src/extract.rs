//! axum extractors and the tonic interceptor.

use crate::verifier::{AuthError, Verifier};
use axum::extract::{FromRef, FromRequestParts};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The authenticated caller of an "Auth: user" route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthUser {
    pub id: i64,
    /// The token's `is_admin` claim (admin rights come from the claim, §1.4).
    pub is_admin: bool,
}

/// The caller of an "Auth: admin" route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminUser(pub AuthUser);

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let status = if self == AuthError::NotAdmin {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::UNAUTHORIZED
        };
        chorus_kit::error::error_response(status, &self.to_string())
    }
}

fn bearer(value: Option<&str>) -> Result<&str, AuthError> {
    let value = value.unwrap_or("");
    if value.is_empty() {
        return Err(AuthError::Missing);
    }
    value.strip_prefix("Bearer ").ok_or(AuthError::BadScheme)
}

impl<S> FromRequestParts<S> for AuthUser
where
    Arc<Verifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or("\u{0}"));
        let token = bearer(value)?;
        let verifier = Arc::<Verifier>::from_ref(state);
        let claims = verifier.verify_access(token).await?;
        let id = claims.user_id().ok_or(AuthError::Invalid)?;
        Ok(AuthUser {
            id,
            is_admin: claims.is_admin,
        })
    }
}

impl<S> FromRequestParts<S> for AdminUser
where
    Arc<Verifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if !user.is_admin {
            return Err(AuthError::NotAdmin);
        }
        Ok(AdminUser(user))
    }
}

/// A tonic interceptor for internal calls made on behalf of a user: verifies the
/// `authorization: Bearer <access token>` metadata with the known keys and puts
/// the [`AuthUser`] into the request extensions.
pub fn grpc_interceptor(
    verifier: Arc<Verifier>,
) -> impl Fn(tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> + Clone {
    move |mut req: tonic::Request<()>| {
        let value = req
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        let token = bearer(value).map_err(|e| tonic::Status::unauthenticated(e.to_string()))?;
        let claims = verifier
            .verify_known(token)
            .map_err(|_| tonic::Status::unauthenticated(AuthError::Invalid.to_string()))?;
        if claims.token_type != crate::TokenType::Access {
            return Err(tonic::Status::unauthenticated(
                AuthError::NotAccess.to_string(),
            ));
        }
        let id = claims
            .user_id()
            .ok_or_else(|| tonic::Status::unauthenticated(AuthError::Invalid.to_string()))?;
        req.extensions_mut().insert(AuthUser {
            id,
            is_admin: claims.is_admin,
        });
        Ok(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_must_be_exactly_bearer_and_one_space() {
        assert_eq!(bearer(None), Err(AuthError::Missing));
        assert_eq!(bearer(Some("")), Err(AuthError::Missing));
        assert_eq!(bearer(Some("bearer abc")), Err(AuthError::BadScheme));
        assert_eq!(bearer(Some("Bearer  abc")), Ok(" abc"));
        assert_eq!(bearer(Some("Basic abc")), Err(AuthError::BadScheme));
        assert_eq!(bearer(Some("Bearer abc")), Ok("abc"));
    }
}
