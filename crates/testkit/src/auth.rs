//! An in-process stand-in for the auth service: a gRPC server on a loopback port
//! serving `Keys` (the JWKS of a key generated per instance, shaped as auth
//! publishes it) and `Users` (answers from a directory the test fills), and an
//! issuer that signs access tokens exactly as auth does (CONTRACT §2.2: EdDSA,
//! `kid` in the header, `sub` as a decimal string, `type`, `iss`/`aud` "chorus").

use crate::in_process::{InProcessServer, Locked};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chorus_authn::{Claims, PublicKey, TokenType, VerifierConfig};
use chorus_proto::auth::v1 as pb;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{EncodePrivateKey, spki::der::pem::LineEnding};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use std::collections::BTreeMap;
use std::sync::Arc;
use tonic::{Request, Response, Status};

/// Access-token lifetime, as auth's default `JWT_ACCESS_TTL`.
pub const ACCESS_TTL_SECS: i64 = 3600;

/// A user of the fake directory with an access token.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: i64,
    pub username: String,
    pub token: String,
}

/// Signs tokens with one Ed25519 key and publishes its JWKS.
pub struct TokenIssuer {
    kid: String,
    encoding: EncodingKey,
    public: PublicKey,
    cfg: VerifierConfig,
}

impl TokenIssuer {
    /// A fresh random key; claims for `VerifierConfig::default()`.
    pub fn generate() -> anyhow::Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let signing = SigningKey::from_bytes(&seed);
        let pem = signing
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| anyhow::anyhow!("cannot encode the key: {e}"))?;
        let encoding = EncodingKey::from_ed_pem(pem.as_bytes())?;
        let public_bytes = signing.verifying_key().to_bytes();
        let kid: String = public_bytes
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            public: PublicKey {
                kid: kid.clone(),
                x: URL_SAFE_NO_PAD.encode(public_bytes),
            },
            kid,
            encoding,
            cfg: VerifierConfig::default(),
        })
    }

    /// The verification key (for a `StaticKeySource`).
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The key set as `Keys.GetJwks` answers it.
    pub fn jwks(&self) -> pb::Jwks {
        pb::Jwks {
            keys: vec![pb::Jwk {
                kid: self.public.kid.clone(),
                kty: "OKP".into(),
                crv: "Ed25519".into(),
                alg: "EdDSA".into(),
                x: self.public.x.clone(),
            }],
        }
    }

    /// The claims auth puts in a token of `token_type` issued now.
    pub fn claims(&self, user_id: i64, is_admin: bool, token_type: TokenType) -> Claims {
        let now = unix_now();
        Claims {
            sub: user_id.to_string(),
            token_type,
            iat: now,
            exp: now + ACCESS_TTL_SECS,
            is_admin,
            iss: self.cfg.issuer.clone(),
            aud: self.cfg.audience.clone(),
            jti: uuid::Uuid::new_v4().to_string(),
            sid: None,
        }
    }

    /// Signs any claims (tests of expired or wrong-type tokens tweak them first).
    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding)?)
    }

    /// An access token for the user, as login would return it.
    pub fn access_token(&self, user_id: i64, is_admin: bool) -> anyhow::Result<String> {
        self.sign(&self.claims(user_id, is_admin, TokenType::Access))
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[derive(Default)]
struct Directory {
    users: BTreeMap<i64, pb::User>,
    next_id: i64,
}

/// The directory and the key set, shared by the gRPC services.
#[derive(Clone)]
struct Shared {
    dir: Locked<Directory>,
    issuer: Arc<TokenIssuer>,
}

impl Shared {
    fn with<T>(&self, f: impl FnOnce(&mut Directory) -> T) -> T {
        self.dir.with(f)
    }
}

/// The fake auth service; the server stops when this is dropped.
pub struct FakeAuth {
    shared: Shared,
    server: InProcessServer,
}

impl FakeAuth {
    /// Serves `Keys` and `Users` on 127.0.0.1 (a free port).
    pub async fn start() -> anyhow::Result<Self> {
        let shared = Shared {
            dir: Locked::default(),
            issuer: Arc::new(TokenIssuer::generate()?),
        };
        let server = InProcessServer::serve(
            tonic::transport::Server::builder()
                .add_service(pb::keys_server::KeysServer::new(shared.clone()))
                .add_service(pb::users_server::UsersServer::new(shared.clone())),
        )
        .await?;
        Ok(Self { shared, server })
    }

    /// `http://127.0.0.1:<port>`, for a service's `auth_grpc_url`.
    pub fn grpc_url(&self) -> String {
        self.server.grpc_url()
    }

    pub fn issuer(&self) -> &TokenIssuer {
        &self.shared.issuer
    }

    /// Adds an active user (ids count up from 1, the display name is the
    /// username, as registration without one sets it) and issues a token.
    pub fn add_user(&self, username: &str) -> anyhow::Result<TestUser> {
        self.add_user_with(username, |_| {})
    }

    /// Adds a user after `tweak` adjusted its profile (display name, admin flag…).
    pub fn add_user_with(
        &self,
        username: &str,
        tweak: impl FnOnce(&mut pb::User),
    ) -> anyhow::Result<TestUser> {
        let user = self.shared.with(|dir| {
            anyhow::ensure!(
                !dir.users.values().any(|u| u.username == username),
                "username {username} is taken"
            );
            dir.next_id += 1;
            let mut user = pb::User {
                id: dir.next_id,
                username: username.to_string(),
                display_name: Some(username.to_string()),
                is_active: true,
                last_seen_visibility: "everyone".into(),
                read_receipts_enabled: true,
                ..Default::default()
            };
            tweak(&mut user);
            user.id = dir.next_id;
            dir.users.insert(user.id, user.clone());
            Ok(user)
        })?;
        Ok(TestUser {
            id: user.id,
            token: self.issuer().access_token(user.id, user.is_admin)?,
            username: user.username,
        })
    }

    /// A fresh access token for the user with this username, as login gives it
    /// (refused for an unknown or inactive user).
    pub fn login(&self, username: &str) -> anyhow::Result<TestUser> {
        let user = self
            .shared
            .with(|dir| {
                dir.users
                    .values()
                    .find(|u| u.username == username && u.is_active)
                    .cloned()
            })
            .ok_or_else(|| anyhow::anyhow!("no active user {username}"))?;
        Ok(TestUser {
            id: user.id,
            token: self.issuer().access_token(user.id, user.is_admin)?,
            username: user.username,
        })
    }

    /// A fresh access token for a known user (with its current admin flag).
    pub fn token(&self, id: i64) -> anyhow::Result<String> {
        let is_admin = self
            .user(id)
            .ok_or_else(|| anyhow::anyhow!("no user {id}"))?
            .is_admin;
        self.issuer().access_token(id, is_admin)
    }

    /// The directory entry of a user.
    pub fn user(&self, id: i64) -> Option<pb::User> {
        self.shared.with(|dir| dir.users.get(&id).cloned())
    }

    /// Changes a user's profile as `Users` will answer it from now on.
    pub fn update(&self, id: i64, change: impl FnOnce(&mut pb::User)) -> anyhow::Result<()> {
        self.shared.with(|dir| {
            let user = dir
                .users
                .get_mut(&id)
                .ok_or_else(|| anyhow::anyhow!("no user {id}"))?;
            change(user);
            user.id = id;
            Ok(())
        })
    }
}

#[tonic::async_trait]
impl pb::keys_server::Keys for Shared {
    async fn get_jwks(&self, _: Request<pb::GetJwksRequest>) -> Result<Response<pb::Jwks>, Status> {
        Ok(Response::new(self.issuer.jwks()))
    }
}

#[tonic::async_trait]
impl pb::users_server::Users for Shared {
    async fn get_many(
        &self,
        req: Request<pb::GetManyUsersRequest>,
    ) -> Result<Response<pb::GetManyUsersResponse>, Status> {
        // As auth: repeated ids count once.
        let mut ids = req.into_inner().ids;
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > 1000 {
            return Err(Status::invalid_argument("At most 1000 ids per call"));
        }
        let users = self.with(|dir| {
            dir.users
                .values()
                .filter(|u| ids.contains(&u.id))
                .cloned()
                .collect()
        });
        Ok(Response::new(pb::GetManyUsersResponse { users }))
    }

    async fn get_by_username(
        &self,
        req: Request<pb::GetByUsernameRequest>,
    ) -> Result<Response<pb::User>, Status> {
        // As auth (citext): the username's case does not matter.
        let name = req.into_inner().username.to_lowercase();
        self.with(|dir| {
            dir.users
                .values()
                .find(|u| u.username.to_lowercase() == name && u.is_active)
                .cloned()
        })
        .map(Response::new)
        .ok_or_else(|| Status::not_found("User not found"))
    }
}

#[cfg(test)]
mod tests;
