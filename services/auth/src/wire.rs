//! The auth service's shared wire types: the public user object (§5.1), the
//! profile lookup built on it (§5.2), `/me` (§4.4), the JWKS (§2.2), and the
//! body readers that keep the old lenient reading of JSON (§1.2, §4.1).

use chorus_kit::time::Timestamp;
use chorus_proto::UserId;
use serde::Serialize;
use utoipa::ToSchema;

/// The public user object (§5.1): search results and the base of profile lookups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublicUser {
    pub id: UserId,
    pub username: String,
    /// The stored display name, or the username when none is stored.
    pub display_name: String,
    #[schema(required = true)]
    pub bio: Option<String>,
    /// The global admin flag.
    pub is_admin: bool,
    /// Presigned URL of the avatar file.
    #[schema(required = true)]
    pub avatar_url: Option<String>,
}

/// A coarse "last seen" for targets whose visibility is `approx_only` (§5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum LastSeenApprox {
    /// Active within the last 5 minutes.
    #[serde(rename = "just now")]
    JustNow,
    #[serde(rename = "within an hour")]
    WithinAnHour,
    #[serde(rename = "today")]
    Today,
    #[serde(rename = "this week")]
    ThisWeek,
    #[serde(rename = "long ago")]
    LongAgo,
}

/// The presence keys of a profile lookup, as the target's privacy allows
/// the viewer to see them (§5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PresenceKeys {
    /// Whether the target has a live, active WebSocket connection; null when hidden.
    #[schema(required = true)]
    pub is_online: Option<bool>,
    /// The target's last activity; null when never active or hidden.
    #[schema(required = true)]
    pub last_activity: Option<Timestamp>,
    /// Present only when the target's visibility is `approx_only` (and the
    /// viewer is neither the target nor an admin); null when never active.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<LastSeenApprox>, required = false)]
    pub last_seen_approx: Option<Option<LastSeenApprox>>,
}

/// A profile lookup (§5.3, §5.4): the public user object plus presence keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Profile {
    #[serde(flatten)]
    pub user: PublicUser,
    #[serde(flatten)]
    pub presence: PresenceKeys,
}

/// The caller's own account (§4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Me {
    pub id: UserId,
    pub username: String,
    pub email: String,
    /// The stored display name, or the username when none is stored.
    pub display_name: String,
    #[schema(required = true)]
    pub bio: Option<String>,
    pub created_at: Timestamp,
    /// The current database value (not the token's claim).
    pub is_admin: bool,
    /// Presigned URL of the avatar file.
    #[schema(required = true)]
    pub avatar_url: Option<String>,
}

/// One public signing key (RFC 7517 / RFC 8037 OKP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Jwk {
    /// Always `OKP`.
    pub kty: &'static str,
    /// Always `Ed25519`.
    pub crv: &'static str,
    /// Always `EdDSA`.
    pub alg: &'static str,
    /// Always `sig`.
    #[serde(rename = "use")]
    pub use_: &'static str,
    /// The key id that tokens carry in their header.
    pub kid: String,
    /// The public key, base64url without padding.
    pub x: String,
}

/// The keys that verify access and refresh tokens (§2.2): the current one
/// first, then previous ones still accepted during a rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_presence_keys_are_null_and_the_bucket_only_appears_when_shown() -> anyhow::Result<()>
    {
        let user = PublicUser {
            id: UserId(7),
            username: "bob".into(),
            display_name: "Bob".into(),
            bio: None,
            is_admin: false,
            avatar_url: None,
        };
        let hidden = Profile {
            user: user.clone(),
            presence: PresenceKeys {
                is_online: None,
                last_activity: None,
                last_seen_approx: None,
            },
        };
        let json = serde_json::to_value(&hidden)?;
        assert_eq!(json["is_online"], serde_json::Value::Null);
        assert!(json.get("last_seen_approx").is_none());
        let approx = Profile {
            user,
            presence: PresenceKeys {
                is_online: None,
                last_activity: None,
                last_seen_approx: Some(Some(LastSeenApprox::WithinAnHour)),
            },
        };
        let json = serde_json::to_value(&approx)?;
        assert_eq!(json["last_seen_approx"], "within an hour");
        assert_eq!(json["id"], 7);
        Ok(())
    }
}
