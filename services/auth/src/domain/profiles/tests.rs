use super::*;

#[test]
fn approx_buckets_use_strict_comparisons() {
    let now = Utc::now();
    assert_eq!(approx_bucket(None, now), None);
    let at = |d: Duration| approx_bucket(Some(now - d), now);
    assert_eq!(at(Duration::seconds(10)), Some(LastSeenApprox::JustNow));
    assert_eq!(at(Duration::minutes(5)), Some(LastSeenApprox::WithinAnHour));
    assert_eq!(at(Duration::hours(1)), Some(LastSeenApprox::Today));
    assert_eq!(at(Duration::days(1)), Some(LastSeenApprox::ThisWeek));
    assert_eq!(at(Duration::days(7)), Some(LastSeenApprox::LongAgo));
}

#[test]
fn profile_usernames_are_ascii_word_characters() {
    assert!(valid_username("alice_2"));
    assert!(!valid_username("al"));
    assert!(!valid_username("alice-2"));
    assert!(!valid_username("ålice"));
    assert!(!valid_username("a23456789012345678901"));
}

#[test]
fn the_target_and_admins_see_presence_whatever_the_targets_visibility() {
    for target in [
        LastSeenVisibility::Everyone,
        LastSeenVisibility::ApproxOnly,
        LastSeenVisibility::Nobody,
    ] {
        assert_eq!(shown_visibility(target, true), LastSeenVisibility::Everyone);
        assert_eq!(shown_visibility(target, false), target);
    }
}

#[test]
fn presence_keys_follow_the_privacy_table() {
    let now = Utc::now();
    let last = Some(now - Duration::minutes(1));
    let everyone = presence_keys(LastSeenVisibility::Everyone, last, true, now);
    assert_eq!(everyone.is_online, Some(true));
    assert_eq!(everyone.last_activity, last.map(Timestamp));
    assert_eq!(everyone.last_seen_approx, None);
    let approx = presence_keys(LastSeenVisibility::ApproxOnly, last, true, now);
    assert_eq!((approx.is_online, approx.last_activity), (None, None));
    assert_eq!(approx.last_seen_approx, Some(Some(LastSeenApprox::JustNow)));
    let never = presence_keys(LastSeenVisibility::ApproxOnly, None, false, now);
    assert_eq!(never.last_seen_approx, Some(None));
    let nobody = presence_keys(LastSeenVisibility::Nobody, last, true, now);
    assert_eq!(
        (
            nobody.is_online,
            nobody.last_activity,
            nobody.last_seen_approx
        ),
        (None, None, None)
    );
}

#[test]
fn only_the_uploader_may_take_a_file_as_avatar() {
    let file = MediaFile {
        id: FileId(3),
        uploader_id: UserId(7),
        url: "https://s3/x".into(),
    };
    assert!(own_file(Some(file.clone()), UserId(7)).is_ok_and(|f| f == file));
    assert!(matches!(
        own_file(Some(file), UserId(8)),
        Err(Error::FileNotFound)
    ));
    assert!(matches!(
        own_file(None, UserId(7)),
        Err(Error::FileNotFound)
    ));
}

/// Everyone asked about is online.
struct AllOnline;

impl Presence for AllOnline {
    fn online(
        &self,
        ids: &[UserId],
    ) -> futures_util::future::BoxFuture<'_, std::collections::HashSet<UserId>> {
        let ids = ids.iter().copied().collect();
        Box::pin(async move { ids })
    }
}

/// File 3, uploaded by user 7; or, when `down`, no answer at all.
struct OneFile {
    down: bool,
}

const FILE: FileId = FileId(3);

impl Media for OneFile {
    fn urls(
        &self,
        ids: &[FileId],
    ) -> futures_util::future::BoxFuture<'_, std::collections::HashMap<FileId, String>> {
        let urls = ids
            .iter()
            .filter(|id| **id == FILE)
            .map(|id| (*id, "https://s3/avatar".to_string()))
            .collect();
        Box::pin(async move { urls })
    }
    fn file(
        &self,
        id: FileId,
    ) -> futures_util::future::BoxFuture<'_, Result<Option<MediaFile>, crate::seams::PeerError>>
    {
        let down = self.down;
        Box::pin(async move {
            if down {
                return Err(crate::seams::PeerError {
                    peer: "media",
                    source: Box::new(std::io::Error::other("connection refused")),
                });
            }
            Ok((id == FILE).then(|| MediaFile {
                id,
                uploader_id: UserId(7),
                url: "https://s3/avatar".into(),
            }))
        })
    }
}

/// A pool that never connects: these paths must not reach the database.
fn no_db() -> anyhow::Result<PgPool> {
    Ok(PgPool::connect_lazy("postgres://nobody@127.0.0.1:1/none")?)
}

fn target(visibility: &str) -> UserWithPrivacy {
    UserWithPrivacy {
        user: UserRow {
            id: UserId(7),
            username: "bob".into(),
            email: "bob@example.com".into(),
            display_name: None,
            bio: Some("hi".into()),
            avatar_file_id: Some(FILE),
            is_active: true,
            is_admin: false,
            is_blocked: false,
            created_at: Utc::now(),
            last_activity: Some(Utc::now() - Duration::minutes(30)),
        },
        last_seen_visibility: visibility.into(),
        read_receipts_enabled: true,
    }
}

#[tokio::test]
async fn anonymous_viewers_get_the_targets_privacy_and_the_target_sees_everything()
-> anyhow::Result<()> {
    let db = no_db()?;
    let media = OneFile { down: false };
    let at = Lookup {
        db: &db,
        media: &media,
        presence: &AllOnline,
    };
    let anonymous = profile(at, Some(target("approx_only")), Viewer::Anonymous).await?;
    assert_eq!(anonymous.user.display_name, "bob");
    assert_eq!(
        anonymous.user.avatar_url.as_deref(),
        Some("https://s3/avatar")
    );
    assert_eq!(anonymous.presence.is_online, None);
    assert_eq!(
        anonymous.presence.last_seen_approx,
        Some(Some(LastSeenApprox::WithinAnHour))
    );
    let own = profile(at, Some(target("nobody")), Viewer::User(UserId(7))).await?;
    assert_eq!(own.presence.is_online, Some(true));
    assert!(own.presence.last_activity.is_some());
    assert_eq!(own.presence.last_seen_approx, None);
    assert!(matches!(
        profile(at, None, Viewer::Anonymous).await,
        Err(Error::UserNotFound)
    ));
    Ok(())
}

#[tokio::test]
async fn another_users_file_or_a_media_outage_never_becomes_an_avatar() -> anyhow::Result<()> {
    let db = no_db()?;
    let up = OneFile { down: false };
    assert!(matches!(
        set_avatar(&db, &up, UserId(8), FILE).await,
        Err(Error::FileNotFound)
    ));
    assert!(matches!(
        set_avatar(&db, &up, UserId(7), FileId(4)).await,
        Err(Error::FileNotFound)
    ));
    let down = OneFile { down: true };
    let outage = set_avatar(&db, &down, UserId(7), FILE).await;
    assert!(matches!(outage, Err(Error::Peer(_))));
    Ok(())
}
