//! Issue 17 §6: the fake of this service's `Membership` that the message and
//! media tests run against (`chorus_testkit::FakeMembership`) must answer as
//! the real one does. One contract, run against both: this service in
//! process (its own test database, chats made through its API) and the fake
//! holding the same chats.

use crate::helpers::Harness;
use chorus_proto::chat::v1 as pb;
use chorus_testkit::FakeMembership;
use pb::membership_client::MembershipClient;
use reqwest::StatusCode;
use serde_json::json;
use tonic::transport::Channel;

/// Who is where, with the same ids on both sides.
struct World {
    alice: i64,
    bob: i64,
    carol: i64,
    /// Made by carol with alice, bob joined later by invite, alice promoted to admin.
    group: i64,
    /// bob and carol (bob created it).
    direct: i64,
    /// Created by alice, who then deleted it.
    deleted: i64,
}

async fn membership_contract(
    who: &str,
    mut chat: MembershipClient<Channel>,
    w: &World,
) -> anyhow::Result<()> {
    let role = |chat_id, user_id| pb::GetRoleRequest { chat_id, user_id };
    let standing = |chat_type: &str, role: &str| pb::RoleReply {
        chat_exists: true,
        chat_type: chat_type.into(),
        is_member: !role.is_empty(),
        role: role.into(),
    };

    // GetRole: type and role; a non-member and a missing chat are answers, not errors.
    for (chat_id, user_id, expected) in [
        (w.group, w.carol, standing("group", "owner")),
        (w.group, w.alice, standing("group", "admin")),
        (w.group, w.bob, standing("group", "member")),
        (w.direct, w.bob, standing("direct", "owner")),
        (w.direct, w.alice, standing("direct", "")),
        (w.deleted, w.alice, pb::RoleReply::default()),
        (987_654, w.alice, pb::RoleReply::default()),
    ] {
        let got = chat.get_role(role(chat_id, user_id)).await?.into_inner();
        assert_eq!(got, expected, "{who}: GetRole({chat_id}, {user_id})");
    }

    // ListUserChats: chat ids ascending; nothing for a stranger.
    for (user_id, expected) in [
        (w.bob, vec![w.group, w.direct]),
        (w.alice, vec![w.group]),
        (987_654, vec![]),
    ] {
        let got = chat
            .list_user_chats(pb::ListUserChatsRequest { user_id })
            .await?
            .into_inner()
            .chat_ids;
        assert_eq!(got, expected, "{who}: ListUserChats({user_id})");
    }

    // ListMembers: by joined_at, then user id (carol and alice joined together).
    let members = chat
        .list_members(pb::ListMembersRequest { chat_id: w.group })
        .await?
        .into_inner();
    assert!(members.chat_exists, "{who}");
    let listed: Vec<(i64, &str)> = members
        .members
        .iter()
        .map(|m| (m.user_id, m.role.as_str()))
        .collect();
    assert_eq!(
        listed,
        [(w.alice, "admin"), (w.carol, "owner"), (w.bob, "member")],
        "{who}"
    );
    let joined: Vec<i64> = members.members.iter().map(|m| m.joined_at_micros).collect();
    assert!(joined[0] > 0, "{who}: {joined:?}");
    assert!(
        joined[0] == joined[1] && joined[1] < joined[2],
        "{who}: {joined:?}"
    );
    for missing in [w.deleted, 987_654] {
        let none = chat
            .list_members(pb::ListMembersRequest { chat_id: missing })
            .await?
            .into_inner();
        assert_eq!(none, pb::ListMembersReply::default(), "{who}: {missing}");
    }

    // ListContacts: distinct co-members ascending, never the user.
    for (user_id, expected) in [
        (w.bob, sorted(&[w.alice, w.carol])),
        (w.alice, sorted(&[w.bob, w.carol])),
        (987_654, vec![]),
    ] {
        let got = chat
            .list_contacts(pb::ListContactsRequest { user_id })
            .await?
            .into_inner()
            .user_ids;
        assert_eq!(got, expected, "{who}: ListContacts({user_id})");
    }
    Ok(())
}

fn sorted(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids
}

/// The world through the chat service's public API.
async fn made_for_real(h: &Harness) -> anyhow::Result<World> {
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let group = h.group(&carol, "Contract", &[&alice]).await?;
    let (status, invite) = h
        .post_empty(&format!("/chats/{group}/invites"), &carol)
        .await?;
    anyhow::ensure!(status == StatusCode::CREATED, "invite: {status} {invite}");
    let token = invite["token"].as_str().unwrap_or_default();
    let (status, body) = h
        .post_empty(&format!("/invites/{token}/join"), &bob)
        .await?;
    anyhow::ensure!(status.is_success(), "join: {status} {body}");
    let promote = format!("/chats/{group}/members/{}/promote", alice.id);
    let (status, body) = h.post(&promote, &carol, json!({})).await?;
    anyhow::ensure!(status.is_success(), "promote: {status} {body}");
    let direct = chat_id(
        h.post("/chats", &bob, json!({"member_ids": [carol.id]}))
            .await?,
    )?;
    let deleted = h.group(&alice, "Gone", &[]).await?;
    let (status, body) = h.delete(&format!("/chats/{deleted}"), &alice).await?;
    anyhow::ensure!(status.is_success(), "delete: {status} {body}");
    Ok(World {
        alice: alice.id,
        bob: bob.id,
        carol: carol.id,
        group,
        direct,
        deleted,
    })
}

fn chat_id((status, body): (StatusCode, serde_json::Value)) -> anyhow::Result<i64> {
    anyhow::ensure!(status.is_success(), "{status} {body}");
    body["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no id in {body}"))
}

/// The same world in the fake, step by step as it happened.
fn made_in_fake(fake: &FakeMembership, w: &World) -> anyhow::Result<()> {
    fake.chat(w.group, "group", &[(w.carol, "owner"), (w.alice, "member")]);
    anyhow::ensure!(fake.join(w.group, w.bob, "member"), "bob joins");
    anyhow::ensure!(fake.join(w.group, w.alice, "admin"), "alice promoted");
    fake.chat(w.direct, "direct", &[(w.bob, "owner"), (w.carol, "member")]);
    fake.chat(w.deleted, "group", &[(w.alice, "owner")]);
    fake.delete(w.deleted);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_membership_fake_answers_as_the_real_chat_service() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let w = made_for_real(&h).await?;
    let real = MembershipClient::connect(h.chat_grpc.clone()).await?;
    membership_contract("real", real, &w).await?;

    let fake = FakeMembership::start().await?;
    made_in_fake(&fake, &w)?;
    let faked = MembershipClient::connect(fake.grpc_url()).await?;
    membership_contract("fake", faked, &w).await?;
    h.stop().await
}
