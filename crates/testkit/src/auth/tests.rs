//! The issuer against the services' verifier, the directory over gRPC.

use super::*;
use chorus_authn::{AuthError, GrpcKeySource, KeySource, StaticKeySource, Verifier};

#[tokio::test]
async fn tokens_pass_the_services_verifier_with_keys_fetched_over_grpc() -> anyhow::Result<()> {
    let auth = FakeAuth::start().await?;
    let alice = auth.add_user_with("alice", |u| u.is_admin = true)?;
    let bob = auth.add_user("bob")?;
    let source = GrpcKeySource::new(&auth.grpc_url())?;
    let keys = source.fetch().await.map_err(anyhow::Error::msg)?;
    assert_eq!(keys, vec![auth.issuer().public_key()]);
    let verifier = Verifier::new(&VerifierConfig::default(), Arc::new(source), None);
    let claims = verifier.verify_access(&alice.token).await?;
    assert_eq!((claims.sub.as_str(), claims.is_admin), ("1", true));
    let claims = verifier.verify_access(&bob.token).await?;
    assert_eq!((claims.user_id(), claims.is_admin), (Some(bob.id), false));

    let refresh = auth
        .issuer()
        .sign(&auth.issuer().claims(bob.id, false, TokenType::Refresh))?;
    assert_eq!(
        verifier.verify_access(&refresh).await.err(),
        Some(AuthError::NotAccess)
    );
    let mut expired = auth.issuer().claims(bob.id, false, TokenType::Access);
    expired.exp -= 2 * ACCESS_TTL_SECS;
    let expired = auth.issuer().sign(&expired)?;
    assert_eq!(
        verifier.verify_access(&expired).await.err(),
        Some(AuthError::Invalid)
    );
    Ok(())
}

#[tokio::test]
async fn another_instance_key_is_refused() -> anyhow::Result<()> {
    let one = TokenIssuer::generate()?;
    let other = TokenIssuer::generate()?;
    let verifier = Verifier::new(
        &VerifierConfig::default(),
        Arc::new(StaticKeySource(vec![one.public_key()])),
        None,
    );
    assert!(
        verifier
            .verify_access(&one.access_token(7, false)?)
            .await
            .is_ok()
    );
    assert!(
        verifier
            .verify_access(&other.access_token(7, false)?)
            .await
            .is_err()
    );
    Ok(())
}

#[tokio::test]
async fn a_remembered_token_is_refused_once_its_key_is_withdrawn_or_it_expires()
-> anyhow::Result<()> {
    let one = TokenIssuer::generate()?;
    let other = TokenIssuer::generate()?;
    let cfg = VerifierConfig {
        leeway_secs: 0,
        ..VerifierConfig::default()
    };
    let verifier = Verifier::new(
        &cfg,
        Arc::new(StaticKeySource(vec![one.public_key()])),
        None,
    );
    let token = one.access_token(7, false)?;
    assert!(verifier.verify_access(&token).await.is_ok());
    assert!(verifier.verify_access(&token).await.is_ok(), "remembered");
    verifier.set_keys(&[other.public_key()]);
    assert_eq!(
        verifier.verify_access(&token).await.err(),
        Some(AuthError::Invalid),
        "the key that signed it is gone"
    );

    verifier.set_keys(&[one.public_key()]);
    let mut short = one.claims(7, false, TokenType::Access);
    short.exp = short.iat + 1;
    let short = one.sign(&short)?;
    assert!(verifier.verify_access(&short).await.is_ok());
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        verifier.verify_access(&short).await.err(),
        Some(AuthError::Invalid),
        "expired while remembered"
    );
    Ok(())
}

#[tokio::test]
async fn users_answer_from_the_directory() -> anyhow::Result<()> {
    use pb::users_client::UsersClient;
    let auth = FakeAuth::start().await?;
    let alice = auth.add_user("alice")?;
    let bob = auth.add_user_with("bob", |u| u.display_name = Some("Bob".into()))?;
    auth.update(alice.id, |u| u.avatar_file_id = Some(5))?;
    let mut client = UsersClient::connect(auth.grpc_url()).await?;
    let mut users = client
        .get_many(pb::GetManyUsersRequest {
            ids: vec![bob.id, alice.id, 99],
        })
        .await?
        .into_inner()
        .users;
    users.sort_by_key(|u| u.id);
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].avatar_file_id, Some(5));
    assert_eq!(users[1].display_name.as_deref(), Some("Bob"));
    let found = client
        .get_by_username(pb::GetByUsernameRequest {
            username: "bob".into(),
        })
        .await?
        .into_inner();
    assert_eq!(found.id, bob.id);
    assert!(auth.add_user("bob").is_err());
    assert_eq!(auth.login("bob")?.id, bob.id);
    auth.update(bob.id, |u| u.is_active = false)?;
    assert!(auth.login("bob").is_err());
    Ok(())
}
