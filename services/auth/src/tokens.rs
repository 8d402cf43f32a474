//! Issuing access and refresh tokens (§2.2) and hashing refresh tokens for storage.

use crate::config::JwtConfig;
use crate::keys::SigningKeys;
use chorus_authn::{Claims, TokenType};
use chorus_proto::UserId;
use jsonwebtoken::{Algorithm, Header, encode};
use sha2::{Digest, Sha256};

pub struct Issued {
    pub token: String,
    pub claims: Claims,
}

pub fn issue(
    keys: &SigningKeys,
    cfg: &JwtConfig,
    user_id: UserId,
    is_admin: bool,
    token_type: TokenType,
    session: Option<(&str, i64)>,
) -> Result<Issued, jsonwebtoken::errors::Error> {
    let now = chrono::Utc::now().timestamp();
    let exp = match (token_type, session) {
        (TokenType::Access, _) => now + cfg.access_ttl_secs,
        // A refresh token never outlives its session (§2.3).
        (TokenType::Refresh, Some((_, session_end))) => {
            (now + cfg.refresh_ttl_secs).min(session_end)
        }
        (TokenType::Refresh, None) => now + cfg.refresh_ttl_secs,
    };
    let claims = Claims {
        sub: user_id.to_string(),
        token_type,
        iat: now,
        exp,
        is_admin,
        iss: cfg.verify.issuer.clone(),
        aud: cfg.verify.audience.clone(),
        jti: uuid::Uuid::new_v4().to_string(),
        sid: session.map(|(sid, _)| sid.to_string()),
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(keys.kid.clone());
    let token = encode(&header, &claims, &keys.encoding)?;
    Ok(Issued { token, claims })
}

/// Only this hash of a refresh token is stored.
pub fn hash_refresh_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
