//! Settings (§6): a closed vocabulary per key, merge semantics on update
//! (absent keys keep their value, D3), and invalid values coerced to the
//! key's default instead of refused.

use crate::db;
use crate::error::Result;
use chorus_proto::UserId;
use serde::Serialize;
use sqlx::PgPool;

/// A closed set of strings with a default, stored as text.
pub trait Vocab: Sized + Copy + Default {
    fn as_str(self) -> &'static str;
    /// `None` for any other text.
    fn parse(text: &str) -> Option<Self>;
    /// The text as one of the values; anything else is the default (§6.2).
    fn coerce(text: &str) -> Self {
        Self::parse(text).unwrap_or_default()
    }
}

macro_rules! vocab {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        // The texts are the variants in snake_case (a test checks they agree):
        // utoipa does not read a `rename` whose value comes from a macro.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            #[default]
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, for tests.
            #[cfg(test)]
            const ALL: &[Self] = &[$(Self::$variant),+];
        }

        impl Vocab for $name {
            fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

vocab!(
    /// The client's colour scheme (default `light`).
    Theme { Light = "light", Dark = "dark" }
);
vocab!(
    /// The client's language (default `en`).
    Language { En = "en", Ru = "ru", De = "de" }
);
vocab!(
    /// Who sees the user's presence (§5.2, §17.4; default `everyone`).
    LastSeenVisibility {
        Everyone = "everyone",
        /// Only a coarse bucket (`last_seen_approx`).
        ApproxOnly = "approx_only",
        Nobody = "nobody",
    }
);

/// The settings object (§6): all keys always present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UserSettings {
    pub theme: Theme,
    pub notifications_enabled: bool,
    pub language: Language,
    /// Drives the presence keys of profile lookups (§5.2) and presence events (§17.4).
    pub last_seen_visibility: LastSeenVisibility,
    /// Drives read receipts (§11).
    pub read_receipts_enabled: bool,
}

/// A change: `None` keeps the stored value.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SettingsPatch {
    pub theme: Option<Theme>,
    pub notifications_enabled: Option<bool>,
    pub language: Option<Language>,
    pub last_seen_visibility: Option<LastSeenVisibility>,
    pub read_receipts_enabled: Option<bool>,
}

impl From<db::settings::SettingsRow> for UserSettings {
    fn from(row: db::settings::SettingsRow) -> Self {
        Self {
            theme: Theme::coerce(&row.theme),
            notifications_enabled: row.notifications_enabled,
            language: Language::coerce(&row.language),
            last_seen_visibility: LastSeenVisibility::coerce(&row.last_seen_visibility),
            read_receipts_enabled: row.read_receipts_enabled,
        }
    }
}

/// `GET /settings`: creates the default row if missing.
pub async fn get(db: &PgPool, user: UserId) -> Result<UserSettings> {
    Ok(db::settings::get_or_create(db, user).await?.into())
}

/// `PUT /settings`: upserts the keys present in `patch`.
pub async fn update(db: &PgPool, user: UserId, patch: &SettingsPatch) -> Result<()> {
    db::settings::upsert(db, user, patch).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_become_the_default_and_known_ones_round_trip() {
        assert_eq!(Theme::coerce("neon"), Theme::Light);
        assert_eq!(Language::coerce("de"), Language::De);
        assert_eq!(
            LastSeenVisibility::coerce("approx_only"),
            LastSeenVisibility::ApproxOnly
        );
        assert_eq!(
            LastSeenVisibility::coerce("Nobody"),
            LastSeenVisibility::Everyone
        );
        fn serialized_as_text<T: Vocab + Serialize>(all: &[T]) {
            for v in all {
                assert_eq!(
                    serde_json::to_string(v).ok(),
                    Some(format!("\"{}\"", v.as_str()))
                );
                assert_eq!(T::parse(v.as_str()).map(Vocab::as_str), Some(v.as_str()));
            }
        }
        serialized_as_text(Theme::ALL);
        serialized_as_text(Language::ALL);
        serialized_as_text(LastSeenVisibility::ALL);
    }
}
