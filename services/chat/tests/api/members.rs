//! Leaving (§7.10) and promote/demote (§7.11).

use crate::helpers::{Harness, err, only};
use chorus_proto::chat::v1::{MemberLeft, MemberRoleChanged};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_leave_freely_and_an_owner_only_when_alone() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    probe.settle().await?;
    let path = format!("/chats/{id}/leave");

    let not_member = err(StatusCode::NOT_FOUND, "Not a member of this chat");
    assert_eq!(h.delete(&path, &carol).await?, not_member);
    assert_eq!(h.delete("/chats/x/leave", &bob).await?, not_member);
    assert_eq!(
        h.delete(&path, &alice).await?,
        err(
            StatusCode::BAD_REQUEST,
            "Transfer ownership before leaving, or delete the chat"
        )
    );
    assert!(probe.settle().await?.is_empty());

    assert_eq!(
        h.delete(&path, &bob).await?,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let left: MemberLeft = only(&probe.settle().await?, "member.left")?;
    assert_eq!(
        left,
        MemberLeft {
            chat_id: id,
            user_id: bob.id
        }
    );
    assert_eq!(
        h.get(&format!("/chats/{id}"), &bob).await?.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(h.delete(&path, &bob).await?, not_member);

    assert_eq!(
        h.delete(&path, &alice).await?.0,
        StatusCode::NO_CONTENT,
        "a sole owner may leave"
    );
    let left: MemberLeft = only(&probe.settle().await?, "member.left")?;
    assert_eq!(left.user_id, alice.id);
    assert_eq!(h.count("chats").await?, 1, "the chat row remains");
    assert_eq!(h.count("chat_members").await?, 0);
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_promotes_members_to_admin_and_demotes_them_back() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob, &carol]).await?;
    probe.settle().await?;
    let promote = |who: i64| format!("/chats/{id}/members/{who}/promote");
    let demote = |who: i64| format!("/chats/{id}/members/{who}/demote");

    assert_eq!(
        h.post_empty(&promote(bob.id), &alice).await?,
        (StatusCode::OK, json!({"role": "admin"}))
    );
    let changed: MemberRoleChanged = only(&probe.settle().await?, "member.role_changed")?;
    assert_eq!(
        changed,
        MemberRoleChanged {
            chat_id: id,
            user_id: bob.id,
            role: "admin".into()
        }
    );
    let (_, detail) = h.get(&format!("/chats/{id}"), &bob).await?;
    assert_eq!(detail["my_role"], json!("admin"));

    let not_promotable = err(
        StatusCode::NOT_FOUND,
        "User not found or already admin/owner",
    );
    let not_admin = err(StatusCode::NOT_FOUND, "User not found or not an admin");
    let denied = err(StatusCode::NOT_FOUND, "Chat not found or access denied");
    let outsider = h.register("outsider").await?;
    let cases = [
        (promote(bob.id), &alice, not_promotable.clone()),
        (promote(alice.id), &alice, not_promotable.clone()),
        (promote(987_654), &alice, not_promotable.clone()),
        (
            format!("/chats/{id}/members/me/promote"),
            &alice,
            not_promotable,
        ),
        (demote(carol.id), &alice, not_admin.clone()),
        (demote(alice.id), &alice, not_admin.clone()),
        (format!("/chats/{id}/members/x/demote"), &alice, not_admin),
        (
            promote(carol.id),
            &bob,
            err(StatusCode::FORBIDDEN, "Only owner can promote members"),
        ),
        (
            demote(bob.id),
            &bob,
            err(StatusCode::FORBIDDEN, "Only owner can demote members"),
        ),
        (promote(carol.id), &outsider, denied.clone()),
        (
            format!("/chats/x/members/{}/promote", carol.id),
            &alice,
            denied.clone(),
        ),
        (demote(bob.id), &outsider, denied),
    ];
    for (path, user, expected) in cases {
        assert_eq!(h.post_empty(&path, user).await?, expected, "{path}");
    }
    assert!(probe.settle().await?.is_empty());

    assert_eq!(
        h.post_empty(&demote(bob.id), &alice).await?,
        (StatusCode::OK, json!({"role": "member"}))
    );
    let changed: MemberRoleChanged = only(&probe.settle().await?, "member.role_changed")?;
    assert_eq!(changed.role, "member");
    h.stop().await
}
