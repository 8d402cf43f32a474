//! The `Membership` gRPC service and the demo "Dev Team" group (§19.1).

use crate::helpers::{Harness, Options};
use chorus_chat::{App, Deps};
use chorus_proto::chat::v1 as pb;
use chorus_proto::chat::v1::membership_client::MembershipClient;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn membership_answers_roles_chats_members_and_contacts() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let team = h.group(&alice, "Team", &[&bob]).await?;
    let (_, dm) = h
        .post("/chats", &bob, json!({"member_ids": [carol.id]}))
        .await?;
    let dm = dm["id"].as_i64().unwrap_or_default();
    let mut grpc = MembershipClient::connect(h.chat_grpc.clone()).await?;

    let role = |chat_id, user_id| pb::GetRoleRequest { chat_id, user_id };
    let owner = grpc.get_role(role(team, alice.id)).await?.into_inner();
    assert_eq!(
        owner,
        pb::RoleReply {
            chat_exists: true,
            chat_type: "group".into(),
            is_member: true,
            role: "owner".into()
        }
    );
    let outsider = grpc.get_role(role(team, carol.id)).await?.into_inner();
    assert_eq!(
        outsider,
        pb::RoleReply {
            chat_exists: true,
            chat_type: "group".into(),
            is_member: false,
            role: String::new()
        }
    );
    let missing = grpc.get_role(role(987_654, alice.id)).await?.into_inner();
    assert_eq!(missing, pb::RoleReply::default());

    let chats = grpc
        .list_user_chats(pb::ListUserChatsRequest { user_id: bob.id })
        .await?
        .into_inner();
    assert_eq!(chats.chat_ids, vec![team, dm]);

    let members = grpc
        .list_members(pb::ListMembersRequest { chat_id: team })
        .await?
        .into_inner();
    assert!(members.chat_exists);
    let listed: Vec<(i64, String)> = members
        .members
        .iter()
        .map(|m| (m.user_id, m.role.clone()))
        .collect();
    assert_eq!(
        listed,
        vec![(alice.id, "owner".into()), (bob.id, "member".into())]
    );
    assert!(
        members
            .members
            .windows(2)
            .all(|w| w[0].joined_at_micros <= w[1].joined_at_micros)
    );
    assert!(members.members.iter().all(|m| m.joined_at_micros > 0));
    let none = grpc
        .list_members(pb::ListMembersRequest { chat_id: 987_654 })
        .await?
        .into_inner();
    assert_eq!(
        none,
        pb::ListMembersReply {
            chat_exists: false,
            members: vec![]
        }
    );

    let contacts = grpc
        .list_contacts(pb::ListContactsRequest { user_id: bob.id })
        .await?
        .into_inner();
    let mut expected = vec![alice.id, carol.id];
    expected.sort_unstable();
    assert_eq!(contacts.user_ids, expected);
    let lonely = grpc
        .list_contacts(pb::ListContactsRequest { user_id: 987_654 })
        .await?
        .into_inner();
    assert!(lonely.user_ids.is_empty());
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_creates_the_dev_team_group_once() -> anyhow::Result<()> {
    let h = Harness::start_with(Options {
        load_demo: true,
        ..Default::default()
    })
    .await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    chorus_testkit::eventually("carol's chat list is served", || async {
        h.get("/chats", &carol)
            .await
            .is_ok_and(|(_, list)| list.as_array().is_some_and(|l| !l.is_empty()))
    })
    .await?;
    let (_, list) = h.get("/chats", &carol).await?;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let team = &list[0];
    assert_eq!(
        (
            &team["type"],
            &team["name"],
            &team["title"],
            &team["description"],
            &team["member_count"]
        ),
        (
            &json!("group"),
            &json!("Dev Team"),
            &json!(null),
            &json!(null),
            &json!(3)
        )
    );
    let (_, detail) = h.get(&format!("/chats/{}", team["id"]), &alice).await?;
    assert_eq!(detail["owner_id"], json!(alice.id));
    let mut roles: Vec<(i64, String)> = detail["members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["id"].as_i64().unwrap_or_default(),
                m["role"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        vec![
            (alice.id, "owner".into()),
            (bob.id, "member".into()),
            (carol.id, "member".into())
        ]
    );

    // A restart (a second instance on the same database) loads nothing twice.
    let mut cfg = h.cfg.clone();
    cfg.grpc_addr = "127.0.0.1:0".into();
    let stop = tokio_util::sync::CancellationToken::new();
    let again = App::build(cfg, Deps::default(), stop.clone()).await?;
    chorus_testkit::eventually("the migrations ran again", || async {
        again.migrated.is_done()
    })
    .await?;
    assert!(chorus_chat::demo::load(&again.state).await?);
    assert!(chorus_chat::demo::load(&again.state).await?);
    stop.cancel();
    again.stopped().await;
    assert_eq!(h.count("chats").await?, 1);
    h.stop().await
}
