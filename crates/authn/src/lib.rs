//! Access-token verification for every service (CONTRACT §1.4, §2.2): Ed25519
//! JWTs checked against the auth service's published keys (refetched when an
//! unknown `kid` appears), a revocation check so blocking a user takes effect
//! within a second, the `AuthUser` / `AdminUser` extractors with the contract's
//! exact 401/403 bodies, and a tonic interceptor for internal calls.

mod extract;
mod keys;
mod revocations;
mod verifier;

pub use extract::{AdminUser, AuthUser, grpc_interceptor};
pub use keys::{GrpcKeySource, KeySource, PublicKey, StaticKeySource};
pub use revocations::Revocations;
pub use verifier::{AuthError, Claims, TokenType, Verifier, VerifierConfig};
