//! Favorites, mute, per-user pin and archive (§7.9).

use crate::helpers::{Harness, err};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn muted_until(h: &Harness, user: i64, chat: i64) -> anyhow::Result<Option<Option<String>>> {
    Ok(sqlx::query_scalar(
        "SELECT to_char(muted_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM chat_mutes WHERE user_id = $1 AND chat_id = $2",
    )
    .bind(user)
    .bind(chat)
    .fetch_optional(&h.pool)
    .await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_need_membership_to_set_but_never_to_clear() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let probe = h.probe().await?;
    let (alice, bob, carol) = (
        h.login("alice").await?,
        h.login("bob").await?,
        h.login("carol").await?,
    );
    let id = h.group(&alice, "Team", &[&bob]).await?;
    probe.settle().await?;
    let no_content = (StatusCode::NO_CONTENT, Value::Null);
    for flag in ["favorite", "mute", "pin", "archive"] {
        let path = format!("/chats/{id}/{flag}");
        let not_member = err(StatusCode::FORBIDDEN, "Not a member");
        assert_eq!(h.post_empty(&path, &carol).await?, not_member, "{flag}");
        assert_eq!(
            h.post_empty(&format!("/chats/abc/{flag}"), &bob).await?,
            not_member
        );
        assert_eq!(
            h.post_empty(&format!("/chats/987654/{flag}"), &bob).await?,
            not_member
        );
        assert_eq!(h.post_empty(&path, &bob).await?, no_content, "{flag}");
        assert_eq!(
            h.post_empty(&path, &bob).await?,
            no_content,
            "{flag} is idempotent"
        );
        assert_eq!(h.delete(&path, &carol).await?, no_content, "{flag}");
        assert_eq!(
            h.delete(&format!("/chats/abc/{flag}"), &carol).await?,
            no_content
        );
    }
    let (_, list) = h.get("/chats", &bob).await?;
    assert_eq!(list, json!([]), "archived");
    h.delete(&format!("/chats/{id}/archive"), &bob).await?;
    let (_, list) = h.get("/chats", &bob).await?;
    assert_eq!(
        (
            &list[0]["is_favorite"],
            &list[0]["is_muted"],
            &list[0]["is_pinned"]
        ),
        (&json!(true), &json!(true), &json!(true))
    );
    for flag in ["favorite", "mute", "pin"] {
        assert_eq!(
            h.delete(&format!("/chats/{id}/{flag}"), &bob).await?,
            no_content
        );
        assert_eq!(
            h.delete(&format!("/chats/{id}/{flag}"), &bob).await?,
            no_content,
            "twice"
        );
    }
    let (_, list) = h.get("/chats", &bob).await?;
    assert_eq!(
        (
            &list[0]["is_favorite"],
            &list[0]["is_muted"],
            &list[0]["is_pinned"]
        ),
        (&json!(false), &json!(false), &json!(false))
    );
    assert!(probe.settle().await?.is_empty(), "flags emit no events");
    h.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mute_takes_an_optional_until_and_refuses_unparseable_ones() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    let (alice, bob) = (h.login("alice").await?, h.login("bob").await?);
    let id = h.group(&alice, "Team", &[&bob]).await?;
    let path = format!("/chats/{id}/mute");

    assert_eq!(
        h.post(
            &path,
            &bob,
            json!({"muted_until": "2030-03-01 14:07:09.5+00"})
        )
        .await?
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        muted_until(&h, bob.id, id).await?,
        Some(Some("2030-03-01 14:07:09".into()))
    );
    assert_eq!(
        h.post(
            &path,
            &bob,
            json!({"muted_until": "2031-01-02T03:04:05+02:00"})
        )
        .await?
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        muted_until(&h, bob.id, id).await?,
        Some(Some("2031-01-02 01:04:05".into())),
        "re-posting overwrites"
    );
    assert_eq!(
        h.post(&path, &bob, json!({"muted_until": null})).await?.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        muted_until(&h, bob.id, id).await?,
        Some(None),
        "null mutes indefinitely"
    );
    h.delete(&path, &bob).await?;
    assert_eq!(muted_until(&h, bob.id, id).await?, None);

    let invalid = err(StatusCode::BAD_REQUEST, "Invalid muted_until");
    for bad in [
        json!("tomorrow"),
        json!(12345),
        json!("2030-02-30 00:00:00+00"),
        json!({"a": 1}),
        json!(""),
    ] {
        assert_eq!(
            h.post(&path, &bob, json!({"muted_until": bad})).await?,
            invalid,
            "{bad}"
        );
    }
    assert_eq!(muted_until(&h, bob.id, id).await?, None, "nothing stored");
    assert_eq!(
        h.post(&path, &bob, json!({"other": 1})).await?.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(muted_until(&h, alice.id, id).await?, None);
    assert_eq!(h.post_empty(&path, &alice).await?.0, StatusCode::NO_CONTENT);
    assert_eq!(
        muted_until(&h, alice.id, id).await?,
        Some(None),
        "no body mutes indefinitely"
    );
    h.stop().await
}
