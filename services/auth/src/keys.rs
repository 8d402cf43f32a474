//! The signing key (Ed25519, PKCS#8 PEM) and the published key set (JWKS).
//! Startup fails without a configured key, except in development mode where a
//! key is generated once into the data directory.

use crate::config::JwtConfig;
use crate::wire::{Jwk, Jwks};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chorus_authn::PublicKey;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, spki::der::pem::LineEnding};
use jsonwebtoken::EncodingKey;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

pub struct SigningKeys {
    pub kid: String,
    pub encoding: EncodingKey,
    /// The current key first, then previous keys still accepted.
    pub published: Vec<PublicKey>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "no JWT signing key configured: set CHORUS_AUTH__JWT__SIGNING_KEY (or _FILE) to an Ed25519 PKCS#8 PEM \
         (openssl genpkey -algorithm ed25519), or run `chorus all --demo` for a development key"
    )]
    Missing,
    #[error("the JWT signing key is not an Ed25519 PKCS#8 PEM: {0}")]
    Malformed(String),
    #[error("cannot keep the development key in {path}: {source}")]
    DevKey {
        path: String,
        source: std::io::Error,
    },
}

impl SigningKeys {
    pub fn load(cfg: &JwtConfig) -> Result<Self, KeyError> {
        let pem = match (&cfg.signing_key, &cfg.dev_key_dir) {
            (Some(secret), _) => secret.expose_secret().to_string(),
            (None, Some(dir)) => dev_key(dir)?,
            (None, None) => return Err(KeyError::Missing),
        };
        let signing =
            SigningKey::from_pkcs8_pem(&pem).map_err(|e| KeyError::Malformed(e.to_string()))?;
        let public = signing.verifying_key().to_bytes();
        let kid = cfg.key_id.clone().unwrap_or_else(|| {
            let digest = Sha256::digest(public);
            digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
        });
        let encoding = EncodingKey::from_ed_pem(pem.as_bytes())
            .map_err(|e| KeyError::Malformed(e.to_string()))?;
        let mut published = vec![PublicKey {
            kid: kid.clone(),
            x: URL_SAFE_NO_PAD.encode(public),
        }];
        published.extend(cfg.previous_public_keys.iter().map(|k| PublicKey {
            kid: k.kid.clone(),
            x: k.x.clone(),
        }));
        Ok(Self {
            kid,
            encoding,
            published,
        })
    }

    /// The JWKS document (RFC 7517 / RFC 8037 OKP keys).
    pub fn jwks(&self) -> Jwks {
        let keys = self
            .published
            .iter()
            .map(|k| Jwk {
                kty: "OKP",
                crv: "Ed25519",
                alg: "EdDSA",
                use_: "sig",
                kid: k.kid.clone(),
                x: k.x.clone(),
            })
            .collect();
        Jwks { keys }
    }
}

/// Loads `<dir>/jwt-ed25519.pem`, generating it (mode 0600) on first start.
fn dev_key(dir: &std::path::Path) -> Result<String, KeyError> {
    let path = dir.join("jwt-ed25519.pem");
    let io = |source| KeyError::DevKey {
        path: path.display().to_string(),
        source,
    };
    if let Ok(pem) = std::fs::read_to_string(&path) {
        return Ok(pem);
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let pem = SigningKey::from_bytes(&seed)
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| KeyError::Malformed(e.to_string()))?
        .to_string();
    std::fs::write(&path, &pem).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    tracing::warn!(path = %path.display(), "generated a development JWT signing key");
    Ok(pem)
}
