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
