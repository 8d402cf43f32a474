//! Issue 17 §6: the fake of auth's `Users` service that the other services'
//! tests run against (`chorus_testkit::FakeAuth`) must answer as the real one
//! does. One contract, run against both: the real auth inside `chorus all`
//! and the fake.

use crate::harness::Server;
use chorus_proto::auth::v1 as pb;
use pb::users_client::UsersClient;
use reqwest::Method;
use tonic::transport::Channel;

/// Two users: one active (`active` as registered), one deactivated.
struct Directory {
    active: (i64, String),
    inactive: (i64, String),
}

async fn users_contract(
    who: &str,
    mut users: UsersClient<Channel>,
    dir: &Directory,
) -> anyhow::Result<()> {
    let (id, name) = &dir.active;

    // GetMany: unknown ids left out, repeated ids answered once.
    let many = users
        .get_many(pb::GetManyUsersRequest {
            ids: vec![*id, 987_654_321, *id],
        })
        .await?
        .into_inner()
        .users;
    assert_eq!(many.len(), 1, "{many:?}");
    let user = &many[0];
    assert_eq!((user.id, user.username.as_str()), (*id, name.as_str()));
    assert_eq!(
        user.display_name.as_deref(),
        Some(name.as_str()),
        "registered without one"
    );
    assert!(user.is_active && !user.is_admin);
    assert_eq!(user.last_seen_visibility, "everyone");
    assert!(user.read_receipts_enabled);

    // A deactivated user is still known by id (for old messages).
    let gone = users
        .get_many(pb::GetManyUsersRequest {
            ids: vec![dir.inactive.0],
        })
        .await?
        .into_inner()
        .users;
    assert_eq!(gone.len(), 1);
    assert!(!gone[0].is_active);

    // At most 1 000 distinct ids; repeats do not count.
    let mut ids: Vec<i64> = (1..=1000).collect();
    ids.push(1);
    let repeated = users.get_many(pb::GetManyUsersRequest { ids }).await;
    assert!(repeated.is_ok(), "{who}: {repeated:?}");
    let too_many = users
        .get_many(pb::GetManyUsersRequest {
            ids: (1..=1001).collect(),
        })
        .await
        .map_err(|s| s.code())
        .err();
    assert_eq!(too_many, Some(tonic::Code::InvalidArgument), "{who}");

    // GetByUsername: case-insensitive, active users only.
    let by_name = users
        .get_by_username(pb::GetByUsernameRequest {
            username: name.to_uppercase(),
        })
        .await?
        .into_inner();
    assert_eq!(by_name.id, *id, "{who}");
    for missing in ["no_such_user".to_string(), dir.inactive.1.clone()] {
        let answer = users
            .get_by_username(pb::GetByUsernameRequest {
                username: missing.clone(),
            })
            .await
            .map_err(|s| s.code())
            .err();
        assert_eq!(answer, Some(tonic::Code::NotFound), "{who}: {missing}");
    }
    Ok(())
}

#[tokio::test]
async fn the_users_fake_answers_as_the_real_auth_service() -> anyhow::Result<()> {
    // The real one.
    let s = Server::builder().pin_grpc_ports().start().await?;
    let active = s.register("contract_a").await?;
    let inactive = s.register("contract_gone").await?;
    let admin = s.demo_token("alice").await?;
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/admin-api/users/{inactive}/soft-delete"),
            Some(&admin),
            None,
        )
        .await?;
    anyhow::ensure!(status.is_success(), "soft-delete: {status}");
    let port = s.grpc_ports().map(|p| p.auth).unwrap_or_default();
    let channel = tonic::transport::Endpoint::from_shared(format!("http://127.0.0.1:{port}"))?
        .connect()
        .await?;
    let real = Directory {
        active: (active, "contract_a".into()),
        inactive: (inactive, "contract_gone".into()),
    };
    users_contract("real", UsersClient::new(channel), &real).await?;
    s.stop().await?;

    // The fake, with the same directory.
    let fake = chorus_testkit::FakeAuth::start().await?;
    let a = fake.add_user("contract_a")?;
    let gone = fake.add_user_with("contract_gone", |u| u.is_active = false)?;
    let channel = tonic::transport::Endpoint::from_shared(fake.grpc_url())?
        .connect()
        .await?;
    let faked = Directory {
        active: (a.id, a.username),
        inactive: (gone.id, gone.username),
    };
    users_contract("fake", UsersClient::new(channel), &faked).await
}
