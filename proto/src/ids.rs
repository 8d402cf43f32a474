//! Id newtypes shared by every service, so a user id cannot be passed where a
//! chat id is expected. On the wire they are plain JSON integers (CONTRACT §1.6),
//! in PostgreSQL `bigint`, in protobuf `int64` (`.0` at the gRPC boundary).

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
            serde::Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        #[schema(value_type = i64, format = Int64)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A user account (`auth.users.id`).
    UserId
);
id_type!(
    /// A direct chat, group or channel (`chat.chats.id`).
    ChatId
);
id_type!(
    /// A message (`message.messages.id`), unique across chats.
    MessageId
);
id_type!(
    /// An uploaded file or sticker image (`media.files.id`).
    FileId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_integers_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&ChatId(42)).ok().as_deref(),
            Some("42")
        );
        let id: Option<UserId> = serde_json::from_str("7").ok();
        assert_eq!(id, Some(UserId(7)));
    }
}
