//! Where verification keys come from: the auth service's `Keys.GetJwks` over gRPC,
//! or (inside the auth service itself) its own key set.

use chorus_proto::auth::v1::GetJwksRequest;
use chorus_proto::auth::v1::keys_client::KeysClient;
use futures_util::future::BoxFuture;
use std::time::Duration;
use tonic::transport::{Channel, Endpoint};

/// An Ed25519 public key as published in the JWKS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub kid: String,
    /// base64url (no padding) of the 32 public key bytes.
    pub x: String,
}

pub trait KeySource: Send + Sync + 'static {
    fn fetch(&self) -> BoxFuture<'_, Result<Vec<PublicKey>, String>>;
}

/// A fixed set of keys.
pub struct StaticKeySource(pub Vec<PublicKey>);

impl KeySource for StaticKeySource {
    fn fetch(&self) -> BoxFuture<'_, Result<Vec<PublicKey>, String>> {
        let keys = self.0.clone();
        Box::pin(async move { Ok(keys) })
    }
}

/// Keys fetched from the auth service over gRPC (lazy connection, 2 s deadline).
pub struct GrpcKeySource {
    client: KeysClient<Channel>,
}

impl GrpcKeySource {
    pub fn new(auth_grpc_url: &str) -> Result<Self, tonic::transport::Error> {
        let channel = Endpoint::from_shared(auth_grpc_url.to_string())?
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(2))
            .connect_lazy();
        Ok(Self {
            client: KeysClient::new(channel),
        })
    }
}

impl KeySource for GrpcKeySource {
    fn fetch(&self) -> BoxFuture<'_, Result<Vec<PublicKey>, String>> {
        let mut client = self.client.clone();
        Box::pin(async move {
            let jwks = client
                .get_jwks(GetJwksRequest {})
                .await
                .map_err(|s| s.to_string())?
                .into_inner();
            Ok(jwks
                .keys
                .into_iter()
                .filter(|k| k.kty == "OKP" && k.crv == "Ed25519")
                .map(|k| PublicKey { kid: k.kid, x: k.x })
                .collect())
        })
    }
}
